import Foundation

/// The one rule for URLs an editor writes (Markdown links and pictures, raw HTML attributes):
/// a URL that would run script or open a local file is never published.
public enum URLSafety {
    /// `javascript:`, `vbscript:`, `file:`, and `data:` other than a picture, however spelt
    /// (case, whitespace or control characters inside the scheme, leading spaces).
    public static func isUnsafe(_ url: String) -> Bool {
        var scheme = ""
        for s in url.unicodeScalars {
            if s.value <= 0x20 || s == "\u{7F}" { continue }       // browsers skip these inside a scheme
            if s == ":" { break }
            guard s.isASCII, s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "+" || s == "-" || s == "." else { return false }
            scheme.unicodeScalars.append(s)
            if scheme.count > 20 { return false }
        }
        guard url.contains(":") else { return false }
        switch scheme.lowercased() {
        case "javascript", "vbscript", "file": return true
        case "data":
            let rest = url.drop(while: { $0 != ":" }).dropFirst().lowercased().filter { !$0.isWhitespace }
            return !rest.hasPrefix("image/") || rest.hasPrefix("image/svg")
        default: return false
        }
    }
}
