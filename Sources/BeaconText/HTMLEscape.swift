import Foundation

/// The one HTML escaper: `<`, `>`, `&`, `"` and `'` as entities, everything else as it is.
/// Used by the Markdown HTML writer and by templates (`{{% CONTENT_TYPE: HTML}}`).
public enum HTMLEscape {
    /// The five bytes are all below 0x3F: one comparison rules out the rest (every byte of a
    /// Chinese character is 0x80 or more).
    @inlinable
    static func needs(_ b: UInt8) -> Bool { b <= 0x3E && (b == 0x3C || b == 0x3E || b == 0x26 || b == 0x22 || b == 0x27) }

    /// Whether the text holds a byte to escape, read from its storage where it has one.
    @inlinable
    static func anyToEscape(_ text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ b -> Bool in
            for c in b where needs(c) { return true }
            return false
        }) { return found }
        return text.utf8.contains(where: needs)
    }

    public static func escape(_ text: String) -> String {
        guard anyToEscape(text) else { return text }
        var out = ""
        append(text, to: &out)
        return out
    }

    /// Appends `text` escaped to `out`, without an intermediate string when nothing needs it.
    public static func append(_ text: String, to out: inout String) {
        let utf8 = text.utf8
        guard anyToEscape(text) else { out += text; return }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count + 16)
        for b in utf8 {
            switch b {
            case 0x3C: bytes.append(contentsOf: "&lt;".utf8)
            case 0x3E: bytes.append(contentsOf: "&gt;".utf8)
            case 0x26: bytes.append(contentsOf: "&amp;".utf8)
            case 0x22: bytes.append(contentsOf: "&quot;".utf8)
            case 0x27: bytes.append(contentsOf: "&#39;".utf8)
            default: bytes.append(b)
            }
        }
        out += String(decoding: bytes, as: UTF8.self)
    }
}
