import Foundation
import XCTest

/// `beacon serve`: a page is served, an edit is rebuilt and announced to open pages, an
/// error shows and clears, and nothing outside output/site is ever served.
final class ServeCommandTests: XCTestCase {
    func curl(_ args: [String]) throws -> (status: Int32, stdout: String) {
        let r = try runCommand(try XCTUnwrap(which("curl"), "curl is not installed; run scripts/setup-tests.sh"), ["-s", "--max-time", "5"] + args)
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

    func start(_ site: TempSite, _ extra: [String] = [], port: Int) throws -> (Process, Pipe) {
        let p = Process()
        p.executableURL = Repo.beaconBinary
        p.arguments = ["serve", "--root", site.root.path, "--port", "\(port)"] + extra
        let err = Pipe()
        p.standardOutput = FileHandle.nullDevice
        p.standardError = err
        try p.run()
        return (p, err)
    }

    func pdfText(_ url: String) throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("serve-\(UUID().uuidString).pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        _ = try curl(["-o", file.path, url])
        let r = try runCommand(try XCTUnwrap(which("pdftotext")), ["-q", file.path, "-"])
        return r.stdout.filter { !$0.isWhitespace }
    }

    /// An edit to a lesson that a book prints: the page changes at once, then the book
    /// served from the site is rebuilt in the background with the new text.
    func testEditingALessonRebuildsTheBookThatPrintsIt() throws {
        let site = try TempSite()
        try site.write("content/books/读本.yml", "title: 学习读本\nsize: a6\ncontents:\n  - series: 学习园地\n")
        let port = Int.random(in: 20000...40000)
        let (p, _) = try start(site, port: port)
        defer { p.terminate(); p.waitUntilExit() }
        let base = "http://127.0.0.1:\(port)"
        try waitFor("the server", timeout: 60) { (try? code(base + "/test/")) == "200" }
        let pdf = base + "/test/books/du-ben.pdf"
        XCTAssertEqual(try code(pdf), "200")
        XCTAssertTrue(try pdfText(pdf).contains("这是第一课的正文"))

        try site.write("content/lessons/学习园地/第一课.md", "---\ntitle: 第一课\ndate: 2026-03-01\n---\n书里也要看到这句新写的话。\n")
        try waitFor("the page") { try curl([base + "/test/lessons/xue-xi-yuan-di/di-yi-ke/"]).stdout.contains("书里也要看到这句新写的话。") }
        try waitFor("the book", timeout: 60) { try pdfText(pdf).contains("书里也要看到这句新写的话") }
        XCTAssertFalse(try pdfText(pdf).contains("这是第一课的正文"), "the old text is gone from the book")
        XCTAssertTrue(try code(base + "/test/lessons/xue-xi-yuan-di/di-yi-ke/") == "200")
    }

    /// --port out of range and a port in use are said in words, before any build.
    func testBadPortsAreSaidInWords() throws {
        let site = try TempSite()
        let bad = try runCommand(Repo.beaconBinary.path, ["serve", "--root", site.root.path, "--port", "99999"])
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("端口应在 1 到 65535 之间，现在是 99999"), bad.stderr)
        let host = try runCommand(Repo.beaconBinary.path, ["serve", "--root", site.root.path, "--host", "localhost:80"])
        XCTAssertNotEqual(host.status, 0)
        XCTAssertTrue(host.stderr.contains("--host 应当是 IPv4 地址"), host.stderr)

        // Hold a port, then ask serve for it.
        let port = Int.random(in: 20000...40000)
        let (holder, _) = try start(site, port: port)
        defer { holder.terminate(); holder.waitUntilExit() }
        try waitFor("the first server", timeout: 60) { (try? code("http://127.0.0.1:\(port)/test/")) == "200" }
        let second = try TempSite()
        let busy = try runCommand(Repo.beaconBinary.path, ["serve", "--root", second.root.path, "--port", "\(port)"])
        XCTAssertEqual(busy.status, 1)
        XCTAssertTrue(busy.stderr.contains("端口 \(port) 已被别的程序占用"), busy.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: second.output.path), "nothing was built")
    }

    /// --host 0.0.0.0: the site answers on the LAN address it prints, with a QR code for a phone.
    func testServingOnTheNetworkPrintsAddressAndQRCode() throws {
        let site = try TempSite()
        let port = Int.random(in: 20000...40000)
        let (p, err) = try start(site, ["--host", "0.0.0.0"], port: port)
        try waitFor("the server", timeout: 60) { (try? code("http://127.0.0.1:\(port)/test/")) == "200" }
        p.terminate(); p.waitUntilExit()
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertTrue(log.contains("本机 (this computer) http://127.0.0.1:\(port)/test/"), log)
        let lan = log.split(separator: "\n").first { $0.contains("局域网 (on the network) http://") }
        let address = try XCTUnwrap(lan, "a LAN address is printed: \(log)")
        XCTAssertTrue(address.hasSuffix(":\(port)/test/"), String(address))
        // The QR code: square lines of half blocks, as many as half its modules.
        let qr = log.split(separator: "\n").filter { !$0.isEmpty && $0.allSatisfy { "█▀▄ ".contains($0) } }
        XCTAssertGreaterThanOrEqual(qr.count, 12, log)
        XCTAssertEqual(Set(qr.map(\.count)).count, 1, "every line of the code is as wide")
        // It decodes to the address (zbarimg reads a picture of it).
        if let zbar = which("zbarimg") {
            let size = qr[0].count, rows = qr.count * 2
            var pixels = [UInt8](repeating: 255, count: size * rows * 64)
            for (r, line) in qr.enumerated() {
                for (c, ch) in line.enumerated() {
                    // Light modules are drawn: █ both light, ▀ top light, ▄ bottom light, space none.
                    let top = ch == "█" || ch == "▀", bottom = ch == "█" || ch == "▄"
                    for (dy, light) in [(0, top), (1, bottom)] {
                        for py in 0..<8 { for px in 0..<8 {
                            pixels[((r * 2 + dy) * 8 + py) * size * 8 + c * 8 + px] = light ? 255 : 0
                        } }
                    }
                }
            }
            let pgm = FileManager.default.temporaryDirectory.appendingPathComponent("qr-\(UUID().uuidString).pgm")
            defer { try? FileManager.default.removeItem(at: pgm) }
            try (Data("P5 \(size * 8) \(rows * 8) 255\n".utf8) + Data(pixels)).write(to: pgm)
            let decoded = try runCommand(zbar, ["-q", "--raw", pgm.path])
            let url = String(address.split(separator: " ").last!)
            XCTAssertEqual(decoded.stdout.trimmingCharacters(in: .whitespacesAndNewlines), url)
        }
    }
}
