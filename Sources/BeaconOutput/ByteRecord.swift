import Foundation

/// A compact record of values for the build cache's memo files: numbers as variable-length
/// integers, texts as their length and UTF-8 bytes. `ByteReader` reads what `ByteWriter`
/// wrote; a record that is cut short or not of that shape (a damaged or foreign cache file)
/// makes the reader fail, never crash or allocate more than the record holds.
public struct ByteWriter {
    public private(set) var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    /// The record in an array of its own size (a memo holds thousands of them to the end of a
    /// build: the slack of a growing array would be as much again).
    public var finished: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            _ = buffer.initialize(from: bytes)
            count = bytes.count
        }
    }

    public mutating func uint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    /// Signed, zigzag-coded: small negative numbers stay short.
    public mutating func int(_ value: Int) {
        let v = Int64(value)
        uint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    public mutating func double(_ value: Double) { uint(value.bitPattern) }

    public mutating func string(_ value: String) {
        var s = value
        s.withUTF8 { b in
            uint(UInt64(b.count))
            bytes.append(contentsOf: b)
        }
    }

    public mutating func optional(_ value: String?) {
        bool(value != nil)
        if let value { string(value) }
    }

    public mutating func optional(_ value: Int?) {
        bool(value != nil)
        if let value { int(value) }
    }

    public mutating func strings(_ values: [String]) {
        uint(UInt64(values.count))
        for v in values { string(v) }
    }
}

public struct ByteReader {
    private let bytes: ArraySlice<UInt8>
    private var at: Int
    /// Set once anything could not be read; every read after it gives an empty value.
    public private(set) var failed = false

    public init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        at = bytes.startIndex
    }

    public init(_ bytes: [UInt8]) { self.init(bytes[...]) }

    /// Whether the whole record was read without a failure.
    public var isComplete: Bool { !failed && at == bytes.endIndex }

    public mutating func uint() -> UInt64 {
        var v: UInt64 = 0, shift: UInt64 = 0
        while !failed {
            guard at < bytes.endIndex, shift < 64 else { failed = true; break }
            let b = bytes[at]
            at += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        return 0
    }

    public mutating func int() -> Int {
        let u = uint()
        let v = Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
        guard let i = Int(exactly: v) else { failed = true; return 0 }
        return i
    }

    public mutating func bool() -> Bool {
        guard !failed, at < bytes.endIndex, bytes[at] <= 1 else { failed = true; return false }
        at += 1
        return bytes[at - 1] == 1
    }

    public mutating func double() -> Double { Double(bitPattern: uint()) }

    public mutating func string() -> String {
        let n = uint()
        guard !failed, n <= UInt64(bytes.endIndex - at) else { failed = true; return "" }
        let end = at + Int(n)
        defer { at = end }
        return String(decoding: bytes[at..<end], as: UTF8.self)
    }

    public mutating func optionalString() -> String? { bool() ? string() : nil }

    public mutating func optionalInt() -> Int? { bool() ? int() : nil }

    /// A count of items that each take at least one byte: never more than the bytes left.
    public mutating func count() -> Int {
        let n = uint()
        guard !failed, n <= UInt64(bytes.endIndex - at) else { failed = true; return 0 }
        return Int(n)
    }

    public mutating func strings() -> [String] {
        let n = count()
        var out: [String] = []
        out.reserveCapacity(min(n, 1024))
        for _ in 0..<n {
            out.append(string())
            if failed { return [] }
        }
        return out
    }
}
