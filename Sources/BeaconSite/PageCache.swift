import Foundation
import BeaconModel
import BeaconOutput

/// The site part of the build cache (`.beacon/cache/pages/`): a lesson page is kept under a
/// fingerprint of everything its template can see (the theme's templates, Beacon itself, and
/// every value of the page's context, dictionary keys in order) and linked into the output
/// when that is unchanged; its zh-Hant copy under that fingerprint with the edition's phrases.
/// The small list entries of lessons (`lesson-item`) are kept together in one file. A context
/// holding a value of a kind the fingerprint does not know is never cached.
extension SiteBuilder {
    /// The fingerprint of a template's context, or nil when it cannot be made.
    /// With `section`, the context is a page's (`pageContext`): its navigation is that
    /// section's, keyed by its own fingerprint.
    func contextKey(_ template: String, _ ctx: [String: Any], section: String? = nil) -> String? {
        let f = Fingerprint()
        f.add("beacon page 1"); f.add(theme.fingerprint); f.add(template)
        return add(ctx, to: f, top: true, navKey: section.flatMap { navKeys[$0] }) ? f.hex : nil
    }

    func add(_ value: Any, to f: Fingerprint, top: Bool = false, navKey: String? = nil) -> Bool {
        // The kinds contexts hold, told by their exact type: a cast that fails costs more
        // than the hashing (Swift tries to bridge it through Foundation first).
        let type = ObjectIdentifier(Swift.type(of: value))
        if type == Self.stringType {
            f.add("s"); f.add(value as! String)
            return true
        }
        if type == Self.listType {
            f.add("[")
            for x in value as! [[String: Any]] { guard add(x, to: f) else { return false } }
            f.add("]")
            return true
        }
        if type == Self.lessonsType {
            f.add("[")
            for x in value as! [LessonContext] { guard add(x, to: f) else { return false } }
            f.add("]")
            return true
        }
        if type == Self.intType { f.add("i\(value as! Int)"); return true }
        if type == Self.boolType { f.add((value as! Bool) ? "T" : "F"); return true }
        switch value {
        case let s as String:
            f.add("s"); f.add(s)
        case let b as Bool:
            f.add(b ? "T" : "F")
        case let i as Int:
            f.add("i\(i)")
        case let x as Double:
            f.add("d\(x)")
        case let d as [String: Any]:
            f.add("{")
            for k in d.keys.sorted() {
                f.add(k)
                // The site's part, the same on every page, by its own fingerprint.
                if top && k == "site", let site = d[k] as? [String: Any], site.count == siteContext.count {
                    f.add(siteKey)
                    continue
                }
                if top && k == "nav", let navKey {
                    f.add(navKey)
                    continue
                }
                guard add(d[k]!, to: f) else { return false }
            }
            f.add("}")
        case let c as LessonContext:
            if let key = facts[c.lesson.id].itemKey {
                f.add("item"); f.add(key)
                return true
            }
            var item = lessonItem(c.lesson, facts: facts[c.lesson.id])
            item["html"] = facts[c.lesson.id].itemHTML
            return add(item, to: f)
        case let a as [Any]:
            f.add("[")
            for x in a { guard add(x, to: f) else { return false } }
            f.add("]")
        default:
            return false
        }
        return true
    }

    static let stringType = ObjectIdentifier(String.self)
    static let intType = ObjectIdentifier(Int.self)
    static let boolType = ObjectIdentifier(Bool.self)
    static let listType = ObjectIdentifier([[String: Any]].self)
    static let lessonsType = ObjectIdentifier([LessonContext].self)

    /// The fingerprint of `siteContext`.
    static func siteKey(_ site: [String: Any], builder: SiteBuilder) -> String {
        let f = Fingerprint()
        f.add("site")
        return builder.add(site, to: f) ? f.hex : UUID().uuidString
    }

    /// Renders a page and writes it (and its zh-Hant copy) through the cache.
    /// `complete`, when given, puts into the context what the key holds only a stand-in for
    /// (a lesson's rendered text), before the template renders it.
    /// `hantReplacements` (made only when the zh-Hant copy is) are keyed by
    /// `hantReplacementsKey` when given.
    func renderPage(_ template: String, route: String, title: String?, description: String? = nil, section: String,
                    extra: [String: Any], hantReplacements: () -> [(String, String)] = { [] }, hantReplacementsKey: String? = nil,
                    complete: ((inout [String: Any]) -> Void)? = nil) {
        var ctx = pageContext(route: route, title: title, description: description, section: section, extra: extra)
        guard directOutput == nil, let key = contextKey(template, ctx, section: section) else {
            complete?(&ctx)
            write(route, templateTime.add { theme.render(template, ctx) }, hantReplacements: hant == nil ? [] : hantReplacements())
            return
        }
        var html: String?
        let file = prefix + Routes.file(route)
        cached(key, file) { path in
            complete?(&ctx)
            let h = templateTime.add { theme.render(template, ctx) }
            html = h
            try writeNewFile(path, h)
        }
        guard let hant else { return }
        let f = Fingerprint()
        f.add(key); f.add(hantKey)
        if let hantReplacementsKey { f.add(hantReplacementsKey) } else { for (a, b) in hantReplacements() { f.add(a); f.add(b) } }
        cached(f.hex, prefix + Routes.file(HantEdition.folder + route)) { path in
            let source = try html ?? String(contentsOf: stage.url(file), encoding: .utf8)
            try writeNewFile(path, hant.convertPage(source, replacements: hantReplacements()))
        }
    }

    private func cached(_ key: String, _ file: String, make: (String) throws -> Void) {
        do {
            try writeTime.add { try pageCache.file(key: key, ext: "html", into: file, stage: stage, make: make) }
            countLock.lock(); pageCount += 1; countLock.unlock()
        } catch {
            bag.error(SourceLocation(path: "output/" + file), "无法写入 (cannot write): \(FileProblem.describe(error))")
        }
    }
}
