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
