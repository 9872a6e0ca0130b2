import Foundation
import BeaconModel
import BeaconOutput
import BeaconPrint

/// The WeChat part of the build cache (`.beacon/cache/wechat/`, safe to delete): covers,
/// share pictures and 1080-pixel copies of pictures, each under the fingerprint of what it is
/// drawn from. A file found there is linked into the output instead of drawn again; after a
/// build, the files it did not use are removed (only names of the cache's own shape).
final class WeChatCache: @unchecked Sendable {
    let dir: URL
    private let lock = NSLock()
    private var used: Set<String> = []

    private let dirPath: String

    init(root: URL) {
        dir = root.appendingPathComponent(".beacon/cache/wechat", isDirectory: true)
        dirPath = dir.path
    }

    /// Puts the file for `key` at `relative` in the stage: from the cache, or made by `make`
    /// (which writes the path it is given) and then kept in the cache.
    func file(key: String, ext: String, into relative: String, stage: OutputStage, make: (String) throws -> Void) throws {
        let name = key + "." + ext
        lock.lock(); used.insert(name); lock.unlock()
        var st = stat()
        if lstat(dirPath + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
            do { try stage.link(from: URL(fileURLWithPath: dirPath + "/" + name), to: relative); return } catch {
                // An unreadable entry: made again below.
            }
        }
        let out = try stage.reserve(relative)
        try FileManager.default.createDirectory(at: out.deletingLastPathComponent(), withIntermediateDirectories: true)
        try make(out.path)
        store(out, as: name)
    }

    private func store(_ file: URL, as name: String) {
        let fm = FileManager.default
        try? fm.createDirectory(at: dir, withIntermediateDirectories: true)
        let temp = dir.appendingPathComponent(".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        // A hard link: once the build is committed, the output's file is the cache's, and the
        // next build sees that with one stat instead of comparing the bytes.
        guard link(file.path, temp.path) == 0 || (try? fm.copyItem(at: file, to: temp)) != nil else { return }
        if rename(temp.path, dir.appendingPathComponent(name).path) != 0 { try? fm.removeItem(at: temp) }
    }

    /// Removes the entries this build did not use.
    func prune() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return }
        lock.lock(); let keep = used; lock.unlock()
        for n in names where !keep.contains(n) {
            let parts = n.split(separator: ".")
            guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit) else { continue }
            try? FileManager.default.removeItem(at: dir.appendingPathComponent(n))
        }
    }
}
