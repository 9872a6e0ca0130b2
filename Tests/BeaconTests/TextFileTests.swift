import Foundation
import XCTest
import BeaconModel
@testable import BeaconLoad

final class TextFileTests: XCTestCase {
    /// A file the build cache knows is turned into text without its checks: the same text
    /// `decode` gives, byte-order mark, CRLF and lone CR included.
    func testKnownBytesGiveTheTextDecodeGives() throws {
        let samples: [[UInt8]] = [
            Array(try Data(contentsOf: Repo.fixtures.appendingPathComponent("bom-crlf-lesson.md"))),
            Array("---\ntitle: 标题\n---\n正文\n".utf8),
            [0xEF, 0xBB, 0xBF] + Array("第一行\r第二行\r\n第三行\r".utf8),
            Array("\r\n\r\n".utf8), [],
        ]
        for bytes in samples {
            XCTAssertEqual(TextFile.decodeKnown(Data(bytes)), try TextFile.decode(Data(bytes), displayPath: "x.md"), "\(bytes.prefix(12))")
        }
    }

    func testBOMAndCRLF() throws {
        let data = try Data(contentsOf: Repo.fixtures.appendingPathComponent("bom-crlf-lesson.md"))
        let text = try TextFile.decode(data, displayPath: "x.md")
        XCTAssertTrue(text.hasPrefix("---\ntitle: 换行测试\n"))
        XCTAssertFalse(text.contains("\r"))
        XCTAssertFalse(text.unicodeScalars.contains("\u{FEFF}"))
    }

    func testGBKIsRefusedWithPosition() throws {
        let data = try Data(contentsOf: Repo.fixtures.appendingPathComponent("gbk-lesson.md"))
        XCTAssertThrowsError(try TextFile.decode(data, displayPath: "a/b.md")) { error in
            let d = error as! Diagnostic
            XCTAssertEqual(d.location, SourceLocation(path: "a/b.md", line: 2, column: 8))
            XCTAssertTrue(d.message.contains("GBK/GB18030"))
            XCTAssertTrue(d.message.contains("UTF-8"))
        }
    }

    func testUTF16WithoutBOMIsRefused() throws {
        let data = "---\ntitle: x\n---\n".data(using: .utf16LittleEndian)!
        XCTAssertThrowsError(try TextFile.decode(data, displayPath: "u.md")) { error in
            XCTAssertTrue((error as! Diagnostic).message.contains("UTF-16"))
        }
    }

    func testTruncatedUTF8IsRefused() {
        var bytes = Array("正文".utf8)
        bytes.removeLast()
        XCTAssertThrowsError(try TextFile.decode(Data(bytes), displayPath: "t.md"))
    }

    func testFrontMatterSplit() throws {
        let f = try FrontMatterFile.split("---\ntitle: 甲\n---\n正文\n第二行", path: "p.md")!
        XCTAssertEqual(f.yaml, "title: 甲")
        XCTAssertEqual(f.body.text, "正文\n第二行")
        XCTAssertEqual(f.body.lineOffset, 3)
        XCTAssertNil(try FrontMatterFile.split("没有头信息", path: "p.md"))
        XCTAssertThrowsError(try FrontMatterFile.split("---\ntitle: 甲\n正文", path: "p.md"))
    }

    /// Control characters and noncharacters are refused wherever they are; everything else,
    /// four-byte characters and U+FEFF, U+FFFD included, is taken.
    func testUnprintableCharactersAreFoundByTheByteScanToo() {
        func s(_ v: UInt32) -> String { String(Unicode.Scalar(v)!) }
        for bad in ["a" + s(0xFDD0), "a" + s(0xFDEF) + "b", "党" + s(0x1FFFF), "x" + s(0x10FFFE), "a\u{7F}", "\u{0B}", "字" + s(0xFFFF)] {
            XCTAssertThrowsError(try TextFile.refuseUnprintable(bad, displayPath: "x.md"), bad.debugDescription)
        }
        for good in ["党员，“学习”。😀 ｆｕｌｌ\u{FEFF}\u{FFFD}\t\r\n", s(0xFDCF) + s(0xFDF0) + s(0x1FFFD), ""] {
            XCTAssertNoThrow(try TextFile.refuseUnprintable(good, displayPath: "x.md"), good.debugDescription)
        }
    }
}
