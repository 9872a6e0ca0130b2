import Foundation
import CZlibCRC

/// A ZIP whose entries are stored as they are (the print shop's PDFs, compressed already):
/// each file is read once in pieces of 1 MiB, its CRC-32 taken by zlib as it is copied, and
/// its header's CRC written in place afterwards. Entries and offsets past the classic format's
/// limits (65,535 entries, 4 GiB) use the ZIP64 records. The same files and date give the same
/// bytes.
public enum StoredZip {
    public struct Entry: Sendable {
        /// The name inside the ZIP (`支部亮牌/qingshi-cun.pdf`).
        public var name: String
        /// The file to store.
        public var path: String
        public init(name: String, path: String) { self.name = name; self.path = path }
    }

    struct Written {
        var name: [UInt8]
        var crc: UInt32
        var size: UInt64
        var offset: UInt64
    }

    static let chunk = 1 << 20

    public static func write(_ entries: [Entry], date: Date, to path: String) throws {
        let out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard out >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(out) }
        let (dosTime, dosDate) = dos(date)
        var offset: UInt64 = 0
        var written: [Written] = []
        written.reserveCapacity(entries.count)
        var buffer = [UInt8](repeating: 0, count: chunk)
        func put(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try BeaconOutput.writeAll(out, $0) }
            offset += UInt64(bytes.count)
        }
        for e in entries {
            let input = open(e.path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
            guard input >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            defer { close(input) }
            var st = stat()
            guard fstat(input, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { throw POSIXError(.EINVAL) }
            let size = UInt64(st.st_size)
            let name = Array(e.name.utf8)
            guard name.count <= 0xFFFF else { throw POSIXError(.ENAMETOOLONG) }
            let start = offset
            let large = size >= 0xFFFF_FFFF
            // The local header; sizes in a ZIP64 field when the file is 4 GiB or more.
            var h = Record()
            h.u32(0x0403_4B50); h.u16(large ? 45 : 20); h.u16(0x0800); h.u16(0); h.u16(dosTime); h.u16(dosDate)
            h.u32(0)                                                  // CRC-32, written after the data
            h.u32(large ? 0xFFFF_FFFF : UInt32(size)); h.u32(large ? 0xFFFF_FFFF : UInt32(size))
            h.u16(UInt16(name.count)); h.u16(large ? 20 : 0)
            h.bytes(name)
            if large { h.u16(1); h.u16(16); h.u64(size); h.u64(size) }
            try put(h.data)
            var crc = crc32(0, nil, 0)
            var left = size
            while left > 0 {
                let n = try buffer.withUnsafeMutableBytes { raw -> Int in
                    while true {
                        let got = read(input, raw.baseAddress, min(raw.count, Int(clamping: left)))
                        if got >= 0 { return got }
                        if errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
                    }
                }
                guard n > 0 else { throw POSIXError(.EIO) }   // the file shrank while read
                buffer.withUnsafeBytes { raw in crc = crc32(crc, raw.bindMemory(to: UInt8.self).baseAddress, uInt(n)) }
                try buffer.withUnsafeBytes { try BeaconOutput.writeAll(out, UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
                offset += UInt64(n)
                left -= UInt64(n)
            }
            var c = Record()
            c.u32(UInt32(crc))
            try c.data.withUnsafeBytes { raw in
                guard pwrite(out, raw.baseAddress, 4, off_t(start + 14)) == 4 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            }
            written.append(Written(name: name, crc: UInt32(crc), size: size, offset: start))
        }
        // The central directory.
        let directoryStart = offset
        for w in written {
            let bigSize = w.size >= 0xFFFF_FFFF, bigOffset = w.offset >= 0xFFFF_FFFF
            var extra = Record()
            if bigSize || bigOffset {
                extra.u16(1); extra.u16(UInt16((bigSize ? 16 : 0) + (bigOffset ? 8 : 0)))
                if bigSize { extra.u64(w.size); extra.u64(w.size) }
                if bigOffset { extra.u64(w.offset) }
            }
            var d = Record()
            d.u32(0x0201_4B50); d.u16(0x0300 | 45); d.u16(bigSize || bigOffset ? 45 : 20); d.u16(0x0800); d.u16(0)
            d.u16(dosTime); d.u16(dosDate); d.u32(w.crc)
            d.u32(bigSize ? 0xFFFF_FFFF : UInt32(w.size)); d.u32(bigSize ? 0xFFFF_FFFF : UInt32(w.size))
            d.u16(UInt16(w.name.count)); d.u16(UInt16(extra.data.count)); d.u16(0); d.u16(0); d.u16(0)
            d.u32(0o100644 << 16)                                     // a regular file, rw-r--r--
            d.u32(bigOffset ? 0xFFFF_FFFF : UInt32(w.offset))
            d.bytes(w.name); d.bytes(extra.data)
            try put(d.data)
        }
        let directorySize = offset - directoryStart
        let count = UInt64(written.count)
        var end = Record()
        if count >= 0xFFFF || directoryStart >= 0xFFFF_FFFF || directorySize >= 0xFFFF_FFFF {
            let recordStart = offset
            end.u32(0x0606_4B50); end.u64(44); end.u16(0x0300 | 45); end.u16(45); end.u32(0); end.u32(0)
            end.u64(count); end.u64(count); end.u64(directorySize); end.u64(directoryStart)
            end.u32(0x0706_4B50); end.u32(0); end.u64(recordStart); end.u32(1)
        }
        end.u32(0x0605_4B50); end.u16(0); end.u16(0)
        end.u16(UInt16(min(count, 0xFFFF))); end.u16(UInt16(min(count, 0xFFFF)))
        end.u32(UInt32(min(directorySize, 0xFFFF_FFFF))); end.u32(UInt32(min(directoryStart, 0xFFFF_FFFF)))
        end.u16(0)
        try put(end.data)
    }

    /// MS-DOS date and time (two-second steps, 1980–2107), in China Standard Time (the time
    /// of the site's dates) on every machine, so that the same date gives the same bytes.
    static func dos(_ date: Date) -> (time: UInt16, date: UInt16) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 8 * 3600)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let year = min(max(c.year ?? 1980, 1980), 2107)
        if year != c.year { return (0, UInt16((year - 1980) << 9 | 1 << 5 | 1)) }
        let time = (c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2
        let day = (year - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1)
        return (UInt16(time), UInt16(day))
    }

    /// Little-endian fields.
    struct Record {
        var data: [UInt8] = []
        mutating func u16(_ v: UInt16) { data.append(UInt8(v & 0xFF)); data.append(UInt8(v >> 8)) }
        mutating func u32(_ v: UInt32) { for i in 0..<4 { data.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
        mutating func u64(_ v: UInt64) { for i in 0..<8 { data.append(UInt8((v >> (8 * UInt64(i))) & 0xFF)) } }
        mutating func bytes(_ b: [UInt8]) { data.append(contentsOf: b) }
    }
}
