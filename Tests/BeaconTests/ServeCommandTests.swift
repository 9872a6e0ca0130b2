import Foundation
import XCTest

/// `beacon serve`: a page is served, an edit is rebuilt and announced to open pages, an
/// error shows and clears, and nothing outside output/site is ever served.
final class ServeCommandTests: XCTestCase {
    func curl(_ args: [String]) throws -> (status: Int32, stdout: String) {
        let r = try runCommand(try XCTUnwrap(which("curl"), "curl is not installed; run scripts/setup.sh"), ["-s", "--max-time", "5"] + args)
        return (r.status, r.stdout)
    }

    func code(_ url: String, raw: Bool = false) throws -> String {
        try curl((raw ? ["--path-as-is"] : []) + ["-o", "/dev/null", "-w", "%{http_code}", url]).stdout
    }

    func status(_ base: String) throws -> [String: Any] {
        let body = try curl([base + "/_beacon/status"]).stdout
        return (try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]) ?? [:]
    }

    func waitFor(_ what: String, timeout: Double = 15, _ condition: () throws -> Bool) rethrows {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if try condition() { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        XCTFail("timed out waiting for \(what)")
    }

    func testServeRebuildsReloadsAndStaysInsideTheSite() throws {
        let site = try TempSite()
        let port = Int.random(in: 20000...40000)
        let p = Process()
        p.executableURL = Repo.beaconBinary
        p.arguments = ["serve", "--root", site.root.path, "--port", "\(port)"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        defer { p.terminate(); p.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        try waitFor("the server") { (try? code(base + "/test/")) == "200" }

        let page = base + "/test/lessons/xue-xi-yuan-di/di-yi-ke/"
        let first = try curl([page]).stdout
        XCTAssertTrue(first.contains("这是第一课的正文"))
        XCTAssertTrue(first.contains("/_beacon/status"), "pages carry the reload script")
        let v1 = try status(base)["version"] as? Int
        XCTAssertEqual(v1, 1)

        // An edit: a new version (which open pages reload on) and the new text.
        try site.write("content/lessons/学习园地/第一课.md", "---\ntitle: 第一课\ndate: 2026-03-01\n---\n改过的正文。\n")
        try waitFor("the rebuild") { (try status(base)["version"] as? Int) == 2 }
        XCTAssertTrue(try curl([page]).stdout.contains("改过的正文。"))
        // The search index follows the edit, just after the page: the new words are found,
        // the old ones are gone.
        try waitFor("the search index") { try curl([base + "/test/search/t0.json"]).stdout.contains("\"改过\":[") }
        XCTAssertFalse(try curl([base + "/test/search/t0.json"]).stdout.contains("\"这是\":["), "the old text is no longer indexed")

        // A broken file: the error is reported to the page, the last good site still served.
        try site.write("content/lessons/学习园地/第一课.md", "---\ntitle: 第一课\ndate: 2026-02-30\n---\n坏了。\n")
        try waitFor("the error") { ((try status(base)["errors"] as? [String]) ?? []).count == 1 }
        XCTAssertEqual((try status(base)["errors"] as? [String])?.first,
                       "content/lessons/学习园地/第一课.md:3:7: error: 字段 date 的日期“2026-02-30”无效，请写成 2026-03-01 的形式 ('date' is not a valid date; write it as YYYY-MM-DD)")
        XCTAssertTrue(try curl([page]).stdout.contains("改过的正文。"))
        // Fixed: the error clears and the page changes.
        try site.write("content/lessons/学习园地/第一课.md", "---\ntitle: 第一课\ndate: 2026-03-01\n---\n修好了。\n")
        try waitFor("the fix") { (try status(base)["version"] as? Int) == 3 }
        XCTAssertEqual((try status(base)["errors"] as? [String]) ?? ["?"], [])
        XCTAssertTrue(try curl([page]).stdout.contains("修好了。"))

        // Nothing outside output/site, however the path is spelt.
        try site.write("secret.txt", "不能被看到")
        for path in ["/test/../secret.txt", "/test/../../secret.txt", "/test/%2e%2e/%2e%2e/secret.txt", "/test/..%2f..%2fsecret.txt",
                     "/test/%252e%252e/%252e%252e/secret.txt", "/test/./../content/site.yml", "/../../etc/passwd"] {
            let c = try code(base + path, raw: true)
            XCTAssertTrue(c == "403" || c == "404", "\(path) gave \(c)")
            XCTAssertFalse(try curl(["--path-as-is", base + path]).stdout.contains("不能被看到"), path)
        }
        XCTAssertEqual(try code(base + "/test/no-such-page/"), "404")
    }
}
