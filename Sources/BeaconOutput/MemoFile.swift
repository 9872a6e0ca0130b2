import Foundation

/// Small results kept together in one file of the build cache, each under the fingerprint of
/// what it was made from (rendered list entries of lessons, the copy rules' findings of a
/// text): ten thousand small files would cost more to create than the results cost to make.
/// The file keeps only the entries the last build used.
public final class MemoFile: @unchecked Sendable {
    private let path: String
    private var known: [String: String] = [:]
    private var used: [String: String] = [:]
    private let lock = NSLock()

    public init(_ url: URL) {
        path = url.path
        // Entries: a 64-hex key, a space, the byte count, a newline, the bytes, a newline. A
        // file not of that shape (cut short, or not Beacon's) is read up to where it goes wrong.
        guard let data = FileManager.default.contents(atPath: path) else { return }
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let b = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i + 66 < b.count {
                let key = String(decoding: b[i..<i + 64], as: UTF8.self)
                var j = i + 65, n = 0
                while j < b.count, b[j] != 10 { guard b[j] >= 48 && b[j] <= 57, n <= b.count else { return }; n = n * 10 + Int(b[j] - 48); j += 1 }
                j += 1
                guard j + n < b.count else { return }
                known[key] = String(decoding: b[j..<j + n], as: UTF8.self)
                i = j + n + 1
            }
        }
    }

    public func text(_ key: String?, make: () -> String) -> String {
        guard let key else { return make() }
        lock.lock()
        if let t = known[key] { used[key] = t; lock.unlock(); return t }
        lock.unlock()
        let t = make()
        lock.lock(); used[key] = t; lock.unlock()
        return t
    }

    /// Writes the entries this build used.
    public func save() {
        lock.lock(); let entries = used; lock.unlock()
        guard entries.count != known.count || entries.contains(where: { known[$0.key] == nil }) else { return }
        var out = Data()
        for (k, v) in entries.sorted(by: { $0.key < $1.key }) {
            out.append(contentsOf: Array("\(k) \(v.utf8.count)\n".utf8)); out.append(contentsOf: Array(v.utf8)); out.append(10)
        }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temp = path + ".\(getpid()).tmp"
        if FileManager.default.createFile(atPath: temp, contents: out), rename(temp, path) != 0 { unlink(temp) }
    }
}
