import Foundation
import BeaconModel
import CGlibcExtras

/// One part of the build cache (`.beacon/cache/<part>/` beside `content/`, ignored by git,
/// safe to delete): files made from inputs that a fingerprint names (site pages, WeChat
/// covers), kept under that fingerprint. A file found there is linked into the output instead
/// of made again; one made is made in the output's staging folder and linked into the cache
/// under its name, whole or not at all (a hard link: once
/// the build is committed, the output's file is the cache's, and the next build knows it by
/// one `lstat`). After a full
/// build, the files it did not use are removed (only names of the cache's own shape).
public final class CachedFiles: @unchecked Sendable {
    public let dir: URL
    private let dirPath: String
    private let lock = NSLock()

    /// The folder's files of the cache's own shape (64 hex digits, a dot, an extension) as
    /// the build found them, by name: one read of the folder instead of an `lstat` per file
    /// (30,000 of them for the WeChat copies of 10,000 lessons), and looked up without a lock.
    /// A file made since is looked at on its own.
    private let listing: [String: (status: stat, index: Int)]
    /// Which of them this build used (only ever set), for `prune`.
    private var usedListed: [Bool]

    public init(root: URL, part: String) {
        dir = root.appendingPathComponent(".beacon/cache/\(part)", isDirectory: true)
        dirPath = dir.path
        var found: [String: (status: stat, index: Int)] = [:]
        var folder = stat()
        if lstat(dirPath, &folder) == 0, (folder.st_mode & S_IFMT) == S_IFDIR, let d = opendir(dirPath) {
            while let e = readdir(d) {
                let type = e.pointee.d_type
                guard type == UInt8(DT_REG) || type == UInt8(DT_UNKNOWN) else { continue }
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                guard Self.isCacheName(name) else { continue }
                var st = stat()
                if type == UInt8(DT_UNKNOWN) {
                    // A file system that does not say the type in the listing: asked per file.
                    guard fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) == S_IFREG else { continue }
                } else {
                    st.st_dev = folder.st_dev
                    st.st_ino = e.pointee.d_ino
                    st.st_mode = S_IFREG | 0o644
                }
                found[name] = (st, found.count)
            }
            closedir(d)
        }
        listing = found
        usedListed = [Bool](repeating: false, count: found.count)
    }

    /// A name of the cache's own shape: 64 hex digits, a dot, an extension of lower-case
    /// letters and digits (or none).
    static func isCacheName(_ name: String) -> Bool {
        let u = Array(name.utf8)
        guard u.count >= 65, u[64] == UInt8(ascii: "."), u[65...].allSatisfy({ (97...122).contains($0) || (48...57).contains($0) }) else { return false }
        return u[..<64].allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// Puts the file for `key` at `relative` in the stage: from the cache, or made by `make`
    /// (which writes the path it is given, where nothing is) in the stage and then put into
    /// the cache. When `make` fails, neither the stage nor the cache holds anything for it.
    public func file(key: String, ext: String, into relative: String, stage: OutputStage, make: (String) throws -> Void) throws {
        let name = key + "." + ext
        let dest = dirPath + "/" + name
        // A name the folder did not hold when the build began is made (one another build made
        // since is made again and put in its place: the same bytes).
        if let entry = listing[name] {
            lock.lock(); usedListed[entry.index] = true; lock.unlock()
            let st = entry.status
            do { try stage.link(fromPath: dest, to: relative, sourceStatus: st); return } catch {
                // An unreadable entry: made again below.
            }
        }
        makeFolder()
        // Made where the output wants it, then linked into the cache under its name: the
        // entry appears whole or not at all, with no temporary name in the cache's folder
        // and no rename (a first build of 10,000 lessons spent a tenth of its time renaming).
        let made = try stage.make(relative, make)
        if Foundation.link(made, dest) != 0 {
            // A file under that name the build could not use, or one another build made
            // since (the same bytes): this one takes its place.
            if errno == EEXIST { unlink(dest) }
            if Foundation.link(made, dest) != 0 && errno != EEXIST {
                // The output on another file system: a copy, renamed into place.
                let temp = dirPath + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
                do { try FileManager.default.copyItem(atPath: made, toPath: temp) } catch { unlink(temp); throw error }
                guard rename(temp, dest) == 0 else {
                    unlink(temp)
                    throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
                }
            }
        }
        CacheDurability.noteMade()
    }

    /// Keeps the entry for `key` through `prune` when the folder holds it, without reading it
    /// (a picture that a cached page already holds, kept for when the page is made again).
    public func keep(key: String, ext: String) {
        guard let entry = listing[key + "." + ext] else { return }
        lock.lock(); usedListed[entry.index] = true; lock.unlock()
    }

    /// The bytes of the entry for `key`, made by `make` (which writes the path it is given,
    /// where nothing is) when the folder does not hold it: for a file that goes into another
    /// one (a picture into a page) rather than into the output by itself. A made entry is put
    /// in place under its name whole (a rename), or not at all when `make` fails.
    public func bytes(key: String, ext: String, make: (String) throws -> Void) throws -> [UInt8] {
        let name = key + "." + ext
        let dest = dirPath + "/" + name
        if let entry = listing[name] {
            lock.lock(); usedListed[entry.index] = true; lock.unlock()
            // An entry that cannot be read is made again below.
            if case .success(let data) = FileBytes.read(dest), !data.isEmpty { return data }
        }
        makeFolder()
        let temp = dirPath + "/.\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        do {
            try make(temp)
            guard case .success(let data) = FileBytes.read(temp) else { throw POSIXError(.EIO) }
            guard rename(temp, dest) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            CacheDurability.noteMade()
            return data
        } catch {
            unlink(temp)
            throw error
        }
    }

    private var madeFolder = false

    private func makeFolder() {
        lock.lock(); defer { lock.unlock() }
        if !madeFolder {
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            madeFolder = true
        }
    }

    /// Removes the files the build found here and did not use (a file made by this build, or
    /// by another one since, stays).
    public func prune() {
        lock.lock(); let used = usedListed; lock.unlock()
        for (name, entry) in listing where !used[entry.index] {
            unlink(dirPath + "/" + name)
        }
    }
}

/// Files put into the build cache are trusted by their name alone (a page, a cover), so they
/// must be on the disk before a build that made them is over: a power cut could otherwise leave
/// an entry empty or cut short, and every later build would link it. One `syncfs` of the cache's
/// file system at the end of such a build does that (an `fsync` per file was a tenth of a
/// first build's time).
public enum CacheDurability {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var made = false

    public static func noteMade() { lock.lock(); made = true; lock.unlock() }

    /// Starts writing what the cache holds so far to the disk, on another thread, when this
    /// process put files into it: `settle` later waits for less.
    public static func start(_ folder: URL) {
        lock.lock(); let any = made; lock.unlock()
        guard any else { return }
        DispatchQueue.global(qos: .utility).async {
            let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { return }
            _ = syncfs(fd)
            close(fd)
        }
    }

    /// Flushes the file system that holds `folder` when this process put files into the cache
    /// since the last call.
    public static func settle(_ folder: URL) {
        lock.lock(); let any = made; made = false; lock.unlock()
        guard any else { return }
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = syncfs(fd)
        close(fd)
    }
}
