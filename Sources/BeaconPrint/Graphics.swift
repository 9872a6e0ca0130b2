import Foundation
import CPrint
import BeaconOutput
import BeaconModel

/// A picture for print: PNG and JPEG as pixels (JPEG also keeps its own bytes, which Cairo
/// writes into the PDF unchanged), SVG as vectors through librsvg.
public final class PrintImage {
    public enum Kind { case bitmap, jpeg, svg }
    public let kind: Kind
    /// Intrinsic size in pixels (bitmaps) or CSS pixels (SVG).
    public let pixelWidth: Double
    public let pixelHeight: Double
    private var surface: OpaquePointer?
    private var svg: OpaquePointer?
    private var jpegData: UnsafeMutableRawPointer?

    deinit {
        if let surface { cairo_surface_destroy(surface) }
        if let svg { g_object_unref(UnsafeMutableRawPointer(svg)) }
    }

    private init(kind: Kind, width: Double, height: Double) {
        self.kind = kind
        pixelWidth = width
        pixelHeight = height
    }

    /// The most pixels a picture may have (100 megapixels: a 12,000 × 8,000 photo): decoded, a
    /// larger one would take gigabytes of memory for nothing print can show.
    public static let maxPixels = 100_000_000

    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(String)
        case unsupported(String)
        case truncated
        case tooLarge(Int, Int)
        public var description: String {
            switch self {
            case .truncated: return "图片文件不完整（结尾缺失，可能没有下载或复制完），请重新导出或复制 (the picture file is cut short)"
            case .tooLarge(let w, let h): return "图片有 \(w)×\(h) 像素，超过 1 亿像素的上限；请缩小后再用 (picture of \(w)×\(h) pixels is over the 100-megapixel limit)"
            case .unreadable(let s): return "图片无法读取 (unreadable image): \(s)"
            case .unsupported(let s): return "不支持的图片格式 \(s)，请用 JPG、PNG 或 SVG (unsupported image format)"
            }
        }
    }

    public static func load(_ path: String) throws -> PrintImage {
        guard let data = FileManager.default.contents(atPath: path) else { throw LoadError.unreadable(path) }
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "svg":
            var error: UnsafeMutablePointer<GError>?
            let handle: OpaquePointer? = data.withUnsafeBytes { buf in
                rsvg_handle_new_from_data(buf.baseAddress!.assumingMemoryBound(to: guint8.self), gsize(buf.count), &error)
            }
            guard let handle else {
                let msg = error.map { String(cString: $0.pointee.message) } ?? path
                if let error { g_error_free(error) }
                throw LoadError.unreadable(msg)
            }
            var w = 0.0, h = 0.0
            if rsvg_handle_get_intrinsic_size_in_pixels(handle, &w, &h) == 0 || w <= 0 || h <= 0 { w = 300; h = 150 }
            let img = PrintImage(kind: .svg, width: w, height: h)
            img.svg = handle
            return img
        case "png", "jpg", "jpeg":
            // The header first: no picture is decoded that is too big or cut short.
            try checkWhole(head: [UInt8](data.prefix(16)), tail: [UInt8](data.suffix(64)))
            if let size = ImageSize.read(path), size.width * size.height > maxPixels { throw LoadError.tooLarge(size.width, size.height) }
            guard let loader = gdk_pixbuf_loader_new() else { throw LoadError.unreadable(path) }
            defer { g_object_unref(UnsafeMutableRawPointer(loader)) }
            var error: UnsafeMutablePointer<GError>?
            let ok = data.withUnsafeBytes { buf in
                gdk_pixbuf_loader_write(loader, buf.baseAddress!.assumingMemoryBound(to: guchar.self), gsize(buf.count), &error)
            }
            var closeError: UnsafeMutablePointer<GError>?
            let closed = gdk_pixbuf_loader_close(loader, &closeError)
            if let closeError { g_error_free(closeError) }
            guard ok != 0, closed != 0, let pixbuf = gdk_pixbuf_loader_get_pixbuf(loader) else {
                let msg = error.map { String(cString: $0.pointee.message) } ?? path
                if let error { g_error_free(error) }
                throw LoadError.unreadable(msg)
            }
            let w = Int(gdk_pixbuf_get_width(pixbuf)), h = Int(gdk_pixbuf_get_height(pixbuf))
            let stride = Int(gdk_pixbuf_get_rowstride(pixbuf)), channels = Int(gdk_pixbuf_get_n_channels(pixbuf))
            let alpha = gdk_pixbuf_get_has_alpha(pixbuf) != 0
            let src = gdk_pixbuf_read_pixels(pixbuf)!
            let surface = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, Int32(w), Int32(h))!
            cairo_surface_flush(surface)
            let dst = cairo_image_surface_get_data(surface)!
            let dstStride = Int(cairo_image_surface_get_stride(surface))
            for y in 0..<h {
                let srow = src + y * stride
                let drow = (dst + y * dstStride).withMemoryRebound(to: UInt32.self, capacity: w) { $0 }
                for x in 0..<w {
                    let p = srow + x * channels
                    var r = UInt32(p[0]), g = UInt32(p[1]), b = UInt32(p[2])
                    let a = alpha ? UInt32(p[3]) : 255
                    if alpha && a < 255 { r = r * a / 255; g = g * a / 255; b = b * a / 255 }
                    drow[x] = (a << 24) | (r << 16) | (g << 8) | b
                }
            }
            cairo_surface_mark_dirty(surface)
            let isJPEG = ext != "png"
            let img = PrintImage(kind: isJPEG ? .jpeg : .bitmap, width: Double(w), height: Double(h))
            if isJPEG {
                // Cairo writes these bytes into the PDF as they are (DCTDecode): no re-encoding.
                let bytes = malloc(data.count)!
                data.withUnsafeBytes { bytes.copyMemory(from: $0.baseAddress!, byteCount: data.count) }
                cairo_surface_set_mime_data(surface, CAIRO_MIME_TYPE_JPEG, bytes.assumingMemoryBound(to: UInt8.self),
                                            UInt(data.count), { free($0) }, bytes)
            }
            img.surface = surface
            return img
        default:
            throw LoadError.unsupported(ext.isEmpty ? path : ext)
        }
    }

    /// Throws `truncated` for a JPEG or PNG whose end is missing (a file not fully copied).
    static func checkWhole(head bytes: [UInt8], tail: [UInt8]) throws {
        if bytes.starts(with: [0xFF, 0xD8]) {
            guard (0..<max(0, tail.count - 1)).contains(where: { tail[$0] == 0xFF && tail[$0 + 1] == 0xD9 }) else { throw LoadError.truncated }
        } else if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            guard tail.count >= 12, String(decoding: tail.suffix(12), as: UTF8.self).contains("IEND") else { throw LoadError.truncated }
        }
    }

    /// Effective resolution when printed `width` points wide.
    public func dpi(atWidth width: Double) -> Double {
        kind == .svg ? .infinity : pixelWidth / (width / 72)
    }

    /// Draws the picture into the rectangle (x, y, w, h), scaled to fill it.
    public func draw(_ cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double) {
        cairo_save(cr)
        cairo_rectangle(cr, x, y, width, height)
        cairo_clip(cr)
        switch kind {
        case .svg:
            var viewport = RsvgRectangle(x: x, y: y, width: width, height: height)
            _ = rsvg_handle_render_document(svg, cr, &viewport, nil)
        case .bitmap, .jpeg:
            cairo_translate(cr, x, y)
            cairo_scale(cr, width / pixelWidth, height / pixelHeight)
            cairo_set_source_surface(cr, surface, 0, 0)
            cairo_pattern_set_filter(cairo_get_source(cr), CAIRO_FILTER_GOOD)
            cairo_paint(cr)
        }
        cairo_restore(cr)
    }

    /// Draws the picture centre-cropped to fill (x, y, w, h) at the picture's own aspect.
    public func drawCropped(_ cr: OpaquePointer, x: Double, y: Double, width: Double, height: Double) {
        let scale = max(width / pixelWidth, height / pixelHeight)
        let w = pixelWidth * scale, h = pixelHeight * scale
        cairo_save(cr)
        cairo_rectangle(cr, x, y, width, height)
        cairo_clip(cr)
        draw(cr, x: x - (w - width) / 2, y: y - (h - height) / 2, width: w, height: h)
        cairo_restore(cr)
    }
}

extension QRCode {
    /// Draws the code (with its 4-module quiet zone included in `side`) at (x, y).
    public func draw(_ cr: OpaquePointer, x: Double, y: Double, side: Double, colour: Colour = .black) {
        let unit = side / Double(size + 8)
        cairo_save(cr)
        Colour.white.set(cr)
        cairo_rectangle(cr, x, y, side, side)
        cairo_fill(cr)
        colour.set(cr)
        darkRuns { row, col, run in
            cairo_rectangle(cr, x + Double(col + 4) * unit, y + Double(row + 4) * unit, Double(run) * unit, unit)
        }
        cairo_fill(cr)
        cairo_restore(cr)
    }
}

/// Drawing on a page, for the books and boards that lay pages out: the few Cairo operations
/// they use, so that only this module talks to Cairo. `cr` is the handle a page's drawing
/// closures receive.
public struct Canvas {
    public let cr: OpaquePointer
    public init(_ cr: OpaquePointer) { self.cr = cr }

    public func setColour(_ c: Colour) { c.set(cr) }
    public func setRGB(_ r: Double, _ g: Double, _ b: Double) { cairo_set_source_rgb(cr, r, g, b) }
    public func rectangle(_ x: Double, _ y: Double, _ w: Double, _ h: Double) { cairo_rectangle(cr, x, y, w, h) }
    public func fill() { cairo_fill(cr) }
    public func stroke() { cairo_stroke(cr) }
    public func setLineWidth(_ w: Double) { cairo_set_line_width(cr, w) }
    public func moveTo(_ x: Double, _ y: Double) { cairo_move_to(cr, x, y) }
    public func lineTo(_ x: Double, _ y: Double) { cairo_line_to(cr, x, y) }
    public func closePath() { cairo_close_path(cr) }
    public func arc(_ x: Double, _ y: Double, _ r: Double, _ from: Double, _ to: Double) { cairo_arc(cr, x, y, r, from, to) }
    /// A circle on its own: a new sub-path, so no line joins it to the point drawing left
    /// (after text, that is where the text was set: a book's contents had a hairline from
    /// each page number to the first leader dot).
    public func circle(_ x: Double, _ y: Double, _ r: Double) {
        cairo_new_sub_path(cr)
        cairo_arc(cr, x, y, r, 0, 2 * .pi)
    }
    public func translate(_ x: Double, _ y: Double) { cairo_translate(cr, x, y) }

    /// A filled rectangle in one colour.
    public func fill(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ colour: Colour) {
        colour.set(cr)
        cairo_rectangle(cr, x, y, w, h)
        cairo_fill(cr)
    }

    /// A clickable area of a PDF: a web address or a page of the same document (1-based).
    public func link(uri: String, x: Double, y: Double, width: Double, height: Double) {
        // Cairo's attribute strings end at a quote and treat a backslash as an escape: both are
        // written percent-encoded, which is the same address.
        let encoded = uri.replacingOccurrences(of: "\\", with: "%5C").replacingOccurrences(of: "'", with: "%27")
        cairo_tag_begin(cr, CAIRO_TAG_LINK, "uri='\(encoded)' rect=[\(x) \(y) \(width) \(height)]")
        cairo_tag_end(cr, CAIRO_TAG_LINK)
    }

    public func link(page: Int, x: Double, y: Double, width: Double, height: Double) {
        cairo_tag_begin(cr, CAIRO_TAG_LINK, "page=\(page) rect=[\(x) \(y) \(width) \(height)]")
        cairo_tag_end(cr, CAIRO_TAG_LINK)
    }
}

/// Smaller copies of pictures for places that limit their width (a WeChat article's pictures:
/// at most 1080 pixels wide). The picture is turned upright by its EXIF orientation first.
public enum PictureCopy {
    /// The picture scaled down to `maxWidth` pixels wide, as JPEG (quality 85) for a JPEG and
    /// as PNG otherwise, or nil when it is no wider than that already (or is not a bitmap).
    public static func scaled(_ path: String, maxWidth: Int) throws -> (data: Data, ext: String)? {
        let ext = (path as NSString).pathExtension.lowercased()
        guard ["jpg", "jpeg", "png"].contains(ext) else { return nil }
        guard let size = ImageSize.read(path) else { throw PrintImage.LoadError.unreadable(path) }
        guard size.width > maxWidth else { return nil }
        if size.width * size.height > PrintImage.maxPixels { throw PrintImage.LoadError.tooLarge(size.width, size.height) }
        guard let handle = FileHandle(forReadingAtPath: path) else { throw PrintImage.LoadError.unreadable((path as NSString).lastPathComponent) }
        let head = [UInt8](handle.readData(ofLength: 16))
        let end = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: end > 64 ? end - 64 : 0)
        let tail = [UInt8](handle.readDataToEndOfFile())
        try? handle.close()
        try PrintImage.checkWhole(head: head, tail: tail)
        var error: UnsafeMutablePointer<GError>?
        guard let raw = gdk_pixbuf_new_from_file(path, &error) else {
            let msg = error.map { String(cString: $0.pointee.message) } ?? path
            if let error { g_error_free(error) }
            throw PrintImage.LoadError.unreadable(msg)
        }
        defer { g_object_unref(UnsafeMutableRawPointer(raw)) }
        guard let upright = gdk_pixbuf_apply_embedded_orientation(raw) else { throw PrintImage.LoadError.unreadable(path) }
        defer { g_object_unref(UnsafeMutableRawPointer(upright)) }
        let w = Int(gdk_pixbuf_get_width(upright)), h = Int(gdk_pixbuf_get_height(upright))
        guard w > maxWidth else { return nil }
        let height = max(1, Int((Double(h) * Double(maxWidth) / Double(w)).rounded()))
        guard let small = gdk_pixbuf_scale_simple(upright, Int32(maxWidth), Int32(height), BEACON_INTERP_HYPER) else {
            throw PrintImage.LoadError.unreadable(path)
        }
        defer { g_object_unref(UnsafeMutableRawPointer(small)) }
        let jpeg = ext != "png"
        var buffer: UnsafeMutablePointer<gchar>?
        var count: gsize = 0
        let type = jpeg ? "jpeg" : "png"
        var keys: [UnsafeMutablePointer<CChar>?] = [strdup(jpeg ? "quality" : "compression"), nil]
        var values: [UnsafeMutablePointer<CChar>?] = [strdup(jpeg ? "85" : "6"), nil]
        defer { free(keys[0]); free(values[0]) }
        let ok = gdk_pixbuf_save_to_bufferv(small, &buffer, &count, type, &keys, &values, &error)
        guard ok != 0, let buffer else {
            let msg = error.map { String(cString: $0.pointee.message) } ?? path
            if let error { g_error_free(error) }
            throw PrintImage.LoadError.unreadable(msg)
        }
        defer { g_free(buffer) }
        return (Data(bytes: buffer, count: Int(count)), jpeg ? "jpg" : "png")
    }
}

/// A picture drawn by Beacon (a WeChat cover, a share image): `draw` paints on a canvas of
/// `width` × `height` pixels, written as PNG.
public enum DrawnPicture {
    public static func png(width: Int, height: Int, to path: String, draw: @escaping (OpaquePointer) -> Void) throws {
        let page = PrintPage()
        page.ops.append { cr, _ in draw(cr) }
        let file = PageFile(page: page, size: PaperSize(width: Double(width), height: Double(height)), bleed: 0, title: "", subject: "")
        try PageFiles.preview(file, to: path, longSide: max(width, height))
    }
}
