import Foundation
import Yams
import BeaconModel
import BeaconText

/// Reads a theme's print.yml as strictly as content: an unknown key is an error with the
/// closest known one, every number is checked against its range, colours must be #rrggbb,
/// each at the line and column where it was written. A missing file means the defaults.
public enum PrintSettingsLoader {
    /// The theme's print.yml: the built-in theme's, with the keys of the site's own print.yml
    /// (which may hold only the keys it changes) over it.
    public static func load(theme: ThemeFiles, bag: DiagnosticBag) -> PrintSettings {
        theme.layeredTexts("print.yml", bag: bag).reduce(PrintSettings()) { settings, layer in
            settings.overlaid(with: load(text: layer.text, displayPath: layer.display, bag: bag))
        }
    }

    public static func load(text: String, displayPath path: String, bag: DiagnosticBag) -> PrintSettings {
        var settings = PrintSettings()
        let root: Node?
        do { root = try YAMLText.compose(text, path: path, firstLine: 1) } catch {
            bag.report(error)
            return settings
        }
        guard let root else { return settings }
        guard let top = YAMLFields(root, path: path, firstLine: 1, bag: bag, what: "print.yml") else { return settings }
        unknownKeys(top, known: ["book"], bag: bag, in: "print.yml")
        guard let bookNode = top.entry("book")?.value else { return settings }
        guard let bookMapping = bookNode.mapping else {
            bag.error(top.location(of: bookNode), "print.yml 的 book 应当是“字段: 值”的形式 ('book' must be a mapping)")
            return settings
        }
        var book = YAMLFields(mapping: bookMapping, path: path, firstLine: 1, bag: bag)
        unknownKeys(book, known: PrintSettings.bookKeys, bag: bag, in: "book")

        if let fonts = sub(&book, "fonts", known: PrintSettings.fontRoles, bag: bag) {
            var f = fonts
            for role in PrintSettings.fontRoles {
                guard f.entry(role) != nil else { continue }
                if let name = f.string(role) {
                    settings.fonts[role] = .init(name, f.valueLocation(role))
                } else if !f.failed {
                    f.error(f.valueLocation(role), "字体 \(role) 是空的；请写字体名，例如 Noto Serif CJK SC (font '\(role)' is empty)")
                }
            }
        }
        settings.bodySize = number(&book, "body_size", PrintSettings.bodySizeRange, unit: ("磅", "pt"), label: "正文字号")
        settings.leading = number(&book, "leading", PrintSettings.leadingRange, unit: ("倍字号", "× the body size"), label: "行距")
        if let colours = sub(&book, "colours", known: PrintSettings.colourNames, bag: bag) {
            var c = colours
            for name in PrintSettings.colourNames {
                guard let value = c.string(name) else { continue }
                if Palette.RGB.written(value) != nil {
                    settings.colours[name] = value
                } else {
                    c.error(c.valueLocation(name), "颜色 \(name) 的值“\(value)”应写成 #a81c1c 的形式 (colour '\(name)' must be written as #rrggbb)")
                }
            }
        }
        if let margins = sub(&book, "margins", known: PrintSettings.marginNames, bag: bag) {
            var m = margins
            for name in PrintSettings.marginNames {
                if let v = number(&m, name, PrintSettings.marginRange, unit: ("毫米", "mm"), label: "页边距") { settings.margins[name] = v }
            }
        }
        settings.colophonNote = book.string("colophon_note")
        return settings
    }

    static func unknownKeys(_ fields: YAMLFields, known: [String], bag: DiagnosticBag, in what: String) {
        for (k, _) in fields.mapping {
            guard let name = k.string, !known.contains(name) else { continue }
            let hint = TextMeasures.suggestion(for: name, among: known)
            let zh = hint.map { "，是不是 \($0)？" } ?? "；可用的有 \(known.joined(separator: "、"))"
            let en = hint.map { "; did you mean '\($0)'?" } ?? "; known keys: \(known.joined(separator: ", "))"
            bag.error(fields.location(of: k), "\(what) 中没有 \(name) 这一项\(zh) (unknown key '\(name)' in \(what)\(en))")
        }
    }

    static func sub(_ fields: inout YAMLFields, _ key: String, known: [String], bag: DiagnosticBag) -> YAMLFields? {
        guard let node = fields.value(key) else { return nil }
        guard let mapping = node.mapping else {
            fields.error(fields.location(of: node), "\(key) 应当是“字段: 值”的形式 ('\(key)' must be a mapping)")
            return nil
        }
        let f = YAMLFields(mapping: mapping, path: fields.path, firstLine: fields.firstLine, bag: bag)
        unknownKeys(f, known: known, bag: bag, in: key)
        return f
    }

    static func number(_ fields: inout YAMLFields, _ key: String, _ range: ClosedRange<Double>, unit: (zh: String, en: String), label: String) -> Double? {
        guard let node = fields.value(key) else { return nil }
        let raw = node.string?.trimmingCharacters(in: .whitespaces) ?? (node.sequence != nil ? "一个列表 (a list)" : "一组字段 (a mapping)")
        guard let v = Double(raw), v.isFinite else {
            fields.error(fields.location(of: node), "\(key)（\(label)）应当是数字，现在是“\(raw)” ('\(key)' must be a number)")
            return nil
        }
        let lo = range.lowerBound.formatted(), hi = range.upperBound.formatted()
        guard range.contains(v) else {
            fields.error(fields.location(of: node), "\(key)（\(label)）应在 \(lo) 到 \(hi) 之间（单位：\(unit.zh)），现在是 \(raw) ('\(key)' must be \(lo)–\(hi) \(unit.en), got \(raw))")
            return nil
        }
        return v
    }
}
