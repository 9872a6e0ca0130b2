import CZlibCRC

/// Whether bytes are a whole PNG file: the signature, then chunks whose lengths add up to the
/// end and whose CRCs match their bytes, ending with `IEND`. For a picture read back from the
/// build cache (a cut or spoilt entry is drawn again, never built into a page).
public enum PNGFile {
    public static func isWhole(_ b: [UInt8]) -> Bool {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard b.count >= 8 + 12, b.prefix(8).elementsEqual(signature) else { return false }
        return b.withUnsafeBufferPointer { p -> Bool in
            var at = 8
            while at + 12 <= p.count {
                let length = Int(p[at]) << 24 | Int(p[at + 1]) << 16 | Int(p[at + 2]) << 8 | Int(p[at + 3])
                guard length <= p.count - at - 12 else { return false }
                let body = p.baseAddress! + at + 4
                let crc = crc32(0, body, uInt(length + 4))
                let end = at + 8 + length
                let stored = UInt(p[end]) << 24 | UInt(p[end + 1]) << 16 | UInt(p[end + 2]) << 8 | UInt(p[end + 3])
                guard crc == stored else { return false }
                let isEnd = p[at + 4] == 0x49 && p[at + 5] == 0x45 && p[at + 6] == 0x4E && p[at + 7] == 0x44
                at = end + 4
                if isEnd { return at == p.count }
            }
            return false
        }
    }
}
