import Foundation
import XCTest

/// `beacon check`: exact messages, output formats, --fix.
final class CheckCommandTests: XCTestCase {
    let lesson = "content/lessons/学习园地/校对.md"

    func site(with file: String = "lesson.md") throws -> TempSite {
        let s = try TempSite()
        try s.write(lesson, try Data(contentsOf: Repo.fixtures.appendingPathComponent("copy-rules/\(file)")))
        return s
    }

    func testHumanMessagesWithCaret() throws {
        let s = try site()
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        XCTAssertEqual(r.status, 0, "copy rules are warnings")
        XCTAssertTrue(r.stderr.contains("""
        \(lesson):5:6: warning: [halfwidth-punctuation] 中文之间用了半角“,”，应为全角“，” (half-width ',' in Chinese text; use '，')
            党员要学习,要工作。注意;按时参加
                      ^
        """), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(lesson):10:8: warning: [unbalanced-pairs] ““”没有对应的“”” (opening '“' is never closed in this paragraph)"), r.stderr)
        XCTAssertTrue(r.stderr.contains("beacon check：0 个错误，14 个警告 (0 errors, 14 warnings)"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.output.path), "check writes no output/")
        let strict = try runCommand(Repo.beaconBinary.path, ["check", "--strict", "--root", s.root.path])
        XCTAssertEqual(strict.status, 1, "warnings fail with --strict")
    }

    /// `build` reports what `check` reports; `build --strict` fails on the copy warnings.
    func testBuildReportsCopyWarningsAndStrictFailsOnThem() throws {
        let s = try site()
        let build = try runCommand(Repo.beaconBinary.path, ["build", "--root", s.root.path])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stderr.contains("\(lesson):5:6: warning: [halfwidth-punctuation]"), build.stderr)
        let check = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        let warnings = { (text: String) in text.split(separator: "\n").filter { $0.contains(": warning: ") }.count }
        XCTAssertEqual(warnings(build.stderr), warnings(check.stderr), "the same warnings from build and check")
        let strict = try runCommand(Repo.beaconBinary.path, ["build", "--strict", "--root", s.root.path])
        XCTAssertEqual(strict.status, 1, "copy warnings fail build --strict")
    }

    func testGitHubAndJSONFormats() throws {
        let s = try site()
        let gh = try runCommand(Repo.beaconBinary.path, ["check", "--format", "github", "--root", s.root.path])
        XCTAssertTrue(gh.stderr.contains("::warning file=content/lessons/学习园地/校对.md,line=9,col=6::[repeated-punctuation] 标点“。”重复了 (repeated '。')"), gh.stderr)
        let js = try runCommand(Repo.beaconBinary.path, ["check", "--format", "json", "--root", s.root.path])
        let items = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(js.stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(items.count, 14)
        XCTAssertEqual(items[0]["path"] as? String, lesson)
        XCTAssertEqual(items[0]["line"] as? Int, 5)
        XCTAssertEqual(items[0]["severity"] as? String, "warning")
    }

    func testFixProducesTheExpectedFile() throws {
        let s = try site()
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--fix", "--root", s.root.path])
        XCTAssertEqual(r.status, 0)
        let fixed = try Data(contentsOf: s.root.appendingPathComponent(lesson))
        XCTAssertEqual(String(decoding: fixed, as: UTF8.self), try String(contentsOf: Repo.fixtures.appendingPathComponent("copy-rules/expected.md"), encoding: .utf8))
        XCTAssertTrue(r.stdout.contains("\(lesson):5:6: fixed [halfwidth-punctuation]"), r.stdout)
        // What is left are the cases that need a person.
        XCTAssertTrue(r.stderr.contains("beacon check：0 个错误，2 个警告，已改正 12 处 (0 errors, 2 warnings, 12 fixed)"), r.stderr)
        // Running again changes nothing.
        let again = try runCommand(Repo.beaconBinary.path, ["check", "--fix", "--root", s.root.path])
        XCTAssertEqual(try Data(contentsOf: s.root.appendingPathComponent(lesson)), fixed)
        XCTAssertTrue(again.stderr.contains("0 errors, 2 warnings"), again.stderr)
    }

    func testFixKeepsBOMAndCRLF() throws {
        let s = try TempSite()
        let original = "\u{FEFF}---\r\ntitle: 测试\r\ndate: 2026-05-01\r\n---\r\n学习,工作。\r\n"
        try s.write(lesson, original)
        _ = try runCommand(Repo.beaconBinary.path, ["check", "--fix", "--root", s.root.path])
        XCTAssertEqual(try Data(contentsOf: s.root.appendingPathComponent(lesson)),
                       Data("\u{FEFF}---\r\ntitle: 测试\r\ndate: 2026-05-01\r\n---\r\n学习，工作。\r\n".utf8))
    }

    func testFileWithErrorsIsLeftUnchanged() throws {
        let s = try TempSite()
        let broken = "---\ntitle: 测试\ndate: 2026-02-30\n---\n学习,工作。\n"
        try s.write(lesson, broken)
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--fix", "--root", s.root.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("\(lesson):3:7: error: 字段 date 的日期“2026-02-30”无效"), r.stderr)
        XCTAssertEqual(try String(contentsOf: s.root.appendingPathComponent(lesson), encoding: .utf8), broken)
    }

    func testRuleTurnedOffInSiteYml() throws {
        let s = try site()
        try s.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\ncopy_rules: { halfwidth-punctuation: off, space-betwen-chinese: off }\n")
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        XCTAssertFalse(r.stderr.contains("[halfwidth-punctuation]"))
        XCTAssertTrue(r.stderr.contains("content/site.yml:3:43: warning: 未知的校对规则 space-betwen-chinese，是不是 space-between-chinese？"), r.stderr)
    }
}
