import Foundation
import XCTest
import BeaconModel
import BeaconOutput
import BeaconBuild
import BeaconMarkdown
import BeaconText
import BeaconPrint
import CLibXML2

/// The zh-Hant edition of the example site (`editions: [zh-Hans, zh-Hant]` in its site.yml).
/// The HTML and link checks of `ExampleSiteTests` walk the whole site folder, so they cover
/// the edition too; `testLinkAndHTMLChecksCoverTheEdition` makes sure of that.
final class EditionTests: XCTestCase {
    nonisolated(unsafe) static var site: TempSite?

    override class func setUp() {
        super.setUp()
        guard let s = try? TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content")) else { return }
        let bag = DiagnosticBag()
        _ = Builder.build(BuildOptions(root: s.root), bag: bag)
        if !bag.hasErrors { site = s }
    }

    var siteDir: URL { Self.site!.output.appendingPathComponent("site") }

    func pages(under folder: String = "") -> [String] {
        let e = FileManager.default.enumerator(atPath: siteDir.appendingPathComponent(folder).path)!
        return (e.allObjects as! [String]).filter { $0.hasSuffix(".html") }.sorted()
    }

    func read(_ page: String) throws -> String {
        try String(contentsOf: siteDir.appendingPathComponent(page), encoding: .utf8)
    }

    func testConverterUsesICUThenTheSitesPhrases() {
        let plain = HantConverter()
        XCTAssertEqual(plain.convert("学习党章，头发，干部"), "學習黨章，頭髮，幹部")
        XCTAssertEqual(plain.convert("台账"), "台賬", "ICU's own choice")
        let site = HantConverter(phrases: ["台账": "臺賬"])
        XCTAssertEqual(site.convert("主题党日台账怎样填"), "主題黨日臺賬怎樣填")
        XCTAssertEqual(site.convert(["党员", "", "台账 Excel"]), ["黨員", "", "臺賬 Excel"])
    }

    func testEveryPageHasItsTraditionalCopy() throws {
        XCTAssertNotNil(Self.site, "the example site builds")
        let hans = pages().filter { !$0.hasPrefix("zh-hant/") }
        let hant = pages(under: "zh-hant")
        XCTAssertGreaterThan(hans.count, 50)
        XCTAssertEqual(Set(hant), Set(hans), "the same pages in both editions")
    }

    func testTraditionalPagesAreConverted() throws {
        let page = try read("zh-hant/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/index.html")
        XCTAssertTrue(page.contains("<html lang=\"zh-Hant\">"))
        XCTAssertTrue(page.contains("<h1 class=\"page-title\">主題黨日臺賬怎樣填</h1>") || page.contains("主題黨日臺賬怎樣填</h1>"), "title converted, with the site's phrase")
        XCTAssertFalse(page.contains("台賬"), "ICU's 台賬 corrected everywhere")
        // No Simplified-only character remains in the text, apart from the switch's 简体 label.
        let doc = try XCTUnwrap(HTMLDocument(html: page))
        var text = ""
        for el in doc.elements(under: doc.root) where el.name == "main" || el.name == "header" || el.name == "footer" || el.name == "title" {
            text += el.textContent
        }
        text = text.replacingOccurrences(of: "简体", with: "")
        for ch in ["党", "学", "习", "题", "记", "们", "这", "说"] {
            XCTAssertFalse(text.contains(ch), "Simplified \(ch) left in the zh-Hant page")
        }
        XCTAssertTrue(text.contains("黨"))
        // Page links go into the edition; files stay shared.
        XCTAssertTrue(page.contains("href=\"/study/zh-hant/lessons/zhu-ti-dang-ri/\""), "breadcrumb into the edition")
        XCTAssertTrue(page.contains("href=\"/study/assets/style.css\""), "the style sheet is shared")
        XCTAssertTrue(page.contains("<link rel=\"canonical\" href=\"https://example.org/study/zh-hant/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/\">"))
    }

    func testHreflangAndLanguageSwitch() throws {
        for (page, current) in [("lessons/index.html", "zh-Hans"), ("zh-hant/lessons/index.html", "zh-Hant")] {
            let html = try read(page)
            XCTAssertTrue(html.contains("<link rel=\"alternate\" hreflang=\"zh-Hans\" href=\"https://example.org/study/lessons/\">"), page)
            XCTAssertTrue(html.contains("<link rel=\"alternate\" hreflang=\"zh-Hant\" href=\"https://example.org/study/zh-hant/lessons/\">"), page)
            XCTAssertTrue(html.contains("<a href=\"/study/lessons/\" hreflang=\"zh-Hans\" lang=\"zh-Hans\"\(current == "zh-Hans" ? " aria-current=\"true\"" : "")>简体</a>"), page)
            XCTAssertTrue(html.contains("<a href=\"/study/zh-hant/lessons/\" hreflang=\"zh-Hant\" lang=\"zh-Hant\"\(current == "zh-Hant" ? " aria-current=\"true\"" : "")>繁體</a>"), page)
        }
    }

    func testLessonQRCodePointsToItsOwnEdition() throws {
        let route = "lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/"
        let hans = try read(route + "index.html"), hant = try read("zh-hant/" + route + "index.html")
        // The modules (the path); the label around them is converted with the page.
        func modules(_ svg: String) -> String { String(svg[svg.range(of: "<path d=\"")!.lowerBound...]) }
        let hansQR = modules(try XCTUnwrap(QRCode.web("https://example.org/study/" + route)).svg(pixels: 3))
        let hantQR = modules(try XCTUnwrap(QRCode.web("https://example.org/study/zh-hant/" + route)).svg(pixels: 3))
        XCTAssertTrue(hans.contains(hansQR))
        XCTAssertTrue(hant.contains(hantQR))
        XCTAssertFalse(hant.contains(hansQR))
    }

    func testLinkAndHTMLChecksCoverTheEdition() {
        // ExampleSiteTests walks every .html file under output/site, zh-hant/ included.
        XCTAssertTrue(pages().contains("zh-hant/index.html"))
        XCTAssertTrue(pages().contains("zh-hant/search/index.html"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: siteDir.appendingPathComponent("zh-hant/search/meta.json").path))
    }

    /// Search in the zh-Hant edition with a Traditional query, in headless Chromium.
    func testSearchInTheTraditionalEdition() throws {
        let browser = try SiteBrowser(site: siteDir, base: "/study/")
        defer { browser.stop() }
        let found = try browser.searchResults("zh-hant/search/", "黨章")
        XCTAssertEqual(found.first, "/study/zh-hant/lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/", "\(found)")
        XCTAssertTrue(found.allSatisfy { $0.hasPrefix("/study/zh-hant/") }, "\(found)")
        XCTAssertTrue(browser.lastDOM.contains("找到"), "the message, converted")
        XCTAssertTrue(browser.lastDOM.contains("與“黨章”有關"), "the message is in Traditional characters")
        let four = try browser.searchResults("zh-hant/search/", "主題黨日")
        XCTAssertEqual(four.first, "/study/zh-hant/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-zen-yang-zu-zhi/", "\(four)")
        XCTAssertEqual(try browser.searchResults("zh-hant/search/", "Excel"), ["/study/zh-hant/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/",
                                                                               "/study/zh-hant/lessons/san-hui-yi-ke/zu-zhi-sheng-huo-hui/"])
    }
}
