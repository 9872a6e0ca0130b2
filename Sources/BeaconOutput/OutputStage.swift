import Foundation
import BeaconModel
import CGlibcExtras

/// Builds into a temporary folder beside `output/` and moves the new files in only when the
/// whole build succeeded, so a failed build leaves the previous `output/` byte for byte as it was.
///
/// A rebuild writes only what changed: a file whose bytes equal those Beacon wrote there
/// last time is not written again (its date stays, so a sync to the server sends only what
/// changed). At commit the staged files replace their old versions one rename each, and the
/// files of the last build that this build did not make are removed.
///
/// Beacon records every file it writes in `output/.beacon-manifest`. A file in `output/`
/// that is not in the manifest was put there by someone else: it is left where it is and
/// never deleted or overwritten (unless forced). A folder that is not empty and has no
/// manifest was not made by Beacon, and Beacon refuses to write into it unless forced.
public final class OutputStage: @unchecked Sendable {
    public static let manifestName = ".beacon-manifest"
    public let output: URL
    public let staging: URL
    /// `output.path` and `staging.path`, found once (a build asks for them per file).
    let outputPath: String, stagingPath: String
    /// Every file this build made, staged or kept as it was.
    private var written: Set<String> = []
    /// The files written into the staging folder.
    private var staged: Set<String> = []
    /// Staged files a library wrote (PDFs, pictures) or linked, not compared yet with the
    /// last build's: compared at commit, and left out where they are the same.
    private var unsettled: Set<String> = []
    private let lock = NSLock()
    private let fm = FileManager.default
    /// The files of the previous build (its manifest), when `output/` is Beacon's.
    private let previous: Set<String>

    public init(output: URL) throws(Diagnostic) {
        self.output = output.standardizedFileURL
        let parent = self.output.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".beacon-build-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        outputPath = self.output.path
        stagingPath = staging.path
        previous = Self.manifest(at: self.output) ?? []
        Self.removeAbandoned(in: parent)
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
            try Data(Self.owner.utf8).write(to: staging.appendingPathComponent(Self.markerName))
            Self.track(staging)
            Self.markTop(stagingPath)
        } catch {
            throw .error(SourceLocation(path: output.lastPathComponent), "无法创建临时输出文件夹 (cannot create the staging folder): \(FileProblem.describe(error))")
        }
    }

    /// Marks the staging folder as the top of a tree for ext4's inode allocator (`chattr +T`),
    /// so that the folders a build makes in it (10,000 lesson folders, and the pages made in
    /// them) go to block groups with room. Beside their parent they go where the last output
    /// was: ext4 without a journal then passes over every inode freed in the last minutes
    /// before it takes one, and a first build after `rm -rf output` spent more than half its
    /// time there (docs/benchmarks.md). The allocator places a folder made in a top folder
    /// by the hash of its name, so the folders at the top of the tree are made under a new
    /// random name and renamed (`site` would go where the last `site` was); the folders
    /// below them follow their parent. Nothing else changes; where the file system has no
    /// such flag, nothing happens.
    static func markTop(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = beacon_mark_top_folder(fd)
        close(fd)
    }

    /// Staging folders of builds that were killed (their process is gone): Beacon's by
    /// their name, removed by the next build.
    /// A staging folder says which machine and boot made it: a process number means
    /// something only there (another container on a shared disk has its own).
    static let markerName = ".beacon-staging"
    static let owner: String = {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let boot = (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        return String(cString: host) + " " + boot
    }()

    static func removeAbandoned(in parent: URL) {
        for e in FileTree.entries(of: parent.path) where e.name.hasPrefix(".beacon-build-") && e.isDirectory && !e.isLink {
            let parts = e.name.dropFirst(".beacon-build-".count).split(separator: "-")
            guard parts.count == 2, let pid = Int32(parts[0]), UInt32(parts[1]) != nil else { continue }
            if pid == ProcessInfo.processInfo.processIdentifier { continue }
            // Only a folder Beacon made on this machine since it booted, whose process is gone.
            let marker = parent.appendingPathComponent(e.name).appendingPathComponent(markerName)
            guard (try? String(contentsOf: marker, encoding: .utf8)) == owner else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(at: parent.appendingPathComponent(e.name))
            }
        }
    }

    /// Staging folders of this process, removed if it is interrupted (Ctrl-C, TERM).
    nonisolated(unsafe) private static var active: Set<String> = []
    private static let activeLock = NSLock()
    nonisolated(unsafe) private static var signalSources: [DispatchSourceSignal] = []

    static func track(_ folder: URL) {
        activeLock.lock(); defer { activeLock.unlock() }
        active.insert(folder.path)
        guard signalSources.isEmpty else { return }
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                activeLock.lock()
                // A commit under way finishes first (output/ is never left half moved).
                if committing > 0 { pendingExit = 128 + sig; activeLock.unlock(); return }
                let folders = active
                activeLock.unlock()
                for f in folders { try? FileManager.default.removeItem(atPath: f) }
                exit(128 + sig)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    static func untrack(_ folder: URL) {
        activeLock.lock(); active.remove(folder.path); activeLock.unlock()
    }

    nonisolated(unsafe) private static var committing = 0
    nonisolated(unsafe) private static var pendingExit: Int32?

    /// Runs a commit with interruptions held back until it is done.
    func uninterrupted<T>(_ body: () throws(Diagnostic) -> T) throws(Diagnostic) -> T {
        Self.activeLock.lock(); Self.committing += 1; Self.activeLock.unlock()
        defer {
            Self.activeLock.lock()
            Self.committing -= 1
            let code = Self.committing == 0 ? Self.pendingExit : nil
            let folders = Self.active
            Self.activeLock.unlock()
            if let code {
                for f in folders { try? FileManager.default.removeItem(atPath: f) }
                exit(code)
            }
        }
        return try body()
    }

    /// Relative paths made so far.
    public var files: Set<String> {
        lock.lock(); defer { lock.unlock() }
        return written
    }

    /// Where a file of this build is now: in the staging folder, or (kept) in `output/`.
    public func url(_ relative: String) -> URL {
        lock.lock()
        let isStaged = staged.contains(relative) || !written.contains(relative)
        lock.unlock()
        return (isStaged ? staging : output).appendingPathComponent(relative)
    }

    private var createdDirs: Set<String> = []

    private func record(_ relative: String, staged isStaged: Bool) throws {
        // The folder first: a path is named only when its file can be there.
        if isStaged, let slash = relative.lastIndex(of: "/") {
            try ensureDirectory(String(relative[..<slash]))
        }
        lock.lock()
        written.insert(relative)
        let dropped = isStaged ? false : staged.remove(relative) != nil
        if isStaged { staged.insert(relative) }
        lock.unlock()
        // A file staged there before (the same path twice, the second time kept as the output
        // has it) goes: the staging folder holds exactly what `staged` names, so a later
        // write there never writes into a file shared with the build cache.
        if dropped { unlink(stagingPath + "/" + relative) }
    }

    /// Creates a folder of the staging tree (and its parents) once, with plain mkdir.
    private func ensureDirectory(_ dir: String) throws {
        lock.lock()
        let known = createdDirs.contains(dir)
        lock.unlock()
        if known { return }
        if let slash = dir.lastIndex(of: "/") {
            try ensureDirectory(String(dir[..<slash]))
        } else {
            // A folder at the top of the tree (`site`, `wechat` …) is made under a name
            // never used before and renamed: see `markTop`.
            lock.lock(); defer { lock.unlock() }
            if createdDirs.contains(dir) { return }
            let temp = stagingPath + "/.folder-" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
            if mkdir(temp, 0o755) == 0 {
                if rename(temp, stagingPath + "/" + dir) == 0 { createdDirs.insert(dir); return }
                rmdir(temp)
            }
            if mkdir(stagingPath + "/" + dir, 0o755) != 0 && errno != EEXIST {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            createdDirs.insert(dir)
            return
        }
        if mkdir(stagingPath + "/" + dir, 0o755) != 0 && errno != EEXIST {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        lock.lock()
        createdDirs.insert(dir)
        lock.unlock()
    }

    /// Whether `relative` is a file of the last build whose bytes are `bytes`.
    private func unchanged(_ relative: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard previous.contains(relative), pathStaysInside(relative) else { return false }
        return Self.fileEquals(outputPath + "/" + relative, bytes)
    }

    /// Whether two paths name one file (the same inode on the same device).
    static func sameFile(_ a: String, _ b: String, status: stat? = nil) -> Bool {
        var sa = status ?? stat(), sb = stat()
        guard status != nil || lstat(a, &sa) == 0, lstat(b, &sb) == 0, (sb.st_mode & S_IFMT) == S_IFREG else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// Compares two regular files in pieces of 1 MiB (a print shop's ZIP may be 500 MB: never
    /// held in memory whole).
    static func filesEqual(_ a: String, _ b: String) -> Bool {
        if sameFile(a, b) { return true }
        let fa = open(a, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), fb = open(b, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        defer { if fa >= 0 { close(fa) }; if fb >= 0 { close(fb) } }
        guard fa >= 0, fb >= 0 else { return false }
        var sa = stat(), sb = stat()
        guard fstat(fa, &sa) == 0, fstat(fb, &sb) == 0, (sb.st_mode & S_IFMT) == S_IFREG, sa.st_size == sb.st_size else { return false }
        let size = 1 << 20
        let ba = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16), bb = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        defer { ba.deallocate(); bb.deallocate() }
        func fill(_ fd: Int32, _ buffer: UnsafeMutableRawPointer) -> Int {
            var got = 0
            while got < size {
                let n = Foundation.read(fd, buffer + got, size - got)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                got += n
            }
            return got
        }
        while true {
            let na = fill(fa, ba), nb = fill(fb, bb)
            guard na == nb else { return false }
            if na == 0 { return true }
            if memcmp(ba, bb, na) != 0 { return false }
        }
    }

    /// Compares a regular file's bytes with `bytes`, reading it once (size first).
    static func fileEquals(_ path: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) == bytes.count else { return false }
        if bytes.isEmpty { return true }
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes.count, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.read(fd, buffer + offset, bytes.count - offset)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            offset += n
        }
        return memcmp(buffer, bytes.baseAddress!, bytes.count) == 0
    }

    /// Records `relative` as written by Beacon and returns where a library should write it.
    public func reserve(_ relative: String) throws -> URL {
        try record(relative, staged: true)
        lock.lock(); unsettled.insert(relative); lock.unlock()
        // A file staged there before may be a link to another (a cached board): the library
        // writes a new file, never into that one.
        let url = staging.appendingPathComponent(relative)
        unlink(url.path)
        return url
    }

    public func write(_ relative: String, _ text: String) throws {
        var text = text
        try text.withUTF8 { try write(relative, UnsafeRawBufferPointer($0)) }
    }

    public func write(_ relative: String, _ data: Data) throws {
        try data.withUnsafeBytes { try write(relative, $0) }
    }

    func write(_ relative: String, _ bytes: UnsafeRawBufferPointer) throws {
        if unchanged(relative, bytes) {
            try record(relative, staged: false)
            return
        }
        try record(relative, staged: true)
        // Always a new file (`O_EXCL`): a file staged there before may be the build cache's
        // (a hard link), never written into but replaced. The staging folder is thrown away
        // on failure: no fsync per file.
        let path = stagingPath + "/" + relative
        do { try writeFile(path, bytes) } catch let e as POSIXError where e.code == .EEXIST {
            unlink(path)
            try writeFile(path, bytes)
        }
    }

    /// Why a file was not copied into the output.
    public enum CopyRefusal: Error, CustomStringConvertible {
        case notRegular, linkOutside
        public var description: String {
            switch self {
            case .notRegular: return "不是普通文件（指向文件夹的链接、管道、设备或套接字），不会发布 (not a regular file; not published)"
            case .linkOutside: return "符号链接指到了所在文件夹之外（或指回文件夹自己），不会发布 (symbolic link points outside its folder or back at it; not published)"
            }
        }
    }

    /// Copies a file the editor supplied (a picture, a theme's stylesheet) into the output:
    /// its bytes, never a symbolic link, and only from inside `root` (a link is followed only
    /// when it ends inside `root`); a pipe, device or socket is refused without being opened.
    /// `transform` rewrites the bytes on the way (an SVG is cleaned of script).
    public func copy(from source: URL, to relative: String, within root: URL, transform: ((Data) throws -> Data)? = nil) throws {
        var st = stat()
        guard lstat(source.path, &st) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .ENOENT) }
        var path = source.path
        if (st.st_mode & S_IFMT) == S_IFLNK {
            let real = source.resolvingSymlinksInPath().path
            let base = root.resolvingSymlinksInPath().path + "/"
            guard real.hasPrefix(base), stat(real, &st) == 0 else { throw CopyRefusal.linkOutside }
            path = real
        }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw CopyRefusal.notRegular }
        var data = try Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe)
        if let transform { data = try transform(data) }
        try data.withUnsafeBytes { bytes in try write(relative, bytes) }
    }

    /// The same file under a second name (a hard link; a copy where linking is not possible):
    /// a board's PDF is both in `boards/` for the print shop and in `site/boards/`.
    public func link(from source: URL, to relative: String) throws {
        try link(fromPath: source.path, to: relative)
    }

    /// `source` is the file `sourceStatus` (its lstat) describes, when the caller read it.
    public func link(fromPath source: String, to relative: String, sourceStatus: stat? = nil) throws {
        // The output already holds this very file (a cached board linked there by the last
        // build): nothing to stage.
        if previous.contains(relative), pathStaysInside(relative), Self.sameFile(source, outputPath + "/" + relative, status: sourceStatus) {
            try record(relative, staged: false)
            return
        }
        // Not settled against the old file even when the bytes are the same: the cache's
        // file takes its place, so the next build finds the very file and compares nothing.
        try record(relative, staged: true)
        lock.lock(); unsettled.remove(relative); lock.unlock()
        let dest = stagingPath + "/" + relative
        // Linked straight away: a file staged there before (the same page twice) goes first.
        if Foundation.link(source, dest) != 0 {
            if errno == EEXIST { unlink(dest) }
            if Foundation.link(source, dest) != 0 { try fm.copyItem(atPath: source, toPath: dest) }
        }
    }

    /// A new file of this build at `relative`, made in the staging folder by `make` (which
    /// writes the path it is given, where nothing is: `writeNewFile`); returns that path. When
    /// `make` fails, no file is there. Like a link from the cache, not compared with the old
    /// file at commit: the build cache links this very file, so the next build compares nothing.
    public func make(_ relative: String, _ make: (String) throws -> Void) throws -> String {
        if let slash = relative.lastIndex(of: "/") { try ensureDirectory(String(relative[..<slash])) }
        let dest = stagingPath + "/" + relative
        lock.lock(); let again = staged.contains(relative); lock.unlock()
        // The same page twice: the file staged first goes (it may be the cache's).
        if again { unlink(dest) }
        do { try make(dest) } catch {
            unlink(dest)
            // Nothing is there now, whatever was staged before.
            if again { lock.lock(); staged.remove(relative); written.remove(relative); unsettled.remove(relative); lock.unlock() }
            throw error
        }
        try record(relative, staged: true)
        lock.lock(); unsettled.remove(relative); lock.unlock()
        return dest
    }

    /// Throws away the staged build: everything in it was written by this build.
    public func discard() {
        try? fm.removeItem(at: staging)
        Self.untrack(staging)
    }

    /// Whether `folder` holds a manifest `manifest(at:)` would read (without reading its lines:
    /// a build checks this twice, and the manifest of 10,000 lessons has 40,000 lines).
    static func hasManifest(at folder: URL) -> Bool {
        guard case .success(let bytes) = FileBytes.read(folder.appendingPathComponent(manifestName).path) else { return false }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    static func manifest(at folder: URL) -> Set<String>? {
        guard case .success(let bytes) = FileBytes.read(folder.appendingPathComponent(manifestName).path),
              String(validating: bytes, as: UTF8.self) != nil else { return nil }
        // Any line ending: a manifest that went through git with autocrlf is still read.
        var paths = Set<String>()
        for line in bytes.split(whereSeparator: { $0 == 10 || $0 == 13 }) where line.first != UInt8(ascii: "#") {
            let path = String(decoding: line, as: UTF8.self)
            if isPlainRelative(path) { paths.insert(path) }
        }
        return paths
    }

    /// A path Beacon could have written: relative, without `.`/`..` or empty parts. A
    /// manifest line that is anything else (edited by hand, or by someone hostile) names no
    /// file of Beacon's and is ignored.
    static func isPlainRelative(_ rel: String) -> Bool {
        var rel = rel
        return rel.withUTF8 { b in
            // Each part between slashes: not empty, not "." or "..", no NUL anywhere.
            var partStart = 0
            for i in 0...b.count {
                if i < b.count && b[i] == 0 { return false }
                guard i == b.count || b[i] == 0x2F else { continue }
                let n = i - partStart
                if n == 0 { return false }
                if n <= 2 && b[partStart] == 0x2E && (n == 1 || b[partStart + 1] == 0x2E) { return false }
                partStart = i + 1
            }
            return true
        }
    }

    /// Folders checked, by their exact bytes (two names Unicode calls equal are two folders).
    private var checkedDirs: Set<BytePath> = []
    private let dirLock = NSLock()

    /// Whether every folder on the way to `rel` inside `output/` is a real folder (or does not
    /// exist yet): a symbolic link there would take a read, a write or a removal outside
    /// `output/`. `removable` names files of the last build that will be gone before anything
    /// is written (a file of Beacon's where a folder now goes).
    func pathStaysInside(_ rel: String, removable: Set<String> = []) -> Bool {
        guard Self.isPlainRelative(rel) else { return false }
        // A folder checked before had its parents checked with it.
        if let slash = rel.lastIndex(of: "/") {
            let parent = String(rel[..<slash])
            dirLock.lock(); let known = checkedDirs.contains(BytePath(parent)); dirLock.unlock()
            if known { return true }
        }
        var dir = "", parent = ""
        for part in rel.split(separator: "/").dropLast() {
            parent = dir
            dir += dir.isEmpty ? String(part) : "/" + part
            dirLock.lock(); let known = checkedDirs.contains(BytePath(dir)); dirLock.unlock()
            if known { continue }
            // The parent's listing says what `part` is (one read of `site/<series>/` answers
            // for its thousand lesson folders); a file system that does not say asks lstat.
            var type = UInt8(DT_UNKNOWN)
            if let types = entryTypes(parent) {
                guard let t = types[BytePath(String(part))] else { return true }        // not there yet: Beacon makes it
                type = t
            }
            if type == UInt8(DT_UNKNOWN) {
                var st = stat()
                if lstat(outputPath + "/" + dir, &st) != 0 { return true }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: type = UInt8(DT_DIR)
                case S_IFREG: type = UInt8(DT_REG)
                default: type = UInt8(DT_LNK)
                }
            }
            if type != UInt8(DT_DIR) { return removable.contains(dir) && type == UInt8(DT_REG) }
            dirLock.lock(); checkedDirs.insert(BytePath(dir)); dirLock.unlock()
        }
        return true
    }

    /// The type of each entry of a folder of `output/` (checked itself before it is read), by
    /// the exact bytes of its name, read once; nil when it cannot be read.
    private var folderTypes: [BytePath: [BytePath: UInt8]?] = [:]

    private func entryTypes(_ folder: String) -> [BytePath: UInt8]? {
        dirLock.lock()
        if let known = folderTypes[BytePath(folder)] { dirLock.unlock(); return known }
        dirLock.unlock()
        var types: [BytePath: UInt8]?
        let path = folder.isEmpty ? outputPath : outputPath + "/" + folder
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        if fd >= 0, let d = fdopendir(fd) {
            var found: [BytePath: UInt8] = [:]
            while let e = readdir(d) {
                let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                    String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
                }
                found[BytePath(name)] = e.pointee.d_type
            }
            closedir(d)
            types = found
        } else if fd >= 0 {
            close(fd)
        }
        dirLock.lock(); folderTypes[BytePath(folder)] = types; dirLock.unlock()
        return types
    }

    /// Every file under `folder`, hidden ones included, relative to it.
    func filesUnder(_ folder: URL) -> [String] {
        FileTree.files(under: folder.standardizedFileURL.path, skipHidden: false)
    }

    /// Checks that the new build may write into `output/`: it is a folder, and Beacon's or
    /// empty (or the build is forced).
    public func checkTarget(force: Bool) throws(Diagnostic) {
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDir) else { return }
        let name = output.lastPathComponent
        guard isDir.boolValue else {
            throw .error(SourceLocation(path: name), "\(name) 是一个文件而不是文件夹，Beacon 不会覆盖它 (\(name) is a file, not a folder; Beacon will not replace it)")
        }
        guard !Self.hasManifest(at: output), !force else { return }
        let files = filesUnder(output)
        if files.isEmpty { return }
        throw .error(SourceLocation(path: name), "\(name)/ 不是 Beacon 生成的，里面已有 \(files.count) 个文件；请换一个输出文件夹，或确认后加 --force (\(name)/ is not empty and was not made by Beacon; choose another folder or pass --force)")
    }

    /// The one check before anything in `output/` changes: each file to move in has a way
    /// there that stays inside `output/`, and takes the place of nothing but a file of the
    /// last build (`owned`) or, forced, someone else's file. `removable`: the last build's
    /// files that go first.
    func checkMoves(_ moving: [String], owned: Set<String>, removable: Set<String>, force: Bool) throws(Diagnostic) {
        let name = output.lastPathComponent
        for rel in moving {
            guard pathStaysInside(rel, removable: removable) else {
                throw .error(SourceLocation(path: "\(name)/\(rel)"), "输出文件夹里这条路径经过符号链接或别人的文件，Beacon 不会经由它写入 (a folder on this path in the output is a symbolic link or someone else's file; Beacon will not write through it)")
            }
            var st = stat()
            guard lstat(outputPath + "/" + rel, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                // A folder where a file goes: only one that the last build's leftovers fill.
                let inside = filesUnder(output.appendingPathComponent(rel)).map { rel + "/" + $0 }
                if inside.allSatisfy(removable.contains) { continue }
                throw .error(SourceLocation(path: "\(name)/\(rel)"), "输出文件夹里有一个同名的文件夹挡住了新文件，请先把它移走 (a folder in the output is where a new file goes; move it away)")
            }
            if owned.contains(rel) || force { continue }
            throw .error(SourceLocation(path: "\(name)/\(rel)"), "这个文件不是 Beacon 写的，但新的构建要写同名文件；请先把它移走，或加 --force 覆盖 (file was not written by Beacon and the build would overwrite it; move it away or pass --force)")
        }
    }

    static func manifestText(_ files: Set<String>) -> String {
        (["# files written by Beacon; others in this folder are left alone"] + files.sorted()).joined(separator: "\n") + "\n"
    }

    /// Writes `output/.beacon-manifest` in one rename, from a file made in the staging folder
    /// (never through whatever may lie at a fixed name in `output/`); not at all when it says
    /// the same already.
    private func writeManifest(_ files: Set<String>) throws {
        let text = Self.manifestText(files)
        if Data(text.utf8).withUnsafeBytes({ Self.fileEquals(outputPath + "/" + Self.manifestName, $0) }) { return }
        let tmp = staging.appendingPathComponent(".beacon-manifest.\(UInt32.random(in: 0...UInt32.max))")
        try text.write(to: tmp, atomically: false, encoding: .utf8)
        if rename(tmp.path, output.appendingPathComponent(Self.manifestName).path) != 0 {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
    }

    /// Moves staged files into `output/`, each replacing its old version in one rename.
    private func moveIn(_ moving: [String]) throws {
        var made: Set<String> = []
        for rel in moving {
            if let slash = rel.lastIndex(of: "/") {
                let dir = String(rel[..<slash])
                if !made.contains(dir) {
                    try fm.createDirectory(at: output.appendingPathComponent(dir), withIntermediateDirectories: true)
                    made.insert(dir)
                }
            }
            if rename(stagingPath + "/" + rel, outputPath + "/" + rel) != 0 {
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
        }
    }

    /// Moves the staged files into `output/` and removes the last build's files that this
    /// build did not make. Everything is checked before the first change. With no `output/`
    /// yet, the staging folder becomes it.
    /// Leaves out the staged files a library wrote that are byte for byte what the last build
    /// wrote (a board preview of an unchanged board): the old file stays, with its date.
    private func settle() {
        lock.lock(); let candidates = unsettled.intersection(previous); lock.unlock()
        for rel in candidates.sorted() where pathStaysInside(rel) {
            let path = stagingPath + "/" + rel
            guard Self.filesEqual(path, outputPath + "/" + rel) else { continue }
            unlink(path)
            lock.lock(); staged.remove(rel); unsettled.remove(rel); lock.unlock()
        }
    }

    public func commit(force: Bool) throws(Diagnostic) {
        try uninterrupted { () throws(Diagnostic) in try commitNow(force: force) }
    }

    func commitNow(force: Bool) throws(Diagnostic) {
        let name = output.lastPathComponent
        let exists = fm.fileExists(atPath: output.path)
        if exists { settle() }
        let mine = files
        lock.lock(); let moving = staged.sorted(); lock.unlock()
        try checkTarget(force: force)
        let stale = previous.subtracting(mine)
        if exists { try checkMoves(moving, owned: previous, removable: stale, force: force) }
        do {
            guard exists else {
                try Self.manifestText(mine).write(to: staging.appendingPathComponent(Self.manifestName), atomically: false, encoding: .utf8)
                try? fm.removeItem(at: staging.appendingPathComponent(Self.markerName))
                try fm.moveItem(at: staging, to: output)
                Self.untrack(staging)
                return
            }
            // Nothing to move and nothing to remove: the output is already this build's.
            if moving.isEmpty && stale.isEmpty && mine == previous {
                discard()
                return
            }
            // Should the moves stop half way, the manifest already names every file that may
            // be Beacon's, so the next build neither refuses them nor leaves them behind.
            try writeManifest(previous.union(mine))
            removeBeaconFiles(in: output, manifest: stale)
            try moveIn(moving)
            try writeManifest(mine)
            discard()
        } catch {
            throw .error(SourceLocation(path: name), "无法写入输出文件夹 (cannot write the output folder): \(FileProblem.describe(error))")
        }
    }

    /// Adds the staged files to the existing output instead of replacing it (a print pack:
    /// `beacon build --boards-for`). Each file replaces its old version in one rename; every
    /// other file stays as it is; the manifest gains the new files.
    public func commitInto(force: Bool) throws(Diagnostic) {
        guard fm.fileExists(atPath: output.path) else { return try commit(force: force) }
        try uninterrupted { () throws(Diagnostic) in try commitIntoNow(force: force) }
    }

    func commitIntoNow(force: Bool) throws(Diagnostic) {
        let name = output.lastPathComponent
        try checkTarget(force: force)
        let mine = files
        lock.lock(); let moving = staged.sorted(); lock.unlock()
        try checkMoves(moving, owned: previous, removable: [], force: force)
        do {
            try moveIn(moving)
            try writeManifest(previous.union(mine))
            discard()
        } catch {
            throw .error(SourceLocation(path: name), "无法写入输出文件夹 (cannot write the output folder): \(FileProblem.describe(error))")
        }
    }

    /// Removes the files of the last build that this build did not make, then the folders
    /// they leave empty (never `output/` itself, never a folder that holds anything else).
    func removeBeaconFiles(in folder: URL, manifest: Set<String>) {
        var parents: Set<String> = []
        for rel in manifest where rel != Self.manifestName && pathStaysInside(rel) {
            let path = folder.path + "/" + rel
            var st = stat()
            guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFDIR else { continue }
            unlink(path)
            var dir = rel
            while let slash = dir.lastIndex(of: "/") {
                dir = String(dir[..<slash])
                parents.insert(dir)
            }
        }
        // Deepest first; rmdir leaves a folder that is not empty alone.
        for dir in parents.sorted(by: { $0.count > $1.count }) {
            rmdir(folder.path + "/" + dir)
        }
        // Folders found in the way may have gone: check again when next asked.
        dirLock.lock(); checkedDirs = []; folderTypes = [:]; dirLock.unlock()
    }
}
