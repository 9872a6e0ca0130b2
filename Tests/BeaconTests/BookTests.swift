import Foundation
import XCTest
import BeaconModel
import BeaconOutput
import BeaconLoad
import BeaconPrint
import BeaconBooks

final class ImpositionTests: XCTestCase {
    func pages(_ plan: Imposition.Plan) -> [[Int?]] { plan.sides.map { $0.map(\.page) } }

    /// A6: two spreads on each A4 side; cut the stack, lower half inside the upper half.
    func testTenPageA6Book() throws {
        let plan = try Imposition.plan(pageCount: 10, size: .mm(105, 148))
        XCTAssertEqual(plan.mode, "a4-half-sheets")
        XCTAssertEqual(plan.sheetSize, .a4)
        XCTAssertEqual(pages(plan), [
            [nil, 1, 8, 5],     // sheet 1 front: top spread 12|1 (12 blank), bottom spread 8|5
            [2, nil, 6, 7],     // sheet 1 back:  top 2|11 (11 blank), bottom 6|7
            [10, 3],            // sheet 2 front: top 10|3
            [4, 9],             // sheet 2 back:  top 4|9
        ])
        // Facing pages sit side by side, left page exactly one page width left of the right one.
        let front = plan.sides[0]
        XCTAssertEqual(front[1].x - front[0].x, PaperSize.mm(105, 148).width, accuracy: 0.01)
        XCTAssertEqual(front[0].y, front[1].y)
        XCTAssertGreaterThanOrEqual(front[2].y, PaperSize.a4.height / 2)
    }

    /// A5: one spread on each side of an A4 landscape sheet.
    func testThirteenPageA5Book() throws {
        let plan = try Imposition.plan(pageCount: 13, size: .mm(148, 210))
        XCTAssertEqual(plan.mode, "a4-landscape-2up")
        XCTAssertEqual(plan.sheetSize.width, PaperSize.a4.height, accuracy: 0.01)
        XCTAssertEqual(pages(plan), [
            [nil, 1], [2, nil],
            [nil, 3], [4, 13],
            [12, 5], [6, 11],
            [10, 7], [8, 9],
        ])
    }

    func testBookletOrderAndPadding() {
        XCTAssertEqual(Imposition.padded(1), 4)
        XCTAssertEqual(Imposition.padded(8), 8)
        XCTAssertEqual(Imposition.padded(13), 16)
        let b = Imposition.booklet(pages: 8)
        XCTAssertEqual(b.map { [$0.front.0, $0.front.1, $0.back.0, $0.back.1] }, [[8, 1, 2, 7], [6, 3, 4, 5]])
    }

    func testSizesChooseTheirSheet() throws {
        XCTAssertEqual(try Imposition.plan(pageCount: 4, size: .mm(92, 126)).mode, "a4-half-sheets")   // 64k
        XCTAssertEqual(try Imposition.plan(pageCount: 4, size: .mm(125, 176)).mode, "a4-landscape-2up") // b6
        XCTAssertEqual(try Imposition.plan(pageCount: 4, size: .mm(130, 184)).mode, "a4-landscape-2up") // 32k
        XCTAssertThrowsError(try Imposition.plan(pageCount: 4, size: .mm(210, 297)))
    }
}

/// Chinese line rules, checked on the typesetter's own line records.
final class LineRuleTests: XCTestCase {
    static let punctuationHeavy = """
    学习“两学一做”，要读原文（党章、党规），悟原理……再对照《中国共产党章程》查找差距——这是基本功。\
    问：怎样读？答：逐章读、逐条议；读完一章，写一段体会！“学而不思则罔，思而不学则殆。”\
    《关于新形势下党内政治生活的若干准则》《中国共产党纪律处分条例》都要学；2026年的学习计划，\
    分为12个专题、36次集中学习，每次90分钟（含讨论30分钟）。【注意】“三会一课”要按时开！
    """

    func assertRules(_ lines: [LineRecord], file: StaticString = #filePath, line: UInt = #line) {
        for r in lines {
            let text = r.text.trimmingCharacters(in: .whitespaces)
            guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last else { continue }
            // A paragraph may begin with a closing-class mark (an attribution: ——某某); a line
            // that continues one may not.
            if r.indexInParagraph > 0 {
                XCTAssertFalse(RichText.noLineStart.contains(first), "line starts with \(first): \(r.text)", file: file, line: line)
            }
            XCTAssertFalse(RichText.noLineEnd.contains(last), "line ends with \(last): \(r.text)", file: file, line: line)
            let s = Array(text.unicodeScalars)
            for i in s.indices.dropFirst().dropLast() where s[i] == " " {
                XCTAssertFalse(BeaconText_isHan(s[i - 1]) && BeaconText_isHan(s[i + 1]), "U+0020 inside Chinese: \(r.text)", file: file, line: line)
            }
        }
    }

    /// The same punctuation-heavy paragraph at every width from 6 to 30 characters.
    func testProhibitedMarksNeverStartOrEndALine() {
        let ts = Typesetter()
        let style = TextStyle(font: FontSpec(family: "Noto Serif CJK SC", size: 10))
        var all: [LineRecord] = []
        for chars in 6...30 {
            let p = ts.layout(RichText(Self.punctuationHeavy, style: style), width: Double(chars) * 10, indent: 20)
            XCTAssertGreaterThan(p.lines.count, 1)
            for (i, l) in p.lines.enumerated() {
                all.append(LineRecord(text: l.text, page: chars, paragraphLines: p.lines.count, indexInParagraph: i))
            }
            // Nothing lost or added: the lines put together are the text.
            XCTAssertEqual(p.lines.map(\.text).joined(), Self.punctuationHeavy)
        }
        assertRules(all)
    }

    /// A centred caption never ends with one character alone: it is set narrower, so its
    /// lines balance, and stays centred in its frame.
    func testCentredTextHasNoLoneLastCharacter() {
        let ts = Typesetter()
        let style = TextStyle(font: FontSpec(family: "Noto Sans CJK SC", size: 10))
        for text in ["十年如一日照料独居老人", "每月到社区宣讲惠民政策", "带头化解邻里纠纷二十余起"] {
            for chars in 5...12 {
                let width = Double(chars) * 10
                let p = ts.layout(RichText(text, style: style), width: width, align: .center, leading: 1.3)
                XCTAssertEqual(p.lines.map(\.text).joined(), text)
                if p.lines.count > 1 {
                    XCTAssertGreaterThan(p.lines.last!.text.count, 1, "\(text) at \(chars) characters: \(p.lines.map(\.text))")
                }
                // Centred in the frame: the widest line's middle is the frame's middle.
                XCTAssertEqual(p.shift + (p.layout.width < 0 ? 0 : (p.layout.width - 0.02) / 2), width / 2, accuracy: 0.01)
            }
        }
    }

    func testEllipsisAndDashStayWhole() {
        let ts = Typesetter()
        let style = TextStyle(font: FontSpec(family: "Noto Serif CJK SC", size: 10))
        for chars in 4...20 {
            let p = ts.layout(RichText("甲乙丙丁戊己庚辛……壬癸——子丑寅卯辰巳午未申酉……戌亥", style: style), width: Double(chars) * 10)
            for l in p.lines {
                XCTAssertFalse(l.text.hasPrefix("…"), l.text)
                XCTAssertFalse(l.text.hasPrefix("—"), l.text)
            }
        }
    }

    func testSpacesBetweenChineseAndLatinBecomeSpacingNotCharacters() {
        var r = RichText("全村 86 名党员，使用 Beacon 排版 A6 口袋书", style: TextStyle(font: FontSpec(family: "Noto Serif CJK SC", size: 10)))
        r.normaliseSpaces()
        XCTAssertEqual(r.text, "全村86名党员，使用Beacon排版A6口袋书")
        var t = RichText("学党章党规 做合格党员 and English words", style: TextStyle(font: FontSpec(family: "Noto Serif CJK SC", size: 10)))
        t.normaliseSpaces()
        XCTAssertEqual(t.text, "学党章党规\u{3000}做合格党员and English words", "Latin words keep their spaces")
    }

    /// Every line of both example books.
    func testExampleBooksFollowTheRules() throws {
        let bag = DiagnosticBag()
        var project = try XCTUnwrap(ContentLoader(root: Repo.root, bag: bag).load())
        let links = ContentLinks.resolved(&project, bag: bag)
        let builder = BookBuilder(project: project, style: BookStyle(), links: links, bag: bag)
        for book in project.books {
            let result = builder.build(book)
            XCTAssertGreaterThan(result.lines.count, 100)
            assertRules(result.lines)
        }
        XCTAssertFalse(bag.hasErrors, "\(bag.all)")
    }
}

/// The example books as a print shop and a reader get them.
final class BookPDFTests: XCTestCase {
    nonisolated(unsafe) static var site: TempSite?

    override class func setUp() {
        super.setUp()
        guard let s = try? TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content")) else { return }
        _ = s.build()
        site = s
    }

    override class func tearDown() { site = nil; super.tearDown() }

    var books: URL { Self.site!.output.appendingPathComponent("books") }

    func tool(_ name: String) throws -> String {
        try XCTUnwrap(which(name), "\(name) is not installed; run scripts/setup-tests.sh")
    }

    func allPDFs() -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: books, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "pdf" }.sorted { $0.path < $1.path }
    }

    func testEveryBookIsWritten() {
        let names = allPDFs().map(\.lastPathComponent)
        XCTAssertEqual(names, ["ji-ceng-dang-yuan-du-ben-nong-cun.pdf", "ji-ceng-dang-yuan-du-ben-nong-cun.print-a4.pdf",
                               "ji-ceng-dang-yuan-du-ben-she-qu.pdf", "ji-ceng-dang-yuan-du-ben-she-qu.print-a4.pdf",
                               "liang-xue-yi-zuo.pdf", "liang-xue-yi-zuo.print-a4.pdf", "shifan-zhibu.pdf"])
        let site = Self.site!.output.appendingPathComponent("site/books")
        for f in names + ["liang-xue-yi-zuo.png", "shifan-zhibu.png", "ji-ceng-dang-yuan-du-ben-nong-cun.png"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent(f).path), f)
        }
    }

    func testQPDFCheckIsClean() throws {
        let qpdf = try tool("qpdf")
        for pdf in allPDFs() {
            let r = try runCommand(qpdf, ["--check", pdf.path])
            XCTAssertEqual(r.status, 0, "\(pdf.lastPathComponent): \(r.stdout) \(r.stderr)")
            XCTAssertFalse((r.stdout + r.stderr).contains("WARNING"), "\(pdf.lastPathComponent): \(r.stderr)")
        }
    }

    func testFontsAreEmbeddedSubsetWithToUnicode() throws {
        let pdffonts = try tool("pdffonts")
        for pdf in allPDFs() {
            let r = try runCommand(pdffonts, [pdf.path])
            let rows = r.stdout.split(separator: "\n").dropFirst(2)
            XCTAssertFalse(rows.isEmpty)
            for row in rows {
                let cols = row.split(separator: " ", omittingEmptySubsequences: true)
                // name type… encoding emb sub uni object ID: the three flags sit before the last two columns.
                let flags = cols.suffix(5).prefix(3)
                XCTAssertEqual(Array(flags), ["yes", "yes", "yes"], "\(pdf.lastPathComponent): \(row)")
            }
        }
    }

    func pageSize(_ pdf: URL) throws -> (Double, Double) {
        let r = try runCommand(try tool("pdfinfo"), [pdf.path])
        let line = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("Page size:") })
        let nums = line.split(separator: " ").compactMap { Double($0) }
        return (nums[0], nums[1])
    }

    func testPageSizesAreThePresets() throws {
        let a6 = try pageSize(books.appendingPathComponent("liang-xue-yi-zuo.pdf"))
        XCTAssertEqual(a6.0, 105 * 72 / 25.4, accuracy: 0.1)
        XCTAssertEqual(a6.1, 148 * 72 / 25.4, accuracy: 0.1)
        let k64 = try pageSize(books.appendingPathComponent("shifan-zhibu.pdf"))
        XCTAssertEqual(k64.0, 92 * 72 / 25.4, accuracy: 0.1)
        XCTAssertEqual(k64.1, 126 * 72 / 25.4, accuracy: 0.1)
        let a4 = try pageSize(books.appendingPathComponent("liang-xue-yi-zuo.print-a4.pdf"))
        XCTAssertEqual(a4.0, 210 * 72 / 25.4, accuracy: 0.1)
        XCTAssertEqual(a4.1, 297 * 72 / 25.4, accuracy: 0.1)
    }

    func text(_ pdf: URL, first: Int? = nil, last: Int? = nil) throws -> String {
        var args: [String] = []
        if let first { args += ["-f", "\(first)"] }
        if let last { args += ["-l", "\(last)"] }
        return try runCommand(try tool("pdftotext"), args + [pdf.path, "-"]).stdout
    }

    func testTextComesOutInReadingOrder() throws {
        let t = try text(books.appendingPathComponent("liang-xue-yi-zuo.pdf"))
        let order = ["目", "学党章党规", "党章是党的根本大法", "为什么要反复学", "怎样学", "学了以后做什么",
                     "怎样读原著原文", "先读目录，再读正文", "合格党员的四条标准", "支部党员大会怎么开", "会议记录"]
        var from = t.startIndex
        for s in order {
            let r = try XCTUnwrap(t.range(of: s, range: from..<t.endIndex), "“\(s)” missing or out of order")
            from = r.upperBound
        }
        XCTAssertTrue(t.contains("扫码阅读网络版"))
        XCTAssertTrue(t.contains("党员的义务"), "table text")
        XCTAssertFalse(t.contains("党章 是"), "no space inserted into Chinese")
        let branches = try text(books.appendingPathComponent("shifan-zhibu.pdf"))
        XCTAssertTrue(branches.contains("中共青石村总支部委员会"))
        XCTAssertTrue(branches.contains("特色工作"))
        XCTAssertFalse(branches.contains("中共青石能源有限公司"), "only five-star branches")
    }

    func testBookmarksForEveryLesson() throws {
        let r = try runCommand(try tool("qpdf"), ["--json=2", "--json-key=outlines", books.appendingPathComponent("liang-xue-yi-zuo.pdf").path])
        XCTAssertEqual(r.status, 0)
        for title in ["目录", "“两学一做”学习教育", "学党章党规 做合格党员", "怎样读原著原文", "合格党员的四条标准", "三会一课", "支部党员大会怎么开"] {
            XCTAssertTrue(r.stdout.contains("\"title\": \"\(title)\""), "no bookmark “\(title)”")
        }
    }
}

/// Book files with mistakes: the exact message, and output/ left as it was.
final class BookValidationTests: XCTestCase {
    func assertBookFails(_ yaml: String, _ expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let site = try TempSite()
        try site.write("content/books/测试.yml", "title: 测试口袋书\nsize: a6\ncontents:\n  - series: 学习园地\n")
        XCTAssertTrue(site.build().0.succeeded, file: file, line: line)
        let before = site.snapshot()
        XCTAssertNotNil(before["books/ce-shi.pdf"], file: file, line: line)
        try site.write("content/books/测试.yml", yaml)
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded, file: file, line: line)
        XCTAssertTrue(diags.map(\.description).contains(expected), "expected \(expected)\ngot \(diags.map(\.description))", file: file, line: line)
        XCTAssertEqual(site.snapshot(), before, file: file, line: line)
    }

    func testUnknownSeries() throws {
        try assertBookFails("title: 测试口袋书\ncontents:\n  - series: 学习圆地\n",
                            "content/books/测试.yml:3:13: error: 找不到专题 学习圆地（content/lessons/学习圆地/），是不是 学习园地？ (unknown series '学习圆地')")
    }

    func testUnknownLesson() throws {
        try assertBookFails("title: 测试口袋书\ncontents:\n  - lesson: 学习园地/第三课\n",
                            "content/books/测试.yml:3:13: error: 找不到课程 学习园地/第三课（content/lessons/学习园地/第三课.md），是不是 学习园地/第一课？ (unknown lesson '学习园地/第三课')")
    }

    func testUnknownFilterKey() throws {
        try assertBookFails("title: 测试口袋书\ncontents:\n  - branches: { star: 5 }\n",
                            "content/books/测试.yml:3:17: error: 未知的筛选条件 star，是不是 stars？可用：stars、domain、tags、slugs (unknown filter key 'star')")
    }

    func testUnknownContentsKeyAndSize() throws {
        try assertBookFails("title: 测试口袋书\nsize: a7\ncontents:\n  - serie: 学习园地\n",
                            "content/books/测试.yml:2:7: error: 未知的开本 a7，是不是 a6？可选：a6、b6、a5、64k、32k，或写 { width: 90mm, height: 130mm } (unknown size 'a7')")
        try assertBookFails("title: 测试口袋书\ncontents:\n  - serie: 学习园地\n",
                            "content/books/测试.yml:3:5: error: 未知的内容类型 serie，是不是 series？可用：series、lesson、branches (unknown contents key 'serie')")
    }

    func testA4BookletOfATooLargeBook() throws {
        try assertBookFails("title: 测试口袋书\nsize: { width: 200mm, height: 280mm }\nprint: [a4-booklet]\ncontents:\n  - series: 学习园地\n",
                            "content/books/测试.yml:1:1: error: 开本 200×280 mm 两页并排放不进 A4，无法拼版为 a4-booklet (pages too large for an A4 booklet)")
    }
}

/// A long lesson with a long table, in an A6 book.
final class BookFlowTests: XCTestCase {
    func testLongTableRepeatsItsHeaderAndLongLessonFlows() throws {
        let site = try TempSite()
        var md = "---\ntitle: 长篇课程\ndate: 2026-04-01\n---\n"
        for i in 1...30 {
            md += "第\(i)段。党支部要把学习教育同日常工作结合起来，做到学用结合、知行合一，\n在学习中查找差距，在工作中解决问题，让群众看到实实在在的变化。\n\n"
        }
        md += "| 序号 | 项目名称 | 完成情况 |\n|--:|--|--|\n"
        for i in 1...60 { md += "| \(i) | 第\(i)项学习任务 | 已完成 |\n" }
        try site.write("content/lessons/学习园地/长篇.md", md)
        try site.write("content/books/long.yml", "title: 长篇测试\nsize: a6\ncontents:\n  - lesson: 学习园地/长篇\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let pdf = site.output.appendingPathComponent("books/long.pdf").path
        let pdftotext = try XCTUnwrap(which("pdftotext"))
        let info = try runCommand(try XCTUnwrap(which("pdfinfo")), [pdf]).stdout
        let pagesLine = try XCTUnwrap(info.split(separator: "\n").first { $0.hasPrefix("Pages:") }, info)
        let pages = try XCTUnwrap(pagesLine.split(separator: " ").last.flatMap { Int($0) })
        XCTAssertGreaterThan(pages, 10, "a long lesson flows over many pages")
        var tablePages = 0
        for p in 1...pages {
            let text = try runCommand(pdftotext, ["-f", "\(p)", "-l", "\(p)", pdf, "-"]).stdout.replacingOccurrences(of: " ", with: "")
            guard text.contains("项学习任务") else { continue }
            tablePages += 1
            XCTAssertTrue(text.contains("项目名称") && text.contains("完成情况"), "page \(p) has table rows without the header")
        }
        XCTAssertGreaterThanOrEqual(tablePages, 3, "the table runs over several pages")
        // Every paragraph and every row is there, in order.
        // pdftotext shows the ¼ em between Chinese and digits as a space; compare without spaces.
        let all = try runCommand(pdftotext, [pdf, "-"]).stdout.replacingOccurrences(of: " ", with: "")
        var from = all.startIndex
        for s in (1...30).map({ "第\($0)段" }) + (1...60).map({ "第\($0)项学习任务" }) {
            let r = try XCTUnwrap(all.range(of: s, range: from..<all.endIndex), "\(s) missing or out of order")
            from = r.upperBound
        }
    }
}

/// A table with more columns than the page has room for at full width: numbers and short
/// cells stay whole (2800×0.5%=14 on one line, never 「2800×0.｜5%=14」), and the headers are
/// what wraps.
final class BookTableTests: XCTestCase {
    func testNumbersAndShortCellsStayWholeInANarrowTable() throws {
        let site = try TempSite()
        let md = """
        ---
        title: 党费
        date: 2026-03-22
        ---

        | 档次 | 月工资收入（税后） | 交纳比例 | 举例（元） | 每年合计（元） | 备注 |
        |---|---|---|---|---|---|
        | 第1档 | 3000元以下（含3000元） | 0.5% | 2800×0.5%=14 | 168 | 按月交纳 |
        | 第2档 | 3000元以上至5000元（含） | 1% | 4500×1%=45 | 540 | 按月交纳 |
        | 第3档 | 5000元以上至10000元（含） | 1.5% | 8000×1.5%=120 | 1440 | 按月交纳 |
        | 离退休 | 5000元以下（含） | 0.5% | 4000×0.5%=20 | 240 | 可按季度交纳 |
        """
        try site.write("content/lessons/学习园地/党费.md", md)
        try site.write("content/books/fee.yml", "title: 党费\nsize: a6\ncontents:\n  - lesson: 学习园地/党费\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let pdf = site.output.appendingPathComponent("books/fee.pdf").path
        // -layout keeps each printed line as a line: a number cut in two would be on two.
        let text = try runCommand(try XCTUnwrap(which("pdftotext")), ["-layout", pdf, "-"]).stdout
        let lines = text.split(separator: "\n").map { $0.replacingOccurrences(of: " ", with: "") }
        for whole in ["2800×0.5%=14", "4500×1%=45", "8000×1.5%=120", "4000×0.5%=20", "第1档", "第3档", "离退休"] {
            XCTAssertTrue(lines.contains { $0.contains(whole) }, "\(whole) is cut across lines:\n\(text)")
        }
    }
}

/// A quotation's source line (——…) stands on the right of the quotation, not indented.
final class BookQuoteTests: XCTestCase {
    func testAQuotationsSourceStandsOnTheRight() throws {
        let site = try TempSite()
        try site.write("content/lessons/学习园地/批评.md", "---\ntitle: 批评\ndate: 2026-03-22\n---\n\n> 批评不是“挑刺”，是帮同志照镜子。红红脸、出出汗，为的是把工作干好、把队伍带好，让每一名党员都受到教育。\n>\n> ——一位村党支部老书记的体会\n")
        try site.write("content/books/q.yml", "title: 引文\nsize: a6\ncontents:\n  - lesson: 学习园地/批评\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let pdf = site.output.appendingPathComponent("books/q.pdf").path
        let xml = try runCommand(try XCTUnwrap(which("pdftotext")), ["-bbox-layout", pdf, "-"]).stdout
        // Each printed line with its box: <line xMin=.. xMax=..> and its words.
        var lines: [(text: String, xMin: Double, xMax: Double)] = []
        for m in xml.matches(of: #/<line xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">(.*?)</line>/#.dotMatchesNewlines()) {
            let words = m.output.3.matches(of: #/>([^<]+)</word>/#).map { String($0.output.1) }.joined()
            lines.append((words, Double(m.output.1)!, Double(m.output.2)!))
        }
        let first = try XCTUnwrap(lines.first { $0.text.hasPrefix("批评不是") }, "\(lines)")
        let source = try XCTUnwrap(lines.first { $0.text.contains("老书记的体会") }, "\(lines)")
        XCTAssertEqual(source.xMax, first.xMax, accuracy: 1.5, "the source ends where the quotation's full lines end")
        XCTAssertGreaterThan(source.xMin, first.xMin + 20, "the source is not set from the left")
    }
}

final class BookImageTests: XCTestCase {
    /// A JPEG goes into the PDF as the same JPEG bytes (DCTDecode), not re-encoded; a
    /// picture too small for print is a warning naming the file.
    func testJPEGIsEmbeddedAsJPEG() throws {
        let site = try TempSite()
        let jpeg = try Data(contentsOf: Repo.fixtures.appendingPathComponent("photo.jpg"))
        try site.write("content/media/photo.jpg", jpeg)
        try site.write("content/lessons/学习园地/第二课.md", "---\ntitle: 第二课\ndate: 2026-03-02\n---\n第二课的正文。\n\n![活动照片](/media/photo.jpg)\n")
        try site.write("content/books/photo.yml", "title: 图片测试\nsize: a6\ncontents:\n  - lesson: 学习园地/第二课\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let pdf = try Data(contentsOf: site.output.appendingPathComponent("books/photo.pdf"))
        XCTAssertNotNil(pdf.range(of: Data("/DCTDecode".utf8)))
        XCTAssertNotNil(pdf.range(of: jpeg.subdata(in: 0..<min(4096, jpeg.count))), "the original JPEG bytes are in the PDF")
    }

    func testLowResolutionPictureWarns() throws {
        let site = try TempSite()
        // 40 × 30 pixels, printed across an A6 type area: far below 200 dpi.
        let png = try Data(contentsOf: Repo.fixtures.appendingPathComponent("tiny.png"))
        try site.write("content/media/tiny.png", png)
        try site.write("content/lessons/学习园地/第二课.md", "---\ntitle: 第二课\ndate: 2026-03-02\n---\n正文。\n\n![小图](/media/tiny.png)\n")
        try site.write("content/books/tiny.yml", "title: 小图测试\nsize: a6\ncontents:\n  - lesson: 学习园地/第二课\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertTrue(diags.map(\.description).contains { $0.hasPrefix("content/media/tiny.png:1:1: warning: 图片在口袋书中只有 ") && $0.contains("dpi") }, "\(diags)")
    }
}
