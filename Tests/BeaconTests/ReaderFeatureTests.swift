import Foundation
import XCTest
import BeaconModel
import BeaconPrint

/// Sharing and accessibility of the default theme.
final class ReaderFeatureTests: XCTestCase {
    func testLessonPageCarriesAQRCodeToItself() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        let html = try site.read("output/site/lessons/xue-xi-yuan-di/di-yi-ke/index.html")
        let svg = try XCTUnwrap(QRCode("https://example.org/test/lessons/xue-xi-yuan-di/di-yi-ke/")).svg(pixels: 3)
        XCTAssertTrue(html.contains(svg), "the inline SVG encodes the page's own URL")
        XCTAssertTrue(html.contains("<figcaption>扫码在手机上阅读本篇</figcaption>"))
    }

    func testJSONFeedBesideAtom() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        let data = try Data(contentsOf: site.output.appendingPathComponent("site/feed.json"))
        let feed = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(feed["version"] as? String, "https://jsonfeed.org/version/1.1")
        XCTAssertEqual(feed["feed_url"] as? String, "https://example.org/test/feed.json")
        let items = try XCTUnwrap(feed["items"] as? [[String: Any]])
        XCTAssertEqual(items.map { $0["title"] as? String }, ["第二课", "第一课"], "newest first")
        XCTAssertEqual(items[1]["url"] as? String, "https://example.org/test/lessons/xue-xi-yuan-di/di-yi-ke/")
        XCTAssertTrue(try site.read("output/site/index.html").contains("<link rel=\"alternate\" type=\"application/feed+json\""))
    }

    func testPictureWithoutAltTextWarns() throws {
        let site = try TempSite()
        try site.write("content/lessons/学习园地/第二课.md", "---\ntitle: 第二课\ndate: 2026-03-02\n---\n正文。\n\n![](/media/pic.svg)\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded)
        XCTAssertEqual(diags.map(\.description), ["content/lessons/学习园地/第二课.md:7:1: warning: 图片缺少说明文字，读屏软件读不出来；请写成 ![说明](图片) (picture without alt text)"])
    }

    // MARK: - WCAG AA contrast of the theme's text colours

    func luminance(_ hex: String) -> Double {
        let c = Colour(hex: hex)!
        func lin(_ v: Double) -> Double { v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4) }
        return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b)
    }

    func ratio(_ a: String, _ b: String) -> Double {
        let (x, y) = (luminance(a), luminance(b))
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    func testThemeTextColoursMeetWCAGAA() throws {
        let css = try String(contentsOf: Repo.theme.appendingPathComponent("static/style.css"), encoding: .utf8)
        var vars: [String: String] = [:]
        for line in css.split(separator: "\n") {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("--"), let colon = t.firstIndex(of: ":"), let hash = t.firstIndex(of: "#") else { continue }
            vars[String(t[..<colon])] = String(t[hash...].prefix(7))
        }
        func v(_ name: String) -> String { vars[name] ?? name }
        // (text, background, where)
        let pairs: [(String, String, String)] = [
            (v("--ink"), v("--paper"), "body text"), (v("--ink"), v("--tint"), "text on tinted boxes"),
            (v("--red"), v("--paper"), "links"), (v("--red"), v("--tint"), "links on tinted boxes"),
            (v("--red-dark"), v("--paper"), "titles"), (v("--muted"), v("--paper"), "meta text"),
            (v("--muted"), v("--tint"), "meta text on tinted boxes"), (v("--gold-text"), "#ffffff", "star ratings"),
            ("#ffffff", v("--red"), "header and navigation"), ("#ffffff", v("--red-dark"), "current navigation item"),
            ("#fde9b5", v("--red"), "organisation in the header"), ("#f3e6d8", "#3a0d0d", "footer text"),
            ("#fde9b5", "#3a0d0d", "footer links"), ("#ffffff", v("--red"), "buttons"),
        ]
        XCTAssertEqual(vars.count >= 8, true, "theme variables read: \(vars)")
        for (fg, bg, place) in pairs {
            XCTAssertGreaterThanOrEqual(ratio(fg, bg), 4.5, "\(place): \(fg) on \(bg) is \(String(format: "%.2f", ratio(fg, bg))):1")
        }
    }
}
