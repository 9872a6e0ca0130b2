import Foundation
import XCTest
import BeaconModel
import BeaconMarkdown

/// Hostile input, safe output: nothing from outside content/ published, no script on a page,
/// no crash, nothing silently cut.
final class HostileInputTests: XCTestCase {
    let lesson = "content/lessons/学习园地/第一课.md"

    // MARK: - SVG pictures

    func testSVGIsPublishedWithoutScriptOrOutsideReferences() throws {
        let site = try TempSite()
        try site.write("content/media/evil.svg", """
        <?xml version="1.0"?>
        <?xml-stylesheet href="http://evil.example/x.css"?>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" viewBox="0 0 10 10">
          <script>alert(2)</script>
          <style>@import url(http://evil.example/y.css);</style>
          <circle cx="5" cy="5" r="4" fill="#a81c1c" onclick="alert(3)"/>
          <image href="http://evil.example/track.png" width="1" height="1"/>
          <use xlink:href="#c"/>
          <a xlink:href="javascript:alert(4)"><text>支部</text></a>
          <foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(5)"/></div></foreignObject>
          <rect style="fill:url(http://evil.example/z.svg#p)" width="1" height="1"/>
          <animate attributeName="href" to="javascript:alert(6)"/>
        </svg>
        """)
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n---\n![图](../../media/evil.svg)\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let svg = try site.read("output/site/media/evil.svg")
        for bad in ["script", "alert", "evil.example", "onload", "onclick", "onerror", "foreignObject", "javascript", "animate", "@import"] {
            XCTAssertFalse(svg.contains(bad), "\(bad) in \(svg)")
        }
        XCTAssertTrue(svg.contains("<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#a81c1c\"/>"), svg)
        XCTAssertTrue(svg.contains("xlink:href=\"#c\""), "references inside the picture stay: \(svg)")
        XCTAssertTrue(svg.contains("<text>支部</text>"), svg)
    }

    func testSVGWithADTDIsRefused() throws {
        let site = try TempSite()
        _ = site.build()
        let before = site.snapshot()
        try site.write("content/media/bomb.svg", """
        <?xml version="1.0"?>
        <!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
        <svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>
        """)
        try site.write("content/media/broken.svg", "<svg><g></svg>")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.filter { $0.severity == .error }.map(\.description), [
            "content/media/bomb.svg:2:1: error: SVG 图片里有 DTD（<!DOCTYPE … [ ]>），可能藏有实体，不会发布；请删去 DOCTYPE 一行再用 (the SVG has a DTD; not published)",
            "content/media/broken.svg:1:15: error: SVG 图片不是格式正确的 XML，不会发布；请用绘图软件重新导出 (the SVG is not well-formed XML: Premature end of data in tag svg line 1; not published)",
        ])
        XCTAssertEqual(site.snapshot(), before, "output/ untouched")
    }

    func testSVGSanitizerKeepsADrawingWhole() throws {
        let drawing = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#c00\"/></linearGradient></defs><rect width=\"4\" height=\"4\" fill=\"url(#g)\"/></svg>"
        let out = String(decoding: try SVGSanitizer.clean(Data(drawing.utf8)), as: UTF8.self)
        XCTAssertTrue(out.contains(drawing), out)
    }
}
