import Foundation
import BeaconModel

/// One part of the build cache (`.beacon/cache/<part>/` beside `content/`, ignored by git,
/// safe to delete): files made from inputs that a fingerprint names (site pages, WeChat
/// covers), kept under that fingerprint. A file found there is linked into the output instead
/// of made again; one made is made in the cache and linked into the output (a hard link: once
/// the build is committed, the output's file is the cache's, and the next build knows it by
/// one `lstat`). After a full
/// build, the files it did not use are removed (only names of the cache's own shape).
public final class CachedFiles: @unchecked Sendable {
    public let dir: URL
    private let dirPath: String
    private let lock = NSLock()
    private var used: Set<String> = []

    public init(root: URL, part: String) {
        dir = root.appendingPathComponent(".beacon/cache/\(part)", isDirectory: true)
        dirPath = dir.path
    }

    /// The folder's regular files as it was first looked at, by name, with their status: one
    /// read of the folder instead of an `lstat` per file (30,000 of them for the WeChat copies
    /// of 10,000 lessons). A file made since is looked at on its own.
    private var listing: [String: stat]?

    private func listed(_ name: String) -> stat? {
        lock.lock(); defer { lock.unlock() }
        if listing == nil {
            var found: [String: stat] = [:]
            var folder = stat()
            if stat(dirPath, &folder) == 0, let d = opendir(dirPath) {
                while let e = readdir(d) {
                    guard e.pointee.d_type == UInt8(DT_REG) else { continue }
                    let entry = withUnsafeBytes(of: e.pointee.d_name) { raw in
                        String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                    }
                    var st = stat()
                    st.st_dev = folder.st_dev
                    st.st_ino = e.pointee.d_ino
                    st.st_mode = S_IFREG | 0o644
                    found[entry] = st
                }
                closedir(d)
            }
            listing = found
        }
        return listing?[name]
    }

    /// Puts the file for `key` at `relative` in the stage: from the cache, or made by `make`
    /// (which writes the path it is given) into the cache first. When `make` fails, neither
    /// the stage nor the cache holds anything for it.
    public func file(key: String, ext: String, into relative: String, stage: OutputStage, make: (String) throws -> Void) throws {
        let name = key + "." + ext
        let dest = dirPath + "/" + name
        lock.lock(); used.insert(name); lock.unlock()
        if let st = listed(name) ?? { var st = stat(); return lstat(dest, &st) == 0 ? st : nil }(), (st.st_mode & S_IFMT) == S_IFREG {
            do { try stage.link(fromPath: dest, to: relative, sourceStatus: st); return } catch {
                // An unreadable entry: made again below.
            }
        }
        makeFolder()
        let temp = dirPath + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        do { try make(temp) } catch { unlink(temp); throw error }
        guard rename(temp, dest) == 0 else {
            unlink(temp)
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        try stage.link(fromPath: dest, to: relative)
    }

    private var madeFolder = false

    private func makeFolder() {
        lock.lock(); defer { lock.unlock() }
        if !madeFolder {
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            madeFolder = true
        }
    }

    /// Removes the entries this build did not use.
    public func prune() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dirPath) else { return }
        lock.lock(); let keep = used; lock.unlock()
        for n in names where !keep.contains(n) {
            let parts = n.split(separator: ".")
            guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit) else { continue }
            unlink(dirPath + "/" + n)
        }
    }
}
