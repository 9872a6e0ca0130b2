import Foundation
import BeaconModel

/// Builds into a temporary folder beside `output/` and swaps it in only when the whole build
/// succeeded, so a failed build leaves the previous `output/` byte for byte as it was.
///
/// Beacon records every file it writes in `output/.beacon-manifest`. On the next build, a file
/// in `output/` that is not in the manifest was put there by someone else: it is carried over
/// into the new output untouched and never deleted. A folder that is not empty and has no
/// manifest was not made by Beacon, and Beacon refuses to write into it unless forced.
public final class OutputStage: @unchecked Sendable {
    public static let manifestName = ".beacon-manifest"
    public let output: URL
    public let staging: URL
    private var written: Set<String> = []
    private let lock = NSLock()
    private let fm = FileManager.default

    public init(output: URL) throws(Diagnostic) {
        self.output = output.standardizedFileURL
        let parent = self.output.deletingLastPathComponent()
        staging = parent.appendingPathComponent(".beacon-build-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try fm.createDirectory(at: parent, withIntermediateDirectories: true)
            try fm.createDirectory(at: staging, withIntermediateDirectories: false)
        } catch {
            throw .error(SourceLocation(path: output.lastPathComponent), "无法创建临时输出文件夹 (cannot create the staging folder): \(error.localizedDescription)")
        }
    }

    /// Relative paths written so far.
    public var files: Set<String> {
        lock.lock(); defer { lock.unlock() }
        return written
    }

    public func url(_ relative: String) -> URL { staging.appendingPathComponent(relative) }

    private var createdDirs: Set<String> = []

    private func record(_ relative: String) throws {
        lock.lock()
        written.insert(relative)
        lock.unlock()
        if let slash = relative.lastIndex(of: "/") {
            try ensureDirectory(String(relative[..<slash]))
        }
    }

    /// Creates a folder of the staging tree (and its parents) once, with plain mkdir.
    private func ensureDirectory(_ dir: String) throws {
        lock.lock()
        let known = createdDirs.contains(dir)
        lock.unlock()
        if known { return }
        if let slash = dir.lastIndex(of: "/") { try ensureDirectory(String(dir[..<slash])) }
        if mkdir(staging.path + "/" + dir, 0o755) != 0 && errno != EEXIST {
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        lock.lock()
        createdDirs.insert(dir)
        lock.unlock()
    }

    /// Records `relative` as written by Beacon and returns where a library should write it.
    public func reserve(_ relative: String) throws -> URL {
        try record(relative)
        return url(relative)
    }

    public func write(_ relative: String, _ text: String) throws {
        try record(relative)
        var text = text
        try text.withUTF8 { try Self.writeFile(url(relative).path, UnsafeRawBufferPointer($0)) }
    }

    public func write(_ relative: String, _ data: Data) throws {
        try record(relative)
        try data.withUnsafeBytes { try Self.writeFile(url(relative).path, $0) }
    }

    /// Plain POSIX write: the staging folder is thrown away on failure, so no fsync per file.
    static func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = Foundation.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
            }
            offset += n
        }
    }

    public func copy(from source: URL, to relative: String) throws {
        try record(relative)
        let dest = url(relative)
        if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
        try fm.copyItem(at: source, to: dest)
    }

    /// The same file under a second name (a hard link; a copy where linking is not possible):
    /// a board's PDF is both in `boards/` for the print shop and in `site/boards/`.
    public func link(from source: URL, to relative: String) throws {
        try record(relative)
        let dest = url(relative)
        if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
        if Foundation.link(source.path, dest.path) != 0 { try fm.copyItem(at: source, to: dest) }
    }

    /// Throws away the staged build: everything in it was written by this build.
    public func discard() {
        try? fm.removeItem(at: staging)
    }

    static func manifest(at folder: URL) -> Set<String>? {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(manifestName), encoding: .utf8) else { return nil }
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    /// Every file under `folder`, hidden ones included, relative to it.
    func filesUnder(_ folder: URL) -> [String] {
        FileTree.files(under: folder.standardizedFileURL.path, skipHidden: false)
    }

    /// Checks that the new build may replace `output/`. Before the build (`existing` nil) this
    /// is cheap: is it a folder, and is it Beacon's or empty. At commit time, with the files
    /// of the old output listed, it also refuses to overwrite a file Beacon did not write.
    public func checkTarget(force: Bool, existing: [String]? = nil) throws(Diagnostic) {
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDir) else { return }
        let name = output.lastPathComponent
        guard isDir.boolValue else {
            throw .error(SourceLocation(path: name), "\(name) 是一个文件而不是文件夹，Beacon 不会覆盖它 (\(name) is a file, not a folder; Beacon will not replace it)")
        }
        guard let manifest = Self.manifest(at: output) else {
            if force { return }
            let files = existing ?? filesUnder(output)
            if files.isEmpty { return }
            throw .error(SourceLocation(path: name), "\(name)/ 不是 Beacon 生成的，里面已有 \(files.count) 个文件；请换一个输出文件夹，或确认后加 --force (\(name)/ is not empty and was not made by Beacon; choose another folder or pass --force)")
        }
        guard let existing, !force else { return }
        let mine = files
        let clashes = existing.filter { $0 != Self.manifestName && !manifest.contains($0) && mine.contains($0) }.sorted()
        if !clashes.isEmpty {
            throw .error(SourceLocation(path: "\(name)/\(clashes[0])"), "这个文件不是 Beacon 写的，但新的构建要写同名文件；请先把它移走，或加 --force 覆盖 (file was not written by Beacon and the build would overwrite it; move it away or pass --force)")
        }
    }

    /// Swaps the staged build in. Files in the old output that Beacon did not write are moved
    /// into the new output; the old output's Beacon files are then removed.
    public func commit(force: Bool) throws(Diagnostic) {
        let name = output.lastPathComponent
        let exists = fm.fileExists(atPath: output.path)
        let existing = exists ? filesUnder(output) : []
        try checkTarget(force: force, existing: existing)
        do {
            let fileList = files.sorted()
            try (["# files written by Beacon; others in this folder are left alone"] + fileList)
                .joined(separator: "\n").appending("\n")
                .write(to: staging.appendingPathComponent(Self.manifestName), atomically: false, encoding: .utf8)
            guard exists else {
                try fm.moveItem(at: staging, to: output)
                return
            }
            let manifest = Self.manifest(at: output) ?? []
            let foreign = existing.filter { $0 != Self.manifestName && !manifest.contains($0) }
            var leftBehind = false
            for rel in foreign {
                let dest = staging.appendingPathComponent(rel)
                if fm.fileExists(atPath: dest.path) {
                    // Only with --force: the new build's file wins; the old one stays in the old folder.
                    leftBehind = true
                    continue
                }
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: output.appendingPathComponent(rel), to: dest)
            }
            let old = output.deletingLastPathComponent().appendingPathComponent(".beacon-old-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
            try fm.moveItem(at: output, to: old)
            try fm.moveItem(at: staging, to: output)
            if leftBehind {
                removeBeaconFiles(in: old, manifest: manifest)
            } else {
                // Everything not Beacon's has been moved out: the rest is Beacon's own.
                try? fm.removeItem(at: old)
            }
        } catch let d as Diagnostic {
            throw d
        } catch {
            throw .error(SourceLocation(path: name), "无法写入输出文件夹 (cannot write the output folder): \(error.localizedDescription)")
        }
    }

    /// Adds the staged files to the existing output instead of replacing it (a print pack:
    /// `beacon build --boards-for`). Each file replaces its old version in one rename; every
    /// other file stays as it is; the manifest gains the new files.
    public func commitInto(force: Bool) throws(Diagnostic) {
        guard fm.fileExists(atPath: output.path) else { return try commit(force: force) }
        let name = output.lastPathComponent
        let manifest = Self.manifest(at: output)
        if manifest == nil && !force && !filesUnder(output).isEmpty {
            try checkTarget(force: force)
        }
        let mine = files.sorted()
        if !force, let manifest {
            if let clash = mine.first(where: { !manifest.contains($0) && fm.fileExists(atPath: output.appendingPathComponent($0).path) }) {
                throw .error(SourceLocation(path: "\(name)/\(clash)"), "这个文件不是 Beacon 写的，但新的构建要写同名文件；请先把它移走，或加 --force 覆盖 (file was not written by Beacon and the build would overwrite it; move it away or pass --force)")
            }
        }
        do {
            for rel in mine {
                let dest = output.appendingPathComponent(rel)
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                if rename(staging.appendingPathComponent(rel).path, dest.path) != 0 { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            }
            let all = (manifest ?? []).union(mine).sorted()
            try (["# files written by Beacon; others in this folder are left alone"] + all)
                .joined(separator: "\n").appending("\n")
                .write(to: output.appendingPathComponent(Self.manifestName), atomically: true, encoding: .utf8)
            discard()
        } catch {
            throw .error(SourceLocation(path: name), "无法写入输出文件夹 (cannot write the output folder): \(error.localizedDescription)")
        }
    }

    /// Removes the files a manifest lists, then the folders they leave empty. A file the
    /// manifest does not list stays where it is.
    func removeBeaconFiles(in folder: URL, manifest: Set<String>) {
        for rel in manifest.union([Self.manifestName]) {
            try? fm.removeItem(at: folder.appendingPathComponent(rel))
        }
        // Remove empty folders, deepest first.
        let dirs = (fm.enumerator(at: folder, includingPropertiesForKeys: [.isDirectoryKey])?.allObjects as? [URL] ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true }
            .sorted { $0.path.count > $1.path.count }
        for d in dirs + [folder] {
            if (try? fm.contentsOfDirectory(atPath: d.path).isEmpty) == true { try? fm.removeItem(at: d) }
        }
    }
}
