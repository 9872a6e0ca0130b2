import Foundation
import XCTest
import BeaconModel
import BeaconBoards

final class BoardGeometryTests: XCTestCase {
    func testGridRows() {
        let rows = BoardGrid.rows(spans: [1, 1, 1, 2, 1, 3, 1], columns: 3)
        XCTAssertEqual(rows.map { $0.map(\.block) }, [[0, 1, 2], [3, 4], [5], [6]])
        XCTAssertEqual(rows[1].map(\.column), [0, 2])
        XCTAssertEqual(BoardGrid.rows(spans: [5], columns: 3)[0][0].span, 3, "a span wider than the grid is clamped")
    }

    func testGridFrames() {
        // 3 columns in 300 pt with 15 pt gutters: columns of 90 pt.
        let a = BoardGrid.frame(column: 0, span: 1, columns: 3, width: 300, gutter: 15)
        XCTAssertEqual(a.x, 0); XCTAssertEqual(a.width, 90, accuracy: 1e-9)
        let b = BoardGrid.frame(column: 1, span: 2, columns: 3, width: 300, gutter: 15)
        XCTAssertEqual(b.x, 105, accuracy: 1e-9); XCTAssertEqual(b.width, 195, accuracy: 1e-9)
        let c = BoardGrid.frame(column: 2, span: 1, columns: 3, width: 300, gutter: 15)
        XCTAssertEqual(c.x + c.width, 300, accuracy: 1e-9, "the last column ends at the edge")
    }

    func testFlowOfThreeGoesAcross() {
        let cols = FlowArrangement.columns(count: 3, width: 1000, minCell: 200, aspect: 2)
        XCTAssertEqual(cols, 3)
        XCTAssertEqual(FlowArrangement.describe(count: 3, columns: cols), "across")
        XCTAssertEqual(FlowArrangement.positions(count: 3, columns: cols).map { [$0.row, $0.column] }, [[0, 0], [0, 1], [0, 2]])
    }

    func testFlowOfFiveSnakesInATallBlock() {
        let cols = FlowArrangement.columns(count: 5, width: 900, minCell: 200, aspect: 0.8)
        XCTAssertEqual(cols, 2)
        XCTAssertEqual(FlowArrangement.describe(count: 5, columns: cols), "snake")
        XCTAssertEqual(FlowArrangement.positions(count: 5, columns: cols).map { [$0.row, $0.column] },
                       [[0, 0], [0, 1], [1, 1], [1, 0], [2, 0]])
        // In a narrow block the same five go down.
        let narrow = FlowArrangement.columns(count: 5, width: 250, minCell: 200, aspect: 0.3)
        XCTAssertEqual(FlowArrangement.describe(count: 5, columns: narrow), "down")
    }

    func testFlowOfTwentyFiveMakesAFiveByFiveSnake() {
        let cols = FlowArrangement.columns(count: 25, width: 3000, minCell: 200, aspect: 1)
        XCTAssertEqual(cols, 5)
        let p = FlowArrangement.positions(count: 25, columns: cols)
        XCTAssertEqual(p.count, 25)
        XCTAssertEqual(p[4].row, 0); XCTAssertEqual(p[4].column, 4)
        XCTAssertEqual(p[5].row, 1); XCTAssertEqual(p[5].column, 4, "the second row starts under the end of the first")
        XCTAssertEqual(p[9].column, 0)
        XCTAssertEqual(p[24].row, 4); XCTAssertEqual(p[24].column, 4)
        // Every cell used once.
        XCTAssertEqual(Set(p.map { $0.row * 10 + $0.column }).count, 25)
    }

    func testFit() {
        // Text of 1000 characters in a box that holds 40 000 square points at size s (s² per character).
        let fits: (Double) -> Bool = { s in 1000 * s * s <= 40_000 }
        XCTAssertEqual(Fit.size(minimum: 4, maximum: 12, fits: fits)!, 6.32, accuracy: 0.1)
        XCTAssertEqual(Fit.size(minimum: 4, maximum: 5, fits: fits), 5, "fits at full size")
        XCTAssertNil(Fit.size(minimum: 8, maximum: 12, fits: fits), "does not fit even at the minimum")
    }

    func testTypeSizesFollowTheBoard() {
        let big = BoardRenderer.typeSizes(for: .mm(1200, 900))
        XCTAssertEqual(big.minimum, 24, accuracy: 0.01)
        XCTAssertGreaterThan(big.body, big.minimum)
        let a4 = BoardRenderer.typeSizes(for: .mm(210, 297))
        XCTAssertEqual(a4.minimum, 8)
    }
}

/// The example boards as the print shop and the website get them.
final class BoardOutputTests: XCTestCase {
    nonisolated(unsafe) static var site: TempSite?
    override class func setUp() {
        super.setUp()
        guard let s = try? TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content")) else { return }
        _ = s.build()
        site = s
    }
    override class func tearDown() { site = nil; super.tearDown() }
    var boards: URL { Self.site!.output.appendingPathComponent("boards") }

    let expected: [(slug: String, w: Double, h: Double, bleed: Double)] = [
        ("san-hui-yi-ke", 1200, 900, 10), ("dang-yuan-fa-zhan-liu-cheng", 900, 1200, 10), ("shen-bian-de-bang-yang", 1200, 900, 10),
        ("zhi-bu-xing-ji-liang-pai", 900, 1200, 10), ("ming-bai-zhi", 210, 297, 5), ("yi-la-bao", 800, 2000, 10),
        // Copies of the template boards.
        ("zhi-bu-liang-pai/qingshi-cun", 600, 900, 10), ("zhi-bu-liang-pai/xinghuo-keji", 600, 900, 10),
        ("zhi-bu-gai-kuang/guihuali-shequ", 1200, 900, 10),
    ]

    func testEveryBoardIsPrintReady() throws {
        let pdfinfo = try XCTUnwrap(which("pdfinfo")), qpdf = try XCTUnwrap(which("qpdf")), pdffonts = try XCTUnwrap(which("pdffonts"))
        let pt = 72 / 25.4
        for b in expected {
            let pdf = boards.appendingPathComponent("\(b.slug).pdf").path
            XCTAssertTrue(FileManager.default.fileExists(atPath: pdf), b.slug)
            let info = try runCommand(pdfinfo, ["-box", pdf]).stdout
            func box(_ name: String) -> [Double] {
                guard let line = info.split(separator: "\n").first(where: { $0.hasPrefix(name) }) else { return [] }
                return line.split(separator: " ").compactMap { Double($0) }
            }
            let size = box("Page size:")
            XCTAssertEqual(size[0], (b.w + 2 * b.bleed) * pt, accuracy: 0.1, b.slug)
            XCTAssertEqual(size[1], (b.h + 2 * b.bleed) * pt, accuracy: 0.1, b.slug)
            let trim = box("TrimBox:"), bleed = box("BleedBox:")
            XCTAssertEqual(trim.count, 4, b.slug)
            XCTAssertEqual(trim[0], b.bleed * pt, accuracy: 0.01)
            XCTAssertEqual(trim[2] - trim[0], b.w * pt, accuracy: 0.1, "TrimBox is the finished size")
            XCTAssertEqual(trim[3] - trim[1], b.h * pt, accuracy: 0.1)
            XCTAssertEqual(bleed.count, 4, b.slug)
            for (got, want) in zip(bleed, [0, 0, size[0], size[1]]) { XCTAssertEqual(got, want, accuracy: 0.01, "BleedBox is the whole page") }
            let check = try runCommand(qpdf, ["--check", pdf])
            XCTAssertEqual(check.status, 0, "\(b.slug): \(check.stderr)")
            XCTAssertFalse(check.stderr.contains("WARNING"))
            for row in try runCommand(pdffonts, [pdf]).stdout.split(separator: "\n").dropFirst(2) {
                XCTAssertEqual(Array(row.split(separator: " ").suffix(5).prefix(3)), ["yes", "yes", "yes"], "\(b.slug): \(row)")
            }
            // The preview shows the trimmed board at its own aspect.
            let png = try Data(contentsOf: boards.appendingPathComponent("\(b.slug).png"))
            let w = png[16..<20].reduce(0) { $0 << 8 | Int($1) }, h = png[20..<24].reduce(0) { $0 << 8 | Int($1) }
            XCTAssertEqual(Double(w) / Double(h), b.w / b.h, accuracy: 0.01, b.slug)
            XCTAssertEqual(max(w, h), b.slug.contains("/") ? 1000 : 1600, "copies of template boards have smaller previews")
        }
    }

    func testBoardTextIsRealText() throws {
        let pdftotext = try XCTUnwrap(which("pdftotext"))
        let t = try runCommand(pdftotext, [boards.appendingPathComponent("dang-yuan-fa-zhan-liu-cheng.pdf").path, "-"]).stdout
        for s in ["发展党员工作流程", "申请入党", "递交入党申请书", "材料归档"] { XCTAssertTrue(t.contains(s), s) }
        let people = try runCommand(pdftotext, [boards.appendingPathComponent("shen-bian-de-bang-yang.pdf").path, "-"]).stdout
        XCTAssertTrue(people.contains("李明华"))
        let site = Self.site!.output.appendingPathComponent("site/boards")
        let page = try String(contentsOf: site.appendingPathComponent("dang-yuan-fa-zhan-liu-cheng/index.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("<li value=\"25\">材料归档</li>"), "the board's text is on its web page")
        XCTAssertTrue(page.contains("href=\"/study/boards/dang-yuan-fa-zhan-liu-cheng.pdf\""))
        let gallery = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(gallery.contains("src=\"/study/boards/yi-la-bao.png\""))
    }
}

final class BoardErrorTests: XCTestCase {
    func assertBoardFails(_ yaml: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let site = try TempSite()
        try site.write("content/boards/test.yml", "title: 测试展板\nsize: a4\ncolumns: 2\nblocks:\n  - type: text\n    title: 说明\n    body: 正文。\n")
        XCTAssertTrue(site.build().0.succeeded, file: file, line: line)
        let before = site.snapshot()
        XCTAssertNotNil(before["boards/test.pdf"], file: file, line: line)
        try site.write("content/boards/test.yml", yaml)
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded, file: file, line: line)
        XCTAssertTrue(diags.map(\.description).contains(expected), "expected \(expected)\ngot \(diags.map(\.description))", file: file, line: line)
        XCTAssertEqual(site.snapshot(), before, "output/ must stay as it was", file: file, line: line)
    }

    func testOverflowingBoardNamesTheBlockAndTheOverflow() throws {
        let long = String(repeating: "党支部要把学习教育同日常工作结合起来，做到学用结合、知行合一。", count: 120)
        try assertBoardFails("title: 测试展板\nsize: a4\ncolumns: 2\nblocks:\n  - type: text\n    title: 说明\n    body: \(long)\n",
                             "content/boards/test.yml:5:5: error: 展板“测试展板”的第 1 个版块（text“说明”）缩到最小字号 8 pt 仍放不下，超出 264 mm；请删减文字、加大跨栏或减少版块 (board '测试展板', block 1 (text) overflows by 264 mm at the minimum size)")
    }

    func testUnknownBlockType() throws {
        try assertBoardFails("title: 测试展板\nsize: a4\nblocks:\n  - type: txet\n    body: 正文\n",
                             "content/boards/test.yml:4:11: error: 未知的版块类型 txet，是不是 text？可选：branches、flow、image、people、qr、schedule、stars、stats、text (unknown block type 'txet')")
    }

    func testUnknownField() throws {
        try assertBoardFails("title: 测试展板\nsize: a4\nblocks:\n  - type: text\n    bdy: 正文\n",
                             "content/boards/test.yml:5:5: error: text 版块没有字段 bdy，是不是 body？可用：title、span、body、links (unknown field 'bdy' in a text block)")
    }

    func testMissingBranchAndImage() throws {
        try assertBoardFails("title: 测试展板\nsize: a4\nblocks:\n  - type: stars\n    branch: no-such-branch\n",
                             "content/boards/test.yml:5:13: error: 找不到支部 no-such-branch（content/branches/no-such-branch.md） (unknown branch 'no-such-branch')")
        try assertBoardFails("title: 测试展板\nsize: a4\nblocks:\n  - type: image\n    src: /media/none.jpg\n",
                             "content/boards/test.yml:5:10: error: 找不到图片 /media/none.jpg（应在 content/media/none.jpg） (image not found: content/media/none.jpg)")
    }
}

final class PartyDayTests: XCTestCase {
    func testRules() {
        XCTAssertEqual(PartyDay.date(year: 2026, month: 3, rule: .firstMonday).day, 2)
        XCTAssertEqual(PartyDay.date(year: 2026, month: 6, rule: .firstMonday).day, 1)
        XCTAssertEqual(PartyDay.date(year: 2026, month: 11, rule: .firstMonday).day, 2)
        XCTAssertEqual(PartyDay.date(year: 2026, month: 2, rule: .firstMonday).day, 2)
        XCTAssertEqual(PartyDay.date(year: 2026, month: 2, rule: .dayOfMonth(31)).day, 28, "a day past the month's end is its last day")
        XCTAssertEqual(PartyDay.date(year: 2026, month: 4, rule: .dayOfMonth(15)).day, 15)
    }
}
