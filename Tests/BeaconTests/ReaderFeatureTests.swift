import Foundation
import XCTest
import BeaconModel
import BeaconOutput
import BeaconPrint
import CPrint

/// Sharing and accessibility of the default theme.
final class ReaderFeatureTests: XCTestCase {
    func testLessonPageCarriesAQRCodeToItself() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        let html = try site.read("output/site/lessons/xue-xi-yuan-di/di-yi-ke/index.html")
        let svg = try XCTUnwrap(QRCode.web("https://example.org/test/lessons/xue-xi-yuan-di/di-yi-ke/")).svg(pixels: 3)
        XCTAssertTrue(html.contains(svg), "the inline SVG encodes the page's own URL")
        XCTAssertTrue(html.contains("<figcaption>扫码在手机上阅读本篇</figcaption>"))
    }

    /// The codes decode to their text with a real reader (zbarimg), both the web pages' codes
    /// (a fixed mask) and print's (the best mask).
    func testQRCodesDecode() throws {
        let zbar = try XCTUnwrap(which("zbarimg"), "zbarimg is not installed; run scripts/setup-tests.sh")
        let texts = ["https://example.org/study/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/",
                     "https://example.org/study/zh-hant/lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/", "https://example.org/study/search/?q=%E5%85%9A%E7%AB%A0"]
        for text in texts {
            for code in [QRCode.web(text), QRCode(text)] {
                let qr = try XCTUnwrap(code)
                let side = Double((qr.size + 8) * 6)
                let surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, Int32(side), Int32(side))!
                let cr = cairo_create(surface)!
                cairo_set_source_rgb(cr, 1, 1, 1); cairo_paint(cr)
                qr.draw(cr, x: 0, y: 0, side: side)
                let png = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).png")
                XCTAssertEqual(cairo_surface_write_to_png(surface, png.path), CAIRO_STATUS_SUCCESS)
                cairo_destroy(cr); cairo_surface_destroy(surface)
                defer { try? FileManager.default.removeItem(at: png) }
                let r = try runCommand(zbar, ["--raw", "-q", png.path])
                XCTAssertEqual(r.stdout.trimmingCharacters(in: .newlines), text)
            }
        }
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

/// The 主题党日 calendar: pages, an .ics that a real parser reads, the first-monday rule.
final class CalendarTests: XCTestCase {
    func testICSParsesWithTheExpectedEvents() throws {
        let site = try TempSite()
        try site.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\nparty_day: first-monday\n")
        try site.write("content/lessons/学习园地/第一课.md", "---\ntitle: 第一课\ndate: 2026-03-01\nparty_day: 2026-03-02\n---\n正文。\n")
        try site.write("content/lessons/学习园地/第二课.md", "---\ntitle: 第二课, 分号; 逗号\ndate: 2026-03-02\nparty_day: 2027-02-01\n---\n正文。\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let ics = site.output.appendingPathComponent("site/calendar.ics").path
        let script = """
        import sys, icalendar
        cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
        for e in cal.walk('VEVENT'):
            print(e.decoded('dtstart').isoformat(), e.decoded('dtend').isoformat(), str(e.get('summary')), repr(str(e.get('description'))))
        """
        let r = try runCommand(try XCTUnwrap(which("python3")), ["-c", script, ics])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        let this = Calendar(identifier: .gregorian).component(.year, from: Date())
        let years = Set([2026, 2027, this]).count
        XCTAssertEqual(lines.count, 12 * years)
        let y2026 = lines.filter { $0.hasPrefix("2026-") }.map { String($0.prefix(10)) }
        XCTAssertEqual(y2026, ["2026-01-05", "2026-02-02", "2026-03-02", "2026-04-06", "2026-05-04", "2026-06-01",
                               "2026-07-06", "2026-08-03", "2026-09-07", "2026-10-05", "2026-11-02", "2026-12-07"])
        let march = try XCTUnwrap(lines.first { $0.hasPrefix("2026-03-02") })
        XCTAssertTrue(march.contains("2026-03-03 主题党日（3月）"), "an all-day event: DTEND is the next day")
        XCTAssertTrue(march.contains("第一课 https://example.org/test/lessons/xue-xi-yuan-di/di-yi-ke/"), march)
        let feb2027 = try XCTUnwrap(lines.first { $0.hasPrefix("2027-02-01") }, "February 2027's first Monday is the 1st")
        XCTAssertTrue(feb2027.contains("第二课, 分号; 逗号"), "escaped text reads back as written: \(feb2027)")
        // December's event ends on the first of January.
        XCTAssertTrue(lines.contains { $0.hasPrefix("2026-12-07 2026-12-08") })
        let page = try site.read("output/site/calendar/2026/index.html")
        XCTAssertTrue(page.contains("<time datetime=\"2026-03-02\">2026年3月2日</time>"))
        XCTAssertTrue(page.contains("href=\"/test/lessons/xue-xi-yuan-di/di-yi-ke/\">第一课</a>"))
        XCTAssertTrue(try site.read("output/site/index.html").contains("下一个主题党日"))
    }

    func testNoCalendarWithoutAPartyDayRule() throws {
        let site = try TempSite()
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("site/calendar.ics").path))
        XCTAssertFalse(try site.read("output/site/index.html").contains("主题党日"))
    }
}
