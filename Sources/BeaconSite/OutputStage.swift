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

    private func record(_ relative: String) throws {
        lock.lock()
        written.insert(relative)
        lock.unlock()
        let dir = url(relative).deletingLastPathComponent()
        if !fm.fileExists(atPath: dir.path) {
            try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        }
    }

    public func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }

    public func write(_ relative: String, _ data: Data) throws {
        try record(relative)
        try data.write(to: url(relative))
    }

    public func copy(from source: URL, to relative: String) throws {
        try record(relative)
        let dest = url(relative)
        if fm.fileExists(atPath: dest.path) { try fm.removeItem(at: dest) }
        try fm.copyItem(at: source, to: dest)
    }

    /// Throws away the staged build: everything in it was written by this build.
    public func discard() {
        try? fm.removeItem(at: staging)
    }

    static func manifest(at folder: URL) -> Set<String>? {
        guard let text = try? String(contentsOf: folder.appendingPathComponent(manifestName), encoding: .utf8) else { return nil }
        return Set(text.split(separator: "\n").map(String.init).filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }

    /// Every regular file under `folder`, relative to it.
    func filesUnder(_ folder: URL) -> [String] {
        guard let e = fm.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey, .isSymbolicLinkKey]) else { return [] }
        let base = folder.standardizedFileURL.path + "/"
        var out: [String] = []
        for case let u as URL in e {
            let v = try? u.resourceValues(forKeys: [.isRegularFileKey, .isSymbolicLinkKey])
            guard v?.isRegularFile == true || v?.isSymbolicLink == true else { continue }
            let p = u.standardizedFileURL.path
            if p.hasPrefix(base) { out.append(String(p.dropFirst(base.count))) }
        }
        return out
    }

    /// Checks that the new build may replace `output/`, before anything is touched.
    public func checkTarget(force: Bool) throws(Diagnostic) {
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: output.path, isDirectory: &isDir) else { return }
        let name = output.lastPathComponent
        guard isDir.boolValue else {
            throw .error(SourceLocation(path: name), "\(name) 是一个文件而不是文件夹，Beacon 不会覆盖它 (\(name) is a file, not a folder; Beacon will not replace it)")
        }
        let existing = filesUnder(output)
        guard let manifest = Self.manifest(at: output) else {
            if existing.isEmpty || force { return }
            throw .error(SourceLocation(path: name), "\(name)/ 不是 Beacon 生成的，里面已有 \(existing.count) 个文件；请换一个输出文件夹，或确认后加 --force (\(name)/ is not empty and was not made by Beacon; choose another folder or pass --force)")
        }
        let foreign = existing.filter { $0 != Self.manifestName && !manifest.contains($0) }
        let clashes = foreign.filter { files.contains($0) }.sorted()
        if !clashes.isEmpty && !force {
            throw .error(SourceLocation(path: "\(name)/\(clashes[0])"), "这个文件不是 Beacon 写的，但新的构建要写同名文件；请先把它移走，或加 --force 覆盖 (file was not written by Beacon and the build would overwrite it; move it away or pass --force)")
        }
    }

    /// Swaps the staged build in. Files in the old output that Beacon did not write are moved
    /// into the new output; the old output's Beacon files are then removed.
    public func commit(force: Bool) throws(Diagnostic) {
        try checkTarget(force: force)
        let name = output.lastPathComponent
        do {
            let fileList = files.sorted()
            try (["# files written by Beacon; others in this folder are left alone"] + fileList)
                .joined(separator: "\n").appending("\n")
                .write(to: staging.appendingPathComponent(Self.manifestName), atomically: false, encoding: .utf8)
            guard fm.fileExists(atPath: output.path) else {
                try fm.moveItem(at: staging, to: output)
                return
            }
            let manifest = Self.manifest(at: output) ?? []
            let foreign = filesUnder(output).filter { $0 != Self.manifestName && !manifest.contains($0) }
            for rel in foreign {
                let dest = staging.appendingPathComponent(rel)
                if fm.fileExists(atPath: dest.path) {
                    // Only with --force: the new build's file wins.
                    continue
                }
                try fm.createDirectory(at: dest.deletingLastPathComponent(), withIntermediateDirectories: true)
                try fm.moveItem(at: output.appendingPathComponent(rel), to: dest)
            }
            let old = output.deletingLastPathComponent().appendingPathComponent(".beacon-old-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
            try fm.moveItem(at: output, to: old)
            try fm.moveItem(at: staging, to: output)
            // What is left in `old` is Beacon's own files (and foreign ones replaced under --force).
            removeBeaconFiles(in: old, manifest: manifest)
        } catch let d as Diagnostic {
            throw d
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
