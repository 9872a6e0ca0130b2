import Foundation
import BeaconModel
import BeaconOutput
import BeaconTemplate

/// The site part of the build cache (`.beacon/cache/pages/`): a lesson page is kept under a
/// fingerprint of everything its template can see (the theme's templates, Beacon itself, and
/// every value of the page's context, dictionary keys in order) and linked into the output
/// when that is unchanged; its zh-Hant copy under that fingerprint with the edition's phrases.
/// The small list entries of lessons (`lesson-item`) are kept together in one file.
extension SiteBuilder {
    /// The fingerprint of a template's context.
    /// With `section`, the context is a page's (`pageContext`): its navigation is that
    /// section's, keyed by its own fingerprint.
    func contextKey(_ template: String, _ ctx: TemplateValue, section: String? = nil) -> String {
        let f = Fingerprint()
        f.add("beacon page 2"); f.add(theme.fingerprint); f.add(template)
        add(ctx, to: f, top: true, navKey: section.flatMap { navKeys[$0] })
        return f.hex
    }

    /// Every value of a context, dictionary keys in order. At the top of a page's context,
    /// `site` (the same on every page) and `nav` (the same in a section) go in by their own
    /// fingerprints; a lesson in a list by its entry's.
    func add(_ value: TemplateValue, to f: Fingerprint, top: Bool = false, navKey: String? = nil) {
        switch value {
        case .string(let s): f.add("s"); f.add(s)
        case .int(let i): f.add("i\(i)")
        case .bool(let b): f.add(b ? "T" : "F")
        case .double(let x): f.add("d\(x)")
        case .null: f.add("n")
        case .list(let a):
            f.add("[")
            for x in a { add(x, to: f) }
            f.add("]")
        case .map(let d):
            f.add("{")
            for k in d.keys.sorted() {
                f.add(k)
                if top && k == "site" { f.add(siteKey); continue }
                if top && k == "nav", let navKey { f.add(navKey); continue }
                add(d[k]!, to: f)
            }
            f.add("}")
        case .object(let o):
            if let c = o as? LessonContext {
                if let key = facts[c.id].itemKey {
                    f.add("item"); f.add(key)
                    return
                }
                var item = lessonItem(project.lessons[c.id], facts: facts[c.id])
                item["html"] = .string(facts[c.id].itemHTML)
                add(.map(item), to: f)
            } else {
                // No other kind of object is handed to templates; one would never be cached.
                f.add(UUID().uuidString)
            }
        }
    }

    /// The fingerprint of `siteContext`.
    static func siteKey(_ site: TemplateValue, builder: SiteBuilder) -> String {
        let f = Fingerprint()
        f.add("site")
        builder.add(site, to: f)
        return f.hex
    }

    /// Renders a page and writes it (and its zh-Hant copy) through the cache.
    /// `complete`, when given, puts into the context what the key holds only a stand-in for
    /// (a lesson's rendered text), before the template renders it.
    /// `hantReplacements` (made only when the zh-Hant copy is) are keyed by
    /// `hantReplacementsKey` when given.
    func renderPage(_ template: String, route: String, title: String?, description: String? = nil, section: String,
                    extra: [String: Any], hantReplacements: () -> [(String, String)] = { [] }, hantReplacementsKey: String? = nil,
                    complete: ((inout TemplateValue) -> Void)? = nil) {
        var ctx = TemplateValue(pageContext(route: route, title: title, description: description, section: section, extra: extra))
        guard directOutput == nil else {
            complete?(&ctx)
            write(route, templateTime.add { theme.render(template, ctx) }, hantReplacements: hant == nil ? [] : hantReplacements())
            return
        }
        let key = contextKey(template, ctx, section: section)
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
