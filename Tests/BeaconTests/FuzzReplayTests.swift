import Foundation
import XCTest

/// Every seed and every crash the fuzzers ever found (Tests/Fuzz/), replayed through the
/// same targets by the plain build of `beacon-fuzz`: a crash fixed stays fixed.
final class FuzzReplayTests: XCTestCase {
    func testSeedsAndCrashesReplayWithoutCrashing() throws {
        let runner = Repo.beaconBinary.deletingLastPathComponent().appendingPathComponent("beacon-fuzz")
        guard FileManager.default.isExecutableFile(atPath: runner.path) else {
            return XCTFail("beacon-fuzz is not built: run swift build")
        }
        for target in ["markdown", "yaml", "board"] {
            let dirs = ["Tests/Fuzz/\(target)", "Tests/Fuzz/crashes/\(target)"].map { Repo.root.appendingPathComponent($0).path }
            let p = Process()
            p.executableURL = runner
            p.arguments = dirs
            p.environment = ProcessInfo.processInfo.environment.merging(["BEACON_FUZZ_TARGET": target]) { $1 }
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "\(target): \(text)")
            XCTAssertTrue(text.contains("through \(target)"), text)
            XCTAssertFalse(text.contains("replayed 0 inputs"), "\(target) has seeds: \(text)")
        }
    }
}
