import Foundation
import CPrint
import CQPDF
import BeaconModel

/// One page to write to a file of its own: its drawing, its full size (trim and bleed), the
/// bleed on each side, and the file's title and subject.
public struct PageFile {
    public var page: PrintPage
    public var size: PaperSize
    public var bleed: Double
    public var title: String
    public var subject: String
    public init(page: PrintPage, size: PaperSize, bleed: Double, title: String, subject: String) {
        self.page = page; self.size = size; self.bleed = bleed; self.title = title; self.subject = subject
    }
}

/// Pages to print-shop files: a PDF per page with its TrimBox and BleedBox, and PNG previews.
public enum PageFiles {
    /// Several pages of one size drawn into one Cairo PDF (Cairo reads and subsets each CJK
    /// font once per document), then each page written to its own file with qpdf, with its
    /// title and its TrimBox and BleedBox. `cairoTime` measures the Cairo part.
    public static func writeSplit(_ pages: [PageFile], documentTitle: String, date: Date, to paths: [String],
                                  cairoTime: TimingTotal? = nil) throws {
        let first = pages[0]
        let doc = PrintDocument(size: first.size)
        doc.date = date
        doc.title = documentTitle
        doc.subject = first.subject
        doc.pages = pages.map(\.page)
        // Named apart from the pages (a page's name may take all of a file name's 255 bytes).
        let raw = (paths[0] as NSString).deletingLastPathComponent + "/.batch-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).cairo"
        if let cairoTime { try cairoTime.add { try doc.writePDF(to: raw) } } else { try doc.writePDF(to: raw) }
        defer { try? FileManager.default.removeItem(atPath: raw) }
        var src = qpdf_init()
        defer { qpdf_cleanup(&src) }
        qpdf_silence_errors(src)
        qpdf_set_suppress_warnings(src, 1)
        let rawName = strdup(raw)
        defer { free(rawName) }
        guard qpdf_read(src, rawName, nil) & Int32(QPDF_ERRORS) == 0 else { throw PrintError.cannotWrite(paths[0]) }
        let pdfDate = BuildClock.pdfDate(date)
        for (i, r) in pages.enumerated() {
            var q = qpdf_init()
            defer { qpdf_cleanup(&q) }
            qpdf_silence_errors(q)
            qpdf_set_suppress_warnings(q, 1)
            guard qpdf_empty_pdf(q) & Int32(QPDF_ERRORS) == 0,
                  qpdf_add_page(q, src, qpdf_get_page_n(src, i), 0) & Int32(QPDF_ERRORS) == 0 else { throw PrintError.cannotWrite(paths[i]) }
            let page = qpdf_get_page_n(q, 0)
            // The page belonged to the batch's structure tree, which is not copied.
            qpdf_oh_remove_key(q, page, "/StructParents")
            setBoxes(q, page: page, pageSize: r.size, bleed: r.bleed)
            let info = qpdf_oh_new_dictionary(q)
            qpdf_oh_replace_key(q, info, "/Title", qpdf_oh_new_unicode_string(q, r.title))
            qpdf_oh_replace_key(q, info, "/Subject", qpdf_oh_new_unicode_string(q, r.subject))
            qpdf_oh_replace_key(q, info, "/Creator", qpdf_oh_new_unicode_string(q, "Beacon"))
            qpdf_oh_replace_key(q, info, "/CreationDate", qpdf_oh_new_string(q, pdfDate))
            qpdf_oh_replace_key(q, info, "/ModDate", qpdf_oh_new_string(q, pdfDate))
            qpdf_oh_replace_key(q, qpdf_get_trailer(q), "/Info", qpdf_make_indirect_object(q, info))
            // qpdf keeps the file name's pointer from init_write until write: one C string for both
            // (a temporary one was freed in between; found by the board fuzz target).
            let written = strdup(paths[i])
            defer { free(written) }
            guard qpdf_init_write(q, written) & Int32(QPDF_ERRORS) == 0 else { throw PrintError.cannotWrite(paths[i]) }
            // Streams are copied as they are: no decoding and compressing again.
            qpdf_set_decode_level(q, qpdf_dl_none)
            // The file's /ID from its content, not from the clock: the same board, the same file.
            qpdf_set_deterministic_ID(q, 1)
            guard qpdf_write(q) & Int32(QPDF_ERRORS) == 0 else { throw PrintError.cannotWrite(paths[i]) }
        }
    }

    static func setBoxes(_ q: qpdf_data?, page: qpdf_oh, pageSize: PaperSize, bleed: Double) {
        let trim = String(format: "[%.3f %.3f %.3f %.3f]", bleed, bleed, pageSize.width - bleed, pageSize.height - bleed)
        let full = String(format: "[0 0 %.3f %.3f]", pageSize.width, pageSize.height)
        qpdf_oh_replace_key(q, page, "/TrimBox", qpdf_oh_parse(q, trim))
        qpdf_oh_replace_key(q, page, "/BleedBox", qpdf_oh_parse(q, full))
    }

    /// A preview of the trimmed page, `longSide` pixels on its long side.
    public static func preview(_ p: PageFile, to path: String, longSide: Int) throws {
        let trimW = p.size.width - 2 * p.bleed, trimH = p.size.height - 2 * p.bleed
        let scale = Double(longSide) / max(trimW, trimH)
        let w = Int((trimW * scale).rounded()), h = Int((trimH * scale).rounded())
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h)) else { throw PrintError.cannotWrite(path) }
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        cairo_scale(cr, scale, scale)
        cairo_translate(cr, -p.bleed, -p.bleed)
        p.page.draw(cr, mode: DrawMode(links: false))
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        // libdeflate's level 1: on flat board graphics and covers within a few per cent of
        // its level 6 in size, in less time (see beacon_write_png).
        guard let data = cairo_image_surface_get_data(surface),
              beacon_write_png(path, data, Int32(w), Int32(h), cairo_image_surface_get_stride(surface), 1) == 0 else {
            throw PrintError.cannotWrite(path)
        }
    }
}
