import Foundation

/// Whether the build cache (`.beacon/cache/…` beside `content/`) may be used: every folder of
/// it, from `.beacon` down, is a real folder or not there yet. A symbolic link among them (or
/// a file where a folder should be) would have the cache read, write and prune files outside
/// the project; such a cache is not used at all, and the build makes everything itself (the
/// cache is only ever a shortcut).
public enum BuildCacheFolder {
    /// `path` is a folder of the cache (`folder: true`) or a file in one. Checks each part of
    /// it from the `.beacon` folder down (the parts above are the project's own).
    public static func isSafe(_ path: String, folder: Bool = true) -> Bool {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if !folder { parts.removeLast() }
        guard let top = parts.lastIndex(of: ".beacon") else { return true }
        var prefix = parts[..<top].joined(separator: "/")
        for part in parts[top...] where !part.isEmpty {
            prefix += "/" + part
            var st = stat()
            if lstat(prefix, &st) != 0 {
                // Not there yet (made by the cache as a real folder), or not to be looked at.
                return errno == ENOENT
            }
            guard (st.st_mode & S_IFMT) == S_IFDIR else { return false }
        }
        return true
    }

    /// The same for a folder given as a URL.
    public static func isSafe(_ url: URL) -> Bool { isSafe(url.path) }
}
