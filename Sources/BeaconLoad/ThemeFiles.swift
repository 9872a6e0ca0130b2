import Foundation
import Yams
import BeaconModel
import BeaconText
import BeaconThemes

/// A site's theme as Beacon reads it: the files of the site's `themes/<name>/` over those of
/// the built-in theme underneath, so that a site keeps only what it changes and every Beacon
/// upgrade reaches the rest.
///
/// - `themes/<name>/theme.yml` with `extends: default`: the site's files over the built-in
///   `default`.
/// - No `extends`, and `<name>` is a built-in theme: the built-in theme, with any file the
///   site holds under `themes/<name>/` taking its place (no folder at all is the built-in
///   theme as it is).
/// - Otherwise the site's folder is a theme of its own and must hold every template.
public struct ThemeFiles: Sendable {
    public let name: String
    /// The site's `themes/<name>/` (it may not exist).
    public let folder: URL
    /// The built-in theme underneath, if any.
    public let base: String?
    /// Paths, relative to the theme, of the files the site holds.
    public let local: Set<String>

    public init(name: String, folder: URL, base: String?, local: Set<String>) {
        self.name = name
        self.folder = folder
        self.base = base
        self.local = local
    }

    public static func resolve(root: URL, name: String, bag: DiagnosticBag, location: SourceLocation) -> ThemeFiles? {
        let folder = root.appendingPathComponent("themes").appendingPathComponent(name)
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDir) && isDir.boolValue
        let local = exists ? Set(FileTree.files(under: folder.path)) : []
        var base: String? = BuiltinThemes.names.contains(name) ? name : nil
        if local.contains("theme.yml") {
            let display = "themes/\(name)/theme.yml"
            do {
                let text = try TextFile.read(folder.appendingPathComponent("theme.yml"), displayPath: display, within: folder)
                let node = try YAMLText.compose(text, path: display, firstLine: 1)
                if let fields = node.flatMap({ YAMLFields($0, path: display, firstLine: 1, bag: bag, what: "theme.yml") }),
                   let entry = fields.entry("extends") {
                    guard let parent = entry.value.string, BuiltinThemes.names.contains(parent) else {
                        let given = entry.value.string ?? ""
                        let hint = TextMeasures.suggestion(for: given, among: BuiltinThemes.names)
                        bag.error(fields.location(of: entry.value),
                                  "extends: 没有名为“\(given)”的内置主题\(hint.map { "，是不是 \($0)？" } ?? "")；内置主题有 \(BuiltinThemes.names.joined(separator: "、")) (no built-in theme '\(given)'\(hint.map { "; did you mean '\($0)'?" } ?? ""))")
                        return nil
                    }
                    base = parent
                }
            } catch {
                bag.report(error)
                return nil
            }
        }
        if base == nil && !exists {
            let hint = TextMeasures.suggestion(for: name, among: BuiltinThemes.names)
            bag.error(location, "找不到主题“\(name)”：themes/\(name)/ 不存在，也没有这个内置主题\(hint.map { "，是不是 \($0)？" } ?? "")；内置主题有 \(BuiltinThemes.names.joined(separator: "、")) (theme '\(name)' not found\(hint.map { "; did you mean '\($0)'?" } ?? ""))")
            return nil
        }
        return ThemeFiles(name: name, folder: folder, base: base, local: local)
    }

    /// The built-in themes underneath, nearest first: the base, and the built-in theme it
    /// extends in turn (`portal` extends `default`).
    public var chain: [String] {
        var out: [String] = []
        var next = base
        while let n = next, !out.contains(n) {
            out.append(n)
            next = BuiltinThemes.parent(of: n)
        }
        return out
    }

    /// Paths of the theme's files under `dir` (`templates`, `static`), relative to the theme.
    public func paths(under dir: String) -> [String] {
        let prefix = dir.hasSuffix("/") ? dir : dir + "/"
        var all = Set(local.filter { $0.hasPrefix(prefix) })
        for t in chain { all.formUnion(BuiltinThemes.files(of: t).filter { $0.hasPrefix(prefix) }) }
        return all.sorted()
    }

    public func exists(_ path: String) -> Bool {
        local.contains(path) || builtinTheme(of: path) != nil
    }

    /// Whether the site holds this file itself.
    public func isLocal(_ path: String) -> Bool { local.contains(path) }

    /// The built-in theme a file comes from (the nearest in the chain that has it).
    func builtinTheme(of path: String) -> String? { chain.first { BuiltinThemes.file($0, path) != nil } }

    /// Where a message about the file points: the site's file, or the built-in theme's own.
    public func display(_ path: String) -> String {
        if isLocal(path) { return "themes/\(name)/\(path)" }
        return "themes/\(builtinTheme(of: path) ?? base ?? name)/\(path)"
    }

    /// A file's text: the site's own (checked as every text file is) or the built-in one.
    public func text(_ path: String) throws(Diagnostic) -> String? {
        if isLocal(path) { return try TextFile.read(folder.appendingPathComponent(path), displayPath: display(path), within: folder) }
        guard let data = builtin(path) else { return nil }
        return try TextFile.decode(data, displayPath: display(path))
    }

    /// The built-in version of a file (the nearest theme of the chain that has it).
    public func builtin(_ path: String) -> Data? { builtinTheme(of: path).flatMap { BuiltinThemes.file($0, path) } }

    /// The extra stylesheets the theme's layers name in their theme.yml (`css: [portal.css]`),
    /// farthest first, each a file of `static/`; linked after style.css on every page.
    public var stylesheets: [String] {
        var out: [String] = []
        var texts: [String] = builtinLayers("theme.yml").compactMap { String(data: $0.data, encoding: .utf8) }
        if isLocal("theme.yml"), let t = try? String(contentsOf: folder.appendingPathComponent("theme.yml"), encoding: .utf8) { texts.append(t) }
        for text in texts {
            guard let node = try? Yams.compose(yaml: text), let list = node.mapping?.first(where: { $0.key.string == "css" })?.value else { continue }
            let names = list.sequence.map { $0.compactMap(\.string) } ?? list.string.map { [$0] } ?? []
            for n in names where !out.contains(n) && exists("static/" + n) { out.append(n) }
        }
        return out
    }

    /// Every built-in layer's version of a file, farthest first (print.yml keys lie over one
    /// another this way).
    public func builtinLayers(_ path: String) -> [(theme: String, data: Data)] {
        chain.reversed().compactMap { t in BuiltinThemes.file(t, path).map { (t, $0) } }
    }

    /// A file whose keys lie over one another (print.yml, wechat.yml): each built-in layer's
    /// text, farthest first, then the site's own file when it has one (a problem reading it
    /// is reported), each with the path messages name.
    public func layeredTexts(_ path: String, bag: DiagnosticBag) -> [(text: String, display: String)] {
        var out: [(String, String)] = builtinLayers(path).compactMap { layer in
            let display = "themes/\(layer.theme)/\(path)"
            return (try? TextFile.decode(layer.data, displayPath: display)).map { ($0, display) }
        }
        guard isLocal(path) else { return out }
        do {
            if let text = try self.text(path) { out.append((text, display(path))) }
        } catch {
            bag.report(error)
        }
        return out
    }
}
