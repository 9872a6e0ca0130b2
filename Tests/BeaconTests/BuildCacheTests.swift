import Foundation
import XCTest
import BeaconModel
import BeaconLoad
import BeaconMarkdown

/// The build cache (`.beacon/cache/`): a rebuild reuses the boards whose inputs did not
/// change, and its output is byte for byte what a clean build of the same input writes.
final class BuildCacheTests: XCTestCase {

    func inode(_ url: URL) -> UInt64 {
        var st = stat()
        return stat(url.path, &st) == 0 ? UInt64(st.st_ino) : 0
    }

    func build(_ site: TempSite) {
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, diags.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
    }

    /// Builds the example, changes it with `edit`, rebuilds with the cache, and compares with
    /// a clean build of the changed example. Returns the boards the rebuild made again.
    @discardableResult
    func check(_ what: String, _ edit: (TempSite) throws -> Void) throws -> Set<String> {
        let cached = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        build(cached)
        let boards = cached.output.appendingPathComponent("boards")
        let before = Dictionary(uniqueKeysWithValues: try treeFiles(boards).keys.filter { $0.hasSuffix(".pdf") }
            .map { ($0, inode(boards.appendingPathComponent($0))) })
        XCTAssertEqual(before.count, 16)
        try edit(cached)
        build(cached)

        let clean = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        try edit(clean)
        build(clean)
        let a = try treeFiles(cached.output), b = try treeFiles(clean.output)
        XCTAssertEqual(Set(a.keys), Set(b.keys), what)
        XCTAssertEqual(a.keys.filter { a[$0] != b[$0] }.sorted(), [], "\(what): files of the cached rebuild that differ from a clean build")
        return Set(before.keys.filter { before[$0] != inode(boards.appendingPathComponent($0)) })
    }

    func testCachedRebuildAfterEditingALessonEqualsACleanBuild() throws {
        let remade = try check("one lesson") { site in
            let path = "content/lessons/两学一做/学党章党规.md"
            let text = try site.read(path)
            try site.write(path, text + "\n补充一段：**对照党章找差距。**每名党员写出三条整改措施。\n")
        }
        XCTAssertEqual(remade, [], "no board shows this lesson's text")
    }

    /// A newer lesson moves the date every PDF carries: every board is made again.
    func testCachedRebuildAfterANewerLessonEqualsACleanBuild() throws {
        let remade = try check("a newer lesson") { site in
            try site.write("content/lessons/两学一做/新的一课.md", "---\ntitle: 新的一课\ndate: 2026-11-30\n---\n**学习贯彻党的二十大精神。**结合支部实际谈体会。\n")
        }
        XCTAssertEqual(remade.count, 16)
    }

    func testCachedRebuildAfterEditingABranchEqualsACleanBuild() throws {
        let remade = try check("one branch profile") { site in
            let path = "content/branches/qingshi-cun.md"
            let text = try site.read(path)
            try site.write(path, text.replacingOccurrences(of: "members: ", with: "members: 1"))
        }
        // That branch's copies are made again (with the seven others of their batches), not all.
        XCTAssertTrue(remade.contains { $0.contains("qingshi-cun") }, "\(remade)")
        XCTAssertFalse(remade.contains("san-hui-yi-ke.pdf"), "\(remade)")
    }

    func testCachedRebuildAfterEditingATemplateEqualsACleanBuild() throws {
        let remade = try check("a template board") { site in
            let path = "content/boards/支部亮牌.yml"
            try site.write(path, try site.read(path).replacingOccurrences(of: "footer: 中共青石区委组织部监制", with: "footer: 中共青石区委组织部印制"))
        }
        XCTAssertTrue(remade.contains { $0.hasPrefix("zhi-bu-liang-pai/") }, "\(remade)")
        XCTAssertFalse(remade.contains("san-hui-yi-ke.pdf"), "\(remade)")
    }

    func testCachedRebuildAfterEditingTheThemeCSSEqualsACleanBuild() throws {
        let remade = try check("the theme's CSS") { site in
            let path = "themes/default/static/style.css"
            try site.write(path, try site.read(path) + "\n.lesson h2 { letter-spacing: 0.02em; }\n")
        }
        XCTAssertEqual(remade, [])
    }

    func testCachedRebuildAfterEditingPrintYMLEqualsACleanBuild() throws {
        let remade = try check("print.yml") { site in
            let path = "themes/default/print.yml"
            try site.write(path, try site.read(path).replacingOccurrences(of: "accent: \"#a81c1c\"", with: "accent: \"#9e1b1b\""))
        }
        XCTAssertEqual(remade.count, 16, "every board is made again")
    }

    /// The WeChat copy of 怎样讲好一堂党课 refers to 合格党员的四条标准 by its wechat_url: a new
    /// address there changes that page, though its own text did not change.
    func testCachedRebuildAfterALinkedLessonsWeChatAddressChangesEqualsACleanBuild() throws {
        var page = ""
        try check("a linked lesson's wechat_url") { site in
            let path = "content/lessons/两学一做/合格党员标准.md"
            try site.write(path, try site.read(path).replacingOccurrences(of: "qingshi-hege-dangyuan", with: "qingshi-hege-dangyuan-2"))
            page = "wechat/san-hui-yi-ke/dang-ke.html"
        }
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        build(site)
        let before = try String(contentsOf: site.output.appendingPathComponent(page), encoding: .utf8)
        let path = "content/lessons/两学一做/合格党员标准.md"
        try site.write(path, try site.read(path).replacingOccurrences(of: "qingshi-hege-dangyuan", with: "qingshi-hege-dangyuan-2"))
        build(site)
        let after = try String(contentsOf: site.output.appendingPathComponent(page), encoding: .utf8)
        XCTAssertTrue(before.contains("mp.weixin.qq.com/s/qingshi-hege-dangyuan<"), before)
        XCTAssertTrue(after.contains("mp.weixin.qq.com/s/qingshi-hege-dangyuan-2<"), after)
    }

    func testCachedRebuildAfterEditingTheWeChatStylesEqualsACleanBuild() throws {
        try check("the theme's wechat.yml") { site in
            try site.write("themes/default/wechat.yml", try site.read("themes/default/wechat.yml").replacingOccurrences(of: "h3: \"margin:1.6em", with: "h3: \"margin:1.8em"))
        }
    }

    /// A lesson's new title reaches the pages of its neighbours (上一篇/下一篇) and the lists:
    /// cached lesson pages are keyed by everything their template sees, so those are made
    /// again and the others are linked from the cache, the very files of the last build.
    func testCachedRebuildAfterATitleChangesRemakesItsNeighboursOnly() throws {
        let path = "content/lessons/三会一课/党课.md"
        try check("a lesson's title") { site in
            try site.write(path, try site.read(path).replacingOccurrences(of: "title: 怎样讲好一堂党课", with: "title: 怎样讲好一堂微党课"))
        }
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        build(site)
        build(site)
        let lessons = site.output.appendingPathComponent("site/lessons")
        let pages = try treeFiles(lessons).keys.filter { $0.split(separator: "/").count == 3 }
        let before = Dictionary(uniqueKeysWithValues: pages.map { ($0, inode(lessons.appendingPathComponent($0))) })
        try site.write(path, try site.read(path).replacingOccurrences(of: "title: 怎样讲好一堂党课", with: "title: 怎样讲好一堂微党课"))
        build(site)
        let remade = Set(pages.filter { before[$0] != inode(lessons.appendingPathComponent($0)) })
        XCTAssertTrue(remade.contains("san-hui-yi-ke/dang-ke/index.html"), "\(remade)")
        XCTAssertGreaterThanOrEqual(remade.count, 2, "a neighbour shows the new title: \(remade)")
        XCTAssertLessThanOrEqual(remade.count, 3, "\(remade)")
        XCTAssertFalse(remade.contains { $0.hasPrefix("liang-xue-yi-zuo/") }, "\(remade)")
        let neighbours = try remade.filter { $0 != "san-hui-yi-ke/dang-ke/index.html" }.map { try String(contentsOf: lessons.appendingPathComponent($0), encoding: .utf8) }
        XCTAssertTrue(neighbours.allSatisfy { $0.contains("怎样讲好一堂微党课") })
    }

    /// A rebuild takes the lesson files it knows from the cache's records: it parses only the
    /// texts it renders again (the pocket books'; every page comes from the cache), it says
    /// every warning the first build said, and an edited lesson is parsed once.
    func testARebuildParsesOnlyTheTextsItRenders() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        // A lesson that gives warnings: a link whose address is dropped, a space between two
        // Chinese words (a copy rule).
        try site.write("content/lessons/主题党日/警告示例.md",
                       "---\ntitle: 警告示例\ndate: 2026-05-01\n---\n**先学一遍。**再看[这里](javascript:alert(1))。\n\n支部 党员按时参加。\n")
        let first = site.build()
        XCTAssertTrue(first.0.succeeded)
        let counter = MarkdownParser.parseCount
        counter.reset()
        counter.enabled = true
        defer { counter.enabled = false; counter.reset() }
        let second = site.build()
        XCTAssertTrue(second.0.succeeded)
        XCTAssertEqual(second.1.map(\.description), first.1.map(\.description), "the same warnings, from the records")
        XCTAssertGreaterThanOrEqual(first.1.filter { $0.location.path.hasSuffix("警告示例.md") }.count, 2, "\(first.1)")
        let lessons = try XCTUnwrap(ContentLoader(root: site.root, bag: DiagnosticBag()).load()).lessons.map(\.path)
        // 主题党日 is in no pocket book: nothing of it is parsed.
        let counts = counter.byPath
        let outsideBooks = lessons.filter { $0.hasPrefix("content/lessons/主题党日/") }
        XCTAssertEqual(outsideBooks.count, 5)
        for path in outsideBooks { XCTAssertNil(counts[path], path) }
        for path in lessons { XCTAssertLessThanOrEqual(counts[path, default: 0], 1, path) }
        XCTAssertGreaterThan(counts.count, 0, "the books' lessons are parsed for the books")

        let edited = "content/lessons/主题党日/主题党日怎样组织.md"
        try site.write(edited, try site.read(edited) + "\n**每月固定一天。**党员提前知道，按时参加。\n")
        counter.reset()
        let third = site.build()
        XCTAssertTrue(third.0.succeeded)
        XCTAssertEqual(counter.byPath[edited], 1, "read afresh once, its tree shared by the stages that render it")
        for path in outsideBooks where path != edited { XCTAssertNil(counter.byPath[path], path) }
    }

    /// A change every page sees (the site's title) renders every lesson page and WeChat copy
    /// again from the records: each text is parsed once, its tree passed from the lesson
    /// page to the WeChat copy that runs beside the site's lists.
    func testASiteWideChangeParsesEachTextOnce() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        XCTAssertTrue(try site.read("content/site.yml").contains("wechat: true"))
        XCTAssertTrue(site.build().0.succeeded)
        let yml = try site.read("content/site.yml")
        let title = try XCTUnwrap(yml.split(separator: "\n").first { $0.hasPrefix("title:") })
        try site.write("content/site.yml", yml.replacingOccurrences(of: String(title), with: String(title) + "（新）"))
        let ((report, diagnostics), counts) = countingParses { site.build() }
        XCTAssertTrue(report.succeeded, "\(diagnostics)")
        let lessons = try XCTUnwrap(ContentLoader(root: site.root, bag: DiagnosticBag()).load()).lessons.map(\.path)
        XCTAssertGreaterThan(lessons.count, 10)
        for path in lessons { XCTAssertEqual(counts[path], 1, path) }
        let clean = try TempSite(copyingContentFrom: site.root.appendingPathComponent("content"))
        XCTAssertTrue(clean.build().0.succeeded)
        XCTAssertEqual(try treeFiles(site.output.appendingPathComponent("wechat")), try treeFiles(clean.output.appendingPathComponent("wechat")))
    }

    /// The records are the cache's, not the editor's: a damaged or foreign file is read up to
    /// where it goes wrong, a record that does not decode is not used, and the output is what
    /// a clean build writes.
    func testDamagedRecordsAreNotUsed() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        build(site)
        let cache = site.root.appendingPathComponent(".beacon/cache")
        let memos = try FileManager.default.contentsOfDirectory(atPath: cache.path).filter { $0.hasSuffix(".memo") }
        XCTAssertGreaterThan(memos.filter { $0.hasPrefix("lessons-") }.count, 4)
        for (i, name) in memos.enumerated() {
            let url = cache.appendingPathComponent(name)
            var bytes = [UInt8](try Data(contentsOf: url))
            guard bytes.count > 80 else { continue }
            switch name.hasPrefix("lessons-") ? 1 : i % 3 {
            case 0: bytes = Array(bytes.prefix(bytes.count / 2))           // cut short
            case 1:
                // One bit of each entry's first text (a lesson's slug): still a record, with
                // other text in it.
                var at = 0
                while at + 66 < bytes.count, let nl = bytes[at...].firstIndex(of: 10) {
                    let head = String(decoding: bytes[at..<nl], as: UTF8.self).split(separator: " ")
                    guard head.count == 3, let n = Int(head[1]) else { break }
                    if n > 2 { bytes[nl + 2] ^= 0x01 }
                    at = nl + 1 + n + 1
                }
            default: bytes = Array("not a memo at all\n".utf8) + bytes     // foreign
            }
            try Data(bytes).write(to: url)
        }
        try "U+4E00 zzz\nnonsense\n".write(to: cache.appendingPathComponent("pinyin.txt"), atomically: true, encoding: .utf8)
        build(site)
        let clean = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        build(clean)
        let a = try treeFiles(site.output), b = try treeFiles(clean.output)
        XCTAssertEqual(Set(a.keys), Set(b.keys))
        XCTAssertEqual(a.keys.filter { a[$0] != b[$0] }.sorted(), [])
    }
}
