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
    func contextKey(_ template: String, _ ctx: [String: Any]) -> String? {
        let f = Fingerprint()
        f.add("beacon page 1"); f.add(theme.fingerprint); f.add(template)
        return add(ctx, to: f, top: true) ? f.hex : nil
    }

    private func add(_ value: Any, to f: Fingerprint, top: Bool = false) -> Bool {
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
                guard add(d[k]!, to: f) else { return false }
            }
            f.add("}")
        case let c as LessonContext:
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

    /// The fingerprint of `siteContext`.
    static func siteKey(_ site: [String: Any], builder: SiteBuilder) -> String {
        let f = Fingerprint()
        f.add("site")
        return builder.add(site, to: f) ? f.hex : UUID().uuidString
    }

    /// Renders a page and writes it (and its zh-Hant copy) through the cache.
    func renderPage(_ template: String, route: String, title: String?, description: String? = nil, section: String,
                    extra: [String: Any], hantReplacements: [(String, String)] = []) {
        let ctx = pageContext(route: route, title: title, description: description, section: section, extra: extra)
        guard directOutput == nil, let key = contextKey(template, ctx) else {
            write(route, templateTime.add { theme.render(template, ctx) }, hantReplacements: hantReplacements)
            return
        }
        var html: String?
        let file = prefix + Routes.file(route)
        cached(key, file) { path in
            let h = templateTime.add { theme.render(template, ctx) }
            html = h
            try h.write(toFile: path, atomically: false, encoding: .utf8)
        }
        guard let hant else { return }
        let f = Fingerprint()
        f.add(key); f.add(hantKey)
        for (a, b) in hantReplacements { f.add(a); f.add(b) }
        cached(f.hex, prefix + Routes.file(HantEdition.folder + route)) { path in
            let source = try html ?? String(contentsOf: stage.url(file), encoding: .utf8)
            try hant.convertPage(source, replacements: hantReplacements).write(toFile: path, atomically: false, encoding: .utf8)
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
