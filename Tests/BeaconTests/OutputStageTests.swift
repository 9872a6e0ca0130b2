import Foundation
import XCTest
import BeaconModel
@testable import BeaconOutput
import BeaconBuild

/// Safe output: build into a staging folder, swap at the end, never delete a file Beacon did
/// not write, refuse a folder Beacon did not make.
final class OutputStageTests: XCTestCase {
    func testRefusesAForeignNonEmptyFolder() throws {
        let site = try TempSite()
        try site.write("output/notes.txt", "编辑自己的笔记")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.map(\.description), ["output:1:1: error: output/ 不是 Beacon 生成的，里面已有 1 个文件；请换一个输出文件夹，或确认后加 --force (output/ is not empty and was not made by Beacon; choose another folder or pass --force)"])
        XCTAssertEqual(site.snapshot(), ["notes.txt": Data("编辑自己的笔记".utf8)])
        XCTAssertEqual(site.leftovers(), [])
    }

    func testForceKeepsForeignFiles() throws {
        let site = try TempSite()
        try site.write("output/notes.txt", "编辑自己的笔记")
        let (report, _) = site.build(force: true)
        XCTAssertTrue(report.succeeded)
        XCTAssertEqual(try site.read("output/notes.txt"), "编辑自己的笔记")
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("site/index.html").path))
        // The next build, without --force, accepts the folder and still keeps the note.
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertEqual(try site.read("output/notes.txt"), "编辑自己的笔记")
    }

    func testForeignFileInBeaconOutputSurvivesRebuilds() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        try site.write("output/site/robots.txt", "User-agent: *\n")
        try site.write("output/extra/readme.md", "给印刷厂的说明")
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertEqual(try site.read("output/site/robots.txt"), "User-agent: *\n")
        XCTAssertEqual(try site.read("output/extra/readme.md"), "给印刷厂的说明")
        XCTAssertEqual(site.leftovers(), [])
    }

    func testStalePagesOfBeaconAreRemoved() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        let page = "output/site/lessons/xue-xi-yuan-di/di-er-ke/index.html"
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.root.appendingPathComponent(page).path))
        try site.remove("content/lessons/学习园地/第二课.md")
        try site.write("content/lessons/学习园地/第一课.md", "---\ntitle: 第一课\ndate: 2026-03-01\n---\n正文\n")
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.root.appendingPathComponent(page).path))
    }

    func testForeignFileInTheWayOfANewPageIsNotOverwritten() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        try site.write("output/site/lessons/xue-xi-yuan-di/di-san-ke/index.html", "<p>手写的页面</p>")
        try site.write("content/lessons/学习园地/第三课.md", "---\ntitle: 第三课\ndate: 2026-03-03\n---\n正文\n")
        let before = site.snapshot()
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.map(\.description), ["output/site/lessons/xue-xi-yuan-di/di-san-ke/index.html:1:1: error: 这个文件不是 Beacon 写的，但新的构建要写同名文件；请先把它移走，或加 --force 覆盖 (file was not written by Beacon and the build would overwrite it; move it away or pass --force)"])
        XCTAssertEqual(site.snapshot(), before)
    }

    /// A rebuild leaves every unchanged file as it was (same inode, same date) and replaces
    /// only the pages whose bytes changed.
    func testRebuildRewritesOnlyWhatChanged() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        func identity(_ rel: String) throws -> (UInt64, Date) {
            let a = try FileManager.default.attributesOfItem(atPath: site.output.appendingPathComponent(rel).path)
            return ((a[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0, a[.modificationDate] as? Date ?? .distantPast)
        }
        let first = "site/lessons/xue-xi-yuan-di/di-yi-ke/index.html", second = "site/lessons/xue-xi-yuan-di/di-er-ke/index.html"
        let before = (try identity(first), try identity(second), try identity("site/assets/style.css"))
        let manifest = try site.read("output/.beacon-manifest")
        Thread.sleep(forTimeInterval: 0.05)
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertEqual(try identity(first).0, before.0.0)
        XCTAssertEqual(try identity(first).1, before.0.1)
        XCTAssertEqual(try identity("site/assets/style.css").0, before.2.0)
        XCTAssertEqual(try site.read("output/.beacon-manifest"), manifest)
        // Edit the second lesson's body: its page is new, the first lesson's page is not.
        let path = "content/lessons/学习园地/第二课.md"
        try site.write(path, try site.read(path) + "\n补充一段新的内容。\n")
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertNotEqual(try identity(second).0, before.1.0)
        XCTAssertTrue(try site.read("output/" + second).contains("补充一段新的内容。"))
        XCTAssertEqual(try identity(first).0, before.0.0)
        XCTAssertEqual(site.leftovers(), [])
    }

    /// The rule for a manifest line or a path Beacon writes: relative, no empty, "." or ".."
    /// part, no NUL.
    func testPlainRelativePaths() {
        for ok in ["a", "a/b", "site/学习/index.html", ".beacon-manifest", "..x", "x..", ".../a", "a/.b"] {
            XCTAssertTrue(OutputStage.isPlainRelative(ok), ok)
        }
        for bad in ["", "/", "/etc/hostname", "a//b", "a/", "/a", ".", "..", "a/.", "a/..", "../a", "a/./b", "a/../b", "a\u{0}b", "\u{0}", "../\u{301}x", "/\u{301}etc"] {
            XCTAssertFalse(OutputStage.isPlainRelative(bad), bad.debugDescription)
        }
    }

    /// Two folder names Unicode counts as equal (豈 U+8C48 and the compatibility 豈 U+F900) are
    /// two folders: a link under one is never taken for the real folder under the other.
    func testALinkNamedLikeARealFolderIsStillALink() throws {
        let site = try TempSite()
        try site.write("elsewhere/keep.txt", "别人的文件")
        let output = site.output
        try FileManager.default.createDirectory(at: output.appendingPathComponent("\u{8C48}"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: output.appendingPathComponent("\u{F900}").path,
                                                   withDestinationPath: site.root.appendingPathComponent("elsewhere").path)
        let stage = try OutputStage(output: output)
        defer { stage.discard() }
        XCTAssertTrue(stage.pathStaysInside("\u{8C48}/x.html"))
        XCTAssertFalse(stage.pathStaysInside("\u{F900}/x.html"), "the link is not the real folder")
        // Asked the other way round (the link first), the same answers.
        let again = try OutputStage(output: output)
        defer { again.discard() }
        XCTAssertFalse(again.pathStaysInside("\u{F900}/y.html"))
        XCTAssertTrue(again.pathStaysInside("\u{8C48}/y.html"))
    }

    /// A file the cache does not hold is made in the stage and linked into the cache under its
    /// name: the output's file and the cache's are one file, the cache's folder holds nothing
    /// else (no temporary name), and a file another build put under that name since the cache
    /// was listed gives way. A failed `make` leaves nothing in the stage or the cache.
    func testACacheEntryIsMadeInTheStageAndLinkedIntoTheCache() throws {
        let site = try TempSite()
        let cacheDir = site.root.appendingPathComponent(".beacon/cache/t")
        let stage = try OutputStage(output: site.output)
        let cache = CachedFiles(root: site.root, part: "t")
        let fresh = String(repeating: "cd", count: 32), raced = String(repeating: "ab", count: 32)
        try cache.file(key: fresh, ext: "html", into: "site/a/index.html", stage: stage) { path in
            try writeNewFile(path, "<p>第一页</p>")
        }
        // Put there after the listing (another build): replaced by this build's file.
        try Data("别的构建写的".utf8).write(to: cacheDir.appendingPathComponent(raced + ".html"))
        try cache.file(key: raced, ext: "html", into: "site/c/index.html", stage: stage) { path in
            try writeNewFile(path, "<p>第三页</p>")
        }
        XCTAssertThrowsError(try cache.file(key: String(repeating: "ef", count: 32), ext: "html", into: "site/b/index.html", stage: stage) { path in
            try writeNewFile(path, "<p>写了一半</p>")
            throw POSIXError(.EIO)
        })
        try stage.commit(force: false)
        for (key, page, text) in [(fresh, "site/a/index.html", "<p>第一页</p>"), (raced, "site/c/index.html", "<p>第三页</p>")] {
            var a = stat(), c = stat()
            XCTAssertEqual(lstat(site.output.appendingPathComponent(page).path, &a), 0)
            XCTAssertEqual(lstat(cacheDir.appendingPathComponent(key + ".html").path, &c), 0)
            XCTAssertEqual(a.st_ino, c.st_ino, "one file, linked: \(page)")
            XCTAssertEqual(try String(contentsOf: cacheDir.appendingPathComponent(key + ".html"), encoding: .utf8), text)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("site/b/index.html").path), "a failed page is not in the output")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cacheDir.path).sorted(), [raced + ".html", fresh + ".html"].sorted(),
                       "no temporary names, nothing for the failed page")
        // The same page into a new output: the cache's file is linked, nothing is made.
        try FileManager.default.removeItem(at: site.output)
        let again = try OutputStage(output: site.output)
        try CachedFiles(root: site.root, part: "t").file(key: fresh, ext: "html", into: "site/a/index.html", stage: again) { _ in XCTFail("made again") }
        try again.commit(force: false)
        XCTAssertEqual(try String(contentsOf: site.output.appendingPathComponent("site/a/index.html"), encoding: .utf8), "<p>第一页</p>")
        XCTAssertEqual(site.leftovers(), [])
    }

    /// A file that goes into another one (a WeChat copy's picture) is read from the cache or
    /// made into it: an entry that is not whole is made again; a failed `make` leaves no entry
    /// and no temporary file; a folder standing at an entry's name does not stop the build
    /// (the bytes serve it, uncached); `keep` keeps an entry through `prune` without reading
    /// it; temporary files that killed builds left are removed once they are old.
    func testBytesFromTheCacheAreWholeOrMadeAgain() throws {
        let site = try TempSite()
        let cacheDir = site.root.appendingPathComponent(".beacon/cache/t")
        let whole = { (b: [UInt8]) in b.last == UInt8(ascii: "!") }
        let cut = String(repeating: "0a", count: 32), kept = String(repeating: "1b", count: 32), dropped = String(repeating: "2c", count: 32)
        let folder = String(repeating: "3d", count: 32), failing = String(repeating: "4e", count: 32)
        try FileManager.default.createDirectory(at: cacheDir.appendingPathComponent(folder + ".png"), withIntermediateDirectories: true)
        for (key, text) in [(cut, "写了一"), (kept, "留着!"), (dropped, "不用了!")] {
            try Data(text.utf8).write(to: cacheDir.appendingPathComponent(key + ".png"))
        }
        let oldTemp = "." + dropped + ".png.99999.12345.tmp", youngTemp = "." + kept + ".png.99998.6789.tmp"
        for name in [oldTemp, youngTemp] { try Data("半个".utf8).write(to: cacheDir.appendingPathComponent(name)) }
        var old = [timespec(tv_sec: time(nil) - 3600, tv_nsec: 0), timespec(tv_sec: time(nil) - 3600, tv_nsec: 0)]
        XCTAssertEqual(utimensat(AT_FDCWD, cacheDir.appendingPathComponent(oldTemp).path, &old, 0), 0)
        XCTAssertTrue(CachedFiles.isTempName(oldTemp))
        XCTAssertFalse(CachedFiles.isTempName("." + kept + ".png.tmp"))
        let cache = CachedFiles(root: site.root, part: "t")
        var made = 0
        // Cut short: made again, and the entry is whole now.
        XCTAssertEqual(try cache.bytes(key: cut, ext: "png", whole: whole) { path in made += 1; try writeNewFile(path, "重画的!") },
                       Array("重画的!".utf8))
        XCTAssertEqual(try String(contentsOf: cacheDir.appendingPathComponent(cut + ".png"), encoding: .utf8), "重画的!")
        // A folder at the name: the bytes all the same, and the folder is left alone.
        XCTAssertEqual(try cache.bytes(key: folder, ext: "png", whole: whole) { path in made += 1; try writeNewFile(path, "画好了!") },
                       Array("画好了!".utf8))
        // A failed make: thrown, nothing left; one that makes a file cut short: thrown too.
        XCTAssertThrowsError(try cache.bytes(key: failing, ext: "png", whole: whole) { path in
            try writeNewFile(path, "一半"); throw POSIXError(.EIO)
        })
        XCTAssertThrowsError(try cache.bytes(key: failing, ext: "png", whole: whole) { path in try writeNewFile(path, "一半") })
        XCTAssertEqual(made, 2)
        cache.keep(key: kept, ext: "png")
        cache.keep(key: String(repeating: "5f", count: 32), ext: "png")   // not there: nothing to keep
        cache.prune()
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: cacheDir.path).sorted(),
                       [cut + ".png", kept + ".png", folder + ".png", youngTemp].sorted(),
                       "the kept, the made and the folder stay; the unused entry and the old temporary file go")
        XCTAssertEqual(try String(contentsOf: cacheDir.appendingPathComponent(kept + ".png"), encoding: .utf8), "留着!")
    }

    /// A page written into the stage where a page from the cache was staged before replaces
    /// it and never writes into the cache's file (they are one file until then).
    func testWritingOverAStagedCacheFileLeavesTheCacheAlone() throws {
        let site = try TempSite()
        let stage = try OutputStage(output: site.output)
        let cache = CachedFiles(root: site.root, part: "t")
        let key = String(repeating: "12", count: 32)
        try cache.file(key: key, ext: "html", into: "site/x.html", stage: stage) { path in try writeNewFile(path, "缓存里的页") }
        try stage.write("site/x.html", "后来写的页")
        try stage.commit(force: false)
        XCTAssertEqual(try String(contentsOf: site.root.appendingPathComponent(".beacon/cache/t/\(key).html"), encoding: .utf8), "缓存里的页")
        XCTAssertEqual(try String(contentsOf: site.output.appendingPathComponent("site/x.html"), encoding: .utf8), "后来写的页")
    }

    /// A path made again whose making fails leaves nothing staged under it (the file staged
    /// first is gone), so the commit does not look for it; a path written and then kept as the
    /// last build had it leaves no staged file behind to be written into later.
    func testTheStageHoldsExactlyWhatItNames() throws {
        let site = try TempSite()
        let first = try OutputStage(output: site.output)
        try first.write("site/kept.html", "上次的页")
        try first.commit(force: false)
        let stage = try OutputStage(output: site.output)
        try stage.write("site/twice.html", "第一次")
        XCTAssertThrowsError(try stage.make("site/twice.html") { path in
            try writeNewFile(path, "写了一半")
            throw POSIXError(.EIO)
        })
        try stage.write("site/kept.html", "改过的页")
        try stage.write("site/kept.html", "上次的页")
        XCTAssertFalse(FileManager.default.fileExists(atPath: stage.staging.appendingPathComponent("site/kept.html").path),
                       "kept as the output has it: nothing staged")
        try stage.commit(force: false)
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("site/twice.html").path))
        XCTAssertEqual(try String(contentsOf: site.output.appendingPathComponent("site/kept.html"), encoding: .utf8), "上次的页")
        XCTAssertEqual(site.leftovers(), [])
    }

    /// The folders at the top of the output are made under a random name and renamed (the
    /// file system places them by their name's hash otherwise): the output holds them under
    /// their own names and nothing else.
    func testTopFoldersAreMadeUnderTheirNames() throws {
        let site = try TempSite()
        let stage = try OutputStage(output: site.output)
        for rel in ["site/index.html", "site/lessons/a/index.html", "books/书.pdf", "wechat/a/b.html"] {
            try stage.write(rel, "页")
        }
        try stage.commit(force: false)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: site.output.path).sorted(),
                       [".beacon-manifest", "books", "site", "wechat"])
        XCTAssertEqual(site.leftovers(), [])
    }

    /// A manifest edited to name files outside output/, or a folder of output/ replaced by a
    /// symbolic link, never makes Beacon remove or write a file outside output/.
    func testTamperedManifestAndLinkedFoldersStayInside() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        try site.write("outside.txt", "别人的文件")
        try site.write("elsewhere/keep.txt", "也是别人的")
        let manifest = site.output.appendingPathComponent(".beacon-manifest")
        try (try String(contentsOf: manifest, encoding: .utf8) + "../outside.txt\n/etc/hostname\nsite/../../outside.txt\nlinked/keep.txt\n")
            .write(to: manifest, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: site.output.appendingPathComponent("linked").path,
                                                   withDestinationPath: site.root.appendingPathComponent("elsewhere").path)
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertEqual(try site.read("outside.txt"), "别人的文件")
        XCTAssertEqual(try site.read("elsewhere/keep.txt"), "也是别人的")
        XCTAssertFalse(try site.read("output/.beacon-manifest").contains(".."))
        // A folder Beacon writes into, replaced by a link to elsewhere: refused, nothing written there.
        let media = site.output.appendingPathComponent("site/media")
        try FileManager.default.removeItem(at: media)
        try FileManager.default.createSymbolicLink(atPath: media.path, withDestinationPath: site.root.appendingPathComponent("elsewhere").path)
        try site.write("content/lessons/学习园地/第一课.md", "---\ntitle: 第一课\ndate: 2026-03-01\n---\n改过的正文\n")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertTrue(diags.contains { $0.description.contains("symbolic link") }, "\(diags)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("elsewhere").path), ["keep.txt"])
        XCTAssertEqual(site.leftovers(), [])
    }

    /// Files a library writes (a board's preview) and the manifest keep their date when the
    /// rebuild made the same bytes.
    func testUnchangedPicturesAndManifestKeepTheirDate() throws {
        let site = try TempSite()
        try site.write("content/boards/gong-gao.yml", "title: 公告\nsize: a4\ncolumns: 1\nblocks:\n  - type: text\n    body: 每月十五日开展主题党日。\n")
        XCTAssertTrue(site.build().0.succeeded)
        func inode(_ rel: String) throws -> UInt64 {
            let a = try FileManager.default.attributesOfItem(atPath: site.output.appendingPathComponent(rel).path)
            return (a[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
        }
        let png = try inode("boards/gong-gao.png"), manifest = try inode(".beacon-manifest")
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertEqual(try inode("boards/gong-gao.png"), png)
        XCTAssertEqual(try inode("site/boards/gong-gao.png"), png, "still one file under both names")
        XCTAssertEqual(try inode(".beacon-manifest"), manifest)
    }

    /// Files copied as they are (content/media, the theme's static files) are copied as bytes:
    /// a link inside its folder is followed, a link out of it, a link to a folder, a pipe
    /// are refused with a message naming them, without hanging and without publishing anything.
    func testMediaLinksAndPipesAreRefused() throws {
        let site = try TempSite()
        let fm = FileManager.default
        let media = site.root.appendingPathComponent("content/media")
        try site.write("secret.txt", "构建机器上的文件")
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("inside.svg").path, withDestinationPath: "pic.svg")
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("outside.txt").path,
                                  withDestinationPath: site.root.appendingPathComponent("secret.txt").path)
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("root").path, withDestinationPath: "/")
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("loop").path, withDestinationPath: ".")
        XCTAssertEqual(mkfifo(media.appendingPathComponent("pipe.png").path, 0o644), 0)
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        let messages = diags.map(\.description)
        XCTAssertTrue(messages.contains("content/media/outside.txt:1:1: error: 符号链接指到了所在文件夹之外（或指回文件夹自己），不会发布 (symbolic link points outside its folder or back at it; not published)"), "\(messages)")
        XCTAssertTrue(messages.contains("content/media/pipe.png:1:1: error: 不是普通文件（指向文件夹的链接、管道、设备或套接字），不会发布 (not a regular file; not published)"), "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("content/media/root:1:1: error:") }, "\(messages)")
        XCTAssertTrue(messages.contains { $0.hasPrefix("content/media/loop:1:1: error:") }, "\(messages)")
        XCTAssertFalse(fm.fileExists(atPath: site.output.path), "a failed build publishes nothing")
        // Without the bad entries the link inside media/ is published as a copy, not a link.
        for name in ["outside.txt", "root", "loop", "pipe.png"] { try fm.removeItem(at: media.appendingPathComponent(name)) }
        XCTAssertTrue(site.build().0.succeeded)
        let copied = site.output.appendingPathComponent("site/media/inside.svg").path
        XCTAssertEqual(try fm.attributesOfItem(atPath: copied)[.type] as? FileAttributeType, .typeRegular)
    }

    func testOutputThatIsAFileIsRefused() throws {
        let site = try TempSite()
        try site.write("output", "不是文件夹")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.map(\.description), ["output:1:1: error: output 是一个文件而不是文件夹，Beacon 不会覆盖它 (output is a file, not a folder; Beacon will not replace it)"])
        XCTAssertEqual(try site.read("output"), "不是文件夹")
        XCTAssertEqual(site.leftovers(), [])
    }
}
