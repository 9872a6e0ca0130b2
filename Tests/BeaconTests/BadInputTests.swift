import Foundation
import XCTest
import BeaconModel
import BeaconBuild

/// One fixture site per kind of bad input: the exact message, exit status, and a previous
/// output/ left byte for byte as it was.
final class BadInputTests: XCTestCase {
    let lesson = "content/lessons/学习园地/第一课.md"

    /// Builds the good fixture, breaks it, builds again, and checks that the second build
    /// failed with `expected` among its messages and left output/ untouched.
    func assertFails(_ expected: String, file: StaticString = #filePath, line: UInt = #line,
                     _ breakIt: (TempSite) throws -> Void) throws {
        let site = try TempSite()
        let (first, firstDiags) = site.build()
        XCTAssertTrue(first.succeeded, "good fixture must build: \(firstDiags)", file: file, line: line)
        let before = site.snapshot()
        XCTAssertFalse(before.isEmpty, file: file, line: line)
        try breakIt(site)
        let (second, diags) = site.build()
        XCTAssertFalse(second.succeeded, file: file, line: line)
        let lines = diags.map(\.description)
        XCTAssertTrue(lines.contains(expected), "expected\n  \(expected)\ngot\n  \(lines.joined(separator: "\n  "))", file: file, line: line)
        XCTAssertEqual(site.snapshot(), before, "a failed build must leave output/ identical", file: file, line: line)
        XCTAssertEqual(site.leftovers(), [], "no staging folder may stay behind", file: file, line: line)
    }

    func testUnclosedFrontMatter() throws {
        try assertFails("\(lesson):1:1: error: 开头的 --- 没有对应的结束行；请在最后一个字段之后加一行 --- (front matter is never closed; add a line --- after its last field)") {
            try $0.write(self.lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n\n正文没有结束的分隔线。\n")
        }
    }

    func testInvalidYAML() throws {
        try assertFails("\(lesson):3:5: error: YAML 格式错误：从第 2 行第 7 列开始的方括号列表 [ ] 没有结束，或两项之间少了逗号；请写成 [甲, 乙] (invalid YAML: did not find expected ',' or ']' while parsing a flow sequence)") {
            try $0.write(self.lesson, "---\ntags: [学习, 党章\ndate: 2026-03-01\ntitle: 第一课\n---\n正文\n")
        }
    }

    func testFullWidthColonGetsAHint() throws {
        try assertFails("\(lesson):2:1: error: 头信息应当是“字段: 值”的形式 (头信息 must be a list of key: value lines)；字段名后面要用半角冒号加空格，例如 title: 标题 (use a half-width colon and a space after a key)") {
            try $0.write(self.lesson, "---\ntitle：第一课\n---\n正文\n")
        }
    }

    func testMissingTitle() throws {
        try assertFails("\(lesson):2:1: error: 缺少必填字段 title（标题） (missing required field 'title')") {
            try $0.write(self.lesson, "---\ndate: 2026-03-01\n---\n正文\n")
        }
    }

    func testBadDate() throws {
        try assertFails("\(lesson):3:7: error: 字段 date 的日期“2026-02-30”无效，请写成 2026-03-01 的形式 ('date' is not a valid date; write it as YYYY-MM-DD)") {
            try $0.write(self.lesson, "---\ntitle: 第一课\ndate: 2026-02-30\n---\n正文\n")
        }
    }

    func testStarsOutOfRange() throws {
        try assertFails("content/branches/test-branch.md:4:8: error: 字段 stars（星级）应在 1 到 5 之间，现在是 7 ('stars' must be 1–5, got 7)") {
            try $0.write("content/branches/test-branch.md", "---\nname: 中共测试村支部委员会\ndomain: 农村\nstars: 7\n---\n测试支部。\n")
        }
    }

    func testUnknownDomain() throws {
        try assertFails("content/branches/test-branch.md:3:9: error: 未知的领域 农业，是不是 农村？可选：农村、社区、机关、事业单位、国有企业、非公企业、社会组织、学校 (unknown domain '农业')") {
            try $0.write("content/branches/test-branch.md", "---\nname: 中共测试村支部委员会\ndomain: 农业\nstars: 4\n---\n测试支部。\n")
        }
    }

    func testGBKLessonIsRefused() throws {
        try assertFails("content/lessons/学习园地/gbk.md:2:8: error: 文件像是 GBK/GB18030 编码 (looks like GBK/GB18030)；请用记事本打开此文件，选择“另存为”，编码选“UTF-8”后保存 (re-save the file as UTF-8)") {
            try $0.write("content/lessons/学习园地/gbk.md", try Data(contentsOf: Repo.fixtures.appendingPathComponent("gbk-lesson.md")))
        }
    }

    func testUTF16LessonIsRefused() throws {
        try assertFails("content/lessons/学习园地/utf16.md:1:1: error: 文件是 UTF-16 编码，Beacon 只读 UTF-8 (file is UTF-16; only UTF-8 is read)；请用记事本打开此文件，选择“另存为”，编码选“UTF-8”后保存 (re-save the file as UTF-8)") {
            try $0.write("content/lessons/学习园地/utf16.md", try Data(contentsOf: Repo.fixtures.appendingPathComponent("utf16-lesson.md")))
        }
    }

    func testDuplicateSlugNamesBothFiles() throws {
        try assertFails("content/lessons/学习园地/公式.md:1:1: error: 课程 (lesson)网址 gong-shi 与 content/lessons/学习园地/公事.md 重复；请改文件名或在头信息里写 slug: (duplicate slug 'gong-shi', also used by content/lessons/学习园地/公事.md)") {
            try $0.write("content/lessons/学习园地/公事.md", "---\ntitle: 公事\ndate: 2026-03-05\n---\n正文\n")
            try $0.write("content/lessons/学习园地/公式.md", "---\ntitle: 公式\ndate: 2026-03-06\n---\n正文\n")
        }
    }

    func testMissingImage() throws {
        try assertFails("content/lessons/学习园地/第二课.md:5:8: error: 找不到图片 content/media/nope.png (image not found: content/media/nope.png)") {
            try $0.write("content/lessons/学习园地/第二课.md", "---\ntitle: 第二课\ndate: 2026-03-02\n---\n第二课的正文。![图](/media/nope.png)\n")
        }
    }

    func testBrokenInternalLink() throws {
        try assertFails("\(lesson):8:2: error: 找不到链接的课程 content/lessons/学习园地/第三课.md (linked lesson not found: content/lessons/学习园地/第三课.md)") {
            try $0.write(self.lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n---\n正文。\n\n## 小标题\n见[第三课](第三课.md)。\n")
        }
    }

    func testMissingSiteTitleAndBadBaseURL() throws {
        try assertFails("content/site.yml:2:11: error: base_url 应当是完整的网址，例如 https://example.org/study/ (base_url must be an absolute http(s) URL)") {
            try $0.write("content/site.yml", "title: 测试站点\nbase_url: /study/\n")
        }
    }

    /// A partial that includes itself does not hang or crash the build: it stops at the
    /// nesting limit and the build fails, output untouched.
    func testTemplateThatIncludesItselfFailsTheBuild() throws {
        try assertFails("themes/default/templates/loop.mustache:1:1: error: 模板里的 {{>…}} 或 {{<…}} 嵌套超过 100 层，多半是一个模板引用了它自己 (templates nest deeper than 100: a partial includes itself)") {
            try $0.write("themes/default/templates/404.mustache", "{{<base}}{{$main}}{{>loop}}{{/main}}{{/base}}\n")
            try $0.write("themes/default/templates/loop.mustache", "<div>{{>loop}}</div>")
        }
    }

    func testTemplateSyntaxError() throws {
        try assertFails("themes/default/templates/404.mustache:2:16: error: 模板语法错误 (template error): {{/b}} 和前面的 {{#a}} 不一致 (closing 'b' where 'a' is open)") {
            try $0.write("themes/default/templates/404.mustache", "{{<base}}\n{{$main}}{{#a}}{{/b}}{{/main}}\n{{/base}}\n")
        }
    }

    // MARK: - Inputs that build, with warnings

    func testRawScriptAndJavascriptLinkAreDropped() throws {
        let site = try TempSite()
        try site.write(lesson, """
        ---
        title: 第一课
        date: 2026-03-01
        ---
        正文<script>alert(1)</script>继续。

        [点我](javascript:alert(1))

        <div onclick="x()">块</div>
        """)
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let lines = diags.map(\.description)
        XCTAssertTrue(lines.contains("\(lesson):5:3: warning: Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: <script>)"), lines.joined(separator: "\n"))
        XCTAssertTrue(lines.contains("\(lesson):7:1: warning: 不安全的链接 javascript:alert(1) 已删除 (unsafe link dropped)"), lines.joined(separator: "\n"))
        let html = try site.read("output/site/lessons/xue-xi-yuan-di/di-yi-ke/index.html")
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("javascript:"))
        XCTAssertFalse(html.contains("onclick"))
        XCTAssertTrue(html.contains("点我"), "the link text stays, without the link")
    }

    func testRawHTMLAllowedStillFiltersScripts() throws {
        let site = try TempSite()
        try site.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\nraw_html: true\n")
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n---\n<div class=\"note\">提示</div>\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(2)\">链接</a>\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let html = try site.read("output/site/lessons/xue-xi-yuan-di/di-yi-ke/index.html")
        XCTAssertTrue(html.contains("<div class=\"note\">提示</div>"))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("javascript:"))
    }

    func testBOMAndCRLFLessonBuilds() throws {
        let site = try TempSite()
        try site.write("content/lessons/学习园地/windows.md", try Data(contentsOf: Repo.fixtures.appendingPathComponent("bom-crlf-lesson.md")))
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertEqual(diags.filter { $0.severity == .error }, [])
        let html = try site.read("output/site/lessons/xue-xi-yuan-di/windows/index.html")
        XCTAssertTrue(html.contains("<h1>换行测试</h1>"))
        XCTAssertTrue(html.contains("这是一个用 Windows 记事本保存的文件，带 BOM 和 CRLF。"))
        XCTAssertFalse(html.contains("\r"))
    }

    func testUnknownKeyIsAnErrorWithSuggestion() throws {
        let site = try TempSite()
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\ntgas: [学习]\n---\n正文\n")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.map(\.description), ["\(lesson):4:1: error: 未知字段 tgas，是不是 tags？ (unknown key 'tgas'; did you mean 'tags'?)"])
    }

    /// A misspelt key in each kind of file: an error at its line with the closest key.
    func testMisspeltKeyInEveryFileKind() throws {
        let cases: [(String, String, String)] = [
            ("content/site.yml", "title: 测试站\nbase_url: https://example.org/test/\norganization: 某某\n",
             "content/site.yml:3:1: error: 未知字段 organization，是不是 organisation？ (unknown key 'organization'; did you mean 'organisation'?)"),
            ("content/lessons/学习园地/_series.yml", "title: 学习园地\nsumary: 说明\n",
             "content/lessons/学习园地/_series.yml:2:1: error: 未知字段 sumary，是不是 summary？ (unknown key 'sumary'; did you mean 'summary'?)"),
            ("content/branches/test-branch.md", "---\nname: 中共测试村支部委员会\ndomain: 农村\nsecretery: 王一\n---\n",
             "content/branches/test-branch.md:4:1: error: 未知字段 secretery，是不是 secretary？ (unknown key 'secretery'; did you mean 'secretary'?)"),
            ("content/books/书.yml", "title: 书\ncontents:\n  - series: 学习园地\npublsher: 某某\n",
             "content/books/书.yml:4:1: error: 未知字段 publsher，是不是 publisher？ (unknown key 'publsher'; did you mean 'publisher'?)"),
            ("content/boards/板.yml", "title: 板\nsize: a4\nfootr: 某某\nblocks:\n  - type: text\n    body: 正文\n",
             "content/boards/板.yml:3:1: error: 未知字段 footr，是不是 footer？ (unknown key 'footr'; did you mean 'footer'?)"),
        ]
        for (path, text, expected) in cases {
            let site = try TempSite()
            try site.write(path, text)
            let (report, diags) = site.build()
            XCTAssertFalse(report.succeeded, path)
            XCTAssertTrue(diags.map(\.description).contains(expected), "\(path): \(diags.map(\.description))")
        }
    }

    /// Keys editors bring from Hexo and Hugo: read as Beacon's where they mean the same, else
    /// refused with what Beacon does instead. Never dropped.
    func testForeignFrontMatterKeys() throws {
        let site = try TempSite()
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\ndescription: 一句话摘要\nauthors: [张三, 李四]\npublished: false\n---\n正文\n")
        var (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("site/lessons/xue-xi-yuan-di/di-yi-ke/index.html").path), "published: false is a draft")
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\ndescription: 一句话摘要\nauthors: [张三, 李四]\n---\n正文\n")
        (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let page = try site.read("output/site/lessons/xue-xi-yuan-di/di-yi-ke/index.html")
        XCTAssertTrue(page.contains("<meta name=\"description\" content=\"一句话摘要\">"), "description is the summary")
        XCTAssertTrue(page.contains("张三、李四"), "authors is the author")
        let refused: [(String, String)] = [
            ("categories: [党建]", "categories 是其他建站工具（Hexo、Hugo）的字段，Beacon 不用它：Beacon 按文件夹分专题：把文件放进 content/lessons/<专题>/，标签写在 tags ('categories' is not a Beacon key)"),
            ("cover: /img/a.jpg", "cover 是其他建站工具（Hexo、Hugo）的字段，Beacon 不用它：课程没有封面图字段；图片写在正文里：![说明](../../media/图.jpg) ('cover' is not a Beacon key)"),
            ("lastmod: 2026-03-02", "lastmod 是其他建站工具（Hexo、Hugo）的字段，Beacon 不用它：Beacon 只用 date；修改后直接改 date 或不写 ('lastmod' is not a Beacon key)"),
            ("description: 甲\nsummary: 乙", "description 与 summary 重复；Beacon 用 summary 作摘要 (both 'description' and 'summary'; Beacon uses 'summary')"),
        ]
        for (key, message) in refused {
            try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n\(key)\n---\n正文\n")
            let (r, d) = site.build()
            XCTAssertFalse(r.succeeded, key)
            XCTAssertEqual(d.map(\.description), ["\(lesson):4:1: error: \(message)"], key)
        }
    }

    func testCommandLineExitStatusAndMessage() throws {
        let site = try TempSite()
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-13-01\n---\n正文\n")
        let r = try runCommand(Repo.beaconBinary.path, ["build", "--root", site.root.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(lesson):3:7: error: 字段 date 的日期“2026-13-01”无效"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.output.path))
    }

    /// The usual YAML slips, each explained in Chinese at its line and column.
    func testYAMLMistakesAreExplainedInChinese() throws {
        let cases: [(String, String)] = [
            ("title: 测试\n  base_url: https://x.org/\n",
             "content/site.yml:2:11: error: YAML 格式错误：这一行比上一行多缩进了，YAML 把它当成上一行的值的一部分；同一层的字段要左边对齐 (invalid YAML: mapping values are not allowed in this context)"),
            ("title: 测试: 副题\nbase_url: https://x.org/\n",
             "content/site.yml:1:10: error: YAML 格式错误：这一行的值里又有“: ”，YAML 会把它当成新的字段；请给整个值加上引号，例如 title: \"第一部分: 第二部分\" (invalid YAML: mapping values are not allowed in this context)"),
            ("title: \"测试\nbase_url: https://x.org/\n",
             "content/site.yml:3:1: error: YAML 格式错误：从第 1 行第 8 列开始的引号没有配对，直到文件结束都没有找到结束的引号；请补上引号 (invalid YAML: found unexpected end of stream while scanning a quoted scalar)"),
            ("title: 测试\nbase_url: https://x.org/\n- a\n",
             "content/site.yml:3:1: error: YAML 格式错误：从第 1 行第 1 列开始的这一层里，这一行的写法或缩进不对：字段写成“名称: 值”，与同一层的字段左边对齐；“- ”开头的列表项要写在某个字段下面并缩进 (invalid YAML: did not find expected key while parsing a block mapping)"),
            ("title: 测试\n\tbase_url: https://x.org/\n",
             "content/site.yml:2:1: error: YAML 格式错误：这一行用了 Tab 缩进，YAML 只认空格；请把行首的 Tab 换成空格 (invalid YAML: found a tab character that violates indentation while scanning a plain scalar)"),
            ("title: @测试\nbase_url: https://x.org/\n",
             "content/site.yml:1:8: error: YAML 格式错误：这里的字符（如 @、`、% 或 Tab）不能作为 YAML 值的开头；请给这个值加上引号 (invalid YAML: found character that cannot start any token while scanning for the next token)"),
        ]
        for (yaml, expected) in cases {
            let site = try TempSite()
            try site.write("content/site.yml", yaml)
            let (_, diags) = site.build()
            XCTAssertEqual(diags.map(\.description), [expected], yaml)
        }
    }
}
