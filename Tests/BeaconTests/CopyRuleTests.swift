import Foundation
import XCTest
import BeaconText

final class CopyRuleTests: XCTestCase {
    /// (text, the rules it must trigger in order, the text after --fix)
    let cases: [(String, [String], String)] = [
        // flagged and fixed
        ("党员要学习,要工作。", ["halfwidth-punctuation"], "党员要学习，要工作。"),
        ("注意;按时参加。", ["halfwidth-punctuation"], "注意；按时参加。"),
        ("要求如下:", ["halfwidth-punctuation"], "要求如下："),
        ("为什么?因为要学。", ["halfwidth-punctuation"], "为什么？因为要学。"),
        ("一定要做到!", ["halfwidth-punctuation"], "一定要做到！"),
        ("党章(第一章)规定", ["halfwidth-punctuation", "halfwidth-punctuation"], "党章（第一章）规定"),
        ("共有１２个支部", ["fullwidth-alnum"], "共有12个支部"),
        ("使用ＡＢＣ法", ["fullwidth-alnum"], "使用ABC法"),
        ("学习结束了。。", ["repeated-punctuation"], "学习结束了。"),
        ("第一，，第二", ["repeated-punctuation"], "第一，第二"),
        ("学党章 做党员", ["space-between-chinese"], "学党章做党员"),
        ("学党章   做党员", ["space-between-chinese"], "学党章做党员"),
        // flagged, not mechanical
        ("真的吗？！", ["mixed-marks"], "真的吗？！"),
        ("他说“要学习。", ["unbalanced-pairs"], "他说“要学习。"),
        ("读《党章", ["unbalanced-pairs"], "读《党章"),
        ("注释）在这里", ["unbalanced-pairs"], "注释）在这里"),
        // never flagged
        ("`a,b` 是代码，`中,文` 也是代码", [], "`a,b` 是代码，`中,文` 也是代码"),
        ("网址 https://example.org/a,b?x=1 不算", [], "网址 https://example.org/a,b?x=1 不算"),
        ("Hello, world! How are you?", [], "Hello, world! How are you?"),
        ("圆周率约为3.14，会议10:30开始", [], "圆周率约为3.14，会议10:30开始"),
        ("见[链接](../a,b.md)和<https://x.org/?a=1,2>", [], "见[链接](../a,b.md)和<https://x.org/?a=1,2>"),
        ("使用 Beacon 排版", [], "使用 Beacon 排版"),
        ("……和——都是合法的", [], "……和——都是合法的"),
        ("他说：“好。”", [], "他说：“好。”"),
        ("```\n中,文\n```", [], "```\n中,文\n```"),
    ]

    func testCases() {
        XCTAssertGreaterThanOrEqual(cases.count, 20)
        for (text, rules, fixed) in cases {
            let f = CopyRules.check(text)
            XCTAssertEqual(f.map(\.rule), rules, text)
            XCTAssertEqual(CopyRules.fix(text, findings: f).0, fixed, text)
        }
    }

    func testPositions() {
        let f = CopyRules.check("第一行没问题。\n第二行,有问题。")
        XCTAssertEqual(f.count, 1)
        XCTAssertEqual(f[0].line, 2)
        XCTAssertEqual(f[0].column, 4)
    }

    func testRulesCanBeTurnedOff() {
        XCTAssertEqual(CopyRules.check("学党章 做党员,好", enabled: ["halfwidth-punctuation"]).map(\.rule), ["halfwidth-punctuation"])
        XCTAssertTrue(CopyRules.check("学党章 做党员,好", enabled: []).isEmpty)
    }
}
