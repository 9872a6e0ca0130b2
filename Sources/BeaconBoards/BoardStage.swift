import Foundation
import CPrint
import CQPDF
import ZIPFoundation
import BeaconModel
import BeaconSite
import BeaconPrint
import BeaconBooks

/// The board stage of a build: each board to `boards/<slug>.pdf` at full size with bleed
/// (TrimBox and BleedBox set) and `boards/<slug>.png` for the website.
public enum BoardStage {
    public static func run(project: Project, theme: Theme, stage: OutputStage, bag: DiagnosticBag) -> [String: SiteBuilder.BoardFiles] {
        guard !project.boards.isEmpty else { return [:] }
        let style = BookStyle.load(theme: theme.folder, displayPath: "themes/\(theme.name)/print.yml", bag: bag)
        var files: [String: SiteBuilder.BoardFiles] = [:]
        let lock = NSLock()
        // Boards of their own, one after another; then the copies of template boards on every
        // core, each core with its own renderer (Pango and Cairo objects are not shared).
        let single = project.boards.filter { $0.copy == nil }
        let copies = project.boards.filter { $0.copy != nil }
        if !single.isEmpty {
            let renderer = BoardRenderer(project: project, style: style, bag: bag)
            for board in single {
                if let f = make(board, renderer: renderer, stage: stage, bag: bag, previewSide: 1600) { files[board.slug] = f }
            }
        }
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, copies.count)
        if workers > 0 {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let renderer = BoardRenderer(project: project, style: style, bag: bag)
                for i in stride(from: w, to: copies.count, by: workers) {
                    guard let f = make(copies[i], renderer: renderer, stage: stage, bag: bag, previewSide: 1000) else { continue }
                    lock.lock(); files[copies[i].slug] = f; lock.unlock()
                }
            }
        }
        // Each template's copies in one ZIP for the print shop.
        var byTemplate: [String: [Board]] = [:]
        for c in copies { byTemplate[c.copy!.template, default: []].append(c) }
        for (template, boards) in byTemplate.sorted(by: { $0.key < $1.key }) where !bag.hasErrors {
            let zip = "boards/\(template).zip"
            do {
                let url = try stage.reserve(zip)
                let archive = try Archive(url: url, accessMode: .create)
                for b in boards {
                    let pdf = stage.url("boards/\(b.slug).pdf")
                    // PDFs are compressed already: stored as they are.
                    try archive.addEntry(with: "\(template)/\(b.copy!.branch).pdf", fileURL: pdf, compressionMethod: .none)
                }
                try stage.link(from: url, to: "site/" + zip)
                for b in boards { files[b.slug]?.zip = zip }
            } catch {
                bag.error(SourceLocation(path: boards[0].copy!.templatePath), "展板打包失败 (cannot write the ZIP of the board's copies): \(error)")
            }
        }
        return files
    }

    /// One board: its PDF and PNG, and their copies on the website.
    static func make(_ board: Board, renderer: BoardRenderer, stage: OutputStage, bag: DiagnosticBag, previewSide: Int) -> SiteBuilder.BoardFiles? {
        guard let result = Timings.measure("board layout \(board.slug)", { renderer.render(board) }) else { return nil }
        do {
            let pdf = "boards/\(board.slug).pdf"
            try write(result, to: stage.reserve(pdf).path)
            try stage.link(from: stage.url(pdf), to: "site/" + pdf)
            let png = "boards/\(board.slug).png"
            try preview(result, to: stage.reserve(png).path, longSide: previewSide)
            try stage.link(from: stage.url(png), to: "site/" + png)
            return SiteBuilder.BoardFiles(pdf: pdf, png: png)
        } catch {
            bag.error(SourceLocation(path: board.path), "展板无法写出 (cannot write the board): \(error)")
            return nil
        }
    }

    /// The PDF: one page of trim + bleed, then TrimBox and BleedBox set with qpdf.
    public static func write(_ r: BoardResult, to path: String) throws {
        let doc = PrintDocument(size: r.pageSize)
        doc.title = r.board.title
        doc.subject = r.board.subtitle ?? "展板"
        doc.pages = [r.page]
        let raw = path + ".cairo"
        try doc.writePDF(to: raw)
        defer { try? FileManager.default.removeItem(atPath: raw) }
        try setBoxes(input: raw, output: path, pageSize: r.pageSize, bleed: r.board.bleed)
    }

    /// Sets TrimBox (the finished size) and BleedBox (the whole page) on every page.
    static func setBoxes(input: String, output: String, pageSize: PaperSize, bleed: Double) throws {
        var q = qpdf_init()
        defer { qpdf_cleanup(&q) }
        qpdf_silence_errors(q)
        qpdf_set_suppress_warnings(q, 1)
        guard qpdf_read(q, input, nil) & Int32(QPDF_ERRORS) == 0 else { throw PrintError.cannotWrite(output) }
        let trim = String(format: "[%.3f %.3f %.3f %.3f]", bleed, bleed, pageSize.width - bleed, pageSize.height - bleed)
        let full = String(format: "[0 0 %.3f %.3f]", pageSize.width, pageSize.height)
        for i in 0..<Int(qpdf_get_num_pages(q)) {
            let page = qpdf_get_page_n(q, i)
            qpdf_oh_replace_key(q, page, "/TrimBox", qpdf_oh_parse(q, trim))
            qpdf_oh_replace_key(q, page, "/BleedBox", qpdf_oh_parse(q, full))
        }
        guard qpdf_init_write(q, output) & Int32(QPDF_ERRORS) == 0, qpdf_write(q) & Int32(QPDF_ERRORS) == 0 else {
            throw PrintError.cannotWrite(output)
        }
    }

    /// The website preview: the trimmed board, 1600 pixels on its long side.
    public static func preview(_ r: BoardResult, to path: String, longSide: Int = 1600) throws {
        let trimW = r.pageSize.width - 2 * r.board.bleed, trimH = r.pageSize.height - 2 * r.board.bleed
        let scale = Double(longSide) / max(trimW, trimH)
        let w = Int((trimW * scale).rounded()), h = Int((trimH * scale).rounded())
        guard let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(w), Int32(h)) else { throw PrintError.cannotWrite(path) }
        defer { cairo_surface_destroy(surface) }
        let cr = cairo_create(surface)!
        cairo_scale(cr, scale, scale)
        cairo_translate(cr, -r.board.bleed, -r.board.bleed)
        r.page.draw(cr, mode: DrawMode(links: false))
        cairo_destroy(cr)
        if cairo_surface_write_to_png(surface, path) != CAIRO_STATUS_SUCCESS { throw PrintError.cannotWrite(path) }
    }
}
