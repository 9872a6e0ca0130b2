import Foundation
import CPrint
import BeaconText

/// Spaces a paragraph's broken lines the way Chinese typesetting wants them, after Pango has
/// shaped the text and chosen the line breaks.
///
/// Pango breaks the lines counting the letter spacing `RichText.attributes` gave each
/// character (the ¼ em Han–Latin gaps, any tracking), but it places half of a character's
/// letter spacing before it and half after, so a gap meant for the boundary between "2026"
/// and "年" would fall half inside the number. Pango's own justification also spreads the
/// slack of a line between every pair of characters, inside Latin words and numbers too.
///
/// So Pango lays the text out flush left, and this pass then, line by line:
/// 1. takes back what Pango's letter spacing added to each glyph (Pango 1.50: half the
///    item's letter spacing on each side of every character, none at the line's two ends);
/// 2. gives each character its spacing after it: the tracking, and the ¼ em gap when a
///    Chinese/Latin boundary follows it inside the line (at a line's start or end the gap is
///    dropped);
/// 3. for a line that was broken (not a paragraph's last line, not before a hard break),
///    spreads what is left of the frame width over the gaps where Chinese text may widen:
///    between two Chinese characters, between Chinese and Latin, after a word space; never
///    inside a Latin word or number, never before a closing mark or after an opening one.
///    A line that overflows (by rounding, at most a fraction of a point) is tightened over
///    all its gaps. A broken line with no such gap (one long Latin word) stays flush left.
enum Justifier {
    /// Spacing (in ems between characters) from which a line is left flush left instead.
    static let raggedFrom = 0.4

    /// What a line looks like after spacing.
    struct LineFacts: Sendable {
        /// Space added to each widening gap, in ems of the paragraph's size (0 when not justified).
        var extraPerGap: Double
        /// Width of the line's content, in points.
        var width: Double
    }

    static func apply(_ layout: TextLayout, gaps: [Int: RichText.Gap], tracking: Double, trackingRange: Range<Int>,
                      compressed: Set<Int> = [], justify: Bool, size: Double) -> [LineFacts] {
        let ptr = layout.ptr
        let utf8 = layout.utf8
        let frame = pango_layout_get_width(ptr)
        let indent = pango_layout_get_indent(ptr)
        let trackingPU = Int32((tracking * pangoScale).rounded())
        var lines: [UnsafeMutablePointer<PangoLayoutLine>] = []
        var node = pango_layout_get_lines_readonly(ptr)
        while let n = node {
            if let d = n.pointee.data { lines.append(d.assumingMemoryBound(to: PangoLayoutLine.self)) }
            node = n.pointee.next
        }
        var facts: [LineFacts] = []
        facts.reserveCapacity(lines.count)

        struct Cluster {
            var glyphs: UnsafeMutablePointer<PangoGlyphInfo>
            var first: Int, last: Int
            var offset: Int
            var left: Int32, right: Int32
            /// Pango took this cluster's left (right) letter spacing back: it holds the first
            /// (last) glyph of width of a run that starts (ends) the line or starts (ends) with
            /// a space Pango zeroed at the line's end.
            var strippedLeft = false, strippedRight = false
        }

        for (li, line) in lines.enumerated() {
            var clusters: [Cluster] = []
            var run = line.pointee.runs
            var runIndex = 0
            var runCount = 0
            do { var r = line.pointee.runs; while let x = r { runCount += 1; r = x.pointee.next } }
            while let r = run {
                defer { run = r.pointee.next; runIndex += 1 }
                guard let data = r.pointee.data else { continue }
                let gi = data.assumingMemoryBound(to: PangoGlyphItem.self)
                guard let item = gi.pointee.item, let gs = gi.pointee.glyphs, let infos = gs.pointee.glyphs,
                      let logs = gs.pointee.log_clusters else { continue }
                let ls = letterSpacing(of: item)
                let (left, right) = distribute(ls)
                let n = Int(gs.pointee.num_glyphs)
                let base = Int(item.pointee.offset)
                guard n > 0 else { continue }
                // Pango 1.50's adjust_line_letter_spacing: which glyphs lost their padding.
                let firstWide = (0..<n).first { infos[$0].geometry.width != 0 }
                let lastWide = (0..<n).last { infos[$0].geometry.width != 0 }
                let stripLeft = runIndex == 0 || infos[0].geometry.width == 0
                let stripRight = runIndex == runCount - 1 || infos[n - 1].geometry.width == 0
                var i = 0
                while i < n {
                    var j = i
                    while j + 1 < n && logs[j + 1] == logs[i] { j += 1 }
                    var c = Cluster(glyphs: infos, first: i, last: j, offset: base + Int(logs[i]), left: left, right: right)
                    if stripLeft, let f = firstWide, (i...j).contains(f) { c.strippedLeft = true }
                    if stripRight, let l = lastWide, (i...j).contains(l) { c.strippedRight = true }
                    clusters.append(c)
                    i = j + 1
                }
            }
            // The visible clusters; Pango zeroes a space it broke the line at.
            let visible = clusters.indices.filter { k in
                (clusters[k].first...clusters[k].last).contains { clusters[k].glyphs[$0].geometry.width != 0 }
            }
            guard !visible.isEmpty, let lastVisible = visible.last else {
                facts.append(LineFacts(extraPerGap: 0, width: 0)); continue
            }
            // 1. Take back Pango's letter spacing; 2. give each character its own.
            var total: Int64 = 0
            var gapAfter: [Int32] = []
            var openings: [Int] = []   // indexes into `visible` after which the line may widen
            for (vi, k) in visible.enumerated() {
                let c = clusters[k]
                let addedLeft = c.strippedLeft ? 0 : c.left
                let addedRight = c.strippedRight ? 0 : c.right
                let g0 = c.first, g1 = c.last
                if addedLeft != 0 {
                    c.glyphs[g0].geometry.width -= addedLeft
                    c.glyphs[g0].geometry.x_offset -= addedLeft
                }
                if addedRight != 0 { c.glyphs[g1].geometry.width -= addedRight }
                var after: Int32 = 0
                if k != lastVisible {
                    let next = clusters[visible[vi + 1]]
                    let a = scalar(utf8, c.offset), b = scalar(utf8, next.offset)
                    after = trackingRange.contains(c.offset) && widens(a, b) ? trackingPU : 0
                    let gap = (gaps[c.offset]?.after ?? 0) + (gaps[next.offset]?.before ?? 0)
                    if gap != 0 { after += Int32((gap * pangoScale).rounded()) }
                    c.glyphs[g1].geometry.width += after
                    // A mark set at half width to save room does not get the room back.
                    if !compressed.contains(c.offset), widens(a, b) { openings.append(vi) }
                }
                gapAfter.append(after)
                for g in g0...g1 { total += Int64(c.glyphs[g].geometry.width) }
            }
            // 3. Justify a broken line.
            let isLast = li == lines.count - 1 || lines[li + 1].pointee.is_paragraph_start != 0
            let endsHard = endsWithLineSeparator(utf8, start: Int(line.pointee.start_index), length: Int(line.pointee.length))
            var fact = LineFacts(extraPerGap: 0, width: Double(total) / pangoScale)
            if frame > 0 {
                var available = Int64(frame)
                if indent > 0 && line.pointee.is_paragraph_start != 0 { available -= Int64(indent) }
                if indent < 0 && line.pointee.is_paragraph_start == 0 { available += Int64(indent) }
                let slack = available - total
                let wantsJustify = justify && !isLast && !endsHard
                // Where the line may widen. An overflow (a gap Pango counted only in half at a
                // line's start or end, a point at most) is taken from the same gaps, or from
                // every gap when the line has none of those.
                let spots: [Int] = slack < 0 ? (openings.isEmpty ? Array(0..<(visible.count - 1)) : openings)
                    : (wantsJustify ? openings : [])
                // A line that would stand more than 0.4 em apart (before a word or an
                // address that cannot break) stays flush left: a ragged line reads better than
                // a line of scattered characters.
                let tooLoose = slack > 0 && !spots.isEmpty && Double(slack) / Double(spots.count) / pangoScale > size * Self.raggedFrom
                if !spots.isEmpty && (slack < 0 || wantsJustify) && !tooLoose {
                    let share = slack / Int64(spots.count)
                    var rest = slack - share * Int64(spots.count)
                    for vi in spots {
                        var add = share
                        if rest != 0 { add += rest > 0 ? 1 : -1; rest += rest > 0 ? -1 : 1 }
                        let c = clusters[visible[vi]]
                        c.glyphs[c.last].geometry.width += Int32(add)
                    }
                    fact.width = Double(total + slack) / pangoScale
                    if slack > 0 {
                        let tracked = trackingRange.contains(Int(line.pointee.start_index)) ? tracking : 0
                        fact.extraPerGap = (Double(slack) / Double(spots.count) / pangoScale + tracked) / size
                    }
                }
            }
            facts.append(fact)
        }
        return facts
    }

    /// The letter spacing Pango applied to an item (its extra attributes), in Pango units.
    static func letterSpacing(of item: UnsafeMutablePointer<PangoItem>) -> Int32 {
        var node = item.pointee.analysis.extra_attrs
        var value: Int32 = 0
        while let n = node {
            if let d = n.pointee.data {
                let attr = d.assumingMemoryBound(to: PangoAttribute.self)
                if attr.pointee.klass.pointee.type == PANGO_ATTR_LETTER_SPACING {
                    value = d.assumingMemoryBound(to: PangoAttrInt.self).pointee.value
                }
            }
            node = n.pointee.next
        }
        return value
    }

    /// Pango's split of letter spacing into the part before a character and the part after.
    static func distribute(_ ls: Int32) -> (Int32, Int32) {
        var left = ls / 2
        let scale = Int32(PANGO_SCALE)
        if ls & (scale - 1) == 0 { left = (left + (scale >> 1)) & ~(scale - 1) }
        return (left, ls - left)
    }

    static func scalar(_ utf8: [UInt8], _ offset: Int) -> Unicode.Scalar {
        guard offset >= 0, offset < utf8.count else { return " " }
        var it = utf8[offset...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let s) = decoder.decode(&it) { return s }
        return " "
    }

    static func endsWithLineSeparator(_ utf8: [UInt8], start: Int, length: Int) -> Bool {
        let end = start + length
        guard end >= 3, end <= utf8.count else { return false }
        return utf8[end - 3] == 0xE2 && utf8[end - 2] == 0x80 && utf8[end - 1] == 0xA8
    }

    /// Whether a justified line may widen between `a` and `b`.
    static func widens(_ a: Unicode.Scalar, _ b: Unicode.Scalar) -> Bool {
        if RichText.noLineStart.contains(b) || RichText.noLineEnd.contains(a) { return false }
        if a == " " || a == "\u{3000}" { return true }
        if b == " " || b == "\u{3000}" || b == "\u{2028}" { return false }
        return CJK.isWide(a) || CJK.isWide(b)
    }
}
