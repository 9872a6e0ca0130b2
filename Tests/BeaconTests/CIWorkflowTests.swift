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

    func testTheREADMEWorkflowWorksAsWritten() throws {
        let yaml = try workflowFromREADME()
        let steps = runSteps(yaml)
        XCTAssertEqual(steps.count, 3, "install, check, build")
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-ci-\(UUID().uuidString)")
        let runner = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-runner-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir); try? FileManager.default.removeItem(at: runner) }
        try FileManager.default.createDirectory(at: runner, withIntermediateDirectories: true)
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["init", dir.path]).status, 0)
        // What init wrote is the README's workflow.
        XCTAssertEqual(try String(contentsOf: dir.appendingPathComponent(".github/workflows/beacon.yml"), encoding: .utf8), yaml)
        for step in steps {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/bash")
            p.arguments = ["-e", "-c", step]
            p.currentDirectoryURL = dir
            var env = ProcessInfo.processInfo.environment
            env["BEACON_REPO"] = "file://" + Repo.root.path
            env["RUNNER_TEMP"] = runner.path
            p.environment = env
            let err = Pipe()
            p.standardError = err
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            XCTAssertEqual(p.terminationStatus, 0, "step failed:\n\(step)\n\(errText.suffix(2000))")
            if p.terminationStatus != 0 { return }
        }
        for f in ["output/site/index.html", "output/books/shi-li-kou-dai-shu.pdf", "output/boards/shi-li-zhan-ban.pdf"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }
    }
}
