import Foundation
import Yams
import BeaconModel
import BeaconText
import BeaconThemes

/// The words of a theme's interface (strings.yml): the built-in layers' and then the site's own,
/// each key checked against the default theme's list.
public struct UIStrings: Sendable {
    public private(set) var hans: [String: String] = [:]
    /// How the zh-Hant edition says a string, where the theme says so.
    public private(set) var hant: [String: String] = [:]

    public init(hans: [String: String] = [:], hant: [String: String] = [:]) {
        self.hans = hans
        self.hant = hant
    }

    /// The keys a theme may set: those of the built-in default theme.
    public static let known: [String] = {
        guard let data = BuiltinThemes.file("default", "strings.yml"), let text = String(data: data, encoding: .utf8),
              let node = try? Yams.compose(yaml: text), let m = node.mapping?.first(where: { $0.key.string == "zh-Hans" })?.value.mapping else { return [] }
        return m.compactMap { $0.key.string }
    }()

    public static func load(theme: ThemeFiles, bag: DiagnosticBag) -> UIStrings {
        var out = UIStrings()
        var layers: [(String, String)] = []
        if let d = BuiltinThemes.file("default", "strings.yml"), let t = String(data: d, encoding: .utf8), !theme.chain.contains("default") {
            layers.append(("themes/default/strings.yml", t))
        }
        for l in theme.builtinLayers("strings.yml") {
            if let t = String(data: l.data, encoding: .utf8) { layers.append(("themes/\(l.theme)/strings.yml", t)) }
        }
        if theme.isLocal("strings.yml") {
            do {
                if let t = try theme.text("strings.yml") { layers.append((theme.display("strings.yml"), t)) }
            } catch { bag.report(error) }
        }
        for (path, text) in layers {
            let node: Node?
            do { node = try YAMLText.compose(text, path: path, firstLine: 1) } catch { bag.report(error); continue }
            guard let node else { continue }
            guard let top = YAMLFields(node, path: path, firstLine: 1, bag: bag, what: "strings.yml") else { continue }
            for (k, v) in top.mapping {
                let lang = k.string ?? ""
                guard lang == "zh-Hans" || lang == "zh-Hant" else {
                    bag.error(top.location(of: k), "strings.yml 只能有 zh-Hans 和 zh-Hant 两部分，这里是 \(lang) (strings.yml holds zh-Hans and zh-Hant)")
                    continue
                }
                guard let m = v.mapping else {
                    bag.error(top.location(of: v), "\(lang) 写成“键: 文字”，例如 nav.home: 首页 (\(lang) maps keys to text)")
                    continue
                }
                for (key, value) in m {
                    let name = key.string ?? ""
                    guard known.contains(name) else {
                        let hint = TextMeasures.suggestion(for: name, among: known)
                        bag.error(top.location(of: key), "strings.yml 没有 \(name) 这个键\(hint.map { "，是不是 \($0)？" } ?? "") (unknown string key '\(name)'\(hint.map { "; did you mean '\($0)'?" } ?? ""))")
                        continue
                    }
                    guard let s = value.string, !s.isEmpty else {
                        bag.error(top.location(of: value), "\(name) 应当是一段文字 ('\(name)' must be text)")
                        continue
                    }
                    if lang == "zh-Hans" { out.hans[name] = s } else { out.hant[name] = s }
                }
            }
        }
        return out
    }

    /// A string with its `{name}` fields filled in.
    public func text(_ key: String, _ fields: [String: String] = [:]) -> String {
        var s = hans[key] ?? key
        for (k, v) in fields { s = s.replacingOccurrences(of: "{\(k)}", with: v) }
        return s
    }
}
