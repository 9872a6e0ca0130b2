import Foundation
import CPrint
import BeaconText

public enum TextAlign: Sendable { case left, center, right, justify }

/// Lays text out with Pango and turns it into flow items, one per line, so that a paragraph
/// can break between any two of its lines.
public final class Typesetter {
    public let env = PangoEnv()
    public init() {}

    /// A font's line height (ascent + descent) in ems: Pango's line-spacing factor multiplies
    /// it, while leading is meant in ems of the type size (1.7 = 1.7 × 9.5 pt).
    private var heightRatio: [String: Double] = [:]
    func lineHeightRatio(_ family: String) -> Double {
        if let r = heightRatio[family] { return r }
        let desc = FontSpec(family: family, size: 100).description()
        defer { pango_font_description_free(desc) }
        var r = 1.0
        if let metrics = pango_context_get_metrics(env.context, desc, pango_language_from_string("zh-cn")) {
            let h = Double(pango_font_metrics_get_ascent(metrics) + pango_font_metrics_get_descent(metrics)) / pangoScale
            pango_font_metrics_unref(metrics)
            if h > 0 { r = h / 100 }
        }
        heightRatio[family] = r
        return r
    }

    /// A paragraph as laid out: its layout and its lines.
    public final class Paragraph {
        public let layout: TextLayout
        public let lines: [(text: String, top: Double, baseline: Double, height: Double, start: Int, length: Int)]
        let rich: RichText
        /// How each line was spaced (see `Justifier`).
        let facts: [Justifier.LineFacts]
        /// How far right of its frame the layout is drawn: a centred paragraph set narrower
        /// than its frame (to avoid a lone last character) stays centred in the frame.
        public internal(set) var shift: Double = 0

        /// The width of the last line (where dot leaders start in a contents entry).
        public var lastLineWidth: Double {
            if let f = facts.last, lines.count == facts.count { return f.width }
            guard !lines.isEmpty, let pl = pango_layout_get_line_readonly(layout.ptr, Int32(lines.count - 1)) else { return 0 }
            var ink = PangoRectangle(), logical = PangoRectangle()
            pango_layout_line_get_extents(pl, &ink, &logical)
            return Double(logical.width) / pangoScale
        }

        /// The width of the widest line.
        public var width: Double {
            var ink = PangoRectangle(), logical = PangoRectangle()
            pango_layout_get_extents(layout.ptr, &ink, &logical)
            return Double(logical.width) / pangoScale
        }
        init(layout: TextLayout, rich: RichText, facts: [Justifier.LineFacts]) {
            self.layout = layout
            self.rich = rich
            self.facts = facts
            lines = layout.lines()
        }
        public var height: Double { lines.last.map { $0.top + $0.height } ?? 0 }

        /// The widest spacing a justified line got, in ems beyond the characters' own.
        var loosest: Double { facts.map(\.extraPerGap).max() ?? 0 }

        /// Whether the last line holds a single character, alone or with its punctuation (孤字).
        var endsWithLoneCharacter: Bool {
            guard lines.count > 1, let last = lines.last else { return false }
            return Typesetter.coreCount(last.text) == 1
        }
    }

    /// Characters of a line that are not punctuation or space.
    static func coreCount(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { n, s in
            let skip = s.properties.isWhitespace || s == "\u{2028}" || RichText.noLineStart.contains(s)
                || RichText.noLineEnd.contains(s) || CJK.isPunctuation(s)
            return skip ? n : n + 1
        }
    }

    /// The widest spacing a justified line may get before it counts as loose, in ems: at
    /// more than 0.15 em between characters a line of Chinese reads as spaced out.
    public static let looseLimit = 0.15
    /// Paragraphs longer than this (in UTF-8 bytes, about 2,700 Chinese characters) are not
    /// laid out again to mend a loose or lone line.
    static let mendLimit = 8_000
    /// From how much spacing a line tries half-width punctuation to take in the next word.
    public static let compressFrom = 0.1
    /// The most a paragraph is tightened to take back a lone last character, in ems per character.
    public static let tightenLimit = 0.04
    /// The most a line is opened up to send a character down to a lone last one, in ems per character.
    public static let openLimit = 0.08

    /// Lays `rich` out at `width`. Applies the Chinese rules (see `RichText` and `Justifier`);
    /// an opening mark that lands at a line start loses its blank half; a last line that would
    /// hold one character alone (孤字) is avoided within the limits above.
    public func layout(_ rich: RichText, width: Double, indent: Double = 0, align: TextAlign = .justify,
                       leading: Double = 1.7) -> Paragraph {
        layout(rich, width: width, indent: indent, align: align, leading: leading, mend: true)
    }

    func layout(_ rich: RichText, width: Double, indent: Double, align: TextAlign, leading: Double, mend: Bool) -> Paragraph {
        var rich = rich
        rich.normaliseSpaces()
        let gaps = rich.boundaryGaps()
        let size = rich.spans.first?.style.font.size ?? 10
        let family = rich.spans.first?.style.font.family ?? "Noto Serif CJK SC"
        let spacing = Float(leading / lineHeightRatio(family))
        func make(starts: Set<Int>, tracking: Double = 0, range: Range<Int> = 0..<Int.max, compress: Set<Int> = [],
                  width: Double = width) -> Paragraph {
            let l = env.newLayout()
            // A hair of tolerance: a line of exactly n full-width characters must fit a frame of
            // n ems, whatever the rounding of the font's advances.
            l.width = width < 0 ? -1 : width + 0.02
            pango_layout_set_wrap(l.ptr, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_indent(l.ptr, Int32(indent * pangoScale))
            pango_layout_set_line_spacing(l.ptr, spacing)
            switch align {
            case .justify, .left: pango_layout_set_alignment(l.ptr, PANGO_ALIGN_LEFT)
            case .center: pango_layout_set_alignment(l.ptr, PANGO_ALIGN_CENTER)
            case .right: pango_layout_set_alignment(l.ptr, PANGO_ALIGN_RIGHT)
            }
            let attrs = rich.attributes(haltAt: starts, gaps: gaps, tracking: tracking, trackingRange: range, compress: compress)
            l.set(text: rich.text, attributes: attrs)
            pango_attr_list_unref(attrs)
            let facts = Justifier.apply(l, gaps: gaps, tracking: tracking, trackingRange: range, compressed: compress,
                                        justify: align == .justify && width > 0, size: size)
            let paragraph = Paragraph(layout: l, rich: rich, facts: facts)
            l.releaseSpentAttributes()
            return paragraph
        }
        var p = make(starts: [])
        // An opening mark at a line start gives up its blank half: on every line of text set
        // flush (a heading, a contents entry, a table cell, a title), and after the first line
        // of an indented paragraph, whose indent already sets its first mark apart (a heading
        // “两学一做”学习教育 looked indented beside 三会一课).
        func lineStarts(_ q: Paragraph) -> Set<Int> {
            Set((indent == 0 ? q.lines[...] : q.lines.dropFirst()).map(\.start))
        }
        var starts = lineStarts(p)
        let chars = rich.scalarRanges()
        func openingAtStart(_ q: Paragraph) -> Set<Int> {
            let s = lineStarts(q)
            return Set(chars.lazy.filter { s.contains($0.start) && RichText.noLineEnd.contains($0.scalar) }.map(\.start))
        }
        if !openingAtStart(p).isEmpty {
            starts = openingAtStart(p)
            p = make(starts: starts)
        }
        // A justified line left loose because the next word could not come up (a mark that may
        // not start a line, a number that may not break): its punctuation is set at half width
        // (标点挤压) so that the word fits, when that makes the line tighter.
        var compressed: Set<Int> = []
        // Mending lays a paragraph out again; a paragraph of a whole chapter's length (an
        // editor's missing blank lines) is set once, as it comes.
        let mendable = mend && rich.text.utf8.count <= Self.mendLimit
        if align == .justify, width > 0, mendable {
            var given: Set<Int> = []   // lines no compression could mend
            for _ in 0..<6 {
                guard let li = p.facts.indices.first(where: { p.facts[$0].extraPerGap > Self.compressFrom && !given.contains($0) }),
                      li + 1 < p.lines.count else { break }
                let next = p.lines[li + 1]
                // The fewest marks that do it, the nearest the break first: those of the loose
                // line and of the few characters that have to come up with the next word.
                let pulled = chars.first(where: { $0.start >= next.start + 12 })?.start ?? (next.start + next.length)
                let marks = rich.compressibleMarks(in: p.lines[li].start..<min(pulled, next.start + next.length))
                    .filter { !compressed.contains($0) }
                    .sorted { abs($0 - next.start) < abs($1 - next.start) }
                var found: Paragraph?
                var tried = compressed
                for m in marks.prefix(6) {
                    tried.insert(m)
                    let q = make(starts: starts, compress: tried)
                    if q.facts.indices.contains(li), q.facts[li].extraPerGap <= Self.compressFrom, q.lines.count <= p.lines.count {
                        found = q
                        break
                    }
                }
                guard let q = found else { given.insert(li); continue }
                p = q
                compressed = tried
            }
        }
        // 孤字: first shorten the paragraph (half-width punctuation, then a little tracking in
        // its last lines) so the lone character moves up; else open up the line before it so
        // that a second character comes down. No candidate may make a line looser than the
        // limit (or than the paragraph already had).
        if (align == .justify || align == .left), width > 0, mendable, p.endsWithLoneCharacter {
            let n = p.lines.count
            let allowed = max(Self.looseLimit, p.loosest)
            let tail = p.lines[max(0, n - 3)].start
            let penultimate = p.lines[n - 2].start
            // A candidate never breaks where the line breaker would not (inside 2026, after “)
            // more often than the paragraph already had to.
            let forced = p.forcedBreaks
            func better(_ q: Paragraph) -> Bool { !q.endsWithLoneCharacter && q.loosest <= allowed + 1e-9 && q.forcedBreaks <= forced }
            var candidates: [() -> Paragraph] = []
            // In order of how little they show: one or two half-width marks near the end; a
            // hair of tracking in the last lines; opening up the line before the last so that
            // a second character comes down; then up to four marks, then more tracking.
            let tailMarks = rich.compressibleMarks(in: tail..<Int.max).filter { !compressed.contains($0) }.sorted(by: >)
            func marks(_ k: Int) -> Set<Int> { compressed.union(tailMarks.prefix(k)) }
            for k in 1...2 where k <= tailMarks.count {
                candidates.append { make(starts: starts, compress: marks(k)) }
            }
            let lastStart = p.lines[n - 1].start
            candidates.append { make(starts: starts, tracking: -size * Self.tightenLimit / 4, range: tail..<Int.max, compress: compressed) }
            for step in 1...4 {
                let t = size * Self.openLimit * Double(step) / 4
                candidates.append { make(starts: starts, tracking: t, range: penultimate..<lastStart, compress: compressed) }
            }
            for k in 3...4 where k <= tailMarks.count {
                candidates.append { make(starts: starts, compress: marks(k)) }
            }
            for step in 2...4 {
                let t = -size * Self.tightenLimit * Double(step) / 4
                candidates.append { make(starts: starts, tracking: t, range: tail..<Int.max, compress: marks(4)) }
            }
            // Flush-left text (a heading, a table cell) may simply break a character earlier.
            if align == .left {
                for step in 1...2 {
                    let narrower = width - size * Double(step)
                    if narrower > size * 2 { candidates.append { make(starts: starts, compress: compressed, width: narrower) } }
                }
            }
            for candidate in candidates {
                let q = candidate()
                if better(q) { p = q; break }
            }
            // Flush-left text in a narrow column (a table cell: 生活不积 / 极), where no spacing
            // within the limits moves a character: the line before the last breaks earlier, at
            // the last place the line breaker allows (never inside a number, never after an
            // opening mark), so that more than one character stands on the last line. A ragged
            // line may be short. Not after a line broken by hand: that line is the editor's.
            if align == .left, p.endsWithLoneCharacter, p.lines.count == n, !p.startsAfterHardBreak()[n - 1] {
                let before = p.lines[n - 2], lastStart = p.lines[n - 1].start
                if let at = p.lastBreak(after: before.start, before: lastStart),
                   Typesetter.coreCount(String(decoding: Array(p.rich.text.utf8)[before.start..<at], as: UTF8.self)) >= 2 {
                    var broken = p.rich
                    broken.insertLineBreak(at: at)
                    let q = layout(broken, width: width, indent: indent, align: align, leading: leading, mend: false)
                    if q.lines.count == n, !q.endsWithLoneCharacter, q.forcedBreaks <= forced { p = q }
                }
            }
        }
        // A centred caption or title: the lines are balanced instead, by setting it up to
        // three ems narrower, so that the last line holds more than one character.
        if align == .center, width > 0, p.endsWithLoneCharacter {
            for step in 1...3 {
                let narrower = width - size * Double(step)
                guard narrower > size * 2 else { break }
                let q = make(starts: starts, compress: compressed, width: narrower)
                if q.lines.count == p.lines.count, !q.endsWithLoneCharacter {
                    q.shift = (width - narrower) / 2
                    p = q
                    break
                }
            }
        }
        return p
    }

    /// Flow items for a paragraph, one per line, with keep rules for the page breaker.
    public func lineItems(_ p: Paragraph, x: Double = 0, spaceBefore: Double = 0, keepWithNext: Bool = false,
                          background: Colour? = nil, links: Bool = true) -> [FlowItem] {
        let n = p.lines.count
        var items: [FlowItem] = []
        let linkSpans = p.rich.spans.filter { $0.style.link != nil }
        for (i, line) in p.lines.enumerated() {
            let offset = line.baseline - line.top
            let layout = p.layout
            let lineX = p.shift + layout.lineX(i)
            var item = FlowItem(height: line.height) { cr, fx, fy, mode in
                if let background {
                    background.set(cr)
                    cairo_rectangle(cr, fx, fy, layout.width, line.height)
                    cairo_fill(cr)
                }
                layout.drawLine(i, cr: cr, x: fx + x + lineX, y: fy + offset)
                guard mode.links, links else { return }
                for span in linkSpans where span.start < line.start + line.length && span.end > line.start {
                    guard let pl = pango_layout_get_line_readonly(layout.ptr, Int32(i)) else { continue }
                    var x0: Int32 = 0, x1: Int32 = 0
                    pango_layout_line_index_to_x(pl, Int32(max(span.start, line.start)), 0, &x0)
                    pango_layout_line_index_to_x(pl, Int32(min(span.end, line.start + line.length)), 0, &x1)
                    let rx = fx + x + lineX + Double(min(x0, x1)) / pangoScale
                    let rw = abs(Double(x1 - x0)) / pangoScale
                    guard rw > 0, let target = span.style.link else { continue }
                    if target.hasPrefix("page="), let page = Int(target.dropFirst(5)) {
                        Canvas(cr).link(page: page, x: rx, y: fy, width: rw, height: line.height)
                    } else {
                        Canvas(cr).link(uri: target, x: rx, y: fy, width: rw, height: line.height)
                    }
                }
            }
            item.record = LineRecord(text: line.text, page: 0, paragraphLines: n, indexInParagraph: i)
            item.baseline = offset
            if i == 0 {
                item.spaceBefore = spaceBefore
                item.keepWithNext = keepWithNext || n > 1
            }
            if i == n - 1 && n > 2 { item.cannotStartPage = true }
            if keepWithNext && i < min(n, 2) - 1 { item.keepWithNext = true }
            items.append(item)
        }
        if keepWithNext, var last = items.popLast() {
            last.keepWithNext = true
            items.append(last)
        }
        return items
    }

    /// A single line of text at its natural width (labels, page numbers, markers).
    public func label(_ rich: RichText, width: Double = -1, align: TextAlign = .left) -> Paragraph {
        layout(rich, width: width, align: align, leading: 1.0)
    }
}

extension Typesetter.Paragraph {
    /// Draws the whole paragraph with its top-left corner at (x, y).
    public func draw(_ cr: OpaquePointer, x: Double, y: Double) {
        for (i, line) in lines.enumerated() {
            layout.drawLine(i, cr: cr, x: x + shift + layout.lineX(i), y: y + line.baseline)
        }
    }

    /// The width of the widest line as set (after Beacon's spacing).
    public var naturalWidth: Double {
        facts.count == lines.count && !facts.isEmpty ? facts.map(\.width).max()! : layout.logicalSize.width
    }

    /// Each character as set: its byte offset in the text, its line, and its left edge in
    /// points from the paragraph's left (what a reader sees, after Beacon's spacing).
    public func characterPositions() -> [(offset: Int, scalar: Unicode.Scalar, line: Int, x: Double)] {
        var out: [(Int, Unicode.Scalar, Int, Double)] = []
        let lineStarts = lines.map(\.start)
        var li = 0
        for c in rich.scalarRanges() {
            while li + 1 < lineStarts.count && c.start >= lineStarts[li + 1] { li += 1 }
            var rect = PangoRectangle()
            pango_layout_index_to_pos(layout.ptr, Int32(c.start), &rect)
            out.append((c.start, c.scalar, li, shift + Double(rect.x) / pangoScale))
        }
        return out
    }

    /// Pango's break opportunities, one per scalar of the text: `breakBefore[i]` is whether a
    /// line may begin at scalar `i`. With each scalar's byte range.
    private func breakOpportunities() -> (chars: [(scalar: Unicode.Scalar, start: Int, end: Int)], breakBefore: [Bool]) {
        let chars = rich.scalarRanges()
        var n: Int32 = 0
        guard let attrs = pango_layout_get_log_attrs_readonly(layout.ptr, &n) else {
            return (chars, [Bool](repeating: false, count: chars.count))
        }
        return (chars, chars.indices.map { $0 < Int(n) && attrs[$0].is_line_break != 0 })
    }

    /// Whether the text breaks by hand just before byte `offset`: a newline, or with
    /// `separator` also a U+2028 (a Markdown hard break, or one mending put there).
    private func hardBreak(before offset: Int, separator: Bool, _ bytes: [UInt8]) -> Bool {
        if offset >= 1 && bytes[offset - 1] == 0x0A { return true }
        return separator && offset >= 3 && bytes[offset - 3] == 0xE2 && bytes[offset - 2] == 0x80 && bytes[offset - 1] == 0xA8
    }

    /// The widest run the line breaker will not break, in points: a number such as
    /// 2800×0.5%=14, a Latin word, a character held by its marks (「（元）」). A table column
    /// narrower than this breaks it anywhere, inside the number. Meant for a label (one line).
    public var widestUnbreakable: Double {
        let (chars, breakBefore) = breakOpportunities()
        guard !chars.isEmpty else { return 0 }
        var xs = chars.map { c -> Double in
            var r = PangoRectangle()
            pango_layout_index_to_pos(layout.ptr, Int32(c.start), &r)
            return Double(r.x) / pangoScale
        }
        xs.append(naturalWidth)
        var widest = 0.0, start = 0
        for i in 1...chars.count where i == chars.count || breakBefore[i] {
            // A run ends at a space too: a space at a line's end takes no room.
            var end = i
            while end > start + 1 && (chars[end - 1].scalar == " " || chars[end - 1].scalar == "\u{3000}") { end -= 1 }
            widest = max(widest, xs[end] - xs[start])
            start = i
        }
        return widest
    }

    /// How many lines begin where the line breaker would not have broken (inside a number or
    /// word too wide for the line, after an opening mark), the text's own line breaks aside.
    var forcedBreaks: Int {
        guard lines.count > 1 else { return 0 }
        let (chars, breakBefore) = breakOpportunities()
        let bytes = Array(rich.text.utf8)
        var forced = 0, i = 0
        for line in lines.dropFirst() where !hardBreak(before: line.start, separator: true, bytes) {
            while i < chars.count && chars[i].start < line.start { i += 1 }
            if i < chars.count && chars[i].start == line.start && !breakBefore[i] { forced += 1 }
        }
        return forced
    }

    /// The byte offset of the last place the line breaker may break that lies after `start`
    /// and before `end` (byte offsets of the text), or nil.
    func lastBreak(after start: Int, before end: Int) -> Int? {
        let (chars, breakBefore) = breakOpportunities()
        return chars.indices.last { chars[$0].start > start && chars[$0].start < end && breakBefore[$0] }.map { chars[$0].start }
    }

    /// For each line, whether it begins after a line broken by hand: a newline, or with
    /// `separator` also a U+2028. The first line: false.
    public func startsAfterHardBreak(separator: Bool = true) -> [Bool] {
        let bytes = Array(rich.text.utf8)
        return lines.map { hardBreak(before: $0.start, separator: separator, bytes) }
    }

    /// Each line's width as set, in points (for a justified line, the frame's width).
    public var lineWidths: [Double] { facts.map(\.width) }

    /// The widest spacing any justified line got, in ems beyond the characters' own advance.
    public var loosestLine: Double { loosest }

    /// Each line's spacing beyond the characters' own advance, in ems (0 when not justified).
    public var lineLooseness: [Double] { facts.map(\.extraPerGap) }

    /// The first line's baseline below the paragraph's top.
    public var firstBaseline: Double { lines.first?.baseline ?? 0 }
}
