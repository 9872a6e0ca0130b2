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

    /// The built-in theme a built-in theme extends (its theme.yml `extends:`), if any.
    public static func parent(of theme: String) -> String? {
        guard let data = file(theme, "theme.yml"), let text = String(data: data, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("extends:") {
            let v = line.dropFirst("extends:".count).split(separator: "#").first?.trimmingCharacters(in: .whitespaces) ?? ""
            if !v.isEmpty && v != theme && decoded[v] != nil { return v }
        }
        return nil
    }

    /// One file of a built-in theme.
    public static func file(_ theme: String, _ path: String) -> Data? { decoded[theme]?[path] }
}
