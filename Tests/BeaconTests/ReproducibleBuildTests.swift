import Foundation
import XCTest

/// Two clean builds of the same input are byte-identical, so that a print shop and a CI
/// cache can tell a changed file from an unchanged one: PDF and ZIP dates come from the
/// content or SOURCE_DATE_EPOCH, never from the clock.
final class ReproducibleBuildTests: XCTestCase {

    func testTwoCleanBuildsOfTheExampleAreByteIdentical() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-repro-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let a = tmp.appendingPathComponent("a"), b = tmp.appendingPathComponent("elsewhere/b")
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["build", "-q", "--root", Repo.root.path, "--output", a.path]).status, 0)
        Thread.sleep(forTimeInterval: 1.1)   // a clock in any file would now differ
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["build", "-q", "--root", Repo.root.path, "--output", b.path]).status, 0)
        let first = try treeFiles(a), second = try treeFiles(b)
        XCTAssertGreaterThan(first.count, 100)
        XCTAssertEqual(Set(first.keys), Set(second.keys))
        let differing = first.keys.filter { first[$0] != second[$0] }.sorted()
        XCTAssertEqual(differing, [], "files that differ between two clean builds")
        XCTAssertTrue(first.keys.contains { $0.hasSuffix(".zip") } && first.keys.contains { $0.hasPrefix("books/") && $0.hasSuffix(".pdf") })
    }

    func testPrintDatesComeFromTheContentOrSourceDateEpoch() throws {
        let pdfinfo = try XCTUnwrap(which("pdfinfo"), "poppler-utils is not installed; run scripts/setup-tests.sh")
        let site = try TempSite()
        try site.write("content/books/读本.yml", "title: 读本\nsize: a6\ncontents:\n  - series: 学习园地\n")
        try site.write("content/boards/板.yml", "title: 板\nsize: a4\nblocks:\n  - type: text\n    body: 学习。\n")
        func dates(_ env: [String: String]) throws -> [String] {
            try? FileManager.default.removeItem(at: site.output)
            XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["build", "-q", "--root", site.root.path], environment: env).status, 0)
            return try ["books/du-ben.pdf", "boards/ban.pdf"].map { f in
                let info = try runCommand(pdfinfo, ["-isodates", site.output.appendingPathComponent(f).path], environment: ["TZ": "UTC"]).stdout
                return info.split(separator: "\n").filter { $0.hasPrefix("CreationDate:") || $0.hasPrefix("ModDate:") }
                    .map { $0.split(separator: " ").last.map(String.init) ?? "" }.joined(separator: " ")
            }
        }
        // The newest lesson of the fixture is dated 2026-03-02: midnight in Beijing.
        let content = "2026-03-02T00:00:00+08 2026-03-02T00:00:00+08"
        XCTAssertEqual(try dates([:]), [content, content])
        // 1767225600 is 2026-01-01T00:00:00Z, 08:00 in Beijing.
        let epoch = "2026-01-01T08:00:00+08 2026-01-01T08:00:00+08"
        XCTAssertEqual(try dates(["SOURCE_DATE_EPOCH": "1767225600"]), [epoch, epoch])
    }
}
