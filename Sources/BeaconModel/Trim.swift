import Foundation

extension StringProtocol {
    /// The text without white space (Unicode's White_Space, and the invisible U+200B and
    /// U+FEFF that pasted text brings) at either end; with `newlines: false`, line breaks
    /// stay. Foundation's `trimmingCharacters(in:)` bridges every call through NSString: the
    /// Markdown walker and the summaries trim every paragraph of every lesson.
    public func trimmingSpace(newlines: Bool = true) -> String {
        let scalars = unicodeScalars
        func space(_ s: Unicode.Scalar) -> Bool {
            switch s.value {
            case 0x20, 0x09: return true
            case 0x0A...0x0D, 0x85, 0x2028, 0x2029: return newlines
            case 0x200B, 0xFEFF: return true
            case 0..<0x80: return false
            default: return s.properties.isWhitespace
            }
        }
        guard let first = scalars.firstIndex(where: { !space($0) }) else { return "" }
        var end = scalars.endIndex
        while end > first, space(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return String(decoding: utf8[first..<end], as: UTF8.self)
    }
}
