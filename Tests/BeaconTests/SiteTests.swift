import Foundation
import XCTest
import Mustache
import BeaconModel
import BeaconOutput
import BeaconTemplate
@testable import BeaconSite

final class SiteTests: XCTestCase {
    /// Beacon's templates escape exactly as swift-mustache's built-in escaper does.
    func testEscapingMatchesTheLibrary() throws {
        let samples = ["", "纯中文标题", "A & B <c> \"d\" 'e'", "“两学一做”<学习>&'党课'", "emoji 👨‍👩‍👧 & é\u{301}", "&amp;"]
        let builtIn = try MustacheTemplate(string: "{{x}}")
        let ours = try Template("{{x}}")
        for s in samples {
            XCTAssertEqual(ours.render(["x": .string(s)]), builtIn.render(["x": s]), s)
        }
        XCTAssertEqual(ours.render(["x": "<a href='x'>&</a>"]), "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;")
    }

    func testTitlesWithMarkupCharactersAreEscapedEverywhere() throws {
        let site = try TempSite()
        try site.write("content/lessons/学习园地/第一课.md", "---\ntitle: \"<b>A&B</b> “学习”\"\ndate: 2026-03-01\ntags: [\"<i>标签</i>\"]\n---\n正文\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let page = try site.read("output/site/lessons/xue-xi-yuan-di/di-yi-ke/index.html")
        XCTAssertTrue(page.contains("<h1>&lt;b&gt;A&amp;B&lt;/b&gt; “学习”</h1>"))
        XCTAssertFalse(page.contains("<b>A&B</b>"))
        let home = try site.read("output/site/index.html")
        XCTAssertTrue(home.contains("&lt;b&gt;A&amp;B&lt;/b&gt;"))
        let feed = try site.read("output/site/feed.xml")
        XCTAssertTrue(feed.contains("<title>&lt;b&gt;A&amp;B&lt;/b&gt; “学习”</title>"))
    }

    func testBoardsAndBooksAreListedAndBadOnesReported() throws {
        let site = try TempSite()
        try site.write("content/boards/好展板.yml", "title: 三会一课制度\nsubtitle: 测试村\nsize: exhibition-landscape\ncolums: 3\nblocks:\n  - type: text\n    body: 每季度召开一次。\n")
        try site.write("content/books/口袋书.yml", "title: 学习口袋书\nsize: { width: 90mm, height: 130mm }\ncontents:\n  - series: 学习园地\n")
        var (report, diags) = site.build()
        XCTAssertFalse(report.succeeded, "a misspelt key is an error: nothing the editor wrote is dropped")
        XCTAssertEqual(diags.map(\.description), ["content/boards/好展板.yml:4:1: error: 未知字段 colums，是不是 columns？ (unknown key 'colums'; did you mean 'columns'?)"])
        try site.write("content/boards/好展板.yml", "title: 三会一课制度\nsubtitle: 测试村\nsize: exhibition-landscape\ncolumns: 3\nblocks:\n  - type: text\n    body: 每季度召开一次。\n")
        (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertEqual(diags.map(\.description), [])
        XCTAssertEqual(report.boards, 1)
        XCTAssertEqual(report.books, 1)
        XCTAssertTrue(try site.read("output/site/boards/index.html").contains("三会一课制度"))
        XCTAssertTrue(try site.read("output/site/books/index.html").contains("开本 90×130 mm"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("output/books/kou-dai-shu.pdf").path))

        try site.write("content/boards/坏展板.yml", "title: [未闭合\nblocks:\n  - type: text\n")
        try site.write("content/books/无题.yml", "subtitle: 没有书名\n")
        (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        let lines = diags.filter { $0.severity == .error }.map(\.description)
        XCTAssertEqual(lines, [
            "content/boards/坏展板.yml:2:7: error: YAML 格式错误：从第 1 行第 8 列开始的方括号列表 [ ] 没有结束，或两项之间少了逗号；请写成 [甲, 乙] (invalid YAML: did not find expected ',' or ']' while parsing a flow sequence)",
            "content/books/无题.yml:1:1: error: 缺少必填字段 title（书名） (missing required field 'title')",
            "content/books/无题.yml:1:1: error: 缺少必填字段 contents（内容） (missing required field 'contents')",
        ])
    }

    func testNoContentFolder() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-empty-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let bag = DiagnosticBag()
        let report = Builder_build(root: root, bag: bag)
        XCTAssertFalse(report)
        XCTAssertEqual(bag.all.map(\.description), ["content:1:1: error: 找不到 content/ 文件夹；请在站点根目录运行 beacon (no content/ folder here; run beacon in the site's folder)"])
    }

    func testSiteUnderABasePath() throws {
        let site = try TempSite()
        let home = { try site.read("output/site/index.html") }
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertTrue(try home().contains("href=\"/test/assets/style.css\""))
        try site.write("content/site.yml", "title: 测试站点\nbase_url: https://intranet.example/\n")
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertTrue(try home().contains("href=\"/assets/style.css\""))
        XCTAssertTrue(try site.read("output/site/sitemap.xml").contains("<loc>https://intranet.example/lessons/</loc>"))
    }

    func testRoutesEncodeKeptHanSlugs() {
        XCTAssertEqual(Routes.encodePath("lessons/两学一做/"), "lessons/%E4%B8%A4%E5%AD%A6%E4%B8%80%E5%81%9A/")
        XCTAssertEqual(Routes.encodePath("lessons/a-b/"), "lessons/a-b/")
        XCTAssertEqual(Routes.file(""), "index.html")
        XCTAssertEqual(Routes.file("tags/x/"), "tags/x/index.html")
        XCTAssertEqual(Routes.file("feed.xml"), "feed.xml")
    }

    func testKeepSlugsBuildAWorkingSite() throws {
        let site = try TempSite()
        try site.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\nslugs: keep\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("output/site/lessons/学习园地/第一课/index.html").path))
        let page = try site.read("output/site/lessons/学习园地/第一课/index.html")
        XCTAssertTrue(page.contains("href=\"/test/lessons/%E5%AD%A6%E4%B9%A0%E5%9B%AD%E5%9C%B0/%E7%AC%AC%E4%BA%8C%E8%AF%BE/\""), "link to 第二课, percent-encoded")
    }

    /// Picture sizes from file headers; a phone photo stored sideways (EXIF orientation 6)
    /// is as wide as it is shown.
    func testImageSizesAndPhoneOrientation() throws {
        func jpeg(orientation: UInt8?) -> Data {
            var b: [UInt8] = [0xFF, 0xD8]
            if let o = orientation {
                // APP1: "Exif\0\0", big-endian TIFF header, one IFD entry: 0x0112 SHORT 1 = o.
                let tiff: [UInt8] = [0x4D, 0x4D, 0x00, 0x2A, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, o, 0, 0, 0, 0, 0, 0]
                let body: [UInt8] = Array("Exif".utf8) + [0, 0] + tiff
                b += [0xFF, 0xE1, UInt8((body.count + 2) >> 8), UInt8((body.count + 2) & 0xFF)] + body
            }
            // SOF0: height 2000, width 3200.
            b += [0xFF, 0xC0, 0, 17, 8, 0x07, 0xD0, 0x0C, 0x80, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]
            return Data(b)
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-img-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, orientation, want) in [("plain.jpg", nil, (3200, 2000)), ("upright.jpg", 1, (3200, 2000)), ("turned.jpg", 6, (2000, 3200))] as [(String, UInt8?, (Int, Int))] {
            let url = dir.appendingPathComponent(name)
            try jpeg(orientation: orientation).write(to: url)
            let size = try XCTUnwrap(ImageSize.read(url.path), name)
            XCTAssertEqual(size.width, want.0, name)
            XCTAssertEqual(size.height, want.1, name)
        }
        XCTAssertNil(ImageSize.read(dir.path), "a folder is not a picture")
    }

}

import BeaconBuild
func Builder_build(root: URL, bag: DiagnosticBag) -> Bool {
    Builder.build(BuildOptions(root: root), bag: bag).succeeded
}
