import Foundation
import XCTest
@testable import BeaconText

final class CopyRuleTests: XCTestCase {
    /// (text, the rules it must trigger in order, the text after --fix). Prose unless the
    /// case is marked as a title.
    let cases: [(String, [String], String)] = [
        // Half-width marks in Chinese text.
        ("党员要学习,要工作。", ["halfwidth-punctuation"], "党员要学习，要工作。"),
        ("注意;按时参加。", ["halfwidth-punctuation"], "注意；按时参加。"),
        ("要求如下:", ["halfwidth-punctuation"], "要求如下："),
        ("为什么?因为要学。", ["halfwidth-punctuation"], "为什么？因为要学。"),
        ("一定要做到!", ["halfwidth-punctuation"], "一定要做到！"),
        ("党章(第一章)规定", ["halfwidth-punctuation", "halfwidth-punctuation"], "党章（第一章）规定"),
        ("每季度召开一次,讨论重大事项.", ["halfwidth-punctuation", "halfwidth-punctuation"], "每季度召开一次，讨论重大事项。"),
        ("**牢记初心使命**:要常学常新。", ["halfwidth-punctuation"], "**牢记初心使命**：要常学常新。"),
        ("会议时间:14:30", ["halfwidth-punctuation"], "会议时间：14:30"),
        ("联系人:Alice", ["halfwidth-punctuation"], "联系人：Alice"),
        ("学习 ,工作", ["space-between-chinese", "halfwidth-punctuation"], "学习，工作"),
        ("宣传栏(第一期)!", ["halfwidth-punctuation", "halfwidth-punctuation", "halfwidth-punctuation"], "宣传栏（第一期）！"),
        ("使用Beacon(灯塔)排版", ["halfwidth-punctuation", "halfwidth-punctuation"], "使用Beacon（灯塔）排版"),
        ("(一)加强学习", ["halfwidth-punctuation", "halfwidth-punctuation"], "（一）加强学习"),
        ("一.总体要求", ["halfwidth-punctuation"], "一、总体要求"),
        ("## 二.主要任务", ["halfwidth-punctuation"], "## 二、主要任务"),
        // Straight quotes.
        ("人民群众是党的\"钙\".", ["straight-quotes", "straight-quotes", "halfwidth-punctuation"], "人民群众是党的“钙”。"),
        ("他说\"要学习\"", ["straight-quotes", "straight-quotes"], "他说“要学习”"),
        ("所谓'三会一课'制度", ["straight-quotes", "straight-quotes"], "所谓‘三会一课’制度"),
        ("他说\"要学习", ["straight-quotes"], "他说\"要学习"),
        // Ellipses and dashes.
        ("学习、工作、生活...", ["ellipsis-and-dash"], "学习、工作、生活……"),
        ("等等。。。", ["ellipsis-and-dash"], "等等……"),
        ("等等…", ["ellipsis-and-dash"], "等等……"),
        ("初心--为人民谋幸福", ["ellipsis-and-dash"], "初心——为人民谋幸福"),
        // Full-width letters and digits.
        ("共有１２个支部", ["fullwidth-alnum"], "共有12个支部"),
        ("使用ＡＢＣ法", ["fullwidth-alnum"], "使用ABC法"),
        // Doubled marks, also after a fix.
        ("学习结束了。。", ["repeated-punctuation"], "学习结束了。"),
        ("第一，，第二", ["repeated-punctuation"], "第一，第二"),
        ("第一,,第二", ["repeated-punctuation"], "第一，第二"),
        ("太好了!!", ["repeated-punctuation"], "太好了！"),
        // Spaces.
        ("学党章 做党员", ["space-between-chinese"], "学党章做党员"),
        ("学党章   做党员", ["space-between-chinese"], "学党章做党员"),
        ("学习 。", ["space-between-chinese"], "学习。"),
        ("参加 “三会一课”", ["space-between-chinese"], "参加“三会一课”"),
        ("　　支部每月开展一次主题党日。", ["space-between-chinese"], "支部每月开展一次主题党日。"),
        ("## 学党章党规 做合格党员", [], "## 学党章党规 做合格党员"),
        ("见[学党章党规 做合格党员](第一课.md)。", [], "见[学党章党规 做合格党员](第一课.md)。"),
        ("## 学党章党规   做合格党员", ["space-between-chinese"], "## 学党章党规 做合格党员"),
        ("202 6年", ["space-in-number"], "2026年"),
        ("截至202 6年底", ["space-in-number"], "截至2026年底"),
        ("截至 202 6年底", ["space-in-number"], "截至 2026年底"),
        ("数额为 202 6元", ["space-in-number"], "数额为 2026元"),
        ("Windows 10 2 台", [], "Windows 10 2 台"),
        // Two numbers, not a year cut in two.
        ("详见附件 2 2026年度考核表", [], "详见附件 2 2026年度考核表"),
        ("见表 3 2025年数据", [], "见表 3 2025年数据"),
        ("附件2 2026年度", [], "附件2 2026年度"),
        // Several at once: the fix is complete in one run.
        ("支部 (第一支部) 要求:\"三会一课\"要落实!!", ["space-between-chinese", "halfwidth-punctuation", "halfwidth-punctuation", "space-between-chinese", "halfwidth-punctuation", "straight-quotes", "straight-quotes", "repeated-punctuation"],
         "支部（第一支部）要求：“三会一课”要落实！"),
        // Flagged, not mechanical.
        ("真的吗？！", ["mixed-marks"], "真的吗？！"),
        ("他说“要学习。", ["unbalanced-pairs"], "他说“要学习。"),
        ("读《党章", ["unbalanced-pairs"], "读《党章"),
        ("注释）在这里", ["unbalanced-pairs"], "注释）在这里"),
        // Never flagged.
        ("`a,b` 是代码，`中,文` 也是代码", [], "`a,b` 是代码，`中,文` 也是代码"),
        ("网址 https://example.org/a,b?x=1 不算", [], "网址 https://example.org/a,b?x=1 不算"),
        ("网址见（https://example.org/a）。", [], "网址见（https://example.org/a）。"),
        ("Hello, world! How are you?", [], "Hello, world! How are you?"),
        ("He said \"yes\", didn't he?", [], "He said \"yes\", didn't he?"),
        ("圆周率约为3.14，会议10:30开始", [], "圆周率约为3.14，会议10:30开始"),
        ("见[链接](../a,b.md)和<https://x.org/?a=1,2>", [], "见[链接](../a,b.md)和<https://x.org/?a=1,2>"),
        ("见图![支部活动](../../media/a(1).jpg)", [], "见图![支部活动](../../media/a(1).jpg)"),
        ("使用 Beacon 排版，2026 年", [], "使用 Beacon 排版，2026 年"),
        ("……和——都是合法的", [], "……和——都是合法的"),
        ("按照“收集—分办—办理—反馈”四步走", [], "按照“收集—分办—办理—反馈”四步走"),
        ("中共青石区委组织部 · 2026年", [], "中共青石区委组织部 · 2026年"),
        ("他说：“好。”", [], "他说：“好。”"),
        ("文件名是学习.md", [], "文件名是学习.md"),
        ("1. 第一条", [], "1. 第一条"),
        ("<!-- 注释,不改 -->正文", [], "<!-- 注释,不改 -->正文"),
        ("| 序号 | 内容 |\n|---|---|\n| 1 | 学习 |", [], "| 序号 | 内容 |\n|---|---|\n| 1 | 学习 |"),
        ("```\n中,文\n```", [], "```\n中,文\n```"),
        ("    中,文 缩进的代码", [], "    中,文 缩进的代码"),
        ("    代码,一\n    代码,二", [], "    代码,一\n    代码,二"),
        ("````\n```\n代码,中文 \"引号\"\n````", [], "````\n```\n代码,中文 \"引号\"\n````"),
        ("<img src=\"/media/pic.svg\"\n  alt=\"学习:党章\">", [], "<img src=\"/media/pic.svg\"\n  alt=\"学习:党章\">"),
        // A full-width space that keeps a line from being a heading, list or rule stays.
        ("段落\n　　---", [], "段落\n　　---"),
        ("　　# 不是标题", [], "　　# 不是标题"),
        // Cases whose fix makes another: still one run.
        ("学习...)", ["ellipsis-and-dash"], "学习……）"),
        ("学习！ ！", ["space-between-chinese"], "学习！"),
        ("学习(...", ["halfwidth-punctuation", "unbalanced-pairs", "ellipsis-and-dash"], "学习（……"),
    ]

    /// The quick test for a pair mark answers as the set of pairs does, for every character of
    /// the Basic Multilingual Plane and beyond.
    func testPairMarksAreKnownWithoutTheSet() {
        for v in UInt32(0)..<0x2_0000 where CopyRules.isPairMark(v) != CopyRules.pairMarks.contains(v) {
            XCTFail(String(format: "U+%04X", v))
        }
    }

    func testCases() {
        XCTAssertGreaterThanOrEqual(cases.count, 40)
        for (text, rules, fixed) in cases {
            let f = CopyRules.check(text)
            XCTAssertEqual(f.map(\.rule), rules, text)
            let (once, _) = CopyRules.fix(text)
            XCTAssertEqual(once, fixed, text)
            // One --fix reaches the fixed point: fixing again changes nothing, and what is
            // left to report needs a person.
            XCTAssertEqual(CopyRules.fix(once).0, once, "second fix of \(text)")
            XCTAssertTrue(CopyRules.check(once).allSatisfy { $0.replacement == nil }, text)
        }
    }

    /// A title field keeps one space between two Chinese phrases; prose does not.
    /// Random lines of marks, spaces and Chinese: one fix is always the fixed point.
    func testFixIsAFixedPointOnRandomText() {
        var generator = SystemRandomNumberGenerator()
        let pieces = ["学习", "党章", ",", ".", "...", "…", "!", "?", "(", ")", "\"", "'", " ", "　", "，", "。", "！", "“", "”", "**", "-", "--", "１", "a", "2026", ":", ";"]
        for _ in 0..<3000 {
            let line = (0..<Int.random(in: 1...12, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
            let once = CopyRules.fix(line).0
            XCTAssertEqual(CopyRules.fix(once).0, once, "from \(line)")
        }
    }

    func testTitles() {
        XCTAssertTrue(CopyRules.check("学党章党规 做合格党员", title: true).isEmpty)
        XCTAssertEqual(CopyRules.check("学党章党规 做合格党员").map(\.rule), ["space-between-chinese"])
        XCTAssertEqual(CopyRules.fix("学党章党规  做合格党员", title: true).0, "学党章党规 做合格党员")
        XCTAssertEqual(CopyRules.fix("学党章党规 (上册)", title: true).0, "学党章党规（上册）")
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

    /// The shortcut for lines of Han characters and single marks gives what the full review
    /// gives, on texts that mix such lines with every kind of line the rules act on.
    func testPlainChineseLinesShortcutChangesNothing() {
        let pieces = ["党", "员", "学", "习", "，", "。", "、", "；", "：", "！", "？", "**", "“", "”", "《", "》", "（", "）",
                      " ", "　", "2026", "A", ",", ".", "...", "!", "\"", "`", "<b>", "*", "#", "-", "\t", "１", "~~", "_"]
        let starts = ["", "", "", "## ", "# ", "- ", "* ", "+ ", "1. ", "12) ", "> ", "#", "-", "1.", "####### ", "** ", "~~"]
        var rng = SplitMix(seed: 11)
        for _ in 0..<8000 {
            var lines: [String] = []
            for _ in 0..<Int(rng.next() % 5) + 1 {
                var l = starts[Int(rng.next() % UInt64(starts.count))]
                // Mostly the plain kind, so that the shortcut is taken.
                let plain = rng.next() % 2 == 0
                for _ in 0..<Int(rng.next() % 12) {
                    l += pieces[Int(rng.next() % UInt64(plain ? 12 : pieces.count))]
                }
                lines.append(l)
            }
            let text = lines.joined(separator: rng.next() % 3 == 0 ? "\n\n" : "\n")
            let fast = CopyRules.review(text)
            CopyRules.plainLines = false
            let full = CopyRules.review(text)
            CopyRules.plainLines = true
            XCTAssertEqual(fast.findings, full.findings, text.debugDescription)
            XCTAssertEqual(fast.fixed, full.fixed, text.debugDescription)
        }
    }

    /// The rules' UTF-8 decoder gives the scalars Swift gives, for 1- to 4-byte sequences.
    func testDecodingGivesSwiftsScalars() {
        let texts = ["", "abc", "党员，学习。", "é\u{301}ü", "😀𠀀字\u{FEFF}", "\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}"]
        for t in texts {
            var out: [UInt32] = []
            CopyRules.decode(Array(t.utf8)[...], into: &out)
            XCTAssertEqual(out, t.unicodeScalars.map(\.value), t.debugDescription)
        }
    }
}
