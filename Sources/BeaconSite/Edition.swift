import Foundation
import BeaconOutput
import BeaconText

/// The Traditional Chinese edition: every page of the site, converted, under `zh-hant/`.
///
/// A page is converted from the Simplified page Beacon has just rendered, so the edition is
/// the same site in every other respect. In it:
/// - text and the attributes people read (`alt`, `title`, `aria-label`, `placeholder`,
///   `content` of `<meta>`, and `data-text-*` for messages a script shows) go through `HantConverter`; scripts and styles are left alone;
/// - links to pages (paths ending in `/` or `.html`, under the site's base) point into the
///   edition; links to files (PDF, pictures, styles, feeds) stay shared;
/// - `lang` becomes `zh-Hant`; elements with `hreflang` (the language switch and the
///   `<link rel="alternate">` pair) keep their links and text.
public struct HantEdition: Sendable {
    public static let folder = "zh-hant/"
    public static let language = "zh-Hant"
    public let converter: HantConverter
    let basePath: String
    let baseURL: String
    let sourceLanguage: String

    public init(converter: HantConverter, basePath: String, baseURL: String, sourceLanguage: String) {
        self.converter = converter
        self.basePath = basePath
        self.baseURL = baseURL
        self.sourceLanguage = sourceLanguage
    }

    static let textAttributes: Set<String> = ["alt", "title", "aria-label", "placeholder", "content"]
    static let linkAttributes: Set<String> = ["href", "src", "action", "data-index"]

    /// The edition's link for a link of the Simplified site, or nil to keep it.
    func rewrite(_ link: String) -> String? {
        for base in [basePath, baseURL] where link.hasPrefix(base) {
            let rest = link.dropFirst(base.count)
            let path = rest.prefix { $0 != "#" && $0 != "?" }
            guard path.isEmpty || path.hasSuffix("/") || path.hasSuffix(".html") else { return nil }
            if rest.hasPrefix(Self.folder) { return nil }
            return base + Self.folder + rest
        }
        return nil
    }

    private enum Piece {
        case literal(Substring)
        case text(String)
    }

    /// Converts one page. `replacements` are applied to the finished page (the lesson page's
    /// QR code, which must point to the edition's own address).
    public func convertPage(_ html: String, replacements: [(String, String)] = []) -> String {
        var pieces: [Piece] = []
        var texts: [String] = []
        var s = html
        for (from, to) in replacements where !from.isEmpty { s = s.replacingOccurrences(of: from, with: to) }
        var i = s.startIndex
        var textStart = i
        var keepNextText = false

        func flushText(_ end: String.Index) {
            guard textStart < end else { return }
            let t = s[textStart..<end]
            if keepNextText || !t.unicodeScalars.contains(where: { $0.value >= 0x2E80 }) {
                pieces.append(.literal(t))
            } else {
                pieces.append(.text(String(t)))
                texts.append(String(t))
            }
            if t.contains(where: { !$0.isWhitespace }) { keepNextText = false }
        }

        while i < s.endIndex {
            guard s[i] == "<" else { i = s.index(after: i); continue }
            flushText(i)
            // Comments, doctype.
            if s[i...].hasPrefix("<!--") {
                let end = s.range(of: "-->", range: i..<s.endIndex)?.upperBound ?? s.endIndex
                pieces.append(.literal(s[i..<end])); i = end; textStart = i; continue
            }
            // A tag: copy it, converting the attributes people read and rewriting links.
            let tagEnd = Self.endOfTag(s, from: i)
            let tag = s[i..<tagEnd]
            let (name, hasHreflang) = convertTag(tag, pieces: &pieces, texts: &texts)
            if hasHreflang && name == "a" { keepNextText = true }
            i = tagEnd
            // Script and style content stays as it is.
            if name == "script" || name == "style" {
                let close = s.range(of: "</" + name, options: .caseInsensitive, range: i..<s.endIndex)?.lowerBound ?? s.endIndex
                pieces.append(.literal(s[i..<close]))
                i = close
            }
            textStart = i
        }
        flushText(s.endIndex)

        let converted = converter.convert(texts)
        var out = ""
        out.reserveCapacity(html.utf8.count + 64)
        var k = 0
        for p in pieces {
            switch p {
            case .literal(let l): out += l
            case .text: out += converted[k]; k += 1
            }
        }
        return out
    }

    /// The index just past the `>` that ends the tag starting at `i`, honouring quotes.
    static func endOfTag(_ s: String, from i: String.Index) -> String.Index {
        var j = s.index(after: i)
        var quote: Character?
        while j < s.endIndex {
            let c = s[j]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == ">" {
                return s.index(after: j)
            }
            j = s.index(after: j)
        }
        return s.endIndex
    }

    /// Appends a tag's pieces; returns its lower-case name and whether it has `hreflang`.
    private func convertTag(_ tag: Substring, pieces: inout [Piece], texts: inout [String]) -> (String, Bool) {
        let name = String(tag.dropFirst().prefix { !$0.isWhitespace && $0 != ">" && $0 != "/" }).lowercased()
        guard !name.isEmpty, tag.contains("=") else {
            pieces.append(.literal(tag))
            return (name, false)
        }
        let hasHreflang = tag.contains(" hreflang=")
        // A link of the language switch keeps its address; it is marked current when it
        // leads to this edition.
        if hasHreflang && name == "a" {
            var t = String(tag).replacingOccurrences(of: " aria-current=\"true\"", with: "")
            if t.contains("hreflang=\"\(Self.language)\""), let end = t.lastIndex(of: ">") {
                t.insert(contentsOf: " aria-current=\"true\"", at: t[t.startIndex..<end].last == "/" ? t.index(before: end) : end)
            }
            pieces.append(.literal(Substring(t)))
            return (name, true)
        }
        // Walk the attributes; copy everything, replacing the values that change.
        var j = tag.startIndex
        var copyFrom = j
        while let eq = tag[j...].firstIndex(of: "=") {
            // The attribute name before `=`.
            var nameStart = eq
            while nameStart > tag.startIndex, !tag[tag.index(before: nameStart)].isWhitespace { nameStart = tag.index(before: nameStart) }
            let attr = tag[nameStart..<eq].lowercased()
            var v = tag.index(after: eq)
            guard v < tag.endIndex else { break }
            let quote = tag[v]
            let valueStart: String.Index, valueEnd: String.Index, after: String.Index
            if quote == "\"" || quote == "'" {
                valueStart = tag.index(after: v)
                valueEnd = tag[valueStart...].firstIndex(of: quote) ?? tag.endIndex
                after = valueEnd < tag.endIndex ? tag.index(after: valueEnd) : tag.endIndex
            } else {
                valueStart = v
                while v < tag.endIndex, !tag[v].isWhitespace, tag[v] != ">" { v = tag.index(after: v) }
                valueEnd = v
                after = v
            }
            let value = String(tag[valueStart..<valueEnd])
            var replacement: Piece?
            if Self.textAttributes.contains(attr) || attr.hasPrefix("data-text-"), value.unicodeScalars.contains(where: { $0.value >= 0x2E80 }) {
                replacement = .text(value)
                texts.append(value)
            } else if !hasHreflang, Self.linkAttributes.contains(attr), let r = rewrite(value) {
                replacement = .literal(Substring(r))
            } else if !hasHreflang, attr == "lang", value == sourceLanguage {
                replacement = .literal(Substring(Self.language))
            }
            if let r = replacement {
                pieces.append(.literal(tag[copyFrom..<valueStart]))
                pieces.append(r)
                copyFrom = valueEnd
            }
            j = after
            if j >= tag.endIndex { break }
        }
        pieces.append(.literal(tag[copyFrom..<tag.endIndex]))
        return (name, hasHreflang)
    }
}
