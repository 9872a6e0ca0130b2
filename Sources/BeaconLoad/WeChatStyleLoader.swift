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
                              "pre", "pre-code", "code", "figure", "img", "figcaption", "strong", "em", "del", "hr", "sup",
                              "notes", "notes-title", "note", "references", "references-title", "reference"]

    /// The brand colours a style may name in braces.
    public static let colourNames = ["primary", "accent", "text", "muted"]

    /// CSS properties the article may not use, and why.
    static let forbidden: [(property: String, why: String)] = [
        ("position", "公众号编辑器会删除定位"), ("transform", "公众号编辑器会删除变形"), ("animation", "公众号不播放动画"),
        ("transition", "公众号不播放动画"), ("z-index", "没有定位就没有层次"), ("behavior", "不是标准 CSS"),
    ]

    public static func load(theme: ThemeFiles, bag: DiagnosticBag) -> [String: String] {
        let path = "wechat.yml"
        var styles: [String: String] = [:]
        for layer in theme.builtinLayers(path) {
            let display = "themes/\(layer.theme)/wechat.yml"
            guard let text = try? TextFile.decode(layer.data, displayPath: display) else { continue }
            styles.merge(load(text: text, displayPath: display, bag: bag)) { _, new in new }
        }
        guard theme.isLocal(path) else { return styles }
        do {
            guard let text = try theme.text(path) else { return styles }
            styles.merge(load(text: text, displayPath: theme.display(path), bag: bag)) { _, new in new }
        } catch {
            bag.report(error)
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

    /// What is wrong with a style for a WeChat article, or nil.
    static func problem(in css: String) -> String? {
        let lower = css.lowercased()
        if lower.contains("url(") || lower.contains("@import") || lower.contains("expression(") || lower.contains("@font-face") {
            return "不能从网址取图片或字体，公众号编辑器会删掉 (no url(), @import or web fonts)"
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
            let property = declaration.split(separator: ":", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            if property.isEmpty { continue }
            if let f = forbidden.first(where: { property == $0.property || property.hasPrefix($0.property + "-") || property.hasPrefix("-webkit-" + $0.property) }) {
                return "不能用 \(property)：\(f.why) (property '\(property)' is not allowed in a WeChat article)"
            }
            guard declaration.contains(":") else {
                return "“\(declaration.trimmingCharacters(in: .whitespaces))”不是“属性: 值”的写法 (not a CSS declaration)"
            }
        }
        return nil
    }
}
