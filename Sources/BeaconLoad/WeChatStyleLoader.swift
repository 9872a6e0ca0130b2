import Foundation
import Yams
import BeaconModel
import BeaconText

/// Reads a theme's wechat.yml: the inline style of each element of a WeChat article. The
/// built-in theme's file is read first, then the keys of the site's own wechat.yml over it.
/// Each value is CSS declarations; `{primary}`, `{accent}`, `{text}` and `{muted}` stand for
/// the brand colours. What the WeChat editor would drop or what moves text out of the flow
/// (positioning, transforms, animations, pictures and fonts from addresses) is an error at
/// the line and column of the value.
public enum WeChatStyleLoader {
    /// Every key a wechat.yml may set.
    public static let keys = ["article", "h2", "h3", "h4", "p", "blockquote", "ul", "ol", "li", "table-wrap", "table", "th", "td",
                              "pre", "pre-code", "code", "figure", "img", "img-inline", "figcaption", "strong", "em", "del", "hr", "sup",
                              "notes", "notes-title", "note", "references", "references-title", "reference"]

    /// The brand colours a style may name in braces.
    public static let colourNames = ["primary", "accent", "text", "muted"]

    /// The CSS properties an article may use: type, colour, spacing, borders and the box. An
    /// allow-list, since the editor drops what it does not know and what moves text out of the
    /// flow (positioning, transforms, animations) must never reach the article.
    public static let properties: Set<String> = [
        "color", "background-color", "font-size", "font-weight", "font-style", "font-family", "line-height",
        "letter-spacing", "word-spacing", "text-align", "text-indent", "text-decoration", "text-decoration-line",
        "text-decoration-color", "text-decoration-style", "text-underline-offset", "vertical-align", "white-space",
        "word-break", "overflow-wrap", "overflow-x", "overflow", "display", "width", "max-width", "min-width",
        "height", "max-height", "min-height", "box-sizing", "list-style", "list-style-type", "list-style-position",
        "border-collapse", "border-spacing", "table-layout", "opacity",
        "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
        "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
        "border", "border-top", "border-right", "border-bottom", "border-left", "border-width", "border-style",
        "border-color", "border-top-width", "border-right-width", "border-bottom-width", "border-left-width",
        "border-top-style", "border-right-style", "border-bottom-style", "border-left-style", "border-top-color",
        "border-right-color", "border-bottom-color", "border-left-color", "border-radius",
    ]

    /// The longest value: a style is a few declarations, never a document.
    public static let maxLength = 1_000

    public static func load(theme: ThemeFiles, bag: DiagnosticBag) -> [String: String] {
        var styles: [String: String] = [:]
        for layer in theme.layeredTexts("wechat.yml", bag: bag) {
            styles.merge(load(text: layer.text, displayPath: layer.display, bag: bag)) { _, new in new }
        }
        return styles
    }

    public static func load(text: String, displayPath path: String, bag: DiagnosticBag) -> [String: String] {
        var styles: [String: String] = [:]
        let root: Node?
        do { root = try YAMLText.compose(text, path: path, firstLine: 1) } catch {
            bag.report(error)
            return styles
        }
        guard let root else { return styles }
        guard var top = YAMLFields(root, path: path, firstLine: 1, bag: bag, what: "wechat.yml") else { return styles }
        PrintSettingsLoader.unknownKeys(top, known: keys, bag: bag, in: "wechat.yml")
        for key in keys where top.entry(key) != nil {
            let at = top.valueLocation(key)
            guard let css = top.string(key) else { continue }
            if let problem = problem(in: css) {
                bag.error(at, "wechat.yml 的 \(key)：\(problem)")
                continue
            }
            styles[key] = css.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return styles
    }

    /// What is wrong with a style for a WeChat article, or nil. Values are read strictly: no
    /// escapes, comments or quotes holding `;` (which could hide a property from this check),
    /// no function that fetches (url(), image-set()), only properties of `properties`.
    static func problem(in css: String) -> String? {
        if css.unicodeScalars.count > maxLength { return "超过 \(maxLength) 个字符 (longer than \(maxLength) characters)" }
        if let bad = css.unicodeScalars.first(where: { $0 == "\\" || $0 == "<" || $0 == ">" || $0 == "@" || $0 == "\"" || $0.properties.generalCategory == .control }) {
            return "不能用字符 \(bad == "\"" ? "\"" : String(bad))；字体名请用单引号 (character '\(bad)' is not allowed; quote font names with ')"
        }
        let lower = css.lowercased()
        if lower.contains("/*") { return "不能写注释 (no comments)" }
        for f in ["url(", "image-set(", "image(", "element(", "expression(", "cross-fade(", "paint("] where lower.contains(f) {
            return "不能用 \(f)…)：公众号编辑器不从网址取图片或字体 (\(f)…) is not allowed)"
        }
        var rest = Substring(css)
        while let open = rest.firstIndex(of: "{") {
            guard let close = rest[open...].firstIndex(of: "}") else { return "“{”没有配对的“}” (unclosed '{')" }
            let name = rest[rest.index(after: open)..<close]
            if !colourNames.contains(String(name)) {
                return "没有 {\(name)} 这种颜色；可用 {primary} {accent} {text} {muted} (unknown colour '{\(name)}')"
            }
            rest = rest[rest.index(after: close)...]
        }
        if rest.contains("}") { return "多了一个“}” (stray '}')" }
        for declaration in lower.split(separator: ";") {
            let trimmed = declaration.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { continue }
            guard let colon = trimmed.firstIndex(of: ":") else {
                return "“\(trimmed)”不是“属性: 值”的写法 (not a CSS declaration)"
            }
            let property = trimmed[..<colon].trimmingCharacters(in: .whitespaces)
            guard properties.contains(property) else {
                let why = ["position", "transform", "translate", "rotate", "scale", "animation", "transition", "z-index", "float"]
                    .contains(where: { property.contains($0) }) ? "公众号编辑器会删掉，或会让文字离开正文" : "公众号文章里不用这个属性"
                return "不能用 \(property)：\(why) (property '\(property)' is not allowed in a WeChat article)"
            }
        }
        return nil
    }
}
