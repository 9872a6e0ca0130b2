import Foundation
import CPrint
import BeaconText

let pangoScale = Double(PANGO_SCALE)

/// One Pango context for layout in points: 72 dpi, no hinting of metrics, so that what is
/// measured is what a PDF at any zoom shows. Not shared between threads.
public final class PangoEnv {
    let fontMap: UnsafeMutablePointer<PangoFontMap>
    let context: OpaquePointer

    public init() {
        fontMap = pango_cairo_font_map_new()
        context = pango_font_map_create_context(fontMap)
        pango_cairo_context_set_resolution(context, 72)
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        pango_cairo_context_set_font_options(context, options)
        cairo_font_options_destroy(options)
        pango_context_set_language(context, pango_language_from_string("zh-cn"))
        // Pango rounds glyph positions to whole device units by default; in points that
        // makes a 9.5 pt character 10 pt wide.
        pango_context_set_round_glyph_positions(context, 0)
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(context))
        g_object_unref(UnsafeMutableRawPointer(fontMap))
    }

    func newLayout() -> TextLayout {
        TextLayout(pango_layout_new(context))
    }
}

/// A font: family, size in points, weight, style.
public struct FontSpec: Hashable, Sendable {
    public var family: String
    public var size: Double
    public var bold: Bool = false

    public init(family: String, size: Double, bold: Bool = false) {
        self.family = family
        self.size = size
        self.bold = bold
    }

    func description() -> OpaquePointer {
        let d = pango_font_description_new()!
        pango_font_description_set_family(d, family)
        pango_font_description_set_absolute_size(d, size * pangoScale)
        pango_font_description_set_weight(d, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL)
        return d
    }
}

/// An RGB colour, 0…1.
public struct Colour: Hashable, Sendable {
    public var r: Double, g: Double, b: Double
    public init(r: Double, g: Double, b: Double) { self.r = r; self.g = g; self.b = b }

    /// `#a81c1c` (parsed by BeaconText's `Palette.RGB`, the one colour parser).
    public init?(hex: String) {
        guard let c = Palette.RGB(hex: hex) else { return nil }
        r = c.r; g = c.g; b = c.b
    }

    public static let black = Colour(r: 0, g: 0, b: 0)
    public static let white = Colour(r: 1, g: 1, b: 1)

    public func set(_ cr: OpaquePointer) { cairo_set_source_rgb(cr, r, g, b) }
}

/// A laid-out block of text. Owns its PangoLayout.
public final class TextLayout {
    let layout: OpaquePointer
    /// The text as laid out (Pango indexes are UTF-8 byte offsets into it).
    private(set) var text: String = ""
    private(set) var utf8: [UInt8] = []

    init(_ layout: OpaquePointer) { self.layout = layout }
    deinit { g_object_unref(UnsafeMutableRawPointer(layout)) }

    public var ptr: OpaquePointer { layout }

    func set(text: String, attributes: OpaquePointer?) {
        self.text = text
        self.utf8 = Array(text.utf8)
        pango_layout_set_text(ptr, text, Int32(utf8.count))
        pango_layout_set_attributes(ptr, attributes)
    }

    /// Frees what Pango copied into every line for line breaking only. Pango 1.50 hands each
    /// item a copy of every break and shaping attribute it overlaps, and copies the lot again
    /// at every line break: a 20,000-character paragraph with a break rule at each comma held
    /// 70 MB until its book was written (measured; a book of ten such paragraphs needed
    /// 900 MB). Once the lines are set, "no break here" and the shaping features are spent:
    /// drawing and measuring read only colours, decorations, rise and letter spacing, which
    /// stay. Call after the lines have been read (and justified).
    func releaseSpentAttributes() {
        var node = pango_layout_get_lines_readonly(ptr)
        while let n = node {
            defer { node = n.pointee.next }
            guard let line = n.pointee.data?.assumingMemoryBound(to: PangoLayoutLine.self) else { continue }
            var run = line.pointee.runs
            while let r = run {
                defer { run = r.pointee.next }
                guard let item = r.pointee.data?.assumingMemoryBound(to: PangoGlyphItem.self).pointee.item else { continue }
                var kept: UnsafeMutablePointer<GSList>? = nil
                var a = item.pointee.analysis.extra_attrs
                while let an = a {
                    if let attr = an.pointee.data?.assumingMemoryBound(to: PangoAttribute.self) {
                        let type = attr.pointee.klass.pointee.type
                        if type == PANGO_ATTR_ALLOW_BREAKS || type == PANGO_ATTR_FONT_FEATURES {
                            pango_attribute_destroy(attr)
                        } else {
                            kept = g_slist_prepend(kept, attr)
                        }
                    }
                    a = an.pointee.next
                }
                g_slist_free(item.pointee.analysis.extra_attrs)
                item.pointee.analysis.extra_attrs = g_slist_reverse(kept)
            }
        }
    }

    /// Width in points.
    public var width: Double {
        get { Double(pango_layout_get_width(ptr)) / pangoScale }
        set { pango_layout_set_width(ptr, newValue < 0 ? -1 : Int32(newValue * pangoScale)) }
    }

    /// Each line: its text, its top and baseline relative to the layout, and its height.
    func lines() -> [(text: String, top: Double, baseline: Double, height: Double, start: Int, length: Int)] {
        var out: [(String, Double, Double, Double, Int, Int)] = []
        guard let iter = pango_layout_get_iter(ptr) else { return [] }
        defer { pango_layout_iter_free(iter) }
        repeat {
            let line = pango_layout_iter_get_line_readonly(iter)!
            var logical = PangoRectangle()
            pango_layout_iter_get_line_extents(iter, nil, &logical)
            let baseline = Double(pango_layout_iter_get_baseline(iter)) / pangoScale
            let start = Int(line.pointee.start_index), length = Int(line.pointee.length)
            let s = max(0, min(start, utf8.count)), e = max(s, min(start + length, utf8.count))
            out.append((String(decoding: utf8[s..<e], as: UTF8.self), Double(logical.y) / pangoScale, baseline,
                        Double(logical.height) / pangoScale, start, length))
        } while pango_layout_iter_next_line(iter) != 0
        return out
    }

    /// Natural size (no wrapping width) in points.
    public var logicalSize: (width: Double, height: Double) {
        var ink = PangoRectangle(), logical = PangoRectangle()
        pango_layout_get_extents(ptr, &ink, &logical)
        return (Double(logical.width) / pangoScale, Double(logical.height) / pangoScale)
    }

    /// Draws line `index` with its baseline at (x, y).
    func drawLine(_ index: Int, cr: OpaquePointer, x: Double, y: Double) {
        guard let line = pango_layout_get_line_readonly(ptr, Int32(index)) else { return }
        cairo_move_to(cr, x, y)
        pango_cairo_show_layout_line(cr, line)
    }

    /// The x offset of line `index` inside the layout (alignment, indent).
    func lineX(_ index: Int) -> Double {
        guard let iter = pango_layout_get_iter(ptr) else { return 0 }
        defer { pango_layout_iter_free(iter) }
        for _ in 0..<index { pango_layout_iter_next_line(iter) }
        var logical = PangoRectangle()
        pango_layout_iter_get_line_extents(iter, nil, &logical)
        return Double(logical.x) / pangoScale
    }
}
