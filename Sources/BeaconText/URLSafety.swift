import Foundation

/// The one rule for URLs an editor writes (Markdown links and pictures, raw HTML attributes):
/// a URL that would run script or open a local file is never published.
public enum URLSafety {
    /// The scheme of a URL as a browser reads it (`HTTPS` → `https`, spaces and control
    /// characters inside it skipped), or nil for a path (`a/b.md`, `/media/x.png`, `#id`).
    public static func scheme(of url: String) -> String? {
        var scheme = ""
        for s in url.unicodeScalars {
            if s.value <= 0x20 || s == "\u{7F}" { continue }
            if s == ":" { break }
            guard s.isASCII, s.properties.isAlphabetic || (!scheme.isEmpty && (("0"..."9").contains(s) || s == "+" || s == "-" || s == ".")) else { return nil }
            scheme.unicodeScalars.append(s)
            if scheme.count > 32 { return nil }
        }
        guard !scheme.isEmpty, url.contains(":") else { return nil }
        return scheme.lowercased()
    }

    /// `javascript:`, `vbscript:`, `file:`, and `data:` other than a picture, however spelt
    /// (case, whitespace or control characters inside the scheme, leading spaces).
    public static func isUnsafe(_ url: String) -> Bool {
        switch scheme(of: url) {
        case "javascript", "vbscript", "file": return true
        case "data":
            let rest = url.drop(while: { $0 != ":" }).dropFirst().lowercased().filter { !$0.isWhitespace }
            return !rest.hasPrefix("image/") || rest.hasPrefix("image/svg")
        default: return false
        }
    }
}
