import Foundation
import XCTest
import BeaconModel
import BeaconBuild
import BeaconMarkdown

/// Paths of the repository, found from this file.
enum Repo {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/Fixtures")
    static let theme = root.appendingPathComponent("themes/default")

    /// The `beacon` executable built beside the test bundle.
    static var beaconBinary: URL {
        var dir = Bundle.main.bundleURL
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        let candidate = dir.appendingPathComponent("beacon")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        return root.appendingPathComponent(".build/debug/beacon")
    }
}

/// A site folder in a temporary directory, copied from a fixture and the default theme,
/// changed per test case, built, and removed at the end.
final class TempSite {
    let root: URL
    let fm = FileManager.default

    init(fixture: String = "minimal") throws {
        root = fm.temporaryDirectory.appendingPathComponent("beacon-test-\(UUID().uuidString)")
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        try fm.copyItem(at: Repo.fixtures.appendingPathComponent(fixture).appendingPathComponent("content"),
                        to: root.appendingPathComponent("content"))
        try fm.createDirectory(at: root.appendingPathComponent("themes"), withIntermediateDirectories: true)
        try fm.copyItem(at: Repo.theme, to: root.appendingPathComponent("themes/default"))
    }

    init(copyingContentFrom content: URL) throws {
        root = fm.temporaryDirectory.appendingPathComponent("beacon-test-\(UUID().uuidString)")
        try fm.createDirectory(at: root, withIntermediateDirectories: true)
        try fm.copyItem(at: content, to: root.appendingPathComponent("content"))
        try fm.createDirectory(at: root.appendingPathComponent("themes"), withIntermediateDirectories: true)
        try fm.copyItem(at: Repo.theme, to: root.appendingPathComponent("themes/default"))
    }

    deinit { try? fm.removeItem(at: root) }

    var output: URL { root.appendingPathComponent("output") }

    func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }

    func write(_ relative: String, _ data: Data) throws {
        let url = root.appendingPathComponent(relative)
        try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func remove(_ relative: String) throws {
        try fm.removeItem(at: root.appendingPathComponent(relative))
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    @discardableResult
    func build(force: Bool = false) -> (BuildReport, [Diagnostic]) {
        let bag = DiagnosticBag()
        let report = Builder.build(BuildOptions(root: root, force: force), bag: bag)
        return (report, bag.all)
    }

    /// Every file under output/ with its bytes, to prove a failed build changed nothing.
    func snapshot() -> [String: Data] {
        var out: [String: Data] = [:]
        guard let e = fm.enumerator(at: output, includingPropertiesForKeys: nil) else { return out }
        let base = output.standardizedFileURL.path + "/"
        for case let u as URL in e {
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: u.path, isDirectory: &isDir), !isDir.boolValue else { continue }
            out[String(u.standardizedFileURL.path.dropFirst(base.count))] = try? Data(contentsOf: u)
        }
        return out
    }

    /// Folders beside output/ that a build left behind (staging folders must not survive).
    func leftovers() -> [String] {
        ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasPrefix(".beacon-") }
    }
}

/// Runs a command and returns its exit status and output.
func runCommand(_ executable: String, _ arguments: [String], cwd: URL? = nil, environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    if let cwd { p.currentDirectoryURL = cwd }
    if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
}

/// Finds a command on PATH.
func which(_ name: String) -> String? {
    for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let p = "\(dir)/\(name)"
        if FileManager.default.isExecutableFile(atPath: p) { return p }
    }
    return nil
}

/// The portable release, made once per test run by `scripts/release` (as the repository's CI
/// makes it on every run): the tarball and its SHA-256.
enum ReleaseTarball {
    struct Failed: Error, CustomStringConvertible { let description: String }

    static let made: Result<(tarball: URL, sha256: String), Error> = Result {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-release-test")
        try? FileManager.default.removeItem(at: dir)
        let r = try runCommand("/bin/bash", [Repo.root.appendingPathComponent("scripts/release").path, dir.path])
        let lines = r.stdout.split(separator: "\n").map(String.init)
        guard r.status == 0, lines.count >= 2 else { throw Failed(description: "scripts/release failed:\n" + r.stderr.suffix(3000)) }
        return (URL(fileURLWithPath: lines[lines.count - 2]), lines[lines.count - 1])
    }
}

/// Every regular file under `root`, by its path relative to `root`, with its bytes.
func treeFiles(_ root: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    let base = root.standardizedFileURL.path + "/"
    let e = try XCTUnwrap(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]))
    for case let u as URL in e where (try u.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
        out[String(u.standardizedFileURL.path.dropFirst(base.count))] = try Data(contentsOf: u)
    }
    return out
}

/// The Markdown parses `body` makes, by path (the parser counts them while this runs).
func countingParses<T>(_ body: () throws -> T) rethrows -> (T, [String: Int]) {
    let counter = MarkdownParser.parseCount
    counter.reset()
    counter.enabled = true
    defer { counter.enabled = false; counter.reset() }
    let result = try body()
    counter.enabled = false
    return (result, counter.byPath)
}

/// A PNG decoder apart from the ones Beacon uses (Python's zlib and the PNG rules written out):
/// checks the signature, the chunk order and every CRC, decodes every row (all five filter
/// types, 8-bit RGB or RGBA), and prints "width height bytes-per-pixel", then each row's
/// pixels as hex, one row a line. Run as `python3 -c pngDecoder file.png`.
let pngDecoder = """
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
assert (depth, method, filt, interlace) == (8, 0, 0, 0) and colour in (2, 6), (depth, colour, method, filt, interlace)
bpp = 4 if colour == 6 else 3
raw, stride, prev = zlib.decompress(idat), w * bpp, bytearray(w * bpp)
assert len(raw) == h * (stride + 1), 'data length'
out = [f'{w} {h} {bpp}']
for r in range(h):
    f, line = raw[r * (stride + 1)], bytearray(raw[r * (stride + 1) + 1:(r + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
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
