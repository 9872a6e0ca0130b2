import Foundation
import XCTest
import BeaconModel
import BeaconText
@testable import BeaconMarkdown

/// Parses and renders like a build: links resolved by a small stand-in (http… external,
/// ok.md a page, anything else missing), HTML from the tree.
struct Rendered {
    var html: String
    var toc: [TOCEntry]
    var doc: MDDocument
    var diagnostics: [Diagnostic]
}

func renderMarkdown(_ md: String, rawHTML: Bool = false, lineOffset: Int = 4) -> Rendered {
    let bag = DiagnosticBag()
    var doc = MarkdownParser(allowRawHTML: rawHTML).parse(MarkdownSource(text: md, lineOffset: lineOffset),
                                                          path: "content/lessons/s/a.md", bag: bag)
    for i in doc.links.indices {
        let raw = doc.links[i].raw
        if doc.links[i].target == .dropped { continue }
        if raw.hasPrefix("http") || raw.hasPrefix("#") || raw.hasPrefix("data:") {
            doc.links[i].target = .external(raw)
        } else if raw == "ok.md" {
            doc.links[i].target = .page(route: "ok/", suffix: "")
        } else if raw.hasSuffix(".png") && raw.hasPrefix("/media/") {
            doc.links[i].target = .file(path: String(raw.dropFirst()), suffix: "")
        } else {
            doc.links[i].target = .missing
            bag.error(doc.links[i].location, doc.links[i].isImage ? "no image \(raw)" : "no page \(raw)")
        }
    }
    let renderer = HTMLRenderer(slugger: Slugger(mode: .pinyin), url: { link in
        switch link.target {
        case .external(let u): return u
        case .page(let r, let s): return "/site/" + r + s
        case .file(let p, _): return "/site/" + p
        case .unresolved: return link.raw
        case .dropped, .missing: return nil
        }
    }, imageSize: { link in link.raw == "/media/wide.png" ? (1200, 600) : nil })
    let r = renderer.render(doc)
    return Rendered(html: r.html, toc: r.toc, doc: doc, diagnostics: bag.all)
}

/// Emphasis next to Chinese punctuation: CommonMark with the CJK-friendly amendments. Each
/// case is the Markdown, the HTML inside its paragraph, and the visible text (which the
/// print test finds in the PDF as well).
enum EmphasisCases {
    static let all: [(md: String, html: String, text: String)] = [
        ("**每季度至少召开一次。**讨论决定支部重要事项", "<strong>每季度至少召开一次。</strong>讨论决定支部重要事项", "每季度至少召开一次。讨论决定支部重要事项"),
        ("**“两个确立”**的决定性意义", "<strong>“两个确立”</strong>的决定性意义", "“两个确立”的决定性意义"),
        ("要**坚持“三会一课”**制度", "要<strong>坚持“三会一课”</strong>制度", "要坚持“三会一课”制度"),
        ("认真学习《**中国共产党章程**》全文", "认真学习《<strong>中国共产党章程</strong>》全文", "认真学习《中国共产党章程》全文"),
        ("**一、提高政治站位。**各支部要把学习摆在首位", "<strong>一、提高政治站位。</strong>各支部要把学习摆在首位", "一、提高政治站位。各支部要把学习摆在首位"),
        ("这是*强调。*后文", "这是<em>强调。</em>后文", "这是强调。后文"),
        ("~~旧的做法。~~新的做法", "<del>旧的做法。</del>新的做法", "旧的做法。新的做法"),
        ("~作废，~保留", "<del>作废，</del>保留", "作废，保留"),
        ("会议（**必须参加**）要点", "会议（<strong>必须参加</strong>）要点", "会议（必须参加）要点"),
        ("**注意：**会议记录要完整。", "<strong>注意：</strong>会议记录要完整。", "注意：会议记录要完整。"),
        ("**（一）**加强理论学习", "<strong>（一）</strong>加强理论学习", "（一）加强理论学习"),
        ("“**两学一做**”学习教育", "“<strong>两学一做</strong>”学习教育", "“两学一做”学习教育"),
        ("这是**“引号”**，后文", "这是<strong>“引号”</strong>，后文", "这是“引号”，后文"),
        ("中文**。开头**后", "中文<strong>。开头</strong>后", "中文。开头后"),
        ("**加强*思想*建设。**然后落实", "<strong>加强<em>思想</em>建设。</strong>然后落实", "加强思想建设。然后落实"),
        ("***三重强调。***后文", "<em><strong>三重强调。</strong></em>后文", "三重强调。后文"),
        ("[**学习强国。**](https://example.org)平台", "<a href=\"https://example.org\"><strong>学习强国。</strong></a>平台", "学习强国。平台"),
        ("**见[党章](https://example.org/dz)。**下文", "<strong>见<a href=\"https://example.org/dz\">党章</a>。</strong>下文", "见党章。下文"),
        ("**`beacon build`。**运行后", "<strong><code>beacon build</code>。</strong>运行后", "beacon build。运行后"),
        ("**2026年3月15日**上午召开", "<strong>2026年3月15日</strong>上午召开", "2026年3月15日上午召开"),
        ("**Beacon**是排版工具", "<strong>Beacon</strong>是排版工具", "Beacon是排版工具"),
        ("全村**86名**党员", "全村<strong>86名</strong>党员", "全村86名党员"),
        ("**日本語。**次の文", "<strong>日本語。</strong>次の文", "日本語。次の文"),
        ("**第一行。**\n第二行接着写", "<strong>第一行。</strong>第二行接着写", "第一行。第二行接着写"),
        ("*强调*文字", "<em>强调</em>文字", "强调文字"),
        // Negative: not emphasis, in CommonMark and in the amendments alike.
        ("`**不是强调。**文字`", "<code>**不是强调。**文字</code>", "**不是强调。**文字"),
        ("\\*\\*转义。\\*\\*文字", "**转义。**文字", "**转义。**文字"),
        ("** 前有空格**", "** 前有空格**", "** 前有空格**"),
        ("中_下划线_文", "中_下划线_文", "中_下划线_文"),
        ("__强调。__文字", "__强调。__文字", "__强调。__文字"),
        ("a**\"foo\"**b", "a**&quot;foo&quot;**b", "a**\"foo\"**b"),
        ("价格 5*3*2 元", "价格 5<em>3</em>2 元", "价格 532 元"),
    ]
}

final class MarkdownTests: XCTestCase {
    func testCJKEmphasisCases() {
        XCTAssertGreaterThanOrEqual(EmphasisCases.all.count, 30)
        for c in EmphasisCases.all {
            let r = renderMarkdown(c.md)
            XCTAssertEqual(r.html, "<p>" + c.html + "</p>\n", "HTML of: \(c.md)")
            XCTAssertEqual(r.doc.plainText, c.text, "text of: \(c.md)")
        }
    }

    func testEmphasisInHeadingsTablesAndLists() {
        let r = renderMarkdown("## **一、**总体要求\n\n| 项目 | 说明 |\n|---|---|\n| **数量。**合计 | 略 |\n\n- **重点：**抓落实\n")
        XCTAssertTrue(r.html.contains("><strong>一、</strong>总体要求</h2>"), r.html)
        XCTAssertTrue(r.html.contains("<td><strong>数量。</strong>合计</td>"), r.html)
        XCTAssertTrue(r.html.contains("<li><strong>重点：</strong>抓落实</li>"), r.html)
    }

    func testURLsAndCodeAreNeverTouched() {
        let r = renderMarkdown("见 <https://example.org/a**中。**b> 和 `中**。**文`\n\n```\n代码**。**里\n```\n")
        XCTAssertTrue(r.html.contains("href=\"https://example.org/a**中。**b\""), r.html)
        XCTAssertTrue(r.html.contains("<code>中**。**文</code>"), r.html)
        XCTAssertTrue(r.html.contains("<pre><code>代码**。**里\n</code></pre>"), r.html)
        // The marks that steer cmark-gfm never reach the text.
        XCTAssertFalse(r.html.unicodeScalars.contains { (0xF8F0...0xF8FF).contains($0.value) || $0 == "\u{2E2E}" }, r.html)
    }

    func testMessagesKeepTheirColumnsAfterEmphasisMarks() {
        // Two marks are put into line 1 before the bad link; its column is the editor's.
        let r = renderMarkdown("**一、要求。**讨论**“事项”**的[坏链接](bad.md)。")
        XCTAssertEqual(r.html, "<p><strong>一、要求。</strong>讨论<strong>“事项”</strong>的坏链接。</p>\n")
        XCTAssertEqual(r.diagnostics.map(\.description), ["content/lessons/s/a.md:5:21: error: no page bad.md"])
    }

    /// Over every pair of neighbour classes, `_` opens and closes as CommonMark says, so only
    /// `*` and `~` need steering; and the steering always reaches the amended decision.
    func testUnderscoreNeedsNoMarksAndStarsAlwaysCan() {
        typealias N = CJKEmphasis.Neighbour
        for p in N.allCases {
            for n in N.allCases {
                XCTAssertTrue(CJKEmphasis.underscore(p, n, amended: true) == CJKEmphasis.underscore(p, n, amended: false), "_ between \(p) and \(n)")
                let want = CJKEmphasis.amended(p, n)
                if let m = CJKEmphasis.marks(p, n) {
                    XCTAssertTrue(CJKEmphasis.commonMark(m.before ?? p.commonMark, m.after ?? n.commonMark) == want, "* between \(p) and \(n)")
                } else {
                    XCTAssertTrue(CJKEmphasis.commonMark(p.commonMark, n.commonMark) == want, "* between \(p) and \(n)")
                }
            }
        }
    }

    /// Text without CJK is parsed and written exactly as cmark-gfm writes it: random strings
    /// of emphasis syntax (delimiters, escapes, code, punctuation, line breaks).
    func testWithoutCJKTheHTMLIsCommonMarks() {
        var rng = SplitMix(seed: 2026)
        let alphabet: [String] = ["*", "*", "**", "_", "__", "~", "~~", "a", "b", "foo", " ", " ", ".", "\"", "(", ")", "\\", "`", "!", "-", "\n", "1"]
        func normalise(_ html: String) -> String {
            html.replacingOccurrences(of: "<br />", with: "<br>").replacingOccurrences(of: "<hr />", with: "<hr>")
                .replacingOccurrences(of: #" id="[^"]*""#, with: "", options: .regularExpression)
        }
        var compared = 0
        for _ in 0..<3000 {
            let length = 2 + Int(rng.next() % 14)
            let md = (0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }.joined()
            let ours = normalise(renderMarkdown(md).html)
            let theirs = normalise(CMarkReference.html(md))
            XCTAssertEqual(ours, theirs, "input: \(md.debugDescription)")
            compared += 1
        }
        // And hand-written CommonMark shapes.
        for md in ["*foo bar*", "a * foo bar*", "_foo_bar_baz_", "**foo bar **", "*(*foo*)*", "**foo \"*bar*\" foo**",
                   "foo***bar***baz", "*foo**bar**baz*", "**foo*bar*baz**", "***foo** bar*", "*foo [bar](https://example.org/url)*",
                   "~~strike~~ and ~one~", "__foo, __bar__, baz__", "*foo _bar* baz_", "**a&amp;b**", "_(_foo_)_"] {
            XCTAssertEqual(normalise(renderMarkdown(md).html), normalise(CMarkReference.html(md)), md)
            compared += 1
        }
        XCTAssertGreaterThan(compared, 3000)
    }

    /// Parsing on every core keeps cmark-gfm's extension characters (strikethrough, autolinks).
    func testParallelParsesKeepExtensions() {
        let text = String(repeating: "正文一段，没有标记。\n\n", count: 40) + "~~作废~~ 见 https://example.org 和 www.example.org\n"
        let n = 400
        var ok = [Bool](repeating: false, count: n)
        ok.withUnsafeMutableBufferPointer { out in
            let buffer = out
            DispatchQueue.concurrentPerform(iterations: n) { i in
                let doc = MarkdownParser(allowRawHTML: false).parse(MarkdownSource(text: text, lineOffset: 0), path: "p\(i).md", bag: DiagnosticBag())
                guard case .paragraph(let inl)? = doc.blocks.last else { return }
                let struck = inl.contains { if case .strikethrough = $0 { return true }; return false }
                buffer[i] = struck && doc.links.count == 2
            }
        }
        XCTAssertEqual(ok.filter { !$0 }.count, 0)
    }

    /// Thousands of nested quotes, list items or emphasis: one error at the line, no crash.
    func testDeepNestingIsAnErrorNotACrash() {
        for md in [String(repeating: ">", count: 5000) + " 文字", String(repeating: "* ", count: 3000) + "项",
                   String(repeating: "*a ", count: 2000) + "b" + String(repeating: " a*", count: 2000),
                   String(repeating: "[", count: 3000) + "链接" + String(repeating: "](https://x.cn)", count: 3000)] {
            let r = renderMarkdown(md)
            XCTAssertLessThanOrEqual(r.diagnostics.filter { $0.description.contains("嵌套太深") }.count, 1)
            XCTAssertFalse(r.html.isEmpty)
        }
        let quotes = renderMarkdown(String(repeating: ">", count: 200) + " 最里面的话")
        XCTAssertEqual(quotes.diagnostics.map(\.description), ["content/lessons/s/a.md:5:41: error: 嵌套太深（超过 40 层引用、列表或强调），请减少嵌套 (Markdown nested more than 40 levels deep)"])
        XCTAssertTrue(quotes.html.contains("最里面的话"), "the text is still there")
    }

    /// The invisible marks are chosen among characters the text does not use.
    func testEmphasisWorksWhatEverPrivateCharactersTheTextHolds() {
        let pua = String(String.UnicodeScalarView((0xF8F0...0xF8FF).compactMap(Unicode.Scalar.init))) + "\u{2E2E}\u{2E18}"
        let r = renderMarkdown("**强调。**后文" + pua)
        XCTAssertEqual(r.html, "<p><strong>强调。</strong>后文" + pua + "</p>\n")
    }

    func testChineseSoftBreaksJoinWithoutSpace() {
        let r = renderMarkdown("党章是党的根本大法，是全党\n必须遵循的总规矩。学党章，\n不是背条文。\n\n**加粗**\n的文字和 English\nwords 照常。")
        XCTAssertTrue(r.html.contains("<p>党章是党的根本大法，是全党必须遵循的总规矩。学党章，不是背条文。</p>"), r.html)
        XCTAssertTrue(r.html.contains("<strong>加粗</strong>的文字和 English\nwords 照常。"), r.html)
        XCTAssertFalse(r.doc.plainText.contains("全党 必须"))
        // Beside a number or a Latin word too: Chinese text has no space there.
        let n = renderMarkdown("截至2026\n年6月，第3\n季度使用5G\n网络，依托\n5G平台和\nExcel\n表格。")
        XCTAssertEqual(n.html, "<p>截至2026年6月，第3季度使用5G网络，依托5G平台和Excel表格。</p>\n")
        XCTAssertEqual(n.doc.plainText.trimmingCharacters(in: .whitespacesAndNewlines), "截至2026年6月，第3季度使用5G网络，依托5G平台和Excel表格。")
    }

    func testJoinInsideListsQuotesAndTables() {
        let r = renderMarkdown("- 列表里的\n  一行\n\n> 引用里的\n> 一行\n")
        XCTAssertTrue(r.html.contains("列表里的一行"), r.html)
        XCTAssertTrue(r.html.contains("引用里的一行"), r.html)
    }

    func testHeadingIdsAreStableAndUnique() {
        let r = renderMarkdown("## 怎样学\n\n## 怎样学\n\n### 小结\n\n## toc\n\n## 1 开始\n")
        XCTAssertTrue(r.html.contains("<h2 id=\"zen-yang-xue\">怎样学</h2>"), r.html)
        XCTAssertTrue(r.html.contains("<h2 id=\"zen-yang-xue-2\">怎样学</h2>"), r.html)
        XCTAssertTrue(r.html.contains("<h2 id=\"toc-2\">toc</h2>"), "page ids are reserved: \(r.html)")
        XCTAssertTrue(r.html.contains("<h2 id=\"s-1-kai-shi\">"), r.html)
        XCTAssertEqual(TOCEntry.flatten(r.toc).map(\.id), ["zen-yang-xue", "zen-yang-xue-2", "xiao-jie", "toc-2", "s-1-kai-shi"])
        XCTAssertEqual(r.toc.map(\.level), [2, 2, 2, 2])
        XCTAssertEqual(r.toc[1].children.map(\.title), ["小结"])
        XCTAssertEqual(renderMarkdown("## 怎样学\n").html, renderMarkdown("## 怎样学\n").html)
    }

    func testContentsAreNumberedOnlyWhereHeadingsAreNot() {
        // Headings numbered by the editor are listed as written, never numbered twice.
        let own = renderMarkdown("## 一、总体要求\n\n### （一）指导思想\n\n### （二）工作目标\n\n## 二、主要任务\n\n### 1. 加强学习\n\n### 2. 抓好落实\n\n## 第三章 保障措施\n").toc
        XCTAssertEqual(TOCEntry.flatten(own).map(\.title), ["一、总体要求", "（一）指导思想", "（二）工作目标", "二、主要任务", "1. 加强学习", "2. 抓好落实", "第三章 保障措施"])
        XCTAssertEqual(TOCEntry.flatten(own).compactMap(\.number), [])
        // Plain headings are numbered 1, 2 and 1.1, 1.2, without gaps.
        let plain = renderMarkdown("## 为什么学\n\n### 历史\n\n### 现实\n\n## 怎样学\n\n## 学什么\n\n### 党章\n").toc
        XCTAssertEqual(TOCEntry.flatten(plain).map { $0.number ?? "-" }, ["1", "1.1", "1.2", "2", "3", "3.1"])
        // A group mixing both is listed as written.
        let mixed = renderMarkdown("## 一、背景\n\n## 具体做法\n").toc
        XCTAssertEqual(mixed.map(\.number), [nil, nil])
        // An ### before the first ## stands alone; the ## are still 1, 2.
        let orphan = renderMarkdown("### 引言\n\n## 甲\n\n## 乙\n").toc
        XCTAssertEqual(orphan.map { $0.number ?? "-" }, ["-", "1", "2"])
        // An amount at a heading's start (1.5万元) is not its number: the headings are numbered.
        let amount = renderMarkdown("## 上半年工作\n\n## 1.5万元经费使用\n\n## 下半年工作\n").toc
        XCTAssertEqual(amount.map { $0.number ?? "-" }, ["1", "2", "3"])
        // Footnote marks are not part of a heading's contents entry.
        XCTAssertEqual(renderMarkdown("## 标题[^1]\n\n[^1]: 注。\n").toc.map(\.title), ["标题"])
        for title in ["一、", "十二、任务", "（三）要求", "(4) 步骤", "1. 开头", "2、其次", "3）再次", "第二章 组织", "第十条 纪律", "①首先",
                      "1.2 总体要求", "1.2.3 细则", "3.1总体要求", "1.2台账管理", "2.1年度目标", "3.1人员安排", "1.1个人自评", "2.3分组讨论"] {
            XCTAssertTrue(HeadingNumber.hasOwn(title), title)
        }
        for title in ["2026年工作要点", "一把手责任", "第一书记", "三会一课", "1990 年代", "1.5万元经费使用", "2.5%的增幅", "0.5小时微党课"] {
            XCTAssertFalse(HeadingNumber.hasOwn(title), title)
        }
    }

    func testPicturesAreFigures() {
        let r = renderMarkdown("开头一段。\n\n![活动现场](/media/wide.png \"2026年3月主题党日现场\")\n\n第二段。\n\n第三段。\n\n![流程图](/media/flow.png)\n\n行内图![小图标](/media/wide.png)。")
        XCTAssertTrue(r.html.contains("<figure><img src=\"/site/media/wide.png\" alt=\"活动现场\" width=\"1200\" height=\"600\" decoding=\"async\"><figcaption>2026年3月主题党日现场</figcaption></figure>"), r.html)
        // Below the first screen: lazy; the alt text as caption is hidden from screen readers (read once).
        XCTAssertTrue(r.html.contains("<figure><img src=\"/site/media/flow.png\" alt=\"流程图\" loading=\"lazy\" decoding=\"async\"><figcaption aria-hidden=\"true\">流程图</figcaption></figure>"), r.html)
        // A picture whose address was dropped as unsafe still says what it showed.
        XCTAssertTrue(renderMarkdown("![党徽](javascript:x)").html.contains("<p>党徽</p>"))
        XCTAssertTrue(r.html.contains("<p>行内图<img src=\"/site/media/wide.png\" alt=\"小图标\" width=\"1200\" height=\"600\" loading=\"lazy\" decoding=\"async\">。</p>"), r.html)
    }

    func testGFMExtensions() {
        let r = renderMarkdown("""
        | 左 | 中 | 右 |
        |:--|:-:|--:|
        | a | b | c |

        ~~删除~~ 和 https://example.org 自动链接

        - [x] 完成
        - [ ] 未完成

        脚注[^1]，再引一次[^1]。

        [^1]: 注释内容。
        """)
        XCTAssertTrue(r.html.contains("<div class=\"table-wrap\"><table>"), r.html)
        XCTAssertTrue(r.html.contains("<th class=\"align-center\">中</th>"), r.html)
        XCTAssertFalse(r.html.contains("align=\""), "no obsolete align attribute")
        XCTAssertTrue(r.html.contains("<del>删除</del>"))
        XCTAssertTrue(r.html.contains("<a href=\"https://example.org\">https://example.org</a>"))
        XCTAssertTrue(r.html.contains("<li class=\"task\"><input type=\"checkbox\" checked disabled> 完成</li>"), r.html)
        XCTAssertTrue(r.html.contains("<section class=\"footnotes\""))
        XCTAssertTrue(r.html.contains("<h2 class=\"footnotes-title\">注释</h2>"))
        XCTAssertTrue(r.html.contains("aria-label=\"返回正文\""))
        XCTAssertTrue(r.html.contains("id=\"fnref-1\"") && r.html.contains("id=\"fnref-1-2\""), "each mark has its own id: \(r.html)")
    }

    func testRawHTMLOmittedOrSanitised() {
        let r = renderMarkdown("正文<span>内联</span>。\n\n<div>块</div>\n")
        XCTAssertFalse(r.html.contains("<span>"))
        XCTAssertFalse(r.html.contains("<div>块"))
        XCTAssertEqual(r.diagnostics.map(\.description), [
            "content/lessons/s/a.md:5:3: warning: Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: <span>)",
            "content/lessons/s/a.md:5:11: warning: Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: </span>)",
            "content/lessons/s/a.md:7:1: warning: Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: <div>块</div>)",
        ])
        let raw = renderMarkdown("<span onclick=\"x()\">内联</span>\n\n<script>x()</script>\n<iframe src=\"https://evil\"></iframe>\n\n<a href=\"javascript:alert(1)\">链接</a>", rawHTML: true)
        XCTAssertTrue(raw.html.contains("<span>内联</span>"), raw.html)
        XCTAssertFalse(raw.html.contains("<script"))
        XCTAssertFalse(raw.html.contains("<iframe"))
        XCTAssertFalse(raw.html.lowercased().contains("javascript"), raw.html)
        // SVG animation setting an href, script in a style: removed.
        let svg = renderMarkdown("<svg><a><animate attributeName=\"href\" values=\"javascript:alert(1)\"/><set attributeName=\"href\" to=\"javascript:x\"/><text>点</text></a></svg>\n\n<p style=\"background:url(javascript:x)\">段</p>", rawHTML: true).html
        XCTAssertFalse(svg.lowercased().contains("javascript"), svg)
        XCTAssertTrue(svg.contains("点") && svg.contains("段"), svg)
        // An element libxml2 does not know is empty keeps what follows it on the page.
        let embed = renderMarkdown("## 一、视频\n\n<embed src=\"https://x.cn/v.swf\">\n\n## 二、学习要点\n\n**每季度至少召开一次。**讨论。", rawHTML: true)
        XCTAssertTrue(embed.html.contains("二、学习要点") && embed.html.contains("<strong>每季度至少召开一次。</strong>讨论"), embed.html)
        // A raw-text element left open would swallow the rest: shown as text, with a warning.
        let open = renderMarkdown("开头\n\n<iframe src=x>\n\n后面的正文。", rawHTML: true)
        XCTAssertTrue(open.html.contains("后面的正文。"), open.html)
        XCTAssertTrue(open.html.contains("&lt;iframe src=x&gt;"), open.html)
        XCTAssertEqual(open.diagnostics.map(\.description), ["content/lessons/s/a.md:7:1: warning: HTML 的 <iframe> 没有闭合，后面的内容会被它吞掉，已按文字显示；请补上 </iframe> (unclosed <iframe> shown as text)"])
        // Markup hidden in elements browsers read as raw text never reaches the page.
        for hidden in ["<textarea><!--</textarea><img src=x onerror=alert(1)>--></textarea>", "<title><img src=x onerror=alert(1)></title>",
                       "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", "<xmp><img src=x onerror=alert(1)></xmp>"] {
            let h = renderMarkdown("正文\n\n" + hidden + "\n", rawHTML: true).html
            XCTAssertFalse(h.contains("onerror"), h)
        }
    }

    /// raw_html: true passes editors' HTML through an allow-list: each attack comes out as
    /// exactly this.
    func testRawHTMLAllowList() {
        let cases: [(String, String)] = [
            ("<a href=\"javascript:alert(1)\">甲</a>", "<a>甲</a>"),
            ("<a href=\"JaVa&#x09;script:alert(1)\">乙</a>", "<a>乙</a>"),
            ("<img src=\"x\" onerror=\"alert(1)\">", "<img src=\"x\">"),
            ("<form action=\"javascript:alert(1)\"><button formaction=\"javascript:alert(2)\">丙</button></form>", ""),
            ("<video poster=\"javascript:alert(1)\" src=\"/media/v.mp4\" controls></video>", "<video src=\"/media/v.mp4\" controls></video>"),
            ("<video poster=\"https://evil.example/p.jpg\"></video>", "<video></video>"),
            ("<img src=\"https://evil.example/track.gif\" alt=\"丁\">", "<img alt=\"丁\">"),
            ("<img src=\"//evil.example/track.gif\">", "<img>"),
            ("<a href=\"https://www.12371.cn/\" target=\"_blank\">共产党员网</a>", "<a href=\"https://www.12371.cn/\" target=\"_blank\" rel=\"noopener noreferrer\">共产党员网</a>"),
            ("<svg><a xlink:href=\"javascript:alert(1)\"><text>戊</text></a></svg>", "<a>戊</a>"),
            ("<span style=\"position:fixed;top:0\">己</span>", "<span>己</span>"),
            ("<span style=\"color:#c00\" data-x=\"1\" class=\"red\">庚</span>", "<span style=\"color:#c00\" class=\"red\">庚</span>"),
            ("<marquee>辛</marquee>", "辛"),
            ("<input type=\"text\" value=\"壬\">", ""),
            ("<details open><summary>癸</summary>内容</details>", "<details open><summary>癸</summary>内容</details>"),
            ("<table><tr><td colspan=\"2\" onclick=\"x()\">表</td></tr></table>", "<table><tr><td colspan=\"2\">表</td></tr></table>"),
            // A comment a browser ends sooner than libxml2 does: comments never stay.
            ("<!--><img src=x onerror=alert(1)>-->子", "子"),
            ("<span style=\"background:u\\72l(https://evil.example/x.png)\">丑</span>", "<span>丑</span>"),
        ]
        for (input, expected) in cases {
            let html = renderMarkdown("<div>" + input + "</div>\n", rawHTML: true).html
            XCTAssertEqual(html.replacingOccurrences(of: "\n", with: ""), "<div>" + expected + "</div>", input)
        }
        // Nothing is removed silently: a warning at the piece's line names what went.
        let warned = renderMarkdown("正文\n\n<p><a href=\"javascript:alert(1)\" onclick=\"x()\">甲</a><script>y()</script></p>\n", rawHTML: true)
        XCTAssertEqual(warned.diagnostics.map(\.description), ["content/lessons/s/a.md:7:1: warning: HTML 里不安全或不支持的部分已删除：<script>、href=\"javascript:alert(1)\"、onclick (removed from raw HTML: <script>, href=\"javascript:alert(1)\", onclick)"])
        // Page-level elements never stay, wherever they are written.
        for page in ["<base href=\"http://evil/\">", "<meta http-equiv=\"refresh\" content=\"0;url=http://evil\">",
                     "<link rel=\"stylesheet\" href=\"http://evil/x.css\">", "<iframe src=\"data:text/html,x\"></iframe>", "<script src=\"http://evil/x.js\"></script>"] {
            let html = renderMarkdown("正文\n\n<p>" + page + "段</p>\n", rawHTML: true).html
            XCTAssertFalse(html.contains("evil") || html.contains("data:") || html.contains("<meta") || html.contains("<base"), html)
            XCTAssertTrue(html.contains("段"), html)
        }
    }

    func testLinksResolvedWithPositions() {
        let r = renderMarkdown("第一行\n第二行有[好链接](ok.md)和[坏链接](bad.md)。\n\n> 引用里 ![图](x.png)\n")
        XCTAssertTrue(r.html.contains("<a href=\"/site/ok/\">好链接</a>"), r.html)
        XCTAssertEqual(r.diagnostics.map(\.description), [
            "content/lessons/s/a.md:6:18: error: no page bad.md",
            "content/lessons/s/a.md:8:7: error: no image x.png",
        ])
    }

    func testDangerousLinksDropped() {
        let r = renderMarkdown("[甲](javascript:alert(1)) [乙](JavaScript:x) [丙](data:text/html,x) [丁](file:///etc/passwd) ![戊](data:image/png;base64,AA==)")
        XCTAssertFalse(r.html.lowercased().contains("javascript"))
        XCTAssertFalse(r.html.contains("data:text"))
        XCTAssertFalse(r.html.contains("file:"))
        XCTAssertTrue(r.html.contains("甲"))
        XCTAssertEqual(r.diagnostics.count, 4, "\(r.diagnostics)")
        for unsafe in ["javascript:x", " JaVaScRiPt:x", "java\tscript:x", "vbscript:x", "FILE:///etc", "data:text/html,x", "data:image/svg+xml,<svg onload=x>"] {
            XCTAssertTrue(URLSafety.isUnsafe(unsafe), unsafe)
        }
        for safe in ["https://example.org", "/media/a.png", "a.md#x", "mailto:a@b.cn", "data:image/png;base64,AA==", "12:30"] {
            XCTAssertFalse(URLSafety.isUnsafe(safe), safe)
        }
    }

    func testPlainTextAndFirstParagraph() {
        let r = renderMarkdown("## 标题\n\n第一段**加粗**文字，\n接着写。\n\n第二段。")
        XCTAssertEqual(r.doc.firstParagraph, "第一段加粗文字，接着写。")
        XCTAssertTrue(r.doc.plainText.contains("第二段。"))
        // A picture on its own, a list and a table before the prose are passed over; footnote
        // marks and pictures inside the paragraph are not its words.
        let late = renderMarkdown("![党徽](/media/a.png)\n\n- 一项\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n按照《条例》[^1]的要求![图](/media/b.png)开展。\n\n[^1]: 注。\n")
        XCTAssertEqual(late.doc.firstParagraph, "按照《条例》的要求开展。")
        // A text that is only a list of points (and a table): the list's items, joined as
        // lines are, without the table's cells.
        let points = renderMarkdown("1. 第一条，**压实**责任；\n2. 第二条，强化考核。\n3. Party\n4. building\n\n| 项目 | 说明 |\n|--|--|\n| 文件 | 压减 |\n")
        XCTAssertEqual(points.doc.firstParagraph, "第一条，压实责任；第二条，强化考核。Party building")
        XCTAssertEqual(points.doc.opening, points.doc.firstParagraph)
    }
}

/// Small deterministic generator for the random inputs.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
