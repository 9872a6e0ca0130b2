import Foundation
import BeaconModel
import BeaconText
import CPrint


/// A theme's print style for books (`themes/<name>/print.yml`, key `book`).
public struct BookStyle: Sendable {
    public var bodyFont = "Noto Serif CJK SC"
    public var headingFont = "Noto Sans CJK SC"
    public var quoteFont = "LXGW WenKai"
    public var codeFont = "Noto Sans Mono CJK SC"
    public var bodySize = 9.5
    public var leading = 1.7
    public var accent = Colour(hex: "#a81c1c")!
    public var gold = Colour(hex: "#c9a227")!
    public var text = Colour(hex: "#1f1f1f")!
    public var muted = Colour(hex: "#595959")!
    /// The ground of board blocks and of code in books.
    public var tint = Colour(hex: "#faf2e6")!
    /// A board's background.
    public var paper = Colour(hex: "#fdf8f0")!
    /// Margins in mm.
    public var top = 13.0, bottom = 14.0, inner = 12.0, outer = 10.0

    public init() {}

    /// A line under the colophon, when the theme asks for one.
    public var colophonNote: String?
    /// The site's logo (site.yml `logo`), a file path: on book covers and board footers.
    public var logo: String?

    /// The style of a theme's checked print.yml. A font that fontconfig does not have would be
    /// replaced silently by another; it is an error naming the font and what is installed.
    public init(_ settings: PrintSettings, bag: DiagnosticBag) {
        for role in PrintSettings.fontRoles {
            guard let f = settings.fonts[role] else { continue }
            let near = FontCatalogue.chineseFamilies()
            // Those Beacon's themes use first, then the rest: a list an editor can pick from.
            let preferred = ["Noto Serif CJK SC", "Noto Sans CJK SC", "LXGW WenKai", "Noto Sans Mono CJK SC"].filter(near.contains)
            let listed = preferred + near.filter { !preferred.contains($0) }
            let shown = listed.prefix(12).joined(separator: "、") + (listed.count > 12 ? "……" : "")
            let shownEn = listed.prefix(12).joined(separator: ", ") + (listed.count > 12 ? ", …" : "")
            guard FontCatalogue.has(f.value) else {
                let hint = TextMeasures.suggestion(for: f.value, among: near)
                bag.error(f.location, "字体“\(f.value)”没有安装（fontconfig 找不到）\(hint.map { "，是不是 \($0)？" } ?? "；")已安装的中文字体有：\(shown) (font '\(f.value)' is not installed\(hint.map { "; did you mean '\($0)'?" } ?? ""); installed Chinese fonts: \(shownEn))")
                continue
            }
            // A face without Chinese would be replaced, silently, by whatever fontconfig picks.
            if role != "code" && !FontCatalogue.coversChinese(f.value) {
                bag.error(f.location, "字体“\(f.value)”没有中文字形，中文会被别的字体替换；请选中文字体：\(shown) (font '\(f.value)' has no Chinese glyphs; installed Chinese fonts: \(shownEn))")
                continue
            }
            switch role {
            case "body": bodyFont = f.value
            case "heading": headingFont = f.value
            case "quote": quoteFont = f.value
            default: codeFont = f.value
            }
        }
        if let v = settings.bodySize { bodySize = v }
        if let v = settings.leading { leading = v }
        for (name, hex) in settings.colours {
            guard let c = Colour(hex: hex) else { continue }
            switch name {
            case "accent": accent = c
            case "gold": gold = c
            case "text": text = c
            case "tint": tint = c
            case "paper": paper = c
            default: muted = c
            }
        }
        for (name, v) in settings.margins {
            switch name {
            case "top": top = v
            case "bottom": bottom = v
            case "inner": inner = v
            default: outer = v
            }
        }
        colophonNote = settings.colophonNote
    }
}

/// What fontconfig has installed.
public enum FontCatalogue {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var known: [String: Bool] = [:]

    /// Whether fontconfig has a font with this family name (any of a font's names counts:
    /// "LXGW WenKai" and "霞鹜文楷" are the same face).
    public static func has(_ family: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        if let k = known[family] { return k }
        let found = !families(matching: family, lang: nil).isEmpty
        known[family] = found
        return found
    }

    /// Whether a family has a face that covers Simplified Chinese.
    public static func coversChinese(_ family: String) -> Bool {
        lock.lock(); defer { lock.unlock() }
        return !families(matching: family, lang: "zh-cn").isEmpty
    }

    /// Family names of the installed fonts that cover Simplified Chinese, sorted.
    public static func chineseFamilies() -> [String] {
        lock.lock(); defer { lock.unlock() }
        return families(matching: nil, lang: "zh-cn")
    }

    nonisolated(unsafe) private static var stamps: [String: String] = [:]

    /// What the faces of these families are on this machine: for each, in regular and bold,
    /// the file fontconfig picks for Chinese text with its size and date. Cached drawings
    /// (boards, WeChat pictures) are keyed by it, so that a font installed, removed or
    /// updated draws them again.
    public static func stamp(_ families: [String]) -> String {
        lock.lock(); defer { lock.unlock() }
        return families.map { family in
            if let s = stamps[family] { return s }
            let s = family + ":" + [FC_WEIGHT_REGULAR, FC_WEIGHT_BOLD].map { face(family, weight: Int32($0)) }.joined(separator: ";")
            stamps[family] = s
            return s
        }.joined(separator: "|")
    }

    /// The file fontconfig matches for a family at a weight, with its size and date.
    private static func face(_ family: String, weight: Int32) -> String {
        guard let pattern = FcPatternCreate() else { return "-" }
        defer { FcPatternDestroy(pattern) }
        _ = family.withCString { $0.withMemoryRebound(to: FcChar8.self, capacity: family.utf8.count + 1) { FcPatternAddString(pattern, FC_FAMILY, $0) } }
        FcPatternAddInteger(pattern, FC_WEIGHT, weight)
        if let set = FcLangSetCreate() {
            _ = "zh-cn".withCString { $0.withMemoryRebound(to: FcChar8.self, capacity: 6) { FcLangSetAdd(set, $0) } }
            FcPatternAddLangSet(pattern, FC_LANG, set)
            FcLangSetDestroy(set)
        }
        FcConfigSubstitute(nil, pattern, FcMatchPattern)
        FcDefaultSubstitute(pattern)
        var result = FcResultNoMatch
        guard let match = FcFontMatch(nil, pattern, &result) else { return "-" }
        defer { FcPatternDestroy(match) }
        var file: UnsafeMutablePointer<FcChar8>?
        var index: Int32 = 0
        guard FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch, let file else { return "-" }
        _ = FcPatternGetInteger(match, FC_INDEX, 0, &index)
        let path = String(cString: file)
        var st = stat()
        let facts = stat(path, &st) == 0 ? "\(st.st_size) \(st.st_mtim.tv_sec)" : "missing"
        return "\(path)#\(index) \(facts)"
    }

    private static func families(matching family: String?, lang: String?) -> [String] {
        guard let pattern = FcPatternCreate() else { return [] }
        defer { FcPatternDestroy(pattern) }
        if let family { _ = family.withCString { $0.withMemoryRebound(to: FcChar8.self, capacity: family.utf8.count + 1) { FcPatternAddString(pattern, FC_FAMILY, $0) } } }
        if let lang, let set = FcLangSetCreate() {
            _ = lang.withCString { $0.withMemoryRebound(to: FcChar8.self, capacity: lang.utf8.count + 1) { FcLangSetAdd(set, $0) } }
            FcPatternAddLangSet(pattern, FC_LANG, set)
            FcLangSetDestroy(set)
        }
        guard let os = FcObjectSetCreate() else { return [] }
        defer { FcObjectSetDestroy(os) }
        FcObjectSetAdd(os, FC_FAMILY)
        guard let list = FcFontList(nil, pattern, os) else { return [] }
        defer { FcFontSetDestroy(list) }
        var names = Set<String>()
        for i in 0..<Int(list.pointee.nfont) {
            guard let font = list.pointee.fonts[i] else { continue }
            var value: UnsafeMutablePointer<FcChar8>?
            if FcPatternGetString(font, FC_FAMILY, 0, &value) == FcResultMatch, let value {
                names.insert(String(cString: value))
            }
        }
        return names.sorted()
    }
}
