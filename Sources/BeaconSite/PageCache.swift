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

/// Rendered list entries of lessons, kept together in one file of the cache (ten thousand
/// small files would cost more to create than the entries cost to render).
final class ItemMemo: @unchecked Sendable {
    private let path: String
    private var known: [String: String] = [:]
    private var used: [String: String] = [:]
    private let lock = NSLock()

    init(folder: URL) {
        path = folder.appendingPathComponent("lesson-items.txt").path
        // Entries: a 64-hex key, a space, the byte count, a newline, the bytes, a newline.
        guard let data = FileManager.default.contents(atPath: path) else { return }
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i + 66 < b.count {
                let key = String(decoding: b[i..<i + 64], as: UTF8.self)
                var j = i + 65, n = 0
                while j < b.count, b[j] != 10 { guard b[j] >= 48 && b[j] <= 57 else { return }; n = n * 10 + Int(b[j] - 48); j += 1 }
                j += 1
                guard j + n < b.count else { return }
                known[key] = String(decoding: b[j..<j + n], as: UTF8.self)
                i = j + n + 1
            }
        }
    }

    func text(_ key: String?, make: () -> String) -> String {
        guard let key else { return make() }
        lock.lock()
        if let t = known[key] { used[key] = t; lock.unlock(); return t }
        lock.unlock()
        let t = make()
        lock.lock(); used[key] = t; lock.unlock()
        return t
    }

    /// Writes the entries this build used.
    func save() {
        lock.lock(); let entries = used; lock.unlock()
        guard entries.count != known.count || entries.contains(where: { known[$0.key] == nil }) else { return }
        var out = Data()
        for (k, v) in entries.sorted(by: { $0.key < $1.key }) {
            out.append(contentsOf: Array("\(k) \(v.utf8.count)\n".utf8)); out.append(contentsOf: Array(v.utf8)); out.append(10)
        }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temp = path + ".\(getpid()).tmp"
        if FileManager.default.createFile(atPath: temp, contents: out), rename(temp, path) != 0 { unlink(temp) }
    }
}
