import Foundation

/// The scalars of valid UTF-8 (the bytes of a Swift string), one by one, without the string
/// views' iterators: for loops over whole lesson texts.
public enum UTF8Scalars {
    @inlinable
    public static func forEach<C: RandomAccessCollection>(_ b: C, _ body: (UInt32) -> Void) where C.Element == UInt8, C.Index == Int {
        var i = b.startIndex
        let end = b.endIndex
        while i < end {
            let c = UInt32(b[i])
            if c < 0x80 {
                body(c); i += 1
            } else if c < 0xE0 {
                body((c & 0x1F) << 6 | UInt32(b[i + 1]) & 0x3F); i += 2
            } else if c < 0xF0 {
                body((c & 0x0F) << 12 | (UInt32(b[i + 1]) & 0x3F) << 6 | UInt32(b[i + 2]) & 0x3F); i += 3
            } else {
                body((c & 0x07) << 18 | (UInt32(b[i + 1]) & 0x3F) << 12 | (UInt32(b[i + 2]) & 0x3F) << 6 | UInt32(b[i + 3]) & 0x3F)
                i += 4
            }
        }
    }
}
