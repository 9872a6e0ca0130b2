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

    /// The second check reads the findings from the build cache: the same messages, and a
    /// changed text is read again.
    func testFindingsFromTheCacheAreTheSameMessages() throws {
        let s = try site()
        let first = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        XCTAssertTrue(FileManager.default.fileExists(atPath: s.root.appendingPathComponent(".beacon/cache/copy-rules.txt").path))
        let again = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        XCTAssertEqual(again.stderr, first.stderr)
        XCTAssertTrue(first.stderr.contains("14 个警告"), first.stderr)
        try s.write(lesson, try s.read(lesson).replacingOccurrences(of: "党员要学习,要工作。", with: "党员要学习，要工作。"))
        let fixed = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        XCTAssertFalse(fixed.stderr.contains("\(lesson):5:6: warning: [halfwidth-punctuation]"), fixed.stderr)
        XCTAssertTrue(fixed.stderr.contains("13 个警告"), fixed.stderr)
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

    /// Board, book and front-matter texts are checked too, at their own line:col, and --fix
    /// writes them back without touching keys, comments or titles' deliberate spaces.
    func testCopyRulesOnYAMLTexts() throws {
        let s = try TempSite()
        let board = "title: 支部规定\nsize: a4\nblocks:\n  - type: text\n    title: 支部(第一)\n    body: 每季度召开一次,讨论重大事项.   # 注释,不改\n  - type: text\n    body: |\n      学习 ,工作\n      **牢记初心使命**:常学常新\n"
        try s.write("content/boards/规定.yml", board)
        try s.write("content/books/读本.yml", "title: 学党章党规 做合格党员\nsubtitle: 学习读本(2026)\ncontents:\n  - series: 学习园地\n")
        let lessonFile = "content/lessons/学习园地/誓词.md"
        try s.write(lessonFile, "---\ntitle: 重温\"入党誓词\"\ndate: 2026-05-01\nsummary: \"学习 ,工作\"\n---\n正文。\n")
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        let warnings = r.stderr.split(separator: "\n").filter { $0.contains(": warning: ") }.map { String($0.prefix { $0 != "]" }) + "]" }
        XCTAssertEqual(warnings, [
            "content/boards/规定.yml:5:14: warning: [halfwidth-punctuation]",
            "content/boards/规定.yml:5:17: warning: [halfwidth-punctuation]",
            "content/boards/规定.yml:6:18: warning: [halfwidth-punctuation]",
            "content/boards/规定.yml:6:25: warning: [halfwidth-punctuation]",
            "content/boards/规定.yml:9:9: warning: [space-between-chinese]",
            "content/boards/规定.yml:9:10: warning: [halfwidth-punctuation]",
            "content/boards/规定.yml:10:17: warning: [halfwidth-punctuation]",
            "content/books/读本.yml:2:15: warning: [halfwidth-punctuation]",
            "content/books/读本.yml:2:20: warning: [halfwidth-punctuation]",
            "content/lessons/学习园地/誓词.md:2:10: warning: [straight-quotes]",
            "content/lessons/学习园地/誓词.md:2:15: warning: [straight-quotes]",
            "content/lessons/学习园地/誓词.md:4:13: warning: [space-between-chinese]",
            "content/lessons/学习园地/誓词.md:4:14: warning: [halfwidth-punctuation]",
        ], r.stderr)
        let fix = try runCommand(Repo.beaconBinary.path, ["check", "--fix", "--root", s.root.path])
        XCTAssertTrue(fix.stderr.contains("(0 errors, 0 warnings, 13 fixed)"), fix.stderr)
        XCTAssertEqual(try String(contentsOf: s.root.appendingPathComponent("content/boards/规定.yml"), encoding: .utf8),
                       "title: 支部规定\nsize: a4\nblocks:\n  - type: text\n    title: 支部（第一）\n    body: 每季度召开一次，讨论重大事项。   # 注释,不改\n  - type: text\n    body: |\n      学习，工作\n      **牢记初心使命**：常学常新\n")
        XCTAssertEqual(try String(contentsOf: s.root.appendingPathComponent("content/books/读本.yml"), encoding: .utf8),
                       "title: 学党章党规 做合格党员\nsubtitle: 学习读本（2026）\ncontents:\n  - series: 学习园地\n")
        XCTAssertEqual(try String(contentsOf: s.root.appendingPathComponent(lessonFile), encoding: .utf8),
                       "---\ntitle: 重温“入党誓词”\ndate: 2026-05-01\nsummary: \"学习，工作\"\n---\n正文。\n")
        let snapshot = try ["content/boards/规定.yml", "content/books/读本.yml", lessonFile].map { try Data(contentsOf: s.root.appendingPathComponent($0)) }
        let again = try runCommand(Repo.beaconBinary.path, ["check", "--fix", "--root", s.root.path])
        XCTAssertTrue(again.stderr.contains("(0 errors, 0 warnings)"), again.stderr)
        XCTAssertEqual(try ["content/boards/规定.yml", "content/books/读本.yml", lessonFile].map { try Data(contentsOf: s.root.appendingPathComponent($0)) }, snapshot)
        let build = try runCommand(Repo.beaconBinary.path, ["build", "--root", s.root.path])
        XCTAssertEqual(build.status, 0, build.stderr)
    }

    /// A fix that YAML would read as something else is not made; mixed line ends are kept.
    func testFixNeverChangesWhatYAMLReads() throws {
        let s = try TempSite()
        let lessonFile = "content/lessons/学习园地/类型.md"
        let original = "---\r\ntitle: 类型\r\ndate: 2026-05-01\r\nauthor: ｎｕｌｌ\r\nsummary: 　#1 学习党章\r\n---\n学习,工作。\n"
        try s.write(lessonFile, original)
        let fix = try runCommand(Repo.beaconBinary.path, ["check", "--fix", "--root", s.root.path])
        XCTAssertTrue(fix.stderr.contains("\(lessonFile):4:9: warning: [fullwidth-alnum]"), fix.stderr)
        XCTAssertEqual(try String(contentsOf: s.root.appendingPathComponent(lessonFile), encoding: .utf8),
                       "---\r\ntitle: 类型\r\ndate: 2026-05-01\r\nauthor: ｎｕｌｌ\r\nsummary: 　#1 学习党章\r\n---\n学习，工作。\n")
    }

    func testRuleTurnedOffInSiteYml() throws {
        let s = try site()
        try s.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\ncopy_rules: { halfwidth-punctuation: off, space-betwen-chinese: off }\n")
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        XCTAssertFalse(r.stderr.contains("[halfwidth-punctuation]"))
        XCTAssertTrue(r.stderr.contains("content/site.yml:3:43: warning: 未知的校对规则 space-betwen-chinese，是不是 space-between-chinese？"), r.stderr)
    }
}

/// Six independent mistakes of different kinds: one `check` reports all six, each once, in file
/// order, and nothing else; the build fails the same way and leaves output/ as it was.
final class EveryMistakeInOneRunTests: XCTestCase {
    func testSixMistakesInOneRun() throws {
        let site = try TempSite()
        site.build()
        let before = site.snapshot()
        try site.write("content/lessons/学习园地/坏.md", "---\ntitle: 坏课\ndate: 2026-03-01\ntags: [a, b\n---\n正文\n")
        try site.write("content/lessons/学习园地/第三课.md", "---\ntitle: 第三课\ndate: 2026-03-03\n---\n见[不存在](没有这课.md)。\n\n![图](../../media/没有.png)\n")
        try site.write("content/boards/图板.yml", "title: 展板\nsize: a4\nblocks:\n  - type: image\n    src: ../media/缺图.jpg\n")
        try site.write("content/boards/挤板.yml", "title: 挤板\nsize: a4\nblocks:\n  - type: text\n    body: " + String(repeating: "很长的文字", count: 800) + "\n")
        try site.write("content/books/书.yml", "title: 书\ncontents:\n  - series: 学习园地\nsizee: a6\n")
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--root", site.root.path])
        XCTAssertEqual(r.status, 1)
        let errors = r.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") || $0.contains(": warning: ") }
        XCTAssertEqual(errors, [
            "content/boards/图板.yml:5:10: error: 找不到图片 ../media/缺图.jpg (image not found: ../media/缺图.jpg)",
            "content/boards/挤板.yml:4:5: error: 展板“挤板”的第 1 个版块（text）缩到最小字号 8 pt 仍放不下，超出 595 mm；请删减文字、加大跨栏或减少版块 (board '挤板', block 1 (text) overflows by 595 mm at the minimum size)",
            "content/books/书.yml:4:1: error: 未知字段 sizee，是不是 size？ (unknown key 'sizee'; did you mean 'size'?)",
            "content/lessons/学习园地/坏.md:5:1: error: YAML 格式错误：从第 4 行第 7 列开始的方括号列表 [ ] 没有结束，或两项之间少了逗号；请写成 [甲, 乙] (invalid YAML: did not find expected ',' or ']' while parsing a flow sequence)",
            "content/lessons/学习园地/第三课.md:5:2: error: 找不到链接的课程 content/lessons/学习园地/没有这课.md (linked lesson not found: content/lessons/学习园地/没有这课.md)",
            "content/lessons/学习园地/第三课.md:7:1: error: 找不到图片 content/media/没有.png (image not found: content/media/没有.png)",
        ])
        let build = try runCommand(Repo.beaconBinary.path, ["build", "--root", site.root.path])
        XCTAssertEqual(build.status, 1)
        XCTAssertEqual(build.stderr.split(separator: "\n").map(String.init).filter { $0.contains(": error: ") }, errors)
        XCTAssertEqual(site.snapshot(), before, "output/ untouched")
    }
}
