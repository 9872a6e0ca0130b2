import Foundation
import XCTest

final class InitCommandTests: XCTestCase {
    func testInitMakesASiteThatChecksAndBuilds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-init-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let b = Repo.beaconBinary.path
        let r = try runCommand(b, ["init", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        for f in ["content/site.yml", "content/lessons/学习园地/欢迎使用.md", "content/branches/shi-li-zhi-bu.md",
                  "content/boards/shi-li-zhan-ban.yml", "content/books/shi-li-kou-dai-shu.yml",
                  ".gitignore", ".github/workflows/beacon.yml", ".gitlab-ci.yml"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("themes").path), "the built-in theme is used, not copied")
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(".gitignore"), encoding: .utf8), "/output/\n/.beacon-*\n/.beacon/\n")
        let check = try runCommand(b, ["check", "--strict", "--root", dir.path])
        XCTAssertEqual(check.status, 0, check.stderr)
        let build = try runCommand(b, ["build", "--root", dir.path])
        XCTAssertEqual(build.status, 0, build.stderr)
        for f in ["output/site/index.html", "output/books/shi-li-kou-dai-shu.pdf", "output/books/shi-li-kou-dai-shu.print-a4.pdf",
                  "output/boards/shi-li-zhan-ban.pdf"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }
        let again = try runCommand(b, ["init", dir.path])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.hasSuffix("error: 文件夹不是空的，Beacon 不会在里面新建站点 (folder is not empty; Beacon will not make a site in it)\n"))
    }
}
