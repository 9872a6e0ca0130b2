import Foundation
import XCTest
import BeaconModel
import BeaconText
import BeaconThemes

/// A district's own site: brand keys in site.yml and a theme that holds only two files.
final class BrandTests: XCTestCase {
    static let logo = """
    <svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"><circle cx="60" cy="60" r="56" fill="#ffffff"/><circle cx="60" cy="60" r="30" fill="#0b4f8a"/></svg>
    """
    static let brandKeys = """
    logo: media/logo.svg
    colors: { primary: "#0b4f8a", accent: "#d9a400" }
    footer:
      - 主办：青石区委组织部
      - { text: 联系我们, link: "mailto:dangjian@example.org" }
    icp: 青ICP备20260001号-1
    police_filing: 青公网安备 12345678901234号
    copyright: © 2026 青石区委组织部

    """

    func brandedSite() throws -> TempSite {
        let site = try TempSite()
        try site.remove("themes/default")
        try site.write("content/media/logo.svg", Self.logo)
        try site.write("content/site.yml", try site.read("content/site.yml") + "theme: mine\n" + Self.brandKeys)
        try site.write("themes/mine/theme.yml", "extends: default\ncss: [mine.css]\n")
        try site.write("themes/mine/templates/404.mustache", "{{% CONTENT_TYPE: HTML}}\n{{<base}}{{$main}}<p id=\"mine\">页面不存在</p>{{/main}}{{/base}}\n")
        try site.write("themes/mine/static/mine.css", ".hero { border-radius: 4px; }\n")
        try site.write("content/books/book.yml", "title: 学习口袋书\npublisher: 青石区委组织部\nsize: a6\ncontents:\n  - series: 学习园地\n")
        try site.write("content/boards/board.yml", """
        title: 三会一课
        size: a2
        footer: 青石区委组织部
        blocks:
          - { type: text, title: 支部党员大会, body: 每季度召开一次。 }

        """)
        return site
    }

    /// Pages rendered once per PDF and resolution.
    var rendered: [String: (w: Int, h: Int, pixels: [UInt8], start: Int)] = [:]

    /// A pixel of a PDF's first page rendered by pdftoppm (PPM), as 0…255 RGB.
    func pixel(_ pdf: URL, x: Double, y: Double, dpi: Int = 20) throws -> (Int, Int, Int) {
        let key = "\(pdf.path)@\(dpi)"
        if rendered[key] == nil {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("px-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: out.appendingPathExtension("ppm")) }
            let r = try runCommand("/usr/bin/pdftoppm", ["-r", "\(dpi)", "-f", "1", "-l", "1", "-singlefile", pdf.path, out.path])
            XCTAssertEqual(r.status, 0, r.stderr)
            let data = [UInt8](try Data(contentsOf: out.appendingPathExtension("ppm")))
            // P6\nW H\n255\n
            var fields: [Int] = [], i = 2, cur = ""
            while fields.count < 3 {
                let c = Character(UnicodeScalar(data[i]))
                if c.isWhitespace { if !cur.isEmpty { fields.append(Int(cur)!); cur = "" } } else { cur.append(c) }
                i += 1
            }
            rendered[key] = (fields[0], fields[1], data, i)
        }
        let img = rendered[key]!
        let px = min(img.w - 1, Int(x * Double(img.w))), py = min(img.h - 1, Int(y * Double(img.h)))
        let o = img.start + (py * img.w + px) * 3
        return (Int(img.pixels[o]), Int(img.pixels[o + 1]), Int(img.pixels[o + 2]))
    }

    /// The height, as a fraction of the page, of the middle of the board's footer band: the
    /// lowest row that has the primary colour at the left edge, searched upward from the bottom.
    func footerMiddle(_ board: URL) throws -> Double {
        var bottom: Double?, top: Double?
        for i in 0..<100 {
            let y = 0.999 - Double(i) * 0.002
            let c = try pixel(board, x: 0.02, y: y)
            let isPrimary = abs(c.0 - 11) < 8 && abs(c.1 - 79) < 8 && abs(c.2 - 138) < 8
            if isPrimary && bottom == nil { bottom = y }
            if !isPrimary && bottom != nil { top = y; break }
        }
        guard let b = bottom, let t = top else { XCTFail("no footer band"); return 0.98 }
        return (b + t) / 2
    }

    func assertColour(_ c: (Int, Int, Int), _ hex: String, file: StaticString = #filePath, line: UInt = #line) {
        let want = Palette.RGB(hex: hex)!
        XCTAssertEqual(Double(c.0), want.r * 255, accuracy: 6, "\(c) vs \(hex)", file: file, line: line)
        XCTAssertEqual(Double(c.1), want.g * 255, accuracy: 6, "\(c) vs \(hex)", file: file, line: line)
        XCTAssertEqual(Double(c.2), want.b * 255, accuracy: 6, "\(c) vs \(hex)", file: file, line: line)
    }

    func testBrandKeysReachSiteBooksAndBoards() throws {
        let site = try brandedSite()
        let (_, diagnostics) = site.build()
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        let out = site.output.appendingPathComponent("site")
        let home = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(home.contains("<img class=\"logo\" src=\"/test/assets/brand-logo.svg\" alt=\"\" width=\"40\" height=\"40\">"), home)
        XCTAssertTrue(home.contains("<link rel=\"stylesheet\" href=\"/test/assets/brand.css\">"))
        XCTAssertTrue(home.contains("<p class=\"filing\"><a href=\"https://beian.miit.gov.cn/\" rel=\"noopener\">青ICP备20260001号-1</a> <a href=\"https://beian.mps.gov.cn/#/query/webSearch?code=12345678901234\" rel=\"noopener\">青公网安备 12345678901234号</a></p>"))
        XCTAssertTrue(home.contains("<p><a href=\"mailto:dangjian@example.org\">联系我们</a></p>"))
        XCTAssertTrue(home.contains("<p>© 2026 青石区委组织部</p>"))
        let css = try String(contentsOf: out.appendingPathComponent("assets/brand.css"), encoding: .utf8)
        XCTAssertTrue(css.contains("--red: #0b4f8a;") && css.contains("--gold: #d9a400;"), css)
        XCTAssertEqual(try String(contentsOf: out.appendingPathComponent("assets/brand-logo.svg"), encoding: .utf8), Self.logo)
        // The override, and everything else from the built-in theme.
        XCTAssertTrue(try String(contentsOf: out.appendingPathComponent("404.html"), encoding: .utf8).contains("<p id=\"mine\">页面不存在</p>"))
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("assets/style.css")), BuiltinThemes.file("default", "static/style.css"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: out.appendingPathComponent("assets/mine.css").path))
        XCTAssertTrue(home.contains("<link rel=\"stylesheet\" href=\"/test/assets/mine.css\">"), "the site theme's stylesheet is linked")
        // Book cover: the brand's primary as ground, the logo's white near the top.
        let book = site.output.appendingPathComponent("books/book.pdf")
        assertColour(try pixel(book, x: 0.5, y: 0.5), "#0b4f8a")
        assertColour(try pixel(book, x: 0.5, y: 0.1, dpi: 72), "#0b4f8a")   // the logo's inner disc
        assertColour(try pixel(book, x: 0.5, y: 0.055, dpi: 72), "#ffffff") // its white ring
        // Board: primary header band, the logo at the right of the footer band.
        let board = site.output.appendingPathComponent("boards/board.pdf")
        assertColour(try pixel(board, x: 0.5, y: 0.02), "#0b4f8a")
        // The footer band: the primary colour at its left, the logo's white ring at its right.
        let band = try (0..<200).map { try pixel(board, x: 0.6 + Double($0) / 500, y: footerMiddle(board)) }
        XCTAssertTrue(band.contains { $0.0 > 240 && $0.1 > 240 && $0.2 > 240 }, "no logo in the footer band: \(band.prefix(5))")
        assertColour(try pixel(board, x: 0.02, y: footerMiddle(board)), "#0b4f8a")
    }

    func testLowContrastColourFailsAndLeavesOutputAlone() throws {
        let site = try TempSite()
        site.build()
        let before = site.snapshot()
        try site.write("content/site.yml", try site.read("content/site.yml") + "colors: { primary: \"#f0a0a0\" }\n")
        let (_, diagnostics) = site.build()
        let lines = try site.read("content/site.yml").split(separator: "\n", omittingEmptySubsequences: false).count - 1
        XCTAssertEqual(diagnostics.map(\.description).first, "content/site.yml:\(lines):20: error: 配色对比度不够：白色文字在主色上 (white text on primary) 只有 2.05:1（#ffffff / #f0a0a0），WCAG AA 要求至少 4.5:1；请换深一些的主色 (contrast 2.05:1 is below WCAG AA 4.5:1)")
        XCTAssertEqual(site.snapshot(), before)
    }

    /// An accent that vanishes on the main colour (the series on a WeChat cover, the gold of a
    /// book cover) is an error at the accent, with its ratio; the default pair passes.
    func testAccentThatVanishesOnTheMainColourFails() throws {
        let site = try TempSite()
        site.build()
        let before = site.snapshot()
        try site.write("content/site.yml", try site.read("content/site.yml") + "colors: { primary: \"#a81c1c\", accent: \"#c0392b\" }\n")
        let (_, diagnostics) = site.build()
        let lines = try site.read("content/site.yml").split(separator: "\n", omittingEmptySubsequences: false).count - 1
        XCTAssertEqual(diagnostics.map(\.description), ["content/site.yml:\(lines):39: error: 配色对比度不够：强调色在主色上 (accent on primary: 封面上的系列名、金色色带) 只有 1.36:1（#c0392b / #a81c1c），大字至少要 3:1；请换更亮或更暗的强调色 (contrast 1.36:1 is below 3:1 for large text)"])
        XCTAssertEqual(site.snapshot(), before)
        try site.write("content/site.yml", try site.read("content/site.yml").replacingOccurrences(of: "#c0392b", with: "#c9a227"))
        XCTAssertTrue(site.build().0.succeeded, "the default gold on the default red is 3.05:1")
    }

    func testMissingLogoFailsAndLeavesOutputAlone() throws {
        let site = try TempSite()
        site.build()
        let before = site.snapshot()
        try site.write("content/site.yml", try site.read("content/site.yml") + "logo: media/徽标.png\n")
        let (_, diagnostics) = site.build()
        let lines = try site.read("content/site.yml").split(separator: "\n", omittingEmptySubsequences: false).count - 1
        XCTAssertEqual(diagnostics.map(\.description), ["content/site.yml:\(lines):7: error: 找不到标志文件 content/media/徽标.png (logo file content/media/徽标.png not found)"])
        XCTAssertEqual(site.snapshot(), before)
    }
}
