import Foundation
import XCTest
import BeaconModel

final class NewCommandTests: XCTestCase {
    func today() -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!).description
    }

    func testNewFilesBuildAndAreNeverOverwritten() throws {
        let site = try TempSite()
        let b = Repo.beaconBinary.path
        let r = try runCommand(b, ["new", "lesson", "学习园地", "重温入党誓词", "--kind", "微党课", "--root", site.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "content/lessons/学习园地/重温入党誓词.md\n")
        XCTAssertEqual(try site.read("content/lessons/学习园地/重温入党誓词.md"),
                       "---\ntitle: 重温入党誓词\ndate: \(today())\nkind: 微党课\ntags: []\n---\n在这里写正文。一段话可以分几行写，汉字之间的换行不会变成空格。\n")
        XCTAssertEqual(try runCommand(b, ["new", "lesson", "新专题", "标题: 带冒号", "--root", site.root.path]).status, 0)
        XCTAssertEqual(try site.read("content/lessons/新专题/_series.yml"), "title: 新专题\nsummary: \n")
        XCTAssertTrue(try site.read("content/lessons/新专题/标题-带冒号.md").contains("title: \"标题: 带冒号\"\n"))
        XCTAssertEqual(try runCommand(b, ["new", "branch", "中共某某社区委员会", "--domain", "社区", "--stars", "4", "--root", site.root.path]).status, 0)
        XCTAssertEqual(try runCommand(b, ["new", "board", "三会一课", "--size", "a4", "--root", site.root.path]).status, 0)
        XCTAssertEqual(try runCommand(b, ["new", "book", "学习口袋书", "--series", "学习园地", "--root", site.root.path]).status, 0)
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertEqual(diags.filter { $0.severity == .error }, [])
        // A second time: refused, the file untouched.
        try site.write("content/lessons/学习园地/重温入党誓词.md", "编辑已经写了的内容")
        let again = try runCommand(b, ["new", "lesson", "学习园地", "重温入党誓词", "--root", site.root.path])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.stderr, "content/lessons/学习园地/重温入党誓词.md:1:1: error: 文件已经存在，Beacon 不会覆盖它；换一个标题或先改名 (file exists; Beacon will not overwrite it)\n")
        XCTAssertEqual(try site.read("content/lessons/学习园地/重温入党誓词.md"), "编辑已经写了的内容")
        XCTAssertNotEqual(try runCommand(b, ["new", "branch", "某支部", "--domain", "农业", "--root", site.root.path]).status, 0)
    }
}

/// Every file `beacon new` writes builds as written, in the example site with its template
/// boards (which need a branch's secretary, practices, stats, people and honours).
final class NewFilesBuildTests: XCTestCase {
    func testEveryNewFileBuildsInTheExampleSite() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        let b = Repo.beaconBinary.path, r = site.root.path
        let runs: [[String]] = [
            ["new", "series", "新时代文明实践", "--summary", "文明实践站的活动", "-r", r],
            ["new", "lesson", "新时代文明实践", "文明实践站怎样开展活动", "-r", r],
            ["new", "branch", "中共幸福里社区委员会", "--domain", "社区", "--stars", "4", "-r", r],
            ["new", "branch", "中共五星村支部委员会", "--domain", "农村", "--stars", "5", "-r", r],
            ["new", "board", "文明实践公示栏", "-r", r],
            ["new", "book", "文明实践读本", "--series", "新时代文明实践", "-r", r],
        ]
        var written: [String] = []
        for args in runs {
            let out = try runCommand(b, args)
            XCTAssertEqual(out.status, 0, "\(args): \(out.stderr)")
            written.append(out.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        XCTAssertEqual(written, ["content/lessons/新时代文明实践/_series.yml", "content/lessons/新时代文明实践/文明实践站怎样开展活动.md",
                                 "content/branches/中共幸福里社区委员会.md", "content/branches/中共五星村支部委员会.md",
                                 "content/boards/文明实践公示栏.yml", "content/books/文明实践读本.yml"])
        XCTAssertTrue(try site.read("content/boards/文明实践公示栏.yml").contains("footer: 中共青石区委组织部 · "), "the footer is filled from site.yml")
        let build = try runCommand(b, ["build", "-q", "-r", r])
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertFalse(build.stderr.contains(": error: ") || build.stderr.contains(": warning: "), build.stderr)
    }
}
