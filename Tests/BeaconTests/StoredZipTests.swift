import Foundation
import XCTest
import BeaconOutput

/// The print shop's ZIP (`StoredZip`): what Python's zipfile, an independent reader, finds in
/// it: the names, the bytes, the CRC-32s, the date; and the ZIP64 records past 65,535 entries.
final class StoredZipTests: XCTestCase {
    func folder() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-zip-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testEntriesReadBackAsWritten() throws {
        let dir = try folder()
        var bytes = [UInt8](repeating: 0, count: 3 << 20)   // more than one piece of 1 MiB
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 2654435761 >> 7) }
        try Data(bytes).write(to: dir.appendingPathComponent("big.pdf"))
        try Data("%PDF-1.7 支部亮牌".utf8).write(to: dir.appendingPathComponent("small.pdf"))
        try Data().write(to: dir.appendingPathComponent("empty.pdf"))
        let zip = dir.appendingPathComponent("out.zip").path
        let entries: [StoredZip.Entry] = [
            .init(name: "支部亮牌/qingshi-cun.pdf", path: dir.appendingPathComponent("big.pdf").path),
            .init(name: "支部亮牌/yizhong.pdf", path: dir.appendingPathComponent("small.pdf").path),
            .init(name: "empty.pdf", path: dir.appendingPathComponent("empty.pdf").path),
        ]
        let date = Date(timeIntervalSince1970: 1_782_835_200)   // 2026-07-01 00:00 China Standard Time
        try StoredZip.write(entries, date: date, to: zip)
        let script = """
        import sys, zipfile, hashlib
        z = zipfile.ZipFile(sys.argv[1])
        assert z.testzip() is None
        for i in z.infolist():
            print(i.filename, i.compress_type, i.file_size, hashlib.sha256(z.read(i)).hexdigest()[:16], i.date_time, oct(i.external_attr >> 16))
        """
        let r = try runCommand(try XCTUnwrap(which("python3")), ["-c", script, zip])
        XCTAssertEqual(r.status, 0, r.stderr)
        func digest(_ b: [UInt8]) throws -> String {
            let p = dir.appendingPathComponent("d"); try Data(b).write(to: p)
            return try runCommand("/usr/bin/sha256sum", [p.path]).stdout.prefix(16).description
        }
        XCTAssertEqual(r.stdout.split(separator: "\n").map(String.init), [
            "支部亮牌/qingshi-cun.pdf 0 \(bytes.count) \(try digest(bytes)) (2026, 7, 1, 0, 0, 0) 0o100644",
            "支部亮牌/yizhong.pdf 0 \(Array("%PDF-1.7 支部亮牌".utf8).count) \(try digest(Array("%PDF-1.7 支部亮牌".utf8))) (2026, 7, 1, 0, 0, 0) 0o100644",
            "empty.pdf 0 0 \(try digest([])) (2026, 7, 1, 0, 0, 0) 0o100644",
        ])
        // The same files and date, the same bytes.
        let again = dir.appendingPathComponent("again.zip").path
        try StoredZip.write(entries, date: date, to: again)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: zip)), try Data(contentsOf: URL(fileURLWithPath: again)))
    }

    /// More entries than the classic end record can count: the ZIP64 records say how many.
    func testMoreThan65535EntriesUseZIP64() throws {
        let dir = try folder()
        let file = dir.appendingPathComponent("a.pdf")
        try Data("x".utf8).write(to: file)
        let zip = dir.appendingPathComponent("many.zip").path
        try StoredZip.write((0..<65_600).map { .init(name: "c/\($0).pdf", path: file.path) }, date: Date(timeIntervalSince1970: 1_782_835_200), to: zip)
        let r = try runCommand(try XCTUnwrap(which("python3")), ["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(len(z.infolist()), z.read('c/65599.pdf').decode(), z.testzip())", zip])
        XCTAssertEqual(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), "65600 x None", r.stderr)
    }

    /// A file that is not there, or not a regular file, is an error, not an empty entry.
    func testAMissingFileIsAnError() throws {
        let dir = try folder()
        XCTAssertThrowsError(try StoredZip.write([.init(name: "a.pdf", path: dir.appendingPathComponent("none.pdf").path)], date: Date(), to: dir.appendingPathComponent("x.zip").path))
        XCTAssertThrowsError(try StoredZip.write([.init(name: "a", path: dir.path)], date: Date(), to: dir.appendingPathComponent("y.zip").path))
    }
}
