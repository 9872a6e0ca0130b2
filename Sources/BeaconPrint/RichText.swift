import Foundation
import CPrint
import BeaconText

/// The look of a run of text.
public struct TextStyle: Hashable, Sendable {
    public var font: FontSpec
    public var colour: Colour = .black
    public var underline = false
    public var strikethrough = false
    /// Superscript: raised and smaller (footnote marks).
    public var superscript = false
    /// A link target: `uri` for the web, or an internal destination.
    public var link: String?
    /// Inline code: set apart from Chinese text by the same ¼ em as Latin words.
    public var code = false

    public init(font: FontSpec, colour: Colour = .black) {
        self.font = font
        self.colour = colour
    }
}

/// Text with styled runs, turned into a Pango attribute list with Beacon's Chinese line
/// rules applied as attributes: no break before a closing mark or after an opening one,
/// …… and —— kept whole, adjacent full-width marks compressed (OpenType `halt`), and
/// ¼ em between Chinese and Latin set as letter spacing, never as a space character.
public struct RichText {
    public private(set) var text = ""
    struct Span { var start: Int; var end: Int; var style: TextStyle }
    private(set) var spans: [Span] = []

    public init() {}

    public init(_ text: String, style: TextStyle) {
        append(text, style: style)
    }

    public var isEmpty: Bool { text.isEmpty }

    public mutating func append(_ s: String, style: TextStyle) {
        guard !s.isEmpty else { return }
        let start = text.utf8.count
        text += s
        spans.append(Span(start: start, end: text.utf8.count, style: style))
    }

    public mutating func append(_ other: RichText) {
        let offset = text.utf8.count
        text += other.text
        spans += other.spans.map { Span(start: $0.start + offset, end: $0.end + offset, style: $0.style) }
    }

    // MARK: - Chinese rules

    /// Never at a line start (GB/T 15834, clreq).
    public static let noLineStart: Set<Unicode.Scalar> = Set("、。，．：；！？）］｝」』】〉》”’…—·・〕〗〙ー々〻ゝゞ%‰℃".unicodeScalars)
    /// Never at a line end.
    public static let noLineEnd: Set<Unicode.Scalar> = Set("（［｛「『【〈《“‘〔〖〘".unicodeScalars)
    static let closingMarks: Set<Unicode.Scalar> = Set("、。，．：；！？）］｝」』】〉》”’〕〗〙".unicodeScalars)
    static let openingMarks: Set<Unicode.Scalar> = Set("（［｛「『【〈《“‘〔〖〘".unicodeScalars)

    /// A character of a Latin run for the Chinese–Latin gap: letters and digits, and the ASCII
    /// signs that belong to a word or number ("C++", "C#", ".NET", "98.5%", "3-5"); not ASCII
    /// quotes and brackets, and not the marks that end a phrase.
    static func isLatinish(_ s: Unicode.Scalar) -> Bool {
        guard s.isASCII, s.value > 0x20, s.value < 0x7F else { return s.properties.isAlphabetic && !CJK.isWide(s) && s.value < 0x2000 }
        return !"\"'()[]{}<>,;:!?`".unicodeScalars.contains(s)
    }

    /// A line separator (U+2028) before the character at byte `offset`, in that character's
    /// style: a line broken by hand.
    mutating func insertLineBreak(at offset: Int) {
        let bytes = Array(text.utf8)
        guard offset > 0, offset < bytes.count else { return }
        var out = RichText()
        for span in spans {
            func piece(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }
            if span.start <= offset && offset < span.end {
                if offset > span.start { out.append(piece(span.start, offset), style: span.style) }
                out.append("\u{2028}", style: span.style)
                out.append(piece(offset, span.end), style: span.style)
            } else {
                out.append(piece(span.start, span.end), style: span.style)
            }
        }
        self = out
    }

    /// Drops every U+0020 that sits between a Chinese character and a Latin letter or digit
    /// (editors type them; in print the ¼ em spacing takes their place, and a space would take
    /// all the justification slack of its line). A space an editor put between two Chinese
    /// characters (学党章党规 做合格党员) is a deliberate pause: it becomes one full-width space.
    public mutating func normaliseSpaces() {
        let scalars = Array(text.unicodeScalars)
        guard scalars.contains(" ") else { return }
        var keep = [Bool](repeating: true, count: scalars.count)
        var wide = Set<Int>()
        // Inline code is literal: its spaces stay as they are.
        var inCode = [Bool](repeating: false, count: scalars.count)
        do {
            var offset = 0, si = 0
            for (i, sc) in scalars.enumerated() {
                while si < spans.count && spans[si].end <= offset { si += 1 }
                if si < spans.count && spans[si].start <= offset { inCode[i] = spans[si].style.code }
                offset += String(sc).utf8.count
            }
        }
        for i in scalars.indices where scalars[i] == " " && !inCode[i] {
            var a = i - 1
            while a >= 0 && scalars[a] == " " { a -= 1 }
            var b = i + 1
            while b < scalars.count && scalars[b] == " " { b += 1 }
            guard a >= 0, b < scalars.count else { continue }
            let (x, y) = (scalars[a], scalars[b])
            if CJK.isHan(x) && CJK.isHan(y) {
                if i == a + 1 { wide.insert(i) } else { keep[i] = false }
            } else if x == "\u{B7}" || y == "\u{B7}" {
                // A middle dot set off by spaces (中共青石村总支部委员会 · 2026年) is a separator:
                // its spaces stay, on both sides alike.
            } else if (CJK.isWide(x) && Self.isLatinish(y)) || (Self.isLatinish(x) && CJK.isWide(y)) {
                keep[i] = false
            }
        }
        guard keep.contains(false) || !wide.isEmpty else { return }
        // Rebuild the text and move every span boundary with it.
        var map = [Int](repeating: 0, count: text.utf8.count + 1)
        var out = String.UnicodeScalarView()
        var oldOffset = 0, newOffset = 0
        for (i, s) in scalars.enumerated() {
            let len = String(s).utf8.count
            let replacement: Unicode.Scalar = wide.contains(i) ? "\u{3000}" : s
            let newLen = String(replacement).utf8.count
            for k in 0..<len { map[oldOffset + k] = newOffset + (keep[i] ? min(k, newLen - 1) : 0) }
            oldOffset += len
            if keep[i] { out.append(replacement); newOffset += newLen }
        }
        map[oldOffset] = newOffset
        text = String(out)
        spans = spans.map { Span(start: map[$0.start], end: map[$0.end], style: $0.style) }.filter { $0.end > $0.start }
    }

    /// Byte ranges of the scalars of the text.
    func scalarRanges() -> [(scalar: Unicode.Scalar, start: Int, end: Int)] {
        var out: [(Unicode.Scalar, Int, Int)] = []
        var offset = 0
        for s in text.unicodeScalars {
            let len = String(s).utf8.count
            out.append((s, offset, offset + len))
            offset += len
        }
        return out
    }

    /// The ¼ em gaps between Chinese and Latin (letters, digits, inline code), kept on the
    /// Chinese character beside each boundary: `after` when Latin follows it, `before` when
    /// Latin precedes it (so that no Latin word is cut into two items and loses its kerning).
    func boundaryGaps() -> [Int: Gap] {
        var gaps: [Int: Gap] = [:]
        let chars = scalarRanges()
        guard chars.count > 1 else { return gaps }
        var codeAt = [Bool](repeating: false, count: chars.count)
        var sizeAt = [Double](repeating: 10, count: chars.count)
        var spanIndex = 0
        for i in chars.indices {
            while spanIndex < spans.count && spans[spanIndex].end <= chars[i].start { spanIndex += 1 }
            if spanIndex < spans.count && spans[spanIndex].start <= chars[i].start {
                codeAt[i] = spans[spanIndex].style.code
                sizeAt[i] = spans[spanIndex].style.font.size * (spans[spanIndex].style.superscript ? 0.6 : 1)
            }
        }
        var latinAt = chars.indices.map { i -> Bool in
            let s = chars[i].scalar
            return Self.isLatinish(s) || (codeAt[i] && !CJK.isWide(s) && s != " ")
        }
        // A run of symbols with no letter or digit in it (灯塔-党建, 党建+服务) is part of the
        // Chinese text: the gaps go beside letters and digits (and inline code) only.
        var start = 0
        while start < chars.count {
            guard latinAt[start] else { start += 1; continue }
            var end = start
            while end < chars.count && latinAt[end] { end += 1 }
            let run = start..<end
            if !run.contains(where: { codeAt[$0] || chars[$0].scalar.properties.isAlphabetic || chars[$0].scalar.properties.numericType != nil }) {
                for i in run { latinAt[i] = false }
            }
            start = end
        }
        func latin(_ i: Int) -> Bool { latinAt[i] }
        for i in 1..<chars.count {
            let (p, c) = (chars[i - 1].scalar, chars[i].scalar)
            // Inside a code span nothing is added: code is literal.
            if codeAt[i - 1] && codeAt[i] { continue }
            if CJK.isHan(p) && latin(i) {
                gaps[chars[i - 1].start, default: Gap()].after = 0.25 * sizeAt[i - 1]
            } else if latin(i - 1) && CJK.isHan(c) {
                gaps[chars[i].start, default: Gap()].before = 0.25 * sizeAt[i]
            }
        }
        return gaps
    }

    /// The space a Chinese character wants before and after it, in points.
    struct Gap: Sendable {
        var before = 0.0
        var after = 0.0
        var total: Double { before + after }
    }

    /// The Pango attributes of the text: fonts, colours, the Chinese line rules, and letter
    /// spacing that makes the line breaker count each ¼ em gap (on the Chinese character of
    /// each boundary in `gaps`) and `tracking` (points added after every character; negative tightens). Pango
    /// splits letter spacing half before and half after a character; `Justifier` puts it back
    /// where it belongs after the lines are broken.
    /// `lineStarts`: byte offsets of opening marks that lose their blank half at a line start.
    /// Whether Pango's own line breaking (UAX #14) already forbids a break between `p` and
    /// `c`: before a closing mark, an exclamation or question mark, an infix separator or a
    /// non-starter (，。、）」；：！？), after an opening mark, when `p` is a Chinese character.
    /// An attribute is set only where it is not: Pango copies every attribute into each line it
    /// sets, so one per comma made a 20,000-character paragraph cost 70 MB and a quadratic time.
    /// After a Latin letter or digit the attribute stays: a Latin word too long for the line is
    /// broken between any two characters (WORD_CHAR), where UAX #14 no longer holds, and only
    /// the attribute keeps "，" from starting the next line.
    static func pangoKeeps(_ p: Unicode.Scalar, _ c: Unicode.Scalar) -> Bool {
        guard CJK.isWide(p) else { return false }
        switch g_unichar_break_type(gunichar(c.value)) {
        case G_UNICODE_BREAK_CLOSE_PUNCTUATION, G_UNICODE_BREAK_CLOSE_PARANTHESIS, G_UNICODE_BREAK_EXCLAMATION,
             G_UNICODE_BREAK_INFIX_SEPARATOR, G_UNICODE_BREAK_NON_STARTER:
            return true
        default:
            return g_unichar_break_type(gunichar(p.value)) == G_UNICODE_BREAK_OPEN_PUNCTUATION
        }
    }

    func attributes(haltAt lineStarts: Set<Int> = [], gaps: [Int: Gap] = [:], tracking: Double = 0,
                    trackingRange: Range<Int> = 0..<Int.max, compress: Set<Int> = []) -> OpaquePointer {
        let list = pango_attr_list_new()!
        func insert(_ attr: UnsafeMutablePointer<PangoAttribute>?, _ start: Int, _ end: Int) {
            guard let attr else { return }
            attr.pointee.start_index = guint(start)
            attr.pointee.end_index = guint(end)
            pango_attr_list_insert(list, attr)
        }
        for span in spans {
            let s = span.style
            let desc = s.font.description()
            if s.superscript {
                pango_font_description_set_absolute_size(desc, s.font.size * 0.6 * pangoScale)
                insert(pango_attr_rise_new(Int32(s.font.size * 0.35 * pangoScale)), span.start, span.end)
            }
            insert(pango_attr_font_desc_new(desc), span.start, span.end)
            pango_font_description_free(desc)
            insert(pango_attr_foreground_new(guint16(s.colour.r * 65535), guint16(s.colour.g * 65535), guint16(s.colour.b * 65535)), span.start, span.end)
            if s.underline { insert(pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), span.start, span.end) }
            if s.strikethrough { insert(pango_attr_strikethrough_new(1), span.start, span.end) }
        }
        let chars = scalarRanges()
        // Letter spacing in runs of equal value.
        var runStart = 0, runValue = 0.0
        func flush(_ end: Int) {
            if runValue != 0 && end > runStart { insert(pango_attr_letter_spacing_new(Int32((runValue * pangoScale).rounded())), runStart, end) }
        }
        // Tracking only where a justified line may widen, never inside a number or a word; the
        // spacing after a Latin character is counted on the Chinese one that follows, so that
        // no Latin word is cut into two items (which would lose its kerning).
        var trackedAt = [Double](repeating: 0, count: chars.count)
        if tracking != 0 {
            for i in chars.indices.dropLast() where trackingRange.contains(chars[i].start) && Justifier.widens(chars[i].scalar, chars[i + 1].scalar) {
                trackedAt[!CJK.isWide(chars[i].scalar) && CJK.isWide(chars[i + 1].scalar) ? i + 1 : i] += tracking
            }
        }
        for (i, c) in chars.enumerated() {
            let v = trackedAt[i] + (gaps[c.start]?.total ?? 0)
            if v != runValue { flush(c.start); runStart = c.start; runValue = v }
        }
        flush(text.utf8.count)
        for i in chars.indices {
            let c = chars[i]
            if i > 0 {
                let p = chars[i - 1]
                // Prohibitions: no break between p and c.
                let keep = Self.noLineStart.contains(c.scalar) || Self.noLineEnd.contains(p.scalar)
                    || (p.scalar == "…" && c.scalar == "…") || (p.scalar == "—" && c.scalar == "—")
                if keep && !Self.pangoKeeps(p.scalar, c.scalar) { insert(pango_attr_allow_breaks_new(0), p.start, c.end) }
                // Compression of two adjacent full-width marks to 1.5 em.
                if Self.closingMarks.contains(p.scalar) && (Self.closingMarks.contains(c.scalar) || Self.openingMarks.contains(c.scalar)) {
                    if !compress.contains(p.start) { insert(pango_attr_font_features_new("halt"), p.start, p.end) }
                } else if Self.openingMarks.contains(p.scalar) && Self.openingMarks.contains(c.scalar) {
                    if !compress.contains(c.start) { insert(pango_attr_font_features_new("halt"), c.start, c.end) }
                }
            }
            if (lineStarts.contains(c.start) && Self.openingMarks.contains(c.scalar)) || compress.contains(c.start) {
                insert(pango_attr_font_features_new("halt"), c.start, c.end)
            }
        }
        return list
    }

    /// Byte offsets of the marks that may be set at half width to shorten a paragraph
    /// (标点挤压): commas, stops, colons and brackets inside a line, never the paragraph's last.
    func compressibleMarks(in range: Range<Int>) -> [Int] {
        let chars = scalarRanges()
        var out: [Int] = []
        for (i, c) in chars.enumerated() where range.contains(c.start) && i < chars.count - 1 {
            if Self.closingMarks.contains(c.scalar) || Self.openingMarks.contains(c.scalar) { out.append(c.start) }
        }
        return out
    }
}
