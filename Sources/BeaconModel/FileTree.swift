import Foundation

/// Fast folder listings with readdir(3): Foundation's enumerators stat every entry through
/// several layers, which shows on a site with ten thousand lessons.
public enum FileTree {
    public struct Entry: Sendable {
        public var name: String
        public var isDirectory: Bool
        /// A symbolic link (to whatever `isDirectory` says it ends at).
        public var isLink = false
    }

    /// The entries of one folder, sorted by name, without `.` and `..`.
    public static func entries(of path: String) -> [Entry] {
        guard let dir = opendir(path) else { return [] }
        defer { closedir(dir) }
        var out: [Entry] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            var isDir = Int32(entry.pointee.d_type) == Int32(DT_DIR)
            var isLink = Int32(entry.pointee.d_type) == Int32(DT_LNK)
            if Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) || isLink {
                var st = stat()
                if lstat(path + "/" + name, &st) == 0 { isLink = (st.st_mode & S_IFMT) == S_IFLNK }
                if stat(path + "/" + name, &st) == 0 { isDir = (st.st_mode & S_IFMT) == S_IFDIR }
            }
            out.append(Entry(name: name, isDirectory: isDir, isLink: isLink))
        }
        return out.sorted { $0.name < $1.name }
    }

    /// Every file under `root` (following no hidden folders when `skipHidden`), as paths
    /// relative to `root`. A symbolic link to a folder is listed as an entry, never walked
    /// into (it may lead out of `root`, or round in a loop); whoever copies it refuses it.
    public static func files(under root: String, skipHidden: Bool = true) -> [String] {
        var out: [String] = []
        func walk(_ path: String, _ prefix: String) {
            for e in entries(of: path) {
                if skipHidden && e.name.hasPrefix(".") { continue }
                if e.isDirectory && !e.isLink { walk(path + "/" + e.name, prefix + e.name + "/") } else { out.append(prefix + e.name) }
            }
        }
        walk(root, "")
        return out
    }
}
