import Foundation
import BeaconModel
import BeaconOutput
import BeaconPrint

/// The board stage of a build: each board to `boards/<slug>.pdf` at full size with bleed
/// (TrimBox and BleedBox set) and `boards/<slug>.png` for the website.
public enum BoardStage {
    /// With `printPack`, the boards are copies chosen by `--boards-for`: they are written with
    /// one ZIP of them all, `boards/print-pack-<name>.zip`, instead of a ZIP per template.
    public static func run(project: Project, style: BookStyle, links: ContentLinks, stage: OutputStage, bag: DiagnosticBag,
                           printPack: String? = nil) -> [String: BoardFiles] {
        guard !project.boards.isEmpty else { return [:] }
        var files: [String: BoardFiles] = [:]
        let lock = NSLock()
        // Boards of their own, one after another; then the copies of template boards on every
        // core, each core with its own renderer (Pango and Cairo objects are not shared).
        let single = project.boards.filter { $0.copy == nil }
        let copies = project.boards.filter { $0.copy != nil }
        let cache = BoardCache(root: project.root)
        if !single.isEmpty {
            let renderer = BoardRenderer(project: project, style: style, links: links, bag: bag)
            for board in single {
                files.merge(makeBatch([board], renderer: renderer, stage: stage, bag: bag, previewSide: 1600, cache: cache)) { _, new in new }
            }
        }
        // Copies go in batches: a batch is one Cairo document, split into one PDF per copy
        // (Cairo reads and subsets each CJK font once per document, which was most of a
        // copy's time; a batch's copies share that work, each file keeping only its page).
        let batches = stride(from: 0, to: copies.count, by: batchSize).map { Array(copies[$0..<min(copies.count, $0 + batchSize)]) }
        let workers = min(ProcessInfo.processInfo.activeProcessorCount, batches.count)
        if workers > 0 {
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let renderer = BoardRenderer(project: project, style: style, links: links, bag: bag)
                for i in stride(from: w, to: batches.count, by: workers) {
                    let made = makeBatch(batches[i], renderer: renderer, stage: stage, bag: bag, previewSide: 1000, cache: cache)
                    lock.lock(); for (slug, f) in made { files[slug] = f }; lock.unlock()
                }
            }
        }
        for t in [cacheTime, layoutTime, pdfTime, cairoTime, pngTime] { t.report() }
        // Each template's copies in one ZIP for the print shop (or a print pack's in one).
        var byTemplate: [String: [Board]] = [:]
        for c in copies { byTemplate[printPack.map { "print-pack-" + $0 } ?? c.copy!.template, default: []].append(c) }
        let zipDate = project.contentDate
        for (template, boards) in byTemplate.sorted(by: { $0.key < $1.key }) where !bag.hasErrors {
            let zip = "boards/\(template).zip"
            let zipKey = cache.zipKey(zip, boards: boards, date: zipDate)
            if let zipKey, cache.restoreZip(zipKey, to: zip, site: printPack == nil, stage: stage) {
                if printPack == nil { for b in boards { files[b.slug]?.zip = zip } }
                continue
            }
            do {
                let url = try stage.reserve(zip)
                // PDFs are compressed already: stored as they are. Dated by the content, not by
                // the files' times, so the ZIP is the same for the same input.
                try StoredZip.write(boards.map { b in
                    StoredZip.Entry(name: "\(b.copy!.template)/\(b.copy!.branch).pdf", path: stage.url("boards/\(b.slug).pdf").path)
                }, date: zipDate, to: url.path)
                if let zipKey { cache.storeZip(zipKey, from: url) }
                if printPack == nil {
                    try stage.link(from: url, to: "site/" + zip)
                    for b in boards { files[b.slug]?.zip = zip }
                }
            } catch {
                bag.error(SourceLocation(path: boards[0].copy!.templatePath), "展板打包失败 (cannot write the ZIP of the board's copies): \(error)")
            }
        }
        // The cache keeps what this build used; a partial build (--boards-for) prunes nothing.
        if printPack == nil && !bag.hasErrors { cache.prune() }
        return files
    }

    static let layoutTime = TimingTotal("boards: layout")
    static let pdfTime = TimingTotal("boards: pdf")
    static let pngTime = TimingTotal("boards: png")
    static let cairoTime = TimingTotal("boards: pdf: cairo")
    static let cacheTime = TimingTotal("boards: cache fingerprints")

    /// Copies of template boards laid out into one document at a time.
    static let batchSize = 8

    /// Boards laid out and written: all drawn into one PDF, that PDF split into one file per
    /// board (TrimBox and BleedBox set, its own title), and a PNG per board. A board of its
    /// own is a batch of one.
    static func makeBatch(_ boards: [Board], renderer: BoardRenderer, stage: OutputStage, bag: DiagnosticBag,
                          previewSide: Int, cache: BoardCache? = nil) -> [String: BoardFiles] {
        // From the build cache when this very batch was made before (see BoardCache).
        let key = cache.map { _ in cacheTime.add { renderer.fingerprint(boards, previewSide: previewSide) } }
        if let cache, let key { cache.note(key, for: boards) }
        if let cache, let key, let files = cache.restore(key, boards: boards, stage: stage, bag: bag) { return files }
        // The batch's messages are kept with it in the cache.
        let local = DiagnosticBag()
        renderer.bag = local
        let out = makeFresh(boards, renderer: renderer, stage: stage, bag: local, previewSide: previewSide)
        renderer.bag = bag
        let messages = local.all
        // The bag's own messages (with their full-disk count), not `all`'s sayings of them.
        bag.merge(local, at: bag.mark)
        if let cache, let key, !messages.contains(where: { $0.severity == .error }), out.count == boards.count {
            cache.store(key, boards: boards, stage: stage, messages: messages)
        }
        return out
    }

    static func makeFresh(_ boards: [Board], renderer: BoardRenderer, stage: OutputStage, bag: DiagnosticBag,
                          previewSide: Int) -> [String: BoardFiles] {
        let date = renderer.project.contentDate
        var results: [BoardResult] = []
        for b in boards { if let r = layoutTime.add({ renderer.render(b) }) { results.append(r) } }
        var out: [String: BoardFiles] = [:]
        // One document per page size (copies of one template share theirs unless its size
        // is written with fields).
        let groups = Dictionary(grouping: results) { "\($0.pageSize.width)x\($0.pageSize.height)" }
        for group in groups.values.sorted(by: { $0[0].board.slug < $1[0].board.slug }) {
            do {
                let paths = try group.map { try stage.reserve("boards/\($0.board.slug).pdf").path }
                try pdfTime.add { try writeSplit(group, date: date, to: paths) }
                for r in group {
                    let pdf = "boards/\(r.board.slug).pdf", png = "boards/\(r.board.slug).png"
                    try stage.link(from: stage.url(pdf), to: "site/" + pdf)
                    try pngTime.add { try preview(r, to: stage.reserve(png).path, longSide: previewSide) }
                    try stage.link(from: stage.url(png), to: "site/" + png)
                    out[r.board.slug] = BoardFiles(pdf: pdf, png: png)
                }
            } catch {
                bag.error(SourceLocation(path: group[0].board.path), "展板无法写出 (cannot write the board): \(error)")
            }
        }
        return out
    }

    static func pageFile(_ r: BoardResult) -> PageFile {
        PageFile(page: r.page, size: r.pageSize, bleed: r.board.bleed, title: r.board.title, subject: r.board.subtitle ?? "展板")
    }

    static func writeSplit(_ results: [BoardResult], date: Date, to paths: [String]) throws {
        let first = results[0]
        try PageFiles.writeSplit(results.map(pageFile), documentTitle: first.board.copy?.templateTitle ?? first.board.title,
                                 date: date, to: paths, cairoTime: cairoTime)
    }

    /// The website preview: the trimmed board, 1600 pixels on its long side.
    public static func preview(_ r: BoardResult, to path: String, longSide: Int = 1600) throws {
        try PageFiles.preview(pageFile(r), to: path, longSide: longSide)
    }
}
