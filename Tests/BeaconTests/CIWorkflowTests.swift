import Foundation
import XCTest

/// The README's example CI workflow, run as written: a fresh site from `beacon init`, then
/// every `run:` step of the workflow in order, with BEACON_REPO pointing at this repository.
final class CIWorkflowTests: XCTestCase {
    func workflowFromREADME() throws -> String {
        let readme = try String(contentsOf: Repo.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(readme.range(of: "## Building a site in CI"))
        let start = try XCTUnwrap(readme.range(of: "```yaml\n", range: section.upperBound..<readme.endIndex))
        let end = try XCTUnwrap(readme.range(of: "\n```", range: start.upperBound..<readme.endIndex))
        return String(readme[start.upperBound..<end.lowerBound]) + "\n"
    }

    /// The shell of every `run:` step, in order.
    func runSteps(_ yaml: String) -> [String] {
        var steps: [String] = []
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var i = 0
        while i < lines.count {
            let line = lines[i]
            if let r = line.range(of: "run: ") {
                let rest = String(line[r.upperBound...])
                if rest == "|" {
                    let indent = line.prefix { $0 == " " }.count + 2
                    var block: [String] = []
                    i += 1
                    while i < lines.count, lines[i].prefix(while: { $0 == " " }).count >= indent, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty {
                        block.append(String(lines[i].dropFirst(indent)))
                        i += 1
                    }
                    steps.append(block.joined(separator: "\n"))
                    continue
                }
                steps.append(rest)
            }
            i += 1
        }
        return steps
    }

    /// Runs each shell step in `dir` with `env` added; false (and a failure) at the first that fails.
    func run(_ steps: [String], in dir: URL, env extra: [String: String]) throws -> Bool {
        for step in steps {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-e", "-c", step]
            p.currentDirectoryURL = dir
            p.environment = ProcessInfo.processInfo.environment.merging(extra) { $1 }
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "step failed:\n\(step)\n\(errText.suffix(2000))")
            if p.terminationStatus != 0 { return false }
        }
        return true
    }

    /// The GitHub workflow `beacon init` writes is the README's, and its steps, run as written
    /// against a release tarball `scripts/release` has just made, check and build the new site
    /// without compiling anything.
    func testTheREADMEWorkflowWorksAsWritten() throws {
        let release = try ReleaseTarball.made.get()
        let yaml = try workflowFromREADME()
        let steps = runSteps(yaml)
        XCTAssertEqual(steps.count, 3, "install, check, build")
        XCTAssertFalse(yaml.contains("swift build"), "the workflow compiles nothing")
        XCTAssertTrue(yaml.contains("container: debian:12"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-ci-\(UUID().uuidString)")
        let runner = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: runner) }
        try FileManager.default.createDirectory(at: runner, withIntermediateDirectories: true)
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["init", dir.path]).status, 0)
        // What init wrote is the README's workflow.
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(".github/workflows/beacon.yml"), encoding: .utf8), yaml)
        let env = ["BEACON_RELEASE": release.tarball.absoluteString, "BEACON_SHA256": release.sha256, "RUNNER_TEMP": runner.path]
        guard try run(steps, in: dir, env: env) else { return }
        for f in ["output/site/index.html", "output/books/shi-li-kou-dai-shu.pdf", "output/boards/shi-li-zhan-ban.pdf"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }
        // A wrong checksum stops the job before anything runs.
        XCTAssertFalse(try runCommand("/bin/bash", ["-e", "-c", steps[0]], cwd: dir, environment: env.merging(["BEACON_SHA256": String(repeating: "0", count: 64)]) { $1 }).status == 0)
    }

    /// The GitLab job names its image and runs the same steps; run here with its folder moved
    /// out of /tmp/beacon.
    func testTheGitLabJobWorksAsWritten() throws {
        let release = try ReleaseTarball.made.get()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-gl-\(UUID().uuidString)")
        let place = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-gl-tool-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: place) }
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["init", dir.path]).status, 0)
        let yaml = try String(contentsOf: dir.appendingPathComponent(".gitlab-ci.yml"), encoding: .utf8)
        XCTAssertTrue(yaml.contains("  image: debian:12\n"))
        XCTAssertFalse(yaml.contains("swift build"))
        let lines = yaml.split(separator: "\n").map(String.init).filter { $0.hasPrefix("    - ") }
            .map { String($0.dropFirst(6)).replacingOccurrences(of: "/tmp/beacon", with: place.path) }
        XCTAssertEqual(lines.count, 7)
        guard try run(lines, in: dir, env: ["BEACON_RELEASE": release.tarball.absoluteString, "BEACON_SHA256": release.sha256]) else { return }
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent("output/site/index.html").path))
    }
}
