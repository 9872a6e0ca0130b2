import Foundation
import XCTest
import BeaconPrint

/// Beacon's PNG files (board previews, WeChat covers and share pictures) are written by its
/// own chunk writer over libdeflate. Read back here by a separate decoder (Python's zlib and
/// the PNG rules written out below), every pixel must be the one drawn, and every chunk's
/// CRC right.
final class PNGWriterTests: XCTestCase {
    /// Checks the signature, the chunk order and every CRC, decodes every row (all five
    /// filter types), and prints the pixels as hex, one row a line.
    static let decoder = """
    import struct, sys, zlib
    data = open(sys.argv[1], 'rb').read()
    assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'signature'
    pos, idat, kinds = 8, b'', []
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + n]
        crc = struct.unpack('>I', data[pos + 8 + n:pos + 12 + n])[0]
        assert zlib.crc32(kind + body) & 0xffffffff == crc, 'CRC of ' + kind.decode()
        kinds.append(kind.decode()); pos += 12 + n
        if kind == b'IHDR': w, h, depth, colour, method, filt, interlace = struct.unpack('>IIBBBBB', body)
        if kind == b'IDAT': idat += body
    assert pos == len(data), 'bytes after IEND'
    assert kinds[0] == 'IHDR' and kinds[-1] == 'IEND' and 'IDAT' in kinds, kinds
    assert (depth, colour, method, filt, interlace) == (8, 2, 0, 0, 0), (depth, colour, method, filt, interlace)
    raw, stride, prev = zlib.decompress(idat), w * 3, bytearray(w * 3)
    assert len(raw) == h * (stride + 1), 'data length'
    out = [f'{w} {h}']
    for r in range(h):
        f, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - 3] if i >= 3 else 0; b = prev[i]; c = prev[i - 3] if i >= 3 else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            else: assert f == 0, 'filter %d' % f
        prev = line
        out.append(line.hex())
    print('\\n'.join(out))
    """

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
        let decoded = try runCommand(python, ["-c", Self.decoder, file])
        XCTAssertEqual(decoded.status, 0, decoded.stderr)
        var lines = decoded.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "\(w) \(h)")
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
