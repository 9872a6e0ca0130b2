import Foundation
import CPrint
import BeaconModel

/// A finished document: pages of one size, an outline, metadata.
public final class PrintDocument {
    public var size: PaperSize
    public var pages: [PrintPage] = []
    public var title = ""
    public var author = ""
    public var subject = ""
    /// Bookmarks: title, 0-based page index, and the index of the parent entry (or nil).
    public var outline: [(title: String, page: Int, parent: Int?)] = []
    /// Creation and modification date in the metadata (Cairo writes the clock's otherwise):
    /// the content's date, so that the same input makes the same file (`BuildClock`).
    public var date: Date?

    public init(size: PaperSize) { self.size = size }

    func setMetadata(_ surface: OpaquePointer, title: String, author: String, subject: String?) {
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, author)
        if let subject { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_SUBJECT, subject) }
        cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "Beacon")
        if let date {
            let stamp = BuildClock.iso8601(date)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, stamp)
            cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, stamp)
        }
    }

    /// Writes the reading-order PDF: text as text with embedded, subset fonts (Cairo's PDF
    /// surface), links, bookmarks and metadata.
    public func writePDF(to path: String) throws {
        guard let surface = cairo_pdf_surface_create(path, size.width, size.height) else { throw PrintError.cannotWrite(path) }
        defer { cairo_surface_destroy(surface) }
        setMetadata(surface, title: title, author: author, subject: subject)
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        for page in pages {
            // Cairo 1.16 writes a broken cross-reference table when a page has link tags but
            // no structure: each page is one structure element, which also tags the PDF.
            cairo_tag_begin(cr, "Part", "")
            page.draw(cr, mode: DrawMode(links: true))
            cairo_tag_end(cr, "Part")
            cairo_show_page(cr)
        }
        var ids: [Int32] = []
        for entry in outline {
            let parent = entry.parent.map { ids[$0] } ?? Int32(CAIRO_PDF_OUTLINE_ROOT)
            ids.append(cairo_pdf_surface_add_outline(surface, parent, entry.title, "page=\(entry.page + 1)",
                                                     CAIRO_PDF_OUTLINE_FLAG_OPEN))
        }
        cairo_surface_finish(surface)
        if cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS { throw PrintError.cannotWrite(path) }
    }

    /// A PNG picture of page `index`, `pixelWidth` wide.
    public func writePNG(page index: Int, pixelWidth: Int, to path: String) throws {
        let scale = Double(pixelWidth) / size.width
        let h = Int((size.height * scale).rounded())
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(pixelWidth), Int32(h)) else { throw PrintError.cannotWrite(path) }
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        cairo_set_source_rgb(cr, 1, 1, 1)
        cairo_paint(cr)
        cairo_scale(cr, scale, scale)
        pages[index].draw(cr, mode: DrawMode(links: false))
        cairo_destroy(cr)
        if cairo_surface_write_to_png(surface, path) != CAIRO_STATUS_SUCCESS { throw PrintError.cannotWrite(path) }
    }
}

public enum PrintError: Error, CustomStringConvertible {
    case cannotWrite(String)
    case tooLarge(String)
    public var description: String {
        switch self {
        case .cannotWrite(let p): return "无法写入 (cannot write) \(p)"
        case .tooLarge(let s): return s
        }
    }
}

/// Saddle-stitch imposition for office printers.
public enum Imposition {
    /// One side of an A4 sheet: where each book page goes (nil: a blank page).
    public struct Slot: Equatable, Sendable {
        public var page: Int?        // 1-based book page, nil for a blank
        public var x: Double         // slot origin on the sheet, points
        public var y: Double
    }

    public struct Plan: Sendable {
        public var sheetSize: PaperSize
        /// Each A4 side in printing order (front of sheet 1, back of sheet 1, front of sheet 2 …).
        public var sides: [[Slot]]
        public var mode: String
        public var pageSize: PaperSize
    }

    /// Pages per sheet side of a folded booklet, in booklet-sheet order: for `n` pages (a
    /// multiple of 4), sheet s has front [n-2s, 2s+1] and back [2s+2, n-2s-1] (left, right).
    public static func booklet(pages n: Int) -> [(front: (Int, Int), back: (Int, Int))] {
        (0..<(n / 4)).map { s in ((n - 2 * s, 2 * s + 1), (2 * s + 2, n - 2 * s - 1)) }
    }

    /// Pages rounded up to a multiple of four.
    public static func padded(_ n: Int) -> Int { (n + 3) / 4 * 4 }

    /// The plan for a book of `pageCount` pages of `size`:
    /// - pages up to A6-and-half-sheet size (two side by side fit 210 × 148.5 mm): two booklet
    ///   spreads on each A4 portrait side, one above the other; print duplex flipping on the
    ///   long edge, cut the stack across the middle, put the lower stack inside the upper one,
    ///   fold;
    /// - pages up to A5 (two fit 297 × 210 mm): one spread on each A4 landscape side; print
    ///   duplex flipping on the short edge, fold.
    public static func plan(pageCount: Int, size: PaperSize) throws -> Plan {
        let n = padded(max(pageCount, 1))
        let sheets = booklet(pages: n)
        func page(_ p: Int) -> Int? { p <= pageCount ? p : nil }
        let a4 = PaperSize.a4
        let w = size.width, h = size.height
        let tol = 0.5
        if 2 * w <= a4.width + tol && h <= a4.height / 2 + tol {
            // Half-sheet mode: A4 portrait, each half an A5-landscape area holding one spread.
            let halfH = a4.height / 2
            let x0 = (a4.width - 2 * w) / 2
            let k = (sheets.count + 1) / 2
            var sides: [[Slot]] = []
            for i in 0..<k {
                var front: [Slot] = [], back: [Slot] = []
                for (half, s) in [(0, i), (1, i + k)] {
                    let y = Double(half) * halfH + (halfH - h) / 2
                    if s < sheets.count {
                        let sh = sheets[s]
                        front += [Slot(page: page(sh.front.0), x: x0, y: y), Slot(page: page(sh.front.1), x: x0 + w, y: y)]
                        back += [Slot(page: page(sh.back.0), x: x0, y: y), Slot(page: page(sh.back.1), x: x0 + w, y: y)]
                    }
                }
                sides += [front, back]
            }
            return Plan(sheetSize: a4, sides: sides, mode: "a4-half-sheets", pageSize: size)
        }
        let landscape = PaperSize(width: a4.height, height: a4.width)
        if 2 * w <= landscape.width + tol && h <= landscape.height + tol {
            let x0 = (landscape.width - 2 * w) / 2, y0 = (landscape.height - h) / 2
            var sides: [[Slot]] = []
            for sh in sheets {
                sides.append([Slot(page: page(sh.front.0), x: x0, y: y0), Slot(page: page(sh.front.1), x: x0 + w, y: y0)])
                sides.append([Slot(page: page(sh.back.0), x: x0, y: y0), Slot(page: page(sh.back.1), x: x0 + w, y: y0)])
            }
            return Plan(sheetSize: landscape, sides: sides, mode: "a4-landscape-2up", pageSize: size)
        }
        throw PrintError.tooLarge(String(format: "开本 %.0f×%.0f mm 两页并排放不进 A4，无法拼版为 a4-booklet (pages too large for an A4 booklet)", size.widthMM, size.heightMM))
    }

    /// Writes the imposed PDF: each sheet side with its pages drawn in place, a fine fold
    /// line between facing pages and a cut line between halves, outside the pages.
    public static func write(_ doc: PrintDocument, plan: Plan, to path: String) throws {
        guard let surface = cairo_pdf_surface_create(path, plan.sheetSize.width, plan.sheetSize.height) else { throw PrintError.cannotWrite(path) }
        defer { cairo_surface_destroy(surface) }
        doc.setMetadata(surface, title: doc.title + "（A4 拼版）", author: doc.author, subject: nil)
        let cr = cairo_create(surface)!
        defer { cairo_destroy(cr) }
        for side in plan.sides {
            for slot in side {
                guard let p = slot.page, p >= 1, p <= doc.pages.count else { continue }
                cairo_save(cr)
                cairo_translate(cr, slot.x, slot.y)
                cairo_rectangle(cr, 0, 0, plan.pageSize.width, plan.pageSize.height)
                cairo_clip(cr)
                doc.pages[p - 1].draw(cr, mode: DrawMode(links: false))
                cairo_restore(cr)
            }
            // Marks outside the pages: fold (short ticks) and, on half sheets, the cut line.
            cairo_save(cr)
            cairo_set_source_rgb(cr, 0.6, 0.6, 0.6)
            cairo_set_line_width(cr, 0.3)
            var spreads: [Double] = []
            for slot in side where !spreads.contains(slot.y) { spreads.append(slot.y) }
            for y in spreads {
                let xs = side.filter { $0.y == y }.map(\.x)
                guard let left = xs.min() else { continue }
                let fold = left + plan.pageSize.width
                for (a, b) in [(y - 14.0, y - 4.0), (y + plan.pageSize.height + 4, y + plan.pageSize.height + 14)] {
                    cairo_move_to(cr, fold, a)
                    cairo_line_to(cr, fold, b)
                }
                cairo_stroke(cr)
            }
            if plan.mode == "a4-half-sheets" {
                let dash: [Double] = [4, 3]
                cairo_set_dash(cr, dash, 2, 0)
                cairo_move_to(cr, 0, plan.sheetSize.height / 2)
                cairo_line_to(cr, 20, plan.sheetSize.height / 2)
                cairo_move_to(cr, plan.sheetSize.width - 20, plan.sheetSize.height / 2)
                cairo_line_to(cr, plan.sheetSize.width, plan.sheetSize.height / 2)
                cairo_stroke(cr)
            }
            cairo_restore(cr)
            cairo_show_page(cr)
        }
        cairo_surface_finish(surface)
        if cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS { throw PrintError.cannotWrite(path) }
    }
}
