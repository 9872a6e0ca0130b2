import Foundation
import Yams
import BeaconModel

/// Gathers the texts an editor wrote in a YAML file's values, each with where its characters
/// stand in the file, so the copy rules can check them and `--fix` can write them back.
/// Values that are names of things (paths, slugs, dates, sizes, colours, kinds) are left out.
enum EditorTexts {
    /// Keys whose values are not prose: files, addresses, identifiers, numbers, settings.
    static let notProse: Set<String> = [
        "slug", "slugs", "date", "founded", "size", "bleed", "columns", "span", "width", "height", "year",
        "photo", "image", "images", "logo", "emblem", "src", "file", "path", "link", "url", "href", "qr",
        "type", "template", "for_each", "where", "kind", "stars", "weight", "draft", "published", "value",
        "domain", "audience", "contents", "series", "lesson", "lessons", "branches", "print", "edition", "editions",
        "base_url", "language", "theme", "party_day", "raw_html", "copy_rules", "colors", "colours",
        "icp", "police_filing", "zh_hant_phrases", "primary", "accent", "target", "links",
    ]
    /// Keys whose values are titles: a space between two Chinese phrases is kept there.
    static let titles: Set<String> = ["title", "subtitle", "name", "short_name", "heading", "label", "caption",
                                      "organisation", "publisher", "role", "footer", "copyright", "text"]

    final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var texts: [EditorText] = []
        func add(_ t: [EditorText]) {
            guard !t.isEmpty else { return }
            lock.lock(); texts += t; lock.unlock()
        }
        var all: [EditorText] {
            lock.lock(); defer { lock.unlock() }
            return texts
        }
    }

    /// The prose values of `node`, a YAML text that starts at file line `firstLine`.
    static func collect(_ node: Node?, yaml: String, path: String, firstLine: Int) -> [EditorText] {
        guard let node else { return [] }
        var lines: [Substring]?
        var out: [EditorText] = []
        func visit(_ node: Node, key: String?) {
            switch node {
            case .mapping(let m):
                for (k, v) in m {
                    let name = k.scalar?.string ?? ""
                    if notProse.contains(name) { continue }
                    visit(v, key: name)
                }
            case .sequence(let s):
                for item in s { visit(item, key: key) }
            case .scalar(let s):
                // Only values with something the rules look at: anything beyond ASCII letters.
                guard s.string.unicodeScalars.contains(where: { $0.value >= 0x2000 }) else { return }
                if lines == nil {
                    // Split at line feeds found as bytes (the reader has made every line end
                    // one), not by walking the text's characters.
                    var found: [Substring] = []
                    var start = yaml.startIndex
                    for i in yaml.utf8.indices where yaml.utf8[i] == 0x0A {
                        found.append(yaml[start..<i])
                        start = yaml.utf8.index(after: i)
                    }
                    found.append(yaml[start...])
                    lines = found
                }
                out.append(place(s, lines: lines!, path: path, firstLine: firstLine, title: key.map(titles.contains) ?? false))
            case .alias:
                return
            }
        }
        visit(node, key: nil)
        return out
    }

    /// Where the scalar's characters are in the file.
    static func place(_ s: Node.Scalar, lines: [Substring], path: String, firstLine: Int, title: Bool) -> EditorText {
        let markLine = s.mark?.line ?? 1, markColumn = s.mark?.column ?? 1
        let value = s.string
        var fallback = EditorText(path: path, text: value, line: markLine + firstLine - 1, column: markColumn, title: title, exact: false)
        guard lines.indices.contains(markLine - 1) else { return fallback }
        let source = Array(lines[markLine - 1].unicodeScalars)
        switch s.style {
        case .plain, .singleQuoted, .doubleQuoted, .any:
            let start = markColumn - 1 + (s.style == .plain || s.style == .any ? 0 : 1)
            let v = Array(value.unicodeScalars)
            guard !value.contains("\n"), start + v.count <= source.count, Array(source[start..<(start + v.count)]) == v else {
                return fallback
            }
            // A quoted value must end where its closing quote is (no escape such as '' or \"
            // inside it), so that the characters are the file's own.
            if s.style == .singleQuoted || s.style == .doubleQuoted {
                let quote: Unicode.Scalar = s.style == .singleQuoted ? "'" : "\""
                guard start + v.count < source.count, source[start + v.count] == quote, !value.contains(quote == "'" ? "'" : "\\") else { return fallback }
            }
            var placed = EditorText(path: path, text: value, line: markLine + firstLine - 1, column: start + 1, title: title, exact: true)
            placed.plainScalar = s.style == .plain || s.style == .any
            return placed
        case .literal, .folded:
            // The block's lines follow the indicator, all indented at least as far as its first.
            guard !source[(markColumn - 1)...].contains(where: { $0.value >= 0x31 && $0.value <= 0x39 }) else { return fallback }
            var body: [Substring] = []
            var indent: Int?
            var i = markLine
            while i < lines.count {
                let line = lines[i]
                let lead = line.prefix { $0 == " " }.count
                if line.allSatisfy({ $0 == " " }) { body.append(""); i += 1; continue }
                if indent == nil { indent = lead }
                guard lead >= indent!, lead > 0 else { break }
                body.append(line.dropFirst(indent!))
                i += 1
            }
            while body.last == "" { body.removeLast() }
            guard let indent, !body.isEmpty else { return fallback }
            let text = body.joined(separator: "\n")
            if s.style == .literal && text != value.trimmingCharacters(in: .newlines) { return fallback }
            fallback = EditorText(path: path, text: text, line: markLine + firstLine, column: indent + 1, title: title, exact: true)
            return fallback
        }
    }
}
