import Foundation
import XCTest

/// The portable release: unpacked into an empty folder outside the repository, with no Swift
/// on PATH and no Swift library loaded, it makes a new site and builds it.
final class ReleaseTests: XCTestCase {
    func testReleaseTarballWorksOutsideTheRepository() throws {
        let release = try ReleaseTarball.made.get()
        let name = release.tarball.lastPathComponent
        XCTAssertTrue(name.hasPrefix("beacon-0.2.0-") && name.hasSuffix("-linux-x86_64.tar.gz"), name)
        let shaFile = try String(contentsOf: release.tarball.appendingPathExtension("sha256"), encoding: .utf8)
        XCTAssertEqual(shaFile, "\(release.sha256)  \(name)\n")

        let place = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-unpacked-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: place) }
        try FileManager.default.createDirectory(at: place, withIntermediateDirectories: true)
        XCTAssertEqual(try runCommand("/bin/tar", ["-xzf", release.tarball.path, "-C", place.path, "--strip-components=1"]).status, 0)
        XCTAssertEqual(Set(try FileManager.default.contentsOfDirectory(atPath: place.path)),
                       ["bin", "README.txt", "install-runtime.sh", "runtime-packages.txt"])
        let beacon = place.appendingPathComponent("bin/beacon").path

        // No Swift library: every shared library it loads is the system's.
        let ldd = try runCommand("/usr/bin/ldd", [beacon]).stdout
        XCTAssertFalse(ldd.contains("swift"), ldd)
        let packages = try String(contentsOf: place.appendingPathComponent("runtime-packages.txt"), encoding: .utf8)
        for p in ["libpango-1.0-0", "libcairo2", "libcmark-gfm0.29.0.gfm.6", "libxml2", "libqpdf29", "libqrencode4", "fonts-noto-cjk", "fonts-lxgw-wenkai"] {
            XCTAssertTrue(packages.split(separator: "\n").contains(Substring(p)), p)
        }
        XCTAssertTrue(try String(contentsOf: place.appendingPathComponent("README.txt"), encoding: .utf8).contains("apt-get install --no-install-recommends fonts-lxgw-wenkai"))
        XCTAssertEqual(try runCommand("/bin/bash", [place.appendingPathComponent("install-runtime.sh").path]).status, 0)

        // The version names the commit it was made from.
        let head = try runCommand(try XCTUnwrap(which("git")), ["-C", Repo.root.path, "rev-parse", "--short=12", "HEAD"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let version = try runCommand(beacon, ["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(version.hasPrefix("0.2.0 (\(head)"), version)

        // init and build from the unpacked folder, no Swift on PATH, outside the repository.
        let bare = ["PATH": "/usr/bin:/bin", "LD_LIBRARY_PATH": ""]
        let site = place.appendingPathComponent("my-site")
        let initRun = try runCommand(beacon, ["init", site.path], cwd: place, environment: bare)
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        let build = try runCommand(beacon, ["build"], cwd: site, environment: bare)
        XCTAssertEqual(build.status, 0, build.stderr)
        for f in ["output/site/index.html", "output/site/assets/style.css", "output/books/shi-li-kou-dai-shu.pdf", "output/boards/shi-li-zhan-ban.pdf"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent(f).path), f)
        }
    }
}
