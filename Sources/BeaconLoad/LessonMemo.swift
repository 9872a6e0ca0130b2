import Foundation
import BeaconModel
import BeaconText
import BeaconOutput

/// The build cache's record of lesson files as the loader read them
/// (`.beacon/cache/lessons-0.memo` … `lessons-f.memo`): for a file whose bytes, place and reading settings are
/// those of a file read before, its front matter, the outline of its text (links, plain text,
/// first paragraph, landmarks), the warnings it gave and the texts the copy rules read come
/// from the record, without YAML or Markdown being parsed again. A file that gave an error is
/// never recorded, so its errors are found afresh every build.
enum LessonMemo {
    static let folder = ".beacon/cache"

    static func key(_ data: Data, path: String, folder: String, slugs: SlugMode, rawHTML: Bool, includeDrafts: Bool) -> String {
        let f = Fingerprint()
        f.add("beacon lesson 1"); f.add(Fingerprint.program)
        f.add(path); f.add(folder); f.add(slugs.rawValue); f.add(rawHTML ? "raw" : "plain"); f.add(includeDrafts ? "drafts" : "")
        f.add(data)
        return f.hex
    }

    static func encode(_ l: Lesson, diagnostics: [Diagnostic], texts: [EditorText]) -> [UInt8] {
        var w = ByteWriter(capacity: l.document.plainText.utf8.count + 1024)
        w.string(l.slug); w.string(l.title)
        w.int(l.date.year); w.int(l.date.month); w.int(l.date.day)
        w.string(l.kind.rawValue)
        w.optional(l.author); w.optional(l.summary)
        w.strings(l.tags); w.strings(l.audience.map(\.rawValue))
        w.bool(l.partyDay != nil)
        if let d = l.partyDay { w.int(d.year); w.int(d.month); w.int(d.day) }
        w.optional(l.weight); w.bool(l.draft); w.optional(l.wechatURL)
        let doc = l.document
        let parsed = doc != .empty
        w.bool(parsed)
        if parsed {
            w.uint(UInt64(doc.links.count))
            for link in doc.links {
                w.string(link.raw); w.bool(link.isImage); w.string(link.location.path); w.int(link.location.line); w.int(link.location.column)
            }
            w.string(doc.plainText); w.string(doc.firstParagraph); w.bool(doc.hasRawHTML)
            w.uint(UInt64(doc.landmarks.count))
            for m in doc.landmarks {
                switch m.kind {
                case .table(let width): w.uint(0); w.double(width)
                case .footnote: w.uint(1)
                case .rawHTML(let block): w.uint(2); w.bool(block)
                }
                w.string(m.location.path); w.int(m.location.line); w.int(m.location.column)
            }
        }
        w.uint(UInt64(diagnostics.count))
        for d in diagnostics {
            w.bool(d.severity == .error); w.string(d.location.path); w.int(d.location.line); w.int(d.location.column); w.string(d.message)
        }
        w.uint(UInt64(texts.count))
        for t in texts {
            w.string(t.path); w.string(t.text); w.int(t.line); w.int(t.column); w.bool(t.title); w.bool(t.exact); w.bool(t.plainScalar)
        }
        return w.finished
    }

    /// The lesson a record holds, with `body` (the file's text after its front matter); nil
    /// when the record is not one `encode` wrote.
    static func decode(_ bytes: ArraySlice<UInt8>, path: String, folder: String, fileName: String,
                       body: MarkdownSource) -> (Lesson, [Diagnostic], [EditorText])? {
        var r = ByteReader(bytes)
        let slug = r.string(), title = r.string()
        let date = Day(year: r.int(), month: r.int(), day: r.int())
        let kind = LessonKind(rawValue: r.string())
        let author = r.optionalString(), summary = r.optionalString()
        let tags = r.strings()
        let audience = r.strings().compactMap(Domain.init(rawValue:))
        let partyDay = r.bool() ? Day(year: r.int(), month: r.int(), day: r.int()) : nil
        let weight = r.optionalInt(), draft = r.bool(), wechatURL = r.optionalString()
        guard let kind, !r.failed else { return nil }
        var l = Lesson(path: path, seriesFolder: folder, fileName: fileName, slug: slug, title: title, date: date, kind: kind,
                       author: author, summary: summary, tags: tags, audience: audience, partyDay: partyDay, weight: weight,
                       draft: draft, body: body)
        l.wechatURL = wechatURL
        if r.bool() {
            var doc = MDDocument()
            for _ in 0..<r.count() {
                guard !r.failed else { return nil }
                let raw = r.string(), image = r.bool()
                doc.links.append(MDLink(raw: raw, isImage: image, location: SourceLocation(path: r.string(), line: r.int(), column: r.int())))
            }
            doc.plainText = r.string(); doc.firstParagraph = r.string(); doc.hasRawHTML = r.bool()
            for _ in 0..<r.count() {
                guard !r.failed else { return nil }
                let kind: MDLandmark.Kind
                switch r.uint() {
                case 0: kind = .table(minimumWidth: r.double())
                case 1: kind = .footnote
                case 2: kind = .rawHTML(block: r.bool())
                default: return nil
                }
                doc.landmarks.append(MDLandmark(kind: kind, location: SourceLocation(path: r.string(), line: r.int(), column: r.int())))
            }
            doc.isOutline = true
            l.document = doc
        }
        var diagnostics: [Diagnostic] = []
        for _ in 0..<r.count() {
            guard !r.failed else { return nil }
            let error = r.bool()
            let at = SourceLocation(path: r.string(), line: r.int(), column: r.int())
            diagnostics.append(Diagnostic(error ? .error : .warning, at, r.string()))
        }
        var texts: [EditorText] = []
        for _ in 0..<r.count() {
            guard !r.failed else { return nil }
            var t = EditorText(path: r.string(), text: r.string(), line: r.int(), column: r.int(), title: r.bool(), exact: r.bool())
            t.plainScalar = r.bool()
            texts.append(t)
        }
        guard r.isComplete else { return nil }
        return (l, diagnostics, texts)
    }
}

/// The pinyin ICU gave for each Han character (`.beacon/cache/pinyin.txt`), kept for the next
/// build of the same program: opening ICU's transliterator is a large part of a build that
/// otherwise finds everything in the cache. Lines `U+XXXX pinyin` after a line naming the
/// program; a file of another program, or a line not of that shape, is not used.
public enum PinyinMemo {
    static let file = ".beacon/cache/pinyin.txt"

    /// How many spellings the file holds (as read, or as last written by this process).
    private final class Count: @unchecked Sendable {
        let lock = NSLock()
        var value = 0
    }
    private static let written = Count()

    /// Reads the file into the slugger's spellings; returns how many it held.
    @discardableResult
    static func load(root: URL) -> Int {
        let url = root.appendingPathComponent(file)
        guard BuildCacheFolder.isSafe(url.path, folder: false), case .success(let bytes) = FileBytes.read(url.path),
              let text = String(validating: bytes, as: UTF8.self) else { return 0 }
        var lines = text.split(separator: "\n")[...]
        guard lines.popFirst() == Substring(Fingerprint.program) else { return 0 }
        var known: [Unicode.Scalar: String] = [:]
        for line in lines {
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].hasPrefix("U+"), let v = UInt32(parts[0].dropFirst(2), radix: 16),
                  let scalar = Unicode.Scalar(v), CJK.isHan(scalar),
                  parts[1].unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) }) else { continue }
            known[scalar] = String(parts[1])
        }
        Slugger.remember(known)
        written.lock.lock(); written.value = known.count; written.lock.unlock()
        return known.count
    }

    /// Writes the spellings when ICU gave more than the file holds (the loader after reading
    /// content/, the build again after the site, which spells headings and tags).
    public static func save(root: URL) {
        let all = Slugger.spellings
        written.lock.lock(); defer { written.lock.unlock() }
        guard all.count > written.value else { return }
        var out = Fingerprint.program + "\n"
        for (s, p) in all.sorted(by: { $0.key.value < $1.key.value }) { out += "U+" + String(s.value, radix: 16, uppercase: true) + " " + p + "\n" }
        let url = root.appendingPathComponent(file)
        guard BuildCacheFolder.isSafe(url.path, folder: false) else { return }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temp = url.path + ".\(getpid()).tmp"
        if FileManager.default.createFile(atPath: temp, contents: Data(out.utf8)), rename(temp, url.path) == 0 {
            written.value = all.count
        } else {
            unlink(temp)
        }
    }
}
