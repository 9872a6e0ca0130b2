import Foundation
import BeaconModel
import CGlibcExtras

/// One part of the build cache (`.beacon/cache/<part>/` beside `content/`, ignored by git,
/// safe to delete): files made from inputs that a fingerprint names (site pages, WeChat
/// copies and their pictures), kept under that fingerprint. A file found there is linked into
/// the output instead of made again (`file`); one made is made in the output's staging folder
/// and linked into the cache under its name, whole or not at all (a hard link: once the build
/// is committed, the output's file is the cache's, and the next build knows it by one
/// `lstat`). A file that goes into another one is read from there (`bytes`). After a full
/// build, the files it did not use are removed (only names of the cache's own shape, and
/// temporary files that killed builds left).
public final class CachedFiles: @unchecked Sendable {
    public let dir: URL
    private let dirPath: String
    private let lock = NSLock()

    /// The folder's files of the cache's own shape (64 hex digits, a dot, an extension) as
    /// the build found them, by name: one read of the folder instead of an `lstat` per file
    /// (30,000 of them for the WeChat copies of 10,000 lessons), and looked up without a lock.
    /// A file made since is looked at on its own.
    private let listing: [String: (status: stat, index: Int)]
    /// Temporary files that builds which were killed left in the folder, for `prune`.
    private let abandonedTemps: [String]
    /// Which of them this build used (only ever set), for `prune`.
    private var usedListed: [Bool]

    /// Whether the cache's folders are real folders (`BuildCacheFolder`): when not, nothing is
    /// read from it, put into it or pruned from it, and the build makes everything itself.
    public let usable: Bool

    public init(root: URL, part: String) {
        dir = root.appendingPathComponent(".beacon/cache/\(part)", isDirectory: true)
        dirPath = dir.path
        usable = BuildCacheFolder.isSafe(dirPath)
        var found: [String: (status: stat, index: Int)] = [:]
        var abandoned: [String] = []
        var folder = stat()
        if usable, lstat(dirPath, &folder) == 0, (folder.st_mode & S_IFMT) == S_IFDIR, let d = opendir(dirPath) {
            while let e = readdir(d) {
                let type = e.pointee.d_type
                guard type == UInt8(DT_REG) || type == UInt8(DT_UNKNOWN) else { continue }
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                guard Self.isCacheName(name) else {
                    // A temporary file a killed build left (old enough not to be another
                    // build's at work): removed by `prune`.
                    var st = stat()
                    if Self.isTempName(name), fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) == 0, (st.st_mode & S_IFMT) == S_IFREG,
                       Date().timeIntervalSince1970 - Double(st.st_mtim.tv_sec) > Self.abandonedAge {
                        abandoned.append(name)
                    }
                    continue
                }
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
        abandonedTemps = abandoned
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
            // Only a regular file with something in it: a machine that stopped before the
            // cache reached the disk can leave an entry empty, which is made again, never
            // published.
            var st = stat()
            if lstat(dest, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size > 0 {
                do { try stage.link(fromPath: dest, to: relative, sourceStatus: st); return } catch {
                    // An unreadable entry: made again below.
                }
            }
        }
        // Made where the output wants it, then linked into the cache under its name: the
        // entry appears whole or not at all, with no temporary name in the cache's folder
        // and no rename (a first build of 10,000 lessons spent a tenth of its time renaming).
        let made = try stage.make(relative, make)
        // A cache that cannot keep it (not usable, read-only, full) only means it is made again
        // next time: the output has it.
        guard makeFolder() else { return }
        if Foundation.link(made, dest) != 0 {
            // A file under that name the build could not use, or one another build made
            // since (the same bytes): this one takes its place.
            if errno == EEXIST { unlink(dest) }
            if Foundation.link(made, dest) != 0 && errno != EEXIST {
                // The output on another file system: a copy, renamed into place.
                let temp = dirPath + "/" + Self.tempName(name)
                guard (try? FileManager.default.copyItem(atPath: made, toPath: temp)) != nil, rename(temp, dest) == 0 else {
                    unlink(temp)
                    return
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
    /// where nothing is) when the folder does not hold it whole: for a file that goes into
    /// another one (a picture into a page) rather than into the output by itself. `whole` says
    /// whether bytes are a whole file of their kind (an entry cut short by a power cut before
    /// the cache reached the disk is made again, never built into a page); at most `limit`
    /// bytes are read. A made entry is put in place under its name whole (a rename), or not at
    /// all when `make` fails. Where the cache cannot keep it (its folder cannot be made, a
    /// folder stands at its name), the bytes serve this build and are made again next time.
    public func bytes(key: String, ext: String, limit: Int = 16 << 20, whole: ([UInt8]) -> Bool = { !$0.isEmpty },
                      make: (String) throws -> Void) throws -> [UInt8] {
        let name = key + "." + ext
        let dest = dirPath + "/" + name
        if let entry = listing[name] {
            lock.lock(); usedListed[entry.index] = true; lock.unlock()
            if case .success(let data) = FileBytes.read(dest, limit: limit), whole(data) { return data }
        }
        let inCache = makeFolder()
        let temp = (inCache ? dirPath : NSTemporaryDirectory()) + "/" + Self.tempName(name)
        defer { unlink(temp) }
        try make(temp)
        let data: [UInt8]
        switch FileBytes.read(temp, limit: limit) {
        case .success(let d): data = d
        case .failure(let f): throw f
        }
        guard whole(data) else { throw FileBytes.Failure.system(EIO) }
        if inCache && rename(temp, dest) == 0 { CacheDurability.noteMade() }
        return data
    }

    /// A temporary name in the cache's folder for the entry `name`: never of the cache's own
    /// shape, so that no build takes it for an entry; one left by a build that was killed is
    /// removed by `prune` once it is old (`isTempName`).
    static func tempName(_ name: String) -> String {
        ".\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
    }

    /// A name `tempName` gives: `.` + an entry's name + `.` + process + `.` + number + `.tmp`.
    static func isTempName(_ name: String) -> Bool {
        guard name.hasPrefix("."), name.hasSuffix(".tmp") else { return false }
        let parts = name.dropFirst().dropLast(4).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count >= 4 else { return false }
        let digits = { (s: Substring) in !s.isEmpty && s.utf8.allSatisfy { (48...57).contains($0) } }
        return digits(parts[parts.count - 1]) && digits(parts[parts.count - 2]) && isCacheName(parts.dropLast(2).joined(separator: "."))
    }

    /// How old a temporary file must be before `prune` takes it for one a killed build left:
    /// a picture or page takes milliseconds to make, and another build may be making one now.
    static let abandonedAge: TimeInterval = 600

    private var madeFolder = false

    /// Makes the cache's folder once; says whether it is there.
    @discardableResult
    private func makeFolder() -> Bool {
        guard usable else { return false }
        lock.lock(); defer { lock.unlock() }
        if !madeFolder {
            try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            madeFolder = true
            var st = stat()
            folderThere = lstat(dirPath, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
        }
        return folderThere
    }

    private var folderThere = false

    /// Removes the files the build found here and did not use (a file made by this build, or
    /// by another one since, stays).
    public func prune() {
        guard usable else { return }
        lock.lock(); let used = usedListed; lock.unlock()
        for (name, entry) in listing where !used[entry.index] {
            unlink(dirPath + "/" + name)
        }
        for name in abandonedTemps { unlink(dirPath + "/" + name) }
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
