import Foundation
import BeaconModel
import BeaconOutput
import BeaconPrint

/// The board part of the build cache (`.beacon/cache/boards/` beside `content/`, ignored by
/// git, safe to delete): the PDFs and PNG previews of each batch of boards, and the messages
/// laying them out gave, under a fingerprint of everything the batch is made from. A batch
/// whose fingerprint is there is not laid out again: its files are linked into the output and
/// its messages said again. The batches are the same with or without the cache, so the files
/// are the bytes a clean build writes (copies in one batch share their fonts' subsets).
///
/// The fingerprint covers: the Beacon program (by its file), the date the PDFs carry, the print style, the site's
/// title, organisation, address and 主题党日 rule, the preview size, and for each board its
/// whole definition (for a template's copy: the bytes of the template's and the branch's
/// files it is filled in from) and what its
/// blocks read from elsewhere: the bytes of every picture (photos, images, the emblem, the
/// logo), the branch a `stars` block shows, the branches a `branches` block lists, the
/// lessons a `schedule` names, the address of every QR code and printed link, and the font
/// files the style's families resolve to (`FontCatalogue.stamp`: a font installed, removed or
/// updated lays the boards out again).
final class BoardCache: @unchecked Sendable {
    let dir: URL
    private let lock = NSLock()
    private var used: Set<String> = []
    /// Each board's batch fingerprint in this build (the print shop's ZIP is keyed by them).
    private var batchOf: [String: String] = [:]

    func note(_ key: String, for boards: [Board]) {
        lock.lock(); for b in boards { batchOf[b.slug] = key }; lock.unlock()
    }

    /// The fingerprint of a ZIP of these boards, or nil when one of them is not known.
    func zipKey(_ name: String, boards: [Board], date: Date) -> String? {
        let f = Fingerprint()
        f.add("beacon board zip 1"); f.add(name); f.add("\(date.timeIntervalSince1970)")
        lock.lock(); defer { lock.unlock() }
        for b in boards {
            guard let k = batchOf[b.slug] else { return nil }
            f.add(b.slug); f.add(k)
        }
        return f.hex
    }

    var zips: URL { dir.deletingLastPathComponent().appendingPathComponent("zips", isDirectory: true) }

    /// A cached ZIP, linked into the stage at `relative` (and `site/` + it when `site`).
    func restoreZip(_ key: String, to relative: String, site: Bool, stage: OutputStage) -> Bool {
        let cached = zips.appendingPathComponent(key + ".zip")
        guard usable, Self.isWholeFile(cached) else { return false }
        do {
            try stage.link(from: cached, to: relative)
            if site { try stage.link(from: cached, to: "site/" + relative) }
        } catch { return false }
        lock.lock(); usedZips.insert(key + ".zip"); lock.unlock()
        return true
    }

    func storeZip(_ key: String, from file: URL) {
        guard usable else { return }
        let fm = FileManager.default
        try? fm.createDirectory(at: zips, withIntermediateDirectories: true)
        let dest = zips.appendingPathComponent(key + ".zip")
        let temp = zips.appendingPathComponent(".\(key).\(getpid()).tmp")
        try? fm.removeItem(at: temp)
        guard link(file.path, temp.path) == 0 || (try? fm.copyItem(at: file, to: temp)) != nil else { return }
        if rename(temp.path, dest.path) != 0 { try? fm.removeItem(at: temp); return }
        CacheDurability.noteMade()
        lock.lock(); usedZips.insert(key + ".zip"); lock.unlock()
    }
    private var usedZips: Set<String> = []

    /// Whether the cache's folders are real folders (`BuildCacheFolder`); when not, boards are
    /// laid out each time and nothing is read, kept or pruned there.
    let usable: Bool

    init(root: URL) {
        dir = root.appendingPathComponent(".beacon/cache/boards", isDirectory: true)
        usable = BuildCacheFolder.isSafe(dir.path) && BuildCacheFolder.isSafe(dir.deletingLastPathComponent().appendingPathComponent("zips").path)
    }

    /// Whether `url` is a regular file with something in it (never a link, which `link(2)`
    /// would put into the output as a link, nor a folder, pipe or empty file).
    static func isWholeFile(_ url: URL) -> Bool {
        var st = stat()
        return lstat(url.path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFREG && st.st_size > 0
    }

    func entry(_ key: String) -> URL { dir.appendingPathComponent(key, isDirectory: true) }

    /// The batch's files and messages from the cache, linked into the stage; nil when absent.
    func restore(_ key: String, boards: [Board], stage: OutputStage, bag: DiagnosticBag) -> [String: BoardFiles]? {
        let e = entry(key)
        var folder = stat()
        guard usable, lstat(e.path, &folder) == 0, (folder.st_mode & S_IFMT) == S_IFDIR,
              case .success(let bytes) = FileBytes.read(e.appendingPathComponent("messages.txt").path),
              let manifest = String(validating: bytes, as: UTF8.self) else { return nil }
        // Every file there, whole and a file of its own, before any is linked (a batch is
        // restored whole or not at all).
        for i in boards.indices {
            for ext in ["pdf", "png"] where !Self.isWholeFile(e.appendingPathComponent("\(i).\(ext)")) { return nil }
        }
        var out: [String: BoardFiles] = [:]
        do {
            for (i, b) in boards.enumerated() {
                let pdf = "boards/\(b.slug).pdf", png = "boards/\(b.slug).png"
                let cachedPDF = e.appendingPathComponent("\(i).pdf"), cachedPNG = e.appendingPathComponent("\(i).png")
                try stage.link(from: cachedPDF, to: pdf)
                try stage.link(from: cachedPDF, to: "site/" + pdf)
                try stage.link(from: cachedPNG, to: png)
                try stage.link(from: cachedPNG, to: "site/" + png)
                out[b.slug] = BoardFiles(pdf: pdf, png: png)
            }
        } catch { return nil }
        for line in manifest.split(separator: "\n") {
            let f = line.split(separator: "\t", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
            guard f.count == 5, let severity = Diagnostic.Severity(rawValue: f[0]), let l = Int(f[2]), let c = Int(f[3]) else { continue }
            bag.report(Diagnostic(severity, SourceLocation(path: f[1], line: l, column: c), f[4].replacingOccurrences(of: "\\n", with: "\n")))
        }
        lock.lock(); used.insert(key); lock.unlock()
        return out
    }

    /// Keeps a batch made this build: its files as the stage holds them, and its messages.
    /// A cache that cannot be written is no error: the next build lays the batch out again.
    func store(_ key: String, boards: [Board], stage: OutputStage, messages: [Diagnostic]) {
        guard usable else { return }
        let fm = FileManager.default
        let temp = dir.appendingPathComponent(".\(key).\(getpid()).tmp", isDirectory: true)
        do {
            try? fm.removeItem(at: temp)
            try fm.createDirectory(at: temp, withIntermediateDirectories: true)
            for (i, b) in boards.enumerated() {
                for (ext, rel) in [("pdf", "boards/\(b.slug).pdf"), ("png", "boards/\(b.slug).png")] {
                    let dest = temp.appendingPathComponent("\(i).\(ext)")
                    if link(stage.url(rel).path, dest.path) != 0 { try fm.copyItem(at: stage.url(rel), to: dest) }
                }
            }
            let text = messages.map { d in
                "\(d.severity.rawValue)\t\(d.location.path)\t\(d.location.line)\t\(d.location.column)\t\(d.message.replacingOccurrences(of: "\n", with: "\\n"))\n"
            }.joined()
            try Data(text.utf8).write(to: temp.appendingPathComponent("messages.txt"))
            let final = entry(key)
            try? fm.removeItem(at: final)
            try fm.moveItem(at: temp, to: final)
            CacheDurability.noteMade()
            lock.lock(); used.insert(key); lock.unlock()
        } catch {
            try? fm.removeItem(at: temp)
        }
    }

    /// Removes the entries this build did not use (after a full build, never after a partial
    /// one): the cache holds what the last build made, no more. Only Beacon's own entries are
    /// touched: folders named by a fingerprint.
    func prune() {
        guard usable else { return }
        let fm = FileManager.default
        lock.lock(); let keep = used.union(usedZips); lock.unlock()
        for folder in [dir, zips] {
            guard let names = try? fm.contentsOfDirectory(atPath: folder.path) else { continue }
            for name in names where !keep.contains(name) {
                let stem = name.hasSuffix(".zip") ? String(name.dropLast(4)) : name
                let isKey = stem.count == 64 && stem.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) }
                let isTemp = name.hasPrefix(".") && name.hasSuffix(".tmp")
                if isKey || isTemp { try? fm.removeItem(at: folder.appendingPathComponent(name)) }
            }
        }
    }
}

extension BoardRenderer {
    /// The fingerprint of a batch of boards (see `BoardCache`).
    func fingerprint(_ boards: [Board], previewSide: Int) -> String {
        let f = Fingerprint()
        f.add("beacon board batch 1")
        f.add(Fingerprint.program)
        f.add("\(previewSide)")
        // The date the PDFs carry (the newest lesson's, or SOURCE_DATE_EPOCH).
        f.add("\(project.contentDate.timeIntervalSince1970)")
        f.add(dumping: style)
        f.add(FontCatalogue.stamp([style.bodyFont, style.headingFont, style.quoteFont, style.codeFont]))
        if let logo = style.logo { f.add(fileDigest(logo)) }
        let site = project.site
        f.add(site.title); f.add(site.organisation ?? "-"); f.add(site.baseURL); f.add(dumping: site.partyDay as Any)
        for board in boards {
            if let copy = board.copy, let b = branch(copy.branch) {
                // A template's copy is made from the template's file and its branch's file
                // (and Beacon): their bytes stand for its definition, far cheaper than
                // writing the filled-in definition out.
                f.add(board.slug)
                f.add(fileDigest(absolute(copy.templatePath)))
                f.add(fileDigest(absolute(b.path)))
            } else {
                f.add(dumping: board)
            }
            if let e = board.emblem { f.add(resolveFile(e, from: board.path).map(fileDigest) ?? "-") }
            for block in board.blocks {
                switch block.content {
                case .text(_, let doc, _):
                    for link in doc.links { f.add(links.printURL(link) ?? "-") }
                case .people(let people):
                    for p in people { f.add(p.photo.flatMap { resolveFile($0, from: board.path) }.map(fileDigest) ?? "-") }
                case .branches(let filter):
                    f.add(branchesDigest(filter))
                case .stars(let slug):
                    f.add(branch(slug).map { fileDigest(absolute($0.path)) } ?? "-")
                case .schedule(let year):
                    for l in project.lessons where l.partyDay?.year == year { f.add(l.title); f.add(dumping: l.partyDay as Any) }
                case .qr(let target, _):
                    f.add(qrURL(target))
                case .image(let src, _):
                    f.add(resolveFile(src, from: board.path).map(fileDigest) ?? "-")
                case .flow, .stats:
                    break
                }
            }
        }
        return f.hex
    }

    /// A path of the project (content/…) on disk.
    func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : project.root.appendingPathComponent(path).path
    }

    /// A file's bytes, digested once per renderer.
    func fileDigest(_ path: String) -> String {
        if let d = digests[path] { return d }
        let f = Fingerprint()
        f.add(path)
        if let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) { f.add(data) } else { f.add("missing") }
        let d = f.hex
        digests[path] = d
        return d
    }

    /// The branches a `branches` block lists, digested once per renderer and filter.
    func branchesDigest(_ filter: BranchFilter) -> String {
        let f = Fingerprint()
        f.add(dumping: filter)
        let key = f.hex
        if let d = digests["branches:" + key] { return d }
        let all = Fingerprint()
        for b in project.branches.filter(filter.matches) { all.add(b.slug); all.add(fileDigest(absolute(b.path))) }
        let d = all.hex
        digests["branches:" + key] = d
        return d
    }
}
