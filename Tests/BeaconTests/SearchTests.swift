import Foundation
import XCTest
import BeaconSite

final class SearchTests: XCTestCase {
    func testTokensAreTheOnesTheScriptMakes() {
        XCTAssertEqual(SearchTokens.tokens("学党章 Excel表格3.14"),
                       ["学", "党", "学党", "章", "党章", "excel", "表", "格", "表格", "3", "14"])
        XCTAssertEqual(SearchTokens.shard("党章", shards: 32), SearchTokens.shard("党章", shards: 32))
    }

    /// The built example site in headless Chromium: the search page reads ?q= and lists the
    /// expected lessons for a two-character, a four-character and an English query.
    func testSearchInHeadlessChromium() throws {
        let chromium = try XCTUnwrap(which("chromium"), "chromium is not installed; run scripts/setup.sh")
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        XCTAssertTrue(site.build().0.succeeded)
        // Serve output/site under the site's base path /study/.
        let served = site.root.appendingPathComponent("served")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: served.appendingPathComponent("study"), withDestinationURL: site.output.appendingPathComponent("site"))
        let port = Int.random(in: 41000...49000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: try XCTUnwrap(which("python3")))
        server.arguments = ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", served.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        Thread.sleep(forTimeInterval: 1)
        func results(_ q: String) throws -> [String] {
            let url = "http://127.0.0.1:\(port)/study/search/?q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let r = try runCommand(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000", "--dump-dom", url])
            // The result links, in order.
            var out: [String] = []
            var rest = Substring(r.stdout)
            while let a = rest.range(of: "<h3 class=\"item-title\"><a href=\"") {
                rest = rest[a.upperBound...]
                if let end = rest.firstIndex(of: "\"") { out.append(String(rest[..<end])); rest = rest[end...] }
            }
            return out
        }
        let two = try results("党章")
        XCTAssertEqual(two.first, "/study/lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/", "\(two)")
        XCTAssertTrue(two.contains("/study/lessons/liang-xue-yi-zuo/he-ge-dang-yuan-biao-zhun/"))
        let four = try results("主题党日")
        XCTAssertEqual(four.first, "/study/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-zen-yang-zu-zhi/", "\(four)")
        XCTAssertTrue(four.contains("/study/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/"))
        XCTAssertEqual(try results("Excel"), ["/study/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/"])
        XCTAssertEqual(try results("dangzhang"), ["/study/lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/"], "pinyin of a title")
    }
}
