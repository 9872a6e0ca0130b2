import Foundation
import XCTest
@testable import BeaconSite

/// The offline copy: every link relative and every page link ending in index.html, so the
/// site works opened from a folder over file://.
final class OfflineCopyTests: XCTestCase {
    func testRelativeLinks() {
        let base = "/study/"
        func rel(_ url: String, _ dir: [String]) -> String { OfflineCopy.relative(url, from: dir, basePath: base) }
        XCTAssertEqual(rel("/study/", []), "index.html")
        XCTAssertEqual(rel("/study/", ["lessons", "x"]), "../../index.html")
        XCTAssertEqual(rel("/study/lessons/x/#toc", ["lessons", "y"]), "../x/index.html#toc")
        XCTAssertEqual(rel("/study/lessons/y/", ["lessons", "y"]), "index.html")
        XCTAssertEqual(rel("/study/search/?q=%E5%85%9A", ["tags", "t"]), "../../search/index.html?q=%E5%85%9A")
        XCTAssertEqual(rel("/study/assets/style.css", ["lessons", "x"]), "../../assets/style.css")
        XCTAssertEqual(rel("/study/books/a.pdf", []), "books/a.pdf")
        XCTAssertEqual(rel("/study/zh-hant/", ["zh-hant", "lessons", "x"]), "../../index.html")
        // Folders with Han names are compared as the URL writes them (percent-encoded).
        XCTAssertEqual(rel("/study/lessons/%E5%AD%A6%E4%B9%A0/x/", ["lessons", "学习"]), "x/index.html")
        for kept in ["https://example.org/study/", "//cdn.example.org/x.js", "#main", "mailto:a@b.cn", "/other/x/", "../x"] {
            XCTAssertEqual(rel(kept, ["lessons"]), kept)
        }
    }

    func testOnlyURLAttributesOfTagsAreRewritten() {
        let html = """
        <a href="/study/tags/">/study/tags/ 在正文里不动</a><!-- <a href="/study/x/"> -->\
        <img src='/study/media/a.png' srcset="/study/media/a.png 1x, /study/media/b.png 2x" alt="/study/">\
        <form action=/study/search/ method=get></form><script src="/study/assets/s.js" data-index="/study/search/">var u = "/study/x/"; if (a<b) {}</script>\
        <style>.a{background:url(/study/x.png)}</style><link rel="canonical" href="https://example.org/study/">
        """
        let out = String(decoding: OfflineCopy.relativiseHTML(Array(html.utf8), pageDirectory: ["lessons", "x"], basePath: "/study/"), as: UTF8.self)
        XCTAssertEqual(out, """
        <a href="../../tags/index.html">/study/tags/ 在正文里不动</a><!-- <a href="/study/x/"> -->\
        <img src='../../media/a.png' srcset="../../media/a.png 1x, ../../media/b.png 2x" alt="/study/">\
        <form action=../../search/index.html method=get></form><script src="../../assets/s.js" data-index="../../search/index.html">var u = "/study/x/"; if (a<b) {}</script>\
        <style>.a{background:url(/study/x.png)}</style><link rel="canonical" href="https://example.org/study/">
        """)
        let css = String(decoding: OfflineCopy.relativiseCSS(Array("a{background:url('/study/media/x.png')} b{background:url(/study/y.svg)}".utf8), fileDirectory: ["assets"], basePath: "/study/"), as: UTF8.self)
        XCTAssertEqual(css, "a{background:url('../media/x.png')} b{background:url(../y.svg)}")
    }

    /// The example built with --offline: the site is the same as without it, and every link
    /// of every page of the copy leads to a file that is there.
    func testEveryLinkOfTheExampleCopyLeadsToAFile() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-offline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let plain = tmp.appendingPathComponent("plain"), offline = tmp.appendingPathComponent("offline")
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["build", "-q", "--root", Repo.root.path, "--output", plain.path]).status, 0)
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["build", "-q", "--offline", "--root", Repo.root.path, "--output", offline.path]).status, 0)
        XCTAssertEqual(try runCommand("/usr/bin/diff", ["-r", "-q", plain.appendingPathComponent("site").path, offline.appendingPathComponent("site").path]).status, 0,
                       "the site itself is not changed by the offline copy")
        let copy = offline.appendingPathComponent("offline")
        let e = try XCTUnwrap(FileManager.default.enumerator(at: copy, includingPropertiesForKeys: nil))
        var pages = 0, links = 0
        var broken: [String] = []
        for case let u as URL in e where u.pathExtension == "html" {
            pages += 1
            let html = try String(contentsOf: u, encoding: .utf8)
            XCTAssertFalse(html.contains("=\"/study/"), "a site-absolute link is left in \(u.path)")
            var rest = Substring(html)
            while let r = rest.range(of: #"(href|src|action|data-index)="[^"]*""#, options: .regularExpression) {
                let attr = rest[r]
                rest = rest[r.upperBound...]
                let value = String(attr[attr.index(after: attr.firstIndex(of: "\"")!)..<attr.index(before: attr.endIndex)])
                if value.isEmpty || value.hasPrefix("#") || value.contains(":") { continue }
                links += 1
                let path = String(value.prefix { $0 != "#" && $0 != "?" }).removingPercentEncoding ?? value
                let target = u.deletingLastPathComponent().appendingPathComponent(path).standardizedFileURL
                var isDir: ObjCBool = false
                if !FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir) || isDir.boolValue {
                    broken.append("\(u.path.dropFirst(copy.path.count)): \(value)")
                }
            }
        }
        XCTAssertGreaterThan(pages, 60)
        XCTAssertGreaterThan(links, 2_000)
        XCTAssertEqual(broken, [])
    }

    /// Opened over file:// in Chromium: the home page and a lesson are styled (the header is
    /// the theme's red), and the search page says in words that it cannot search there.
    func testTheCopyWorksFromAFolderInChromium() throws {
        let chromium = try XCTUnwrap(which("chromium"), "chromium is not installed; run scripts/setup-tests.sh")
        let python = try XCTUnwrap(which("python3"))
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-offline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["build", "-q", "--offline", "--root", Repo.root.path, "--output", tmp.path]).status, 0)
        let copy = tmp.appendingPathComponent("offline")
        for page in ["index.html", "lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/index.html"] {
            let shot = tmp.appendingPathComponent("shot.png")
            let url = copy.appendingPathComponent(page).absoluteString
            _ = try runCommand(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--window-size=390,800", "--screenshot=\(shot.path)", url])
            // The colour of one pixel of Chromium's screenshot.
            let decoded = try runCommand(python, ["-c", pngDecoder, shot.path])
            let rows = decoded.stdout.split(separator: "\n")
            let bpp = try XCTUnwrap(rows.first?.split(separator: " ").last.flatMap { Int($0) }, decoded.stderr)
            guard rows.count > 5 else { XCTFail("the screenshot of \(page) has no fifth row: \(decoded.stderr)"); continue }
            let colour = "#" + String(rows[1 + 4].dropFirst(4 * bpp * 2).prefix(6))
            XCTAssertEqual(colour, "#a81c1c", "the header of \(page) over file:// (unstyled would be white)")
        }
        let search = copy.appendingPathComponent("search/index.html").absoluteString + "?q=%E5%85%9A%E7%AB%A0"
        let dom = try runCommand(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=4000", "--dump-dom", search]).stdout
        XCTAssertTrue(dom.contains(">这是网站的离线副本：浏览器不允许网页读取本地文件夹里的搜索索引，这里不能搜索。"), String(dom.suffix(1500)))
    }
}
