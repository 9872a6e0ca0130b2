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
            let r = try runCommand(runner.path, dirs, environment: ["BEACON_FUZZ_TARGET": target])
            let text = r.stdout
            XCTAssertEqual(r.status, 0, "\(target): \(text)")
            XCTAssertTrue(text.contains("through \(target)"), text)
            XCTAssertFalse(text.contains("replayed 0 inputs"), "\(target) has seeds: \(text)")
        }
    }
}
