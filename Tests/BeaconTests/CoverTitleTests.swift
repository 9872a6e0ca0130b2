import XCTest
@testable import BeaconWeChat
import BeaconPrint
import BeaconText

/// The titles of WeChat covers and share pictures break between phrases where they can
/// (after ：，、, around 《》 and “”), never splitting a word when a little smaller size
/// avoids it, and a title written in phrases keeps them.
final class CoverTitleTests: XCTestCase {
    let painter = CoverPainter(brand: .init(primary: "#a81c1c", accent: "#c9a227", text: "#333333", muted: "#888888", logo: nil),
                               fonts: (heading: "Noto Sans CJK SC", body: "Noto Sans CJK SC"), siteName: "中共青石区委组织部")

    func lines(_ p: Typesetter.Paragraph) -> [String] {
        p.lines.map { $0.text.filter { $0 != "\n" && $0 != "\u{2028}" } }
    }

    func testTitlesBreakBetweenPhrases() {
        // The share picture's box (420 wide, 266 high) and sizes.
        let (share, _) = painter.fitted("党员积分管理“十个一”：谁来评、评什么、怎么用？", width: 420, largest: 56, smallest: 28, lines: 4, align: .center, maxHeight: 266)
        XCTAssertEqual(lines(share), ["党员积分管理", "“十个一”：谁来评、", "评什么、怎么用？"])
        // The cover's box: two lines, after the colon.
        let (cover, _) = painter.fitted("党员积分管理“十个一”：谁来评、评什么、怎么用？", width: 648, largest: 54, smallest: 30, lines: 2, align: .left, maxHeight: 200)
        XCTAssertEqual(lines(cover), ["党员积分管理“十个一”：", "谁来评、评什么、怎么用？"])
        // Phrases written apart stay apart.
        let (phrases, _) = painter.fitted("党员进网格　服务到家门", width: 420, largest: 56, smallest: 28, lines: 4, align: .center, maxHeight: 266)
        XCTAssertEqual(lines(phrases), ["党员进网格", "服务到家门"])
        XCTAssertTrue(CoverPainter.breaksBetweenPhrases(phrases))
        // No phrase to break at and no smaller size that helps: the largest size, as before.
        let (plain, _) = painter.fitted("到红色教育基地参观学习和交流体会", width: 420, largest: 56, smallest: 28, lines: 4, align: .center, maxHeight: 266)
        XCTAssertEqual(lines(plain).joined(), "到红色教育基地参观学习和交流体会")
        XCTAssertGreaterThan(plain.lines.count, 1)
    }

    /// The words of a title, as `ChineseWords` gives them: ICU's dictionary words with numbers
    /// kept with their unit, Party-building words whole, short quoted terms whole.
    func words(_ s: String) -> [String] {
        let scalars = Array(s.unicodeScalars)
        let starts = ChineseWords.boundaries(scalars)
        var out: [String] = [], word = ""
        for (i, c) in scalars.enumerated() {
            if starts[i] && !word.isEmpty { out.append(word); word = "" }
            word.unicodeScalars.append(c)
        }
        return out + [word]
    }

    func testWordsOfPartyBuildingTitles() {
        XCTAssertEqual(words("2026年度党员教育培训工作要点"), ["2026年度", "党员", "教育", "培训", "工作", "要点"])
        XCTAssertEqual(words("坚持党建引领基层治理"), ["坚持", "党建", "引领", "基层", "治理"])
        XCTAssertEqual(words("切实把“三会一课”落到实处").filter { $0.contains("三") }, ["“三会一课”"])
        XCTAssertEqual(words("第1季度").count, 1)
        XCTAssertTrue(words("以高质量党建推进基层治理现代化").contains("现代化"))
        XCTAssertTrue(words("学习习近平新时代中国特色社会主义思想").contains("习近平"))
        // A long book title is not kept whole (it could not be broken at all).
        XCTAssertGreaterThan(words("《中国共产党纪律处分条例》").count, 3)
        XCTAssertEqual(ChineseWords.boundaries([]), [true])
        XCTAssertEqual(ChineseWords.boundaries(["党"]), [true, true])
    }

    /// Titles without clauses break between words, on the cover and the share picture, at the
    /// largest size that allows it (the editors' titles that used to split 党员, 基层, 党组织).
    func testTitlesWithoutClausesBreakBetweenWords() {
        for title in ["2026年度党员教育培训工作要点", "关于召开2026年度基层党组织书记述职评议会议的通知",
                      "到红色教育基地参观学习", "党旗在基层一线高高飘扬", "学习贯彻全会精神推动高质量发展《决定》辅导读本"] {
            for (p, what) in [(painter.fitted(title, width: 420, largest: 56, smallest: 28, lines: 4, align: .center, maxHeight: 266).0, "share"),
                              (painter.fitted(title, width: 648, largest: 54, smallest: 30, lines: 2, align: .left, maxHeight: 200).0, "cover")] {
                let l = lines(p)
                XCTAssertEqual(l.joined().replacingOccurrences(of: " ", with: ""), title.replacingOccurrences(of: " ", with: ""), what)
                XCTAssertTrue(CoverPainter.breaksBetweenPhrases(p), "\(what): \(l)")
            }
        }
        let (share, _) = painter.fitted("2026年度党员教育培训工作要点", width: 420, largest: 56, smallest: 28, lines: 4, align: .center, maxHeight: 266)
        XCTAssertEqual(lines(share).map { $0.replacingOccurrences(of: " ", with: "") }, ["2026年度", "党员教育", "培训工作要点"])
        let (cover, _) = painter.fitted("关于召开2026年度基层党组织书记述职评议会议的通知", width: 648, largest: 54, smallest: 30, lines: 2, align: .left, maxHeight: 200)
        XCTAssertEqual(lines(cover).map { $0.replacingOccurrences(of: " ", with: "") }, ["关于召开2026年度基层党组织", "书记述职评议会议的通知"])
    }

    /// A title of thousands of characters is cut before it is set (it used to be weighed
    /// break by break, for minutes): the picture shows its start and "…".
    func testAHugeTitleIsCutBeforeItIsSet() {
        for title in [String(repeating: "党", count: 5000), String(repeating: "abc ", count: 5000)] {
            let (p, _) = painter.fitted(title, width: 420, largest: 56, smallest: 28, lines: 4, align: .center, maxHeight: 266)
            let shown = lines(p).joined()
            XCTAssertTrue(shown.hasSuffix("…"), String(shown.suffix(10)))
            XCTAssertLessThanOrEqual(shown.unicodeScalars.count, CoverPainter.mostDrawn)
            XCTAssertTrue(title.hasPrefix(shown.dropLast().replacingOccurrences(of: "\u{2028}", with: "").prefix(20)))
        }
    }

    /// A title that takes more lines than asked even at the smallest size, but fits the box
    /// there, stays at the smallest size (it used to drop below it).
    func testALongTitleThatFitsAtTheSmallestSizeStaysThere() {
        let long = "关于进一步加强和规范基层党组织“三会一课”制度落实推动全面从严治党向基层延伸的实施意见学习解读"
        let (p, _) = painter.fitted(long, width: 648, largest: 54, smallest: 30, lines: 2, align: .left, maxHeight: 200)
        let (atSmallest, _) = painter.title(long, width: 648, largest: 30, smallest: 30, lines: 2, align: .left)
        XCTAssertLessThanOrEqual(atSmallest.height, 200)
        XCTAssertEqual(p.height, atSmallest.height, accuracy: 0.01)
        XCTAssertEqual(lines(p).joined(), long)
    }
}
