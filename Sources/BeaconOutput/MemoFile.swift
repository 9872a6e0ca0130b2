import Foundation

/// Small results kept together in one file of the build cache, each under the fingerprint of
/// what it was made from (rendered list entries of lessons, the copy rules' findings of a
/// text, a lesson file as the loader read it): ten thousand small files would cost more to
/// create than the results cost to make. The file keeps only the entries the last build used.
public final class MemoFile: @unchecked Sendable {
    private let path: String
    /// The file as it was read, and where each entry's bytes stand in it.
    private var buffer: [UInt8] = []
    private var known: [String: Int] = [:]
    private var ranges: [Range<Int>] = []
    private var keys: [String] = []
    /// Which entries of the file this build used.
    private var kept: [Bool] = []
    private var keptCount = 0
    private var made: [String: [UInt8]] = [:]
    private let lock = NSLock()

    public init(_ url: URL) {
        path = url.path
        // Entries: a 64-hex key, a space, the byte count, a space, the bytes' check sum (16
        // hex), a newline, the bytes, a newline. A file not of that shape (cut short, or not
        // Beacon's) is read up to where it goes wrong; an entry whose bytes do not match their
        // sum (a damaged disk block) is not used.
        guard let data = FileManager.default.contents(atPath: path) else { return }
        buffer = [UInt8](data)
        buffer.withUnsafeBufferPointer { b in
            var i = 0
            while i + 66 < b.count {
                guard b[i + 64] == 32 else { return }
                let key = String(decoding: UnsafeBufferPointer(rebasing: b[i..<i + 64]), as: UTF8.self)
                var j = i + 65, n = 0
                while j < b.count, b[j] != 32 { guard b[j] >= 48 && b[j] <= 57, n <= b.count else { return }; n = n * 10 + Int(b[j] - 48); j += 1 }
                j += 1
                guard j + 17 <= b.count, b[j + 16] == 10,
                      let sum = UInt64(String(decoding: UnsafeBufferPointer(rebasing: b[j..<j + 16]), as: UTF8.self), radix: 16) else { return }
                j += 17
                guard j + n < b.count, b[j + n] == 10 else { return }
                known[key] = ranges.count
                ranges.append(j..<j + n)
                sums.append(sum)
                keys.append(key)
                i = j + n + 1
            }
        }
        kept = [Bool](repeating: false, count: ranges.count)
    }

    private var sums: [UInt64] = []

    /// A check sum of bytes (not a fingerprint: it finds a damaged entry, fast).
    static func sum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count)
        bytes.withUnsafeBytes { raw in
            var i = 0
            while i + 8 <= raw.count {
                h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                i += 8
            }
            while i < raw.count {
                h = (h ^ UInt64(raw[i])) &* 0x9E37_79B9_7F4A_7C15
                h ^= h >> 29
                i += 1
            }
        }
        return h
    }

    /// The bytes kept under `key`, or nil; an entry read is kept for the next build.
    public func bytes(_ key: String) -> ArraySlice<UInt8>? {
        if let i = known[key] {     // `known` is not changed after `init`
            let bytes = buffer[ranges[i]]
            guard Self.sum(bytes) == sums[i] else { return nil }
            lock.lock()
            if !kept[i] { kept[i] = true; keptCount += 1 }
            lock.unlock()
            return bytes
        }
        lock.lock(); defer { lock.unlock() }
        return made[key].map { $0[...] }
    }

    /// Keeps `bytes` under `key`.
    public func store(_ key: String, _ bytes: [UInt8]) {
        lock.lock(); made[key] = bytes; lock.unlock()
    }

    public func text(_ key: String?, make: () -> String) -> String {
        guard let key else { return make() }
        if let b = bytes(key) { return String(decoding: b, as: UTF8.self) }
        let t = make()
        store(key, Array(t.utf8))
        return t
    }

    /// Writes the entries this build used, when they are not what the file holds.
    public func save() {
        lock.lock(); defer { lock.unlock() }
        guard !made.isEmpty || keptCount != ranges.count else { return }
        var entries: [(String, ArraySlice<UInt8>)] = made.map { ($0.key, $0.value[...]) }
        for i in kept.indices where kept[i] && made[keys[i]] == nil { entries.append((keys[i], buffer[ranges[i]])) }
        entries.sort { $0.0 < $1.0 }
        var out: [UInt8] = []
        out.reserveCapacity(entries.reduce(0) { $0 + $1.1.count + 80 })
        for (k, v) in entries {
            let sum = String(Self.sum(v), radix: 16)
            out.append(contentsOf: Array("\(k) \(v.count) \(String(repeating: "0", count: 16 - sum.count))\(sum)\n".utf8))
            out.append(contentsOf: v)
            out.append(10)
        }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temp = path + ".\(getpid()).tmp"
        if FileManager.default.createFile(atPath: temp, contents: Data(out)), rename(temp, path) != 0 { unlink(temp) }
    }
}

/// A memo too large to write again whole when one entry changes (every lesson file as the
/// loader read it): its entries spread over sixteen files by the first digit of their key,
/// so a build that changed one entry writes one sixteenth of it.
public final class ShardedMemo: @unchecked Sendable {
    private let shards: [MemoFile]

    /// The files `<name>-0.memo` … `<name>-f.memo` in `folder`.
    public init(folder: URL, name: String) {
        shards = (0..<16).map { folder.appendingPathComponent("\(name)-\(String($0, radix: 16)).memo") }.map(MemoFile.init)
    }

    private func shard(_ key: String) -> MemoFile {
        guard let c = key.utf8.first, let n = Int(String(UnicodeScalar(c)), radix: 16) else { return shards[0] }
        return shards[n]
    }

    public func bytes(_ key: String) -> ArraySlice<UInt8>? { shard(key).bytes(key) }
    public func store(_ key: String, _ bytes: [UInt8]) { shard(key).store(key, bytes) }
    public func save() { for s in shards { s.save() } }
}
