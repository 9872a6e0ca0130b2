import Foundation
import XCTest
import BeaconPrint

/// Beacon's PNG files (board previews, WeChat covers and share pictures) are written by its
/// own chunk writer over libdeflate. Read back by a separate decoder (`pngDecoder`: Python's
/// zlib and the PNG rules written out), every pixel must be the one drawn, and every chunk's
/// CRC right.
final class PNGWriterTests: XCTestCase {
    /// A picture with every grey and colour level across it: 256 one-pixel bars (red rising,
    /// green falling, blue stepping) over two flat fields, a plain field below.
    func testEveryPixelComesBackAsDrawn() throws {
        let python = try XCTUnwrap(which("python3"))
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let (w, h) = (300, 41)
        func bar(_ k: Int) -> (Int, Int, Int) { (k, 255 - k, (k * 7) % 256) }
        let background = (0xa8, 0x1c, 0x1c), field = (0x0b, 0x4f, 0x8a)
        func colour(_ c: (Int, Int, Int)) -> Colour { Colour(r: Double(c.0) / 255, g: Double(c.1) / 255, b: Double(c.2) / 255) }
        let file = tmp.appendingPathComponent("picture.png").path
        try DrawnPicture.png(width: w, height: h, to: file) { cr in
            let c = Canvas(cr)
            c.fill(0, 0, Double(w), Double(h), colour(background))
            c.fill(150, 20, 150, 21, colour(field))
            for k in 0..<256 { c.fill(Double(k), 0, 1, 20, colour(bar(k))) }
        }
        let decoded = try runCommand(python, ["-c", pngDecoder, file])
        XCTAssertEqual(decoded.status, 0, decoded.stderr)
        var lines = decoded.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "\(w) \(h) 3", "8-bit RGB")
        lines.removeFirst()
        XCTAssertEqual(lines.count, h)
        func hex(_ c: (Int, Int, Int)) -> String { String(format: "%02x%02x%02x", c.0, c.1, c.2) }
        for y in 0..<min(h, lines.count) {
            var expected = ""
            for x in 0..<w {
                if y < 20 && x < 256 { expected += hex(bar(x)) }
                else if y >= 20 && x >= 150 { expected += hex(field) }
                else { expected += hex(background) }
            }
            if lines[y] != expected {
                // The first row that differs, pixel by pixel.
                let got = Array(lines[y]), want = Array(expected)
                let x = (0..<min(got.count, want.count)).first { got[$0] != want[$0] }.map { $0 / 6 } ?? 0
                XCTFail("row \(y), pixel \(x): \(String(got.dropFirst(x * 6).prefix(6))) for \(String(want.dropFirst(x * 6).prefix(6)))")
                break
            }
        }
        // The library Beacon reads pictures with takes it too.
        let read = try PrintImage.load(file)
        XCTAssertEqual(read.pixelWidth, Double(w))
        XCTAssertEqual(read.pixelHeight, Double(h))
    }

    /// A PNG is always a new file: a name already there (in the staging folder, a hard link
    /// into the build cache) is never written through.
    func testAPictureIsNeverWrittenThroughAFileAlreadyThere() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let file = tmp.appendingPathComponent("taken.png").path
        let other = tmp.appendingPathComponent("other").path
        FileManager.default.createFile(atPath: other, contents: Data("kept".utf8))
        XCTAssertEqual(link(other, file), 0)
        XCTAssertThrowsError(try DrawnPicture.png(width: 10, height: 10, to: file) { cr in Canvas(cr).fill(0, 0, 10, 10, .white) })
        XCTAssertEqual(try String(contentsOfFile: other, encoding: .utf8), "kept")
    }
}
