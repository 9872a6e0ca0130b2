import Foundation
import XCTest

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
            page = "wechat/san-hui-yi-ke/dang-ke/index.html"
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
}
