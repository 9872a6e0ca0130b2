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
        /// How far right of its frame the layout is drawn: a centred paragraph set narrower
        /// than its frame (to avoid a lone last character) stays centred in the frame.
        public internal(set) var shift: Double = 0

        /// The width of the last line (where dot leaders start in a contents entry).
        public var lastLineWidth: Double {
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
        init(layout: TextLayout, rich: RichText) {
            self.layout = layout
            self.rich = rich
            lines = layout.lines()
        }
        public var height: Double { lines.last.map { $0.top + $0.height } ?? 0 }
    }

    /// Lays `rich` out at `width`. Applies the Chinese rules; an opening mark that lands at a
    /// line start loses its blank half; a last line of one character is avoided by tightening
    /// the paragraph a little where that is enough.
    public func layout(_ rich: RichText, width: Double, indent: Double = 0, align: TextAlign = .justify,
                       leading: Double = 1.7) -> Paragraph {
        var rich = rich
        rich.normaliseSpaces()
        func make(_ attrs: OpaquePointer, tighten: Double, width: Double = width) -> Paragraph {
            let l = env.newLayout()
            // A hair of tolerance: a line of exactly n full-width characters must fit a frame of
            // n ems, whatever the rounding of the font's advances.
            l.width = width < 0 ? -1 : width + 0.02
            pango_layout_set_wrap(l.ptr, PANGO_WRAP_WORD_CHAR)
            pango_layout_set_indent(l.ptr, Int32(indent * pangoScale))
            let family = rich.spans.first?.style.font.family ?? "Noto Serif CJK SC"
            pango_layout_set_line_spacing(l.ptr, Float(leading / lineHeightRatio(family)))
            switch align {
            case .justify: pango_layout_set_justify(l.ptr, 1); pango_layout_set_alignment(l.ptr, PANGO_ALIGN_LEFT)
            case .left: pango_layout_set_alignment(l.ptr, PANGO_ALIGN_LEFT)
            case .center: pango_layout_set_alignment(l.ptr, PANGO_ALIGN_CENTER)
            case .right: pango_layout_set_alignment(l.ptr, PANGO_ALIGN_RIGHT)
            }
            if tighten != 0 {
                let a = pango_attr_letter_spacing_new(Int32(tighten * pangoScale))!
                a.pointee.start_index = 0
                a.pointee.end_index = guint(rich.text.utf8.count)
                pango_attr_list_insert_before(attrs, a)
            }
            l.set(text: rich.text, attributes: attrs)
            pango_attr_list_unref(attrs)
            return Paragraph(layout: l, rich: rich)
        }
        var p = make(rich.attributes(), tighten: 0)
        // An opening mark at a line start gives up its blank half.
        let starts = Set(p.lines.dropFirst().map(\.start))
        let chars = rich.scalarRanges()
        if chars.contains(where: { starts.contains($0.start) && RichText.noLineEnd.contains($0.scalar) }) {
            p = make(rich.attributes(haltAt: starts), tighten: 0)
        }
        // 孤字: a last line holding a single character.
        if align == .justify, p.lines.count > 1, let last = p.lines.last,
           last.text.trimmingCharacters(in: .whitespaces).count == 1 {
            let size = rich.spans.first?.style.font.size ?? 10
            for step in 1...4 {
                let q = make(rich.attributes(haltAt: starts), tighten: -size * 0.01 * Double(step))
                if q.lines.count < p.lines.count || (q.lines.last?.text.count ?? 0) > 1 { p = q; break }
            }
        }
        // A centred caption or title: the lines are balanced instead, by setting it up to
        // three ems narrower, so that the last line holds more than one character.
        if align == .center, width > 0, p.lines.count > 1, let last = p.lines.last,
           last.text.trimmingCharacters(in: .whitespaces).count == 1 {
            let size = rich.spans.first?.style.font.size ?? 10
            for step in 1...3 {
                let narrower = width - size * Double(step)
                guard narrower > size * 2 else { break }
                let q = make(rich.attributes(haltAt: starts), tighten: 0, width: narrower)
                if q.lines.count == p.lines.count, (q.lines.last?.text.trimmingCharacters(in: .whitespaces).count ?? 0) > 1 {
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

    public var naturalWidth: Double { layout.logicalSize.width }
}
