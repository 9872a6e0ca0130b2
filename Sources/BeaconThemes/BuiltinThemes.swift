import Foundation

/// The themes compiled into Beacon (from the repository's themes/ folder, by
/// scripts/embed-themes): a site may use one as it is, or hold only the files it changes.
public enum BuiltinThemes {
    private static let decoded: [String: [String: Data]] = {
        var out: [String: [String: Data]] = [:]
        for (key, value) in Embedded.files {
            guard let slash = key.firstIndex(of: "/"), let data = Data(base64Encoded: value) else { continue }
            out[String(key[..<slash]), default: [:]][String(key[key.index(after: slash)...])] = data
        }
        return out
    }()

    /// The names of the built-in themes.
    public static var names: [String] { decoded.keys.sorted() }

    /// Paths of a built-in theme's files, relative to the theme (`templates/base.mustache`).
    public static func files(of theme: String) -> [String] { (decoded[theme] ?? [:]).keys.sorted() }

    /// One file of a built-in theme.
    public static func file(_ theme: String, _ path: String) -> Data? { decoded[theme]?[path] }
}
