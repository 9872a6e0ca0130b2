import Foundation
import XCTest
import BeaconModel
@testable import BeaconText

final class SlugTests: XCTestCase {
    /// The built-in table spells every character as ICU's transform does today (run
    /// scripts/pinyin-table.swift when it does not), and covers both blocks.
    func testPinyinTableIsICUsSpelling() {
        let table = Slugger.table
        XCTAssertGreaterThan(table.count, 26_000)
        let scalars = table.keys.sorted { $0.value < $1.value }
        var joined = String.UnicodeScalarView()
        for (i, s) in scalars.enumerated() {
            if i > 0 { joined.append("\n") }
            joined.append(s)
        }
        let latin = String(joined).applyingTransform(StringTransform("Han-Latin; Latin-ASCII"), reverse: false) ?? ""
        let parts = latin.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(parts.count, scalars.count)
        var wrong: [String] = []
        for (s, p) in zip(scalars, parts) where table[s] != Slugger.ascii(p) { wrong.append("\(Character(s))") }
        XCTAssertEqual(wrong, [])
        XCTAssertEqual(table["党"], "dang")
        XCTAssertEqual(table["㐀"] != nil, true)
    }

    func testPinyinSlugs() {
        let s = Slugger(mode: .pinyin)
        let table: [(String, String)] = [
            ("两学一做", "liang-xue-yi-zuo"),
            ("三会一课", "san-hui-yi-ke"),
            ("主题党日怎样组织", "zhu-ti-dang-ri-zen-yang-zu-zhi"),
            ("学习园地", "xue-xi-yuan-di"),          // 地 in a word: di, not ICU's de
            ("重温入党誓词", "chong-wen-ru-dang-shi-ci"),
            ("第3课", "di-3-ke"),
            ("2026年工作要点", "2026-nian-gong-zuo-yao-dian"),
            ("“两学一做”学习", "liang-xue-yi-zuo-xue-xi"),
            ("Hello World", "hello-world"),
            ("lesson-00001", "lesson-00001"),
            ("qingshi-cun", "qingshi-cun"),
            ("  空格  开头 ", "kong-ge-kai-tou"),
            ("Café 学习", "cafe-xue-xi"),
        ]
        for (input, expected) in table {
            XCTAssertEqual(s.slug(input), expected, input)
        }
    }

    func testSlugNeverEmpty() {
        let s = Slugger(mode: .pinyin)
        XCTAssertEqual(s.slug("？？——"), "")
        let f = s.nonEmptySlug("？？——")
        XCTAssertFalse(f.isEmpty)
        XCTAssertEqual(f, s.nonEmptySlug("？？——"), "fallback is stable")
        XCTAssertNotEqual(f, s.nonEmptySlug("！！"))
    }

    func testKeepMode() {
        let s = Slugger(mode: .keep)
        XCTAssertEqual(s.slug("两学一做 学习"), "两学一做-学习")
        XCTAssertEqual(s.slug("第3课：党章"), "第3课-党章")
    }

    func testSluggerIsSafeAcrossThreads() {
        let s = Slugger(mode: .pinyin)
        var results = [String](repeating: "", count: 200)
        results.withUnsafeMutableBufferPointer { buf in
            let b = buf
            DispatchQueue.concurrentPerform(iterations: 200) { i in b[i] = s.slug("党建引领基层治理\(i % 7)") }
        }
        for (i, r) in results.enumerated() { XCTAssertEqual(r, "dang-jian-yin-ling-ji-ceng-zhi-li-\(i % 7)") }
    }
}

final class TextMeasureTests: XCTestCase {
    func testReadingTime() {
        XCTAssertEqual(TextMeasures.readingUnits("党章是根本大法"), 7)
        XCTAssertEqual(TextMeasures.readingUnits("学习 Swift 和 cmark-gfm 两个 tools"), 8, "Han characters plus Latin words")
        XCTAssertEqual(TextMeasures.readingUnits("3.14 和 10:30"), 4)
        XCTAssertEqual(TextMeasures.readingUnits("𠀀𪚥字 é café ok"), 5, "characters beyond the BMP count; a letter outside ASCII ends a word")
        XCTAssertEqual(TextMeasures.readingMinutes(""), 1)
        XCTAssertEqual(TextMeasures.readingMinutes(String(repeating: "学", count: 400)), 1)
        XCTAssertEqual(TextMeasures.readingMinutes(String(repeating: "学", count: 401)), 2)
        XCTAssertEqual(TextMeasures.readingMinutes(String(repeating: "word ", count: 800)), 2)
    }

    func testSummaryCutsOnCharacterBoundary() {
        let text = String(repeating: "党员👨‍👩‍👧学习", count: 40)
        let s = TextMeasures.summary(text, limit: 21)
        XCTAssertTrue(s.hasSuffix("……"))
        XCTAssertEqual(s.dropLast(2).count, 21)
        XCTAssertTrue(text.hasPrefix(String(s.dropLast(2))), "cut on grapheme boundaries: no broken emoji")
    }

    func testSummaryPrefersSentenceEnd() {
        let text = "第一句话比较长一些，讲了一件事情的来龙去脉。第二句话继续往下讲很多很多的内容，没有结束"
        XCTAssertEqual(TextMeasures.summary(text, limit: 30), "第一句话比较长一些，讲了一件事情的来龙去脉。")
        XCTAssertEqual(TextMeasures.summary("短句。", limit: 30), "短句。")
    }

    /// With no sentence end in reach, a summary ends at a clause (…等重点任务……), and a cut
    /// at the limit never falls inside a number or a Latin word (…的基础2……).
    func testSummaryEndsAtAClauseAndNeverInsideANumber() {
        let clause = "围绕基层党组织建设、党员教育管理、组织生活规范化等重点任务，推动各领域党组织全面进步全面过硬"
        XCTAssertEqual(TextMeasures.summary(clause, limit: 40), "围绕基层党组织建设、党员教育管理、组织生活规范化等重点任务……")
        let number = "今年全区新建党群服务中心一批改造提升村级活动场所在原有的基础2026个点位上继续推进"
        let cut = TextMeasures.summary(number, limit: 33)
        XCTAssertEqual(cut, "今年全区新建党群服务中心一批改造提升村级活动场所在原有的基础……")
        XCTAssertFalse(cut.contains("202"), cut)
    }

    func testSummaryJoinsLinesWithoutSpacesBetweenChinese() {
        XCTAssertEqual(TextMeasures.summary("第一行\n第二行 and\nEnglish"), "第一行第二行 and English")
        // Windows line ends ("\r\n" is one Character in Swift).
        XCTAssertEqual(TextMeasures.summary("第一行\r\n第二行\r\n"), "第一行第二行")
    }

    func testSuggestions() {
        XCTAssertEqual(TextMeasures.suggestion(for: "titel", among: ["title", "date"]), "title")
        XCTAssertEqual(TextMeasures.suggestion(for: "tgas", among: ["tags", "title"]), "tags")
        XCTAssertNil(TextMeasures.suggestion(for: "zzzzzz", among: ["title", "date"]))
        XCTAssertEqual(TextMeasures.suggestion(for: "农业", among: Domain.allCases.map(\.rawValue)), "农村")
    }

    func testCJKJoinRule() {
        XCTAssertTrue(CJK.joinsWithoutSpace("中", "文"))
        XCTAssertTrue(CJK.joinsWithoutSpace("，", "A"))
        XCTAssertTrue(CJK.joinsWithoutSpace("A", "。"))
        XCTAssertFalse(CJK.joinsWithoutSpace("a", "b"))
        // Beside a Chinese character a break is no space either (截至2026⏎年, 依托⏎5G): only
        // between two Latin words does it stay a space.
        XCTAssertTrue(CJK.joinsWithoutSpace("中", "A"))
        XCTAssertTrue(CJK.joinsWithoutSpace("6", "年"))
        XCTAssertFalse(CJK.joinsWithoutSpace("6", "A"))
    }
}

final class DayTests: XCTestCase {
    func testParse() {
        XCTAssertEqual(Day.parse("2026-03-01"), Day(year: 2026, month: 3, day: 1))
        XCTAssertEqual(Day.parse("2026-03-01T10:30:00+08:00"), Day(year: 2026, month: 3, day: 1))
        XCTAssertEqual(Day.parse("2024-02-29"), Day(year: 2024, month: 2, day: 29))
        XCTAssertNil(Day.parse("2026-02-29"))
        XCTAssertNil(Day.parse("2026-13-01"))
        XCTAssertNil(Day.parse("2026-3-1"))
        XCTAssertNil(Day.parse("2026年3月1日"))
        XCTAssertNil(Day.parse("2026-03-01x"))
    }
}

final class StandsAloneTests: XCTestCase {
    /// Every scalar the summary counts as a character of its own is one, beside any other
    /// such scalar (Swift's grapheme breaking decides).
    func testScalarsThatStandAloneAreCharacters() {
        var checked = 0
        for v in 0...0xFFFF where v != 0x0D {
            guard let s = Unicode.Scalar(v), TextMeasures.standsAlone(s) else { continue }
            for other in ["字", "a", "。", " ", "\u{A0}", String(s)] {
                let text = other + String(s) + other + String(s) + String(s)
                XCTAssertEqual(text.count, text.unicodeScalars.count, String(format: "U+%04X", v))
            }
            checked += 1
        }
        XCTAssertGreaterThan(checked, 28_000)
    }
}

final class TrimTests: XCTestCase {
    /// `trimmingSpace` trims what Foundation's `.whitespacesAndNewlines` and `.whitespaces`
    /// trim, on texts built from every kind of space and line end; and the invisible U+200B
    /// and U+FEFF too (where Foundation on Linux trims U+200B by one set and not the other).
    func testTrimmingSpaceMatchesFoundation() {
        let pool: [String] = [" ", "\t", "\n", "\r", "\r\n", "\u{0B}", "\u{0C}", "\u{85}", "\u{A0}", "\u{2003}", "\u{3000}",
                              "\u{2028}", "\u{2029}", "字", "a", "。", "e\u{301}", ""]
        var rng = SplitMix(seed: 7)
        for _ in 0..<5000 {
            var s = ""
            for _ in 0..<Int(rng.next() % 7) { s += pool[Int(rng.next() % UInt64(pool.count))] }
            XCTAssertEqual(s.trimmingSpace(), s.trimmingCharacters(in: .whitespacesAndNewlines), s.debugDescription)
            XCTAssertEqual(s.trimmingSpace(newlines: false), s.trimmingCharacters(in: .whitespaces), s.debugDescription)
        }
        XCTAssertEqual("\u{FEFF}\u{200B} 学习\u{200B}\n".trimmingSpace(), "学习")
        XCTAssertEqual("\u{200B}学习\n".trimmingSpace(newlines: false), "学习\n")
    }
}
