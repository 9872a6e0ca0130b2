import XCTest
@testable import BeaconWeChat
import BeaconPrint

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
