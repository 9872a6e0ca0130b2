import Foundation
import BeaconModel

/// Small results kept together in one file of the build cache, each under the fingerprint of
/// what it was made from (rendered list entries of lessons, the copy rules' findings of a
/// text, a lesson file as the loader read it): ten thousand small files would cost more to
/// create than the results cost to make. The file keeps only the entries the last build used.
public final class MemoFile: @unchecked Sendable {
    private let path: String
    /// The file as it was read, and where each entry's bytes stand in it.
    private var buffer: [UInt8] = []
    private var known: [Key: Int] = [:]
    private var ranges: [Range<Int>] = []
    /// Where each entry's key stands in `buffer`.
    private var keyStarts: [Int] = []

    /// A 64-hex key as four numbers: hashed and compared without looking at text.
    struct Key: Hashable {
        var a: UInt64, b: UInt64, c: UInt64, d: UInt64

        init?(hex: UnsafeBufferPointer<UInt8>) {
            guard hex.count == 64, let a = Self.word(hex, 0), let b = Self.word(hex, 16),
                  let c = Self.word(hex, 32), let d = Self.word(hex, 48) else { return nil }
            (self.a, self.b, self.c, self.d) = (a, b, c, d)
        }

        init?(hex: String) {
            var text = hex
            guard let key = text.withUTF8({ Key(hex: $0) }) else { return nil }
            self = key
        }

        /// The value of a hex digit, or 255.
        static let digit: [UInt8] = (0..<256).map { c -> UInt8 in
            switch c {
            case 48...57: return UInt8(c - 48)
            case 97...102: return UInt8(c - 87)
            case 65...70: return UInt8(c - 55)
            default: return 255
            }
        }

        /// Sixteen hex digits from `start`.
        static func word(_ hex: UnsafeBufferPointer<UInt8>, _ start: Int) -> UInt64? {
            var v: UInt64 = 0, bad: UInt8 = 0
            digit.withUnsafeBufferPointer { table in
                for i in start..<start + 16 {
                    let d = table[Int(hex[i])]
                    bad |= d & 0xF0
                    v = v << 4 | UInt64(d & 0x0F)
                }
            }
            return bad == 0 ? v : nil
        }
    }
    /// Which entries of the file this build used.
    private var kept: [Bool] = []
    private var keptCount = 0
    private let lock = NSLock()

    /// Whether the memo's folders are real folders (`BuildCacheFolder`): when not, it is
    /// neither read nor written.
    private let usable: Bool

    public init(_ url: URL) {
        path = url.path
        usable = BuildCacheFolder.isSafe(path, folder: false)
        guard usable else { return }
        // Entries: a 64-hex key, a space, the byte count, a space, the bytes' check sum (16
        // hex), a newline, the bytes, a newline. A file not of that shape (cut short, or not
        // Beacon's) is read up to where it goes wrong; an entry whose bytes do not match their
        // sum (a damaged disk block) is not used.
        guard case .success(let bytes) = FileBytes.read(path) else { return }
        buffer = bytes
        buffer.withUnsafeBufferPointer { b in
            var i = 0
            while i + 66 < b.count {
                guard b[i + 64] == 32, let key = Key(hex: UnsafeBufferPointer(rebasing: b[i..<i + 64])) else { return }
                var j = i + 65, n = 0
                while j < b.count, b[j] != 32 { guard b[j] >= 48 && b[j] <= 57, n <= b.count else { return }; n = n * 10 + Int(b[j] - 48); j += 1 }
                j += 1
                guard j + 17 <= b.count, b[j + 16] == 10, let sum = Key.word(b, j) else { return }
                j += 17
                guard j + n < b.count, b[j + n] == 10 else { return }
                known[key] = ranges.count
                ranges.append(j..<j + n)
                sums.append(sum)
                keyStarts.append(i)
                i = j + n + 1
            }
        }
        kept = [Bool](repeating: false, count: ranges.count)
    }

    private var sums: [UInt64] = []

    /// A check sum of an entry's key and bytes (not a fingerprint: it finds a damaged entry,
    /// fast).
    static func sum(_ bytes: ArraySlice<UInt8>, key: Key) -> UInt64 {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(bytes.count) ^ key.a ^ key.b.rotated(17) ^ key.c.rotated(31) ^ key.d.rotated(47)
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

    /// The bytes kept under `key`, or nil; an entry read is kept for the next build. An entry
    /// stored by this build is on its way to the file, not in memory: asked for again, it is
    /// not found (and made again).
    public func bytes(_ key: String) -> ArraySlice<UInt8>? {
        guard let k = Key(hex: key), let i = known[k] else { return nil }   // `known` is not changed after `init`
        let bytes = buffer[ranges[i]]
        guard Self.sum(bytes, key: k) == sums[i] else { return nil }
        lock.lock()
        if !kept[i] { kept[i] = true; keptCount += 1 }
        lock.unlock()
        return bytes
    }

    /// Entries stored by this build, written at once to the next version of the file (a
    /// temporary file beside it), so that a build of ten thousand lessons does not hold them
    /// all in memory; `save` adds the old entries still used and puts the file in place.
    private var next: Int32 = -1
    private var nextPath: String { path + ".\(getpid()).next" }
    /// By the key's value (four words), not its 64-character text.
    private var madeKeys: Set<Key> = []
    private var failed = false
    private var saved = false

    /// Keeps `bytes` under `key`.
    public func store(_ key: String, _ bytes: [UInt8]) {
        guard let k = Key(hex: key) else { return }
        var entry = Array(Self.header(key, k, bytes[...]).utf8)
        entry.append(contentsOf: bytes)
        entry.append(10)
        lock.lock(); defer { lock.unlock() }
        guard !failed, !saved, madeKeys.insert(k).inserted else { return }
        // Gathered into pieces of 64 KiB: one write call per entry was 60,000 calls in a
        // first build of 10,000 lessons.
        if pending.count + entry.count > 64 << 10 { flushPending() }
        if entry.count > 64 << 10 {
            if !openNext() || !Self.writeAll(next, entry) { failed = true }
        } else {
            if pending.capacity == 0 { pending.reserveCapacity(64 << 10) }
            pending.append(contentsOf: entry)
        }
    }

    /// Entries stored and not yet written to the next file.
    private var pending: [UInt8] = []

    /// Called with the lock held.
    private func flushPending() {
        guard !pending.isEmpty else { return }
        if !openNext() || !Self.writeAll(next, pending) { failed = true }
        pending.removeAll(keepingCapacity: true)
    }

    static func header(_ key: String, _ k: Key, _ bytes: ArraySlice<UInt8>) -> String {
        let sum = String(Self.sum(bytes, key: k), radix: 16)
        return "\(key) \(bytes.count) \(String(repeating: "0", count: 16 - sum.count))\(sum)\n"
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        (try? bytes.withUnsafeBytes { try BeaconOutput.writeAll(fd, $0) }) != nil
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
        guard usable else { return }
        lock.lock(); defer { lock.unlock() }
        // Once: the file then holds what this build made and used (a second save, or an
        // entry stored after it, would lose the entries made before).
        guard !saved else { return }
        saved = true
        flushPending()
        guard !failed else { discardNext(); return }
        guard !madeKeys.isEmpty || keptCount != ranges.count else { discardNext(); return }
        guard openNext() else { return }
        // The old entries still used, each as the file held it (header, bytes, newline).
        var out: [UInt8] = []
        for i in kept.indices where kept[i] {
            let key = buffer[keyStarts[i]..<keyStarts[i] + 64].withUnsafeBufferPointer { Key(hex: $0) }
            if let key, madeKeys.contains(key) { continue }
            out.append(contentsOf: buffer[keyStarts[i]...ranges[i].upperBound])
            if out.count > 1 << 20 { guard Self.writeAll(next, out) else { discardNext(); return }; out.removeAll(keepingCapacity: true) }
        }
        guard Self.writeAll(next, out) else { discardNext(); return }
        close(next)
        next = -1
        if rename(nextPath, path) != 0 { unlink(nextPath) }
    }

    /// Opens the next file once, new: never one that is there already (a link put there would
    /// be written through). Called with the lock held.
    private func openNext() -> Bool {
        guard usable else { return false }
        if next >= 0 { return true }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC
        next = open(nextPath, flags, 0o644)
        if next < 0 && errno == EEXIST {
            unlink(nextPath)
            next = open(nextPath, flags, 0o644)
        }
        return next >= 0
    }

    private func discardNext() {
        if next >= 0 { close(next); next = -1; unlink(nextPath) }
    }

    deinit { discardNext() }
}

/// A memo too large to write again whole when one entry changes (every lesson file as the
/// loader read it): its entries spread over sixteen files by the first digit of their key,
/// so a build that changed one entry writes one sixteenth of it.
public final class ShardedMemo: @unchecked Sendable {
    private let shards: [MemoFile]

    /// The files `<name>-0.memo` … `<name>-f.memo` in `folder`.
    public init(folder: URL, name: String) {
        // Read and indexed on every core: the records of 10,000 lessons are tens of megabytes.
        let paths = (0..<16).map { folder.appendingPathComponent("\(name)-\(String($0, radix: 16)).memo") }
        var files = [MemoFile?](repeating: nil, count: paths.count)
        files.withUnsafeMutableBufferPointer { out in
            let o = out
            DispatchQueue.concurrentPerform(iterations: paths.count) { o[$0] = MemoFile(paths[$0]) }
        }
        shards = files.map { $0! }
    }

    private func shard(_ key: String) -> MemoFile {
        guard let c = key.utf8.first, let n = Int(String(UnicodeScalar(c)), radix: 16) else { return shards[0] }
        return shards[n]
    }

    public func bytes(_ key: String) -> ArraySlice<UInt8>? { shard(key).bytes(key) }
    public func store(_ key: String, _ bytes: [UInt8]) { shard(key).store(key, bytes) }
    public func text(_ key: String?, make: () -> String) -> String {
        guard let key else { return make() }
        return shard(key).text(key, make: make)
    }
    public func save() { for s in shards { s.save() } }
}

extension UInt64 {
    func rotated(_ n: UInt64) -> UInt64 { (self << n) | (self >> (64 - n)) }
}
