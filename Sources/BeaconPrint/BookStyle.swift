import Foundation
import Yams
import BeaconModel


/// A theme's print style for books (`themes/<name>/print.yml`, key `book`).
public struct BookStyle: Sendable {
    public var bodyFont = "Noto Serif CJK SC"
    public var headingFont = "Noto Sans CJK SC"
    public var quoteFont = "AR PL UKai CN"
    public var codeFont = "Noto Sans Mono CJK SC"
    public var bodySize = 9.5
    public var leading = 1.7
    public var accent = Colour(hex: "#a81c1c")!
    public var gold = Colour(hex: "#c9a227")!
    public var text = Colour(hex: "#1f1f1f")!
    public var muted = Colour(hex: "#595959")!
    /// Margins in mm.
    public var top = 13.0, bottom = 14.0, inner = 12.0, outer = 10.0

    public init() {}

    /// Reads the theme's print.yml; a missing file means the defaults, a broken one is reported.
    public static func load(theme folder: URL, displayPath: String, bag: DiagnosticBag) -> BookStyle {
        var style = BookStyle()
        let url = folder.appendingPathComponent("print.yml")
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return style }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            bag.error(SourceLocation(path: displayPath), "print.yml 格式错误 (invalid YAML): \(error)")
            return style
        }
        guard let book = node?.mapping?.first(where: { $0.key.string == "book" })?.value.mapping else { return style }
        func value(_ path: [String]) -> Node? {
            var cur: Node.Mapping? = book
            for (i, k) in path.enumerated() {
                guard let v = cur?.first(where: { $0.key.string == k })?.value else { return nil }
                if i == path.count - 1 { return v }
                cur = v.mapping
            }
            return nil
        }
        func colour(_ key: String, _ into: inout Colour) {
            guard let n = value(["colours", key]), let s = n.string else { return }
            if let c = Colour(hex: s) { into = c } else {
                bag.error(SourceLocation(path: displayPath, line: n.mark?.line ?? 1, column: n.mark?.column ?? 1),
                          "颜色 \(s) 应写成 #a81c1c (colour must be written as #rrggbb)")
            }
        }
        if let s = value(["fonts", "body"])?.string { style.bodyFont = s }
        if let s = value(["fonts", "heading"])?.string { style.headingFont = s }
        if let s = value(["fonts", "quote"])?.string { style.quoteFont = s }
        if let s = value(["fonts", "code"])?.string { style.codeFont = s }
        if let v = value(["body_size"])?.float, (6...16).contains(v) { style.bodySize = v }
        if let v = value(["leading"])?.float, (1.2...2.4).contains(v) { style.leading = v }
        colour("accent", &style.accent)
        colour("gold", &style.gold)
        colour("text", &style.text)
        colour("muted", &style.muted)
        if let v = value(["margins", "top"])?.float { style.top = v }
        if let v = value(["margins", "bottom"])?.float { style.bottom = v }
        if let v = value(["margins", "inner"])?.float { style.inner = v }
        if let v = value(["margins", "outer"])?.float { style.outer = v }
        return style
    }
}
