import Foundation
import XCTest
import BeaconModel
import BeaconText
import BeaconMarkdown

final class MarkdownTests: XCTestCase {
    let renderer = MarkdownRenderer(allowRawHTML: false, slugger: Slugger(mode: .pinyin))

    func render(_ md: String, resolver: LinkResolver? = nil) -> (RenderedMarkdown, [Diagnostic]) {
        let bag = DiagnosticBag()
        let r = renderer.render(MarkdownSource(text: md, lineOffset: 4), path: "content/lessons/s/a.md", resolver: resolver, bag: bag)
        return (r, bag.all)
    }

    func testChineseSoftBreaksJoinWithoutSpace() {
        let (r, _) = render("党章是党的根本大法，是全党\n必须遵循的总规矩。学党章，\n不是背条文。\n\n**加粗**\n的文字和 English\nwords 照常。")
        XCTAssertTrue(r.html.contains("<p>党章是党的根本大法，是全党必须遵循的总规矩。学党章，不是背条文。</p>"), r.html)
        XCTAssertTrue(r.html.contains("<strong>加粗</strong>的文字和 English\nwords 照常。"), r.html)
        XCTAssertFalse(r.plainText.contains("全党 必须"))
    }

    func testJoinInsideListsQuotesAndTables() {
        let (r, _) = render("- 列表里的\n  一行\n\n> 引用里的\n> 一行\n")
        XCTAssertTrue(r.html.contains("列表里的一行"), r.html)
        XCTAssertTrue(r.html.contains("引用里的一行"), r.html)
    }

    func testHeadingIdsAreStableAndUnique() {
        let (r, _) = render("## 怎样学\n\n## 怎样学\n\n### 小结\n\n## toc\n\n## 1 开始\n")
        XCTAssertTrue(r.html.contains("<h2 id=\"zen-yang-xue\">怎样学</h2>"), r.html)
        XCTAssertTrue(r.html.contains("<h2 id=\"zen-yang-xue-2\">怎样学</h2>"), r.html)
        XCTAssertTrue(r.html.contains("<h2 id=\"toc-2\">toc</h2>"), "page ids are reserved: \(r.html)")
        XCTAssertTrue(r.html.contains("<h2 id=\"s-1-kai-shi\">"), r.html)
        XCTAssertEqual(r.toc.map(\.id), ["zen-yang-xue", "zen-yang-xue-2", "xiao-jie", "toc-2", "s-1-kai-shi"])
        XCTAssertEqual(r.toc.map(\.level), [2, 2, 3, 2, 2])
        // Same input, same ids.
        XCTAssertEqual(render("## 怎样学\n").0.html, render("## 怎样学\n").0.html)
    }

    func testGFMExtensions() {
        let (r, _) = render("""
        | 左 | 中 | 右 |
        |:--|:-:|--:|
        | a | b | c |

        ~~删除~~ 和 https://example.org 自动链接

        - [x] 完成
        - [ ] 未完成

        脚注[^1]。

        [^1]: 注释内容。
        """)
        XCTAssertTrue(r.html.contains("<div class=\"table-wrap\"><table>"), r.html)
        XCTAssertTrue(r.html.contains("<th class=\"align-center\">中</th>"), r.html)
        XCTAssertFalse(r.html.contains("align=\""), "no obsolete align attribute")
        XCTAssertTrue(r.html.contains("<del>删除</del>"))
        XCTAssertTrue(r.html.contains("<a href=\"https://example.org\">https://example.org</a>"))
        XCTAssertTrue(r.html.contains("<input type=\"checkbox\" checked disabled>"))
        XCTAssertTrue(r.html.contains("<section class=\"footnotes\""))
        XCTAssertTrue(r.html.contains("<h2 class=\"footnotes-title\">注释</h2>"))
        XCTAssertTrue(r.html.contains("aria-label=\"返回正文\""))
    }

    func testRawHTMLOmittedAndTagFilter() {
        let (r, d) = render("正文<span>内联</span>。\n\n<div>块</div>\n")
        XCTAssertFalse(r.html.contains("<span>"))
        XCTAssertFalse(r.html.contains("<div>块"))
        XCTAssertEqual(d.map(\.description), [
            "content/lessons/s/a.md:5:3: warning: Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: <span>)",
            "content/lessons/s/a.md:5:11: warning: Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: </span>)",
            "content/lessons/s/a.md:7:1: warning: Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: <div>块</div>)",
        ])
        let raw = MarkdownRenderer(allowRawHTML: true, slugger: Slugger())
        let r2 = raw.render(MarkdownSource(text: "<span>内联</span>\n\n<script>x()</script>\n<iframe src=\"https://evil\"></iframe>", lineOffset: 0),
                            path: "a.md", resolver: nil, bag: DiagnosticBag())
        XCTAssertTrue(r2.html.contains("<span>内联</span>"))
        XCTAssertFalse(r2.html.contains("<script"))
        XCTAssertFalse(r2.html.contains("<iframe"))
    }

    struct FakeResolver: LinkResolver {
        func resolve(_ target: String, isImage: Bool, in document: String) -> LinkResolution {
            if target.hasPrefix("http") { return .keep }
            if target == "ok.md" { return .rewrite("/site/ok/") }
            return .missing(isImage ? "no image \(target)" : "no page \(target)")
        }
    }

    func testLinksResolvedWithPositions() {
        let (r, d) = render("第一行\n第二行有[好链接](ok.md)和[坏链接](bad.md)。\n\n> 引用里 ![图](x.png)\n", resolver: FakeResolver())
        XCTAssertTrue(r.html.contains("<a href=\"/site/ok/\">好链接</a>"), r.html)
        XCTAssertEqual(d.map(\.description), [
            "content/lessons/s/a.md:6:18: error: no page bad.md",
            "content/lessons/s/a.md:8:7: error: no image x.png",
        ])
    }

    func testDangerousLinksDropped() {
        let (r, d) = render("[甲](javascript:alert(1)) [乙](JavaScript:x) [丙](data:text/html,x) ![丁](data:image/png;base64,AA==)")
        XCTAssertFalse(r.html.lowercased().contains("javascript"))
        XCTAssertFalse(r.html.contains("data:text"))
        XCTAssertTrue(r.html.contains("甲"))
        XCTAssertEqual(d.count, 3)
    }

    func testPlainTextAndFirstParagraph() {
        let (r, _) = render("## 标题\n\n第一段**加粗**文字，\n接着写。\n\n第二段。")
        XCTAssertEqual(r.firstParagraph, "第一段加粗文字，接着写。")
        XCTAssertTrue(r.plainText.contains("第二段。"))
    }
}
