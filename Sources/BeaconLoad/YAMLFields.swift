import Foundation
import Yams
import BeaconModel
import BeaconText

/// Parses a YAML text into a node, turning every syntax error into a diagnostic at the
/// right line of the file.
enum YAMLText {
    /// No patterns at all: Yams matches every plain scalar against its resolver's regular
    /// expressions when it hashes a key (to find duplicates) or is asked for a tag. Beacon
    /// tells null, true/false and whole numbers from the scalar's text and style itself
    /// (`YAMLFields.isNull`, `YAMLFields.boolValue`; Yams's `Int.construct` reads the text).
    static let resolver = Resolver.default.removing(.float).removing(.timestamp).removing(.merge).removing(.value)
        .removing(.bool).removing(.int).removing(.null)

    /// How many values a YAML text may hold once its aliases (`*name`) are expanded: far
    /// beyond any editor's file, far below what a "billion laughs" file expands to.
    public static let expansionLimit = 100_000

    static func compose(_ yaml: String, path: String, firstLine: Int) throws(Diagnostic) -> Node? {
        do {
            let node = try Yams.compose(yaml: yaml, resolver, .default, .utf8)
            // Aliases share what they name; every reader walks the expanded tree.
            if yaml.utf8.contains(0x2A), let node, exceeds(node, limit: expansionLimit) {
                throw Diagnostic.error(SourceLocation(path: path, line: firstLine),
                                       "YAML 里的别名（*名字）展开后超过 \(expansionLimit) 个值，不会读取；请不要用别名互相嵌套 (YAML aliases expand past \(expansionLimit) values; not read)")
            }
            return node
        } catch let d as Diagnostic {
            throw d
        } catch let error as YamlError {
            throw diagnostic(error, yaml: yaml, path: path, firstLine: firstLine)
        } catch {
            throw .error(SourceLocation(path: path, line: firstLine), "YAML 格式错误 (invalid YAML): \(error)")
        }
    }

    /// Whether the tree, with aliases expanded, has more than `limit` nodes (counting stops there).
    static func exceeds(_ node: Node, limit: Int) -> Bool {
        var count = 0
        var stack = [node]
        while let n = stack.popLast() {
            count += 1
            if count > limit { return true }
            switch n {
            case .mapping(let m): for (k, v) in m { stack.append(k); stack.append(v) }
            case .sequence(let s): stack.append(contentsOf: s)
            default: break
            }
        }
        return false
    }

    /// What libyaml's complaint means for an editor, in Chinese, with what to do.
    static func explain(_ problem: String, mark: Mark, start: SourceLocation?, yaml: String) -> String? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let line = lines.indices.contains(mark.line - 1) ? lines[mark.line - 1] : ""
        let from = start.map { "从第 \($0.line) 行第 \($0.column) 列开始的" } ?? ""
        func indent(_ s: String) -> Int { s.prefix { $0 == " " }.count }
        if problem.contains("tab character") || line.hasPrefix("\t") {
            return "这一行用了 Tab 缩进，YAML 只认空格；请把行首的 Tab 换成空格"
        }
        if problem.hasPrefix("mapping values are not allowed") {
            // A second "key:" inside a value, or a line indented under a plain value.
            let previous = lines[..<max(0, mark.line - 1)].last { !$0.trimmingCharacters(in: .whitespaces).isEmpty && !$0.trimmingCharacters(in: .whitespaces).hasPrefix("#") } ?? ""
            if indent(line) > indent(previous), !previous.trimmingCharacters(in: .whitespaces).hasSuffix(":") {
                return "这一行比上一行多缩进了，YAML 把它当成上一行的值的一部分；同一层的字段要左边对齐"
            }
            return "这一行的值里又有“: ”，YAML 会把它当成新的字段；请给整个值加上引号，例如 title: \"第一部分: 第二部分\""
        }
        if problem.contains("while scanning a quoted scalar") {
            return "\(from)引号没有配对，直到文件结束都没有找到结束的引号；请补上引号"
        }
        if problem.contains("expected ',' or ']'") {
            return "\(from)方括号列表 [ ] 没有结束，或两项之间少了逗号；请写成 [甲, 乙]"
        }
        if problem.contains("expected ',' or '}'") {
            return "\(from)花括号 { } 没有结束，或两项之间少了逗号；请写成 { 名称: 值, 名称: 值 }"
        }
        if problem.hasPrefix("did not find expected key") {
            return "\(from)这一层里，这一行的写法或缩进不对：字段写成“名称: 值”，与同一层的字段左边对齐；“- ”开头的列表项要写在某个字段下面并缩进"
        }
        if problem.hasPrefix("block sequence entries are not allowed") {
            return "“- ”开头的列表项不能写在这里；如果它是某个字段的值，请换行写在字段下面并缩进"
        }
        if problem.hasPrefix("could not find expected ':'") {
            return "\(from)这里缺少冒号：字段名后面要写半角冒号和一个空格，例如 title: 标题"
        }
        if problem.hasPrefix("found character that cannot start any token") {
            return "这里的字符（如 @、`、% 或 Tab）不能作为 YAML 值的开头；请给这个值加上引号"
        }
        if problem.hasPrefix("found undefined alias") {
            return "“*”开头的值被当成了 YAML 的别名；如果它是文字，请加上引号"
        }
        if problem.contains("did not find expected node content") || problem.contains("did not find expected '-' indicator") {
            return "\(from)这里的写法不完整或缩进不对；请检查这一行和上一行的冒号、引号与缩进"
        }
        return nil
    }

    static func diagnostic(_ error: YamlError, yaml: String, path: String, firstLine: Int) -> Diagnostic {
        func at(_ mark: Mark) -> SourceLocation {
            SourceLocation(path: path, line: mark.line + firstLine - 1, column: mark.column)
        }
        func hint(_ mark: Mark) -> String {
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let i = mark.line - 1
            let near = lines.indices.contains(i) ? [lines[i]] + (i > 0 ? [lines[i - 1]] : []) : []
            if near.contains(where: { $0.contains("：") && !$0.contains(": ") }) {
                return "；字段名后面要用半角冒号加空格，例如 title: 标题 (use a half-width colon and a space after a key)"
            }
            if near.contains(where: { $0.contains("\t") }) {
                return "；YAML 不能用 Tab 缩进，请改用空格 (YAML indents with spaces, not tabs)"
            }
            return ""
        }
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            // libyaml notices a problem where it stops; say where the unfinished part began.
            let ctx = context.map { c in
                let start = at(c.mark)
                return " \(c.text)（从第 \(start.line) 行第 \(start.column) 列开始 / started at \(start.line):\(start.column)）"
            } ?? ""
            let start = context.map { at($0.mark) }
            let full = problem + (context.map { " " + $0.text } ?? "")
            if let zh = explain(full, mark: mark, start: start, yaml: yaml) {
                return .error(at(mark), "YAML 格式错误：\(zh) (invalid YAML: \(full))")
            }
            return .error(at(mark), "YAML 格式错误 (invalid YAML): \(problem)\(ctx)\(hint(mark))")
        case let .duplicatedKeysInMapping(duplicates, context):
            // Said at the second time the key is written, with where the first one is.
            let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
            let indent = max(0, context.mark.column - 1)
            let key = duplicates.first ?? ""
            let places = lines.indices.filter { i in
                i >= context.mark.line - 1 && lines[i].dropFirst(indent).hasPrefix(key + ":") && lines[i].prefix(indent).allSatisfy { $0 == " " || $0 == "-" }
            }
            if places.count >= 2 {
                let first = places[0] + firstLine
                return .error(SourceLocation(path: path, line: places[1] + firstLine, column: indent + 1),
                              "字段 \(key) 写了两次（第一次在第 \(first) 行）；请删去一个 (duplicate key '\(key)'; first at line \(first))")
            }
            return .error(at(context.mark), "YAML 中字段重复 (duplicate key): \(duplicates.joined(separator: ", "))")
        case let .reader(problem, _, _, _):
            return .error(SourceLocation(path: path, line: firstLine), "YAML 无法读取 (unreadable YAML): \(problem)")
        default:
            return .error(SourceLocation(path: path, line: firstLine), "YAML 格式错误 (invalid YAML): \(error)")
        }
    }
}

/// Reads the fields of one YAML mapping into typed values, reporting every problem at the
/// line and column of the key or value that caused it, and unknown keys as warnings with a
/// "did you mean".
struct YAMLFields {
    let mapping: Node.Mapping
    let path: String
    let firstLine: Int
    let bag: DiagnosticBag
    let owner: SourceLocation
    private(set) var used: Set<String> = []
    private(set) var failed = false
    /// The entries by key text, the first of each (every field read looks one up).
    let entries: [String: (key: Node, value: Node)]

    static func index(_ mapping: Node.Mapping) -> [String: (key: Node, value: Node)] {
        var d: [String: (key: Node, value: Node)] = [:]
        d.reserveCapacity(mapping.count)
        // The key's text as written: `Node.string` resolves the tag first (Yams's regular
        // expressions).
        for (k, v) in mapping { if let name = k.scalar?.string, d[name] == nil { d[name] = (k, v) } }
        return d
    }

    init?(_ node: Node?, path: String, firstLine: Int, bag: DiagnosticBag, what: String) {
        self.path = path
        self.firstLine = firstLine
        self.bag = bag
        self.owner = SourceLocation(path: path, line: firstLine)
        guard let node else {
            bag.error(SourceLocation(path: path, line: firstLine), "\(what)是空的 (\(what) is empty)")
            return nil
        }
        guard let mapping = node.mapping else {
            var loc = SourceLocation(path: path, line: firstLine)
            if let m = node.mark { loc = SourceLocation(path: path, line: m.line + firstLine - 1, column: m.column) }
            var message = "\(what)应当是“字段: 值”的形式 (\(what) must be a list of key: value lines)"
            if let s = node.string, s.contains("：") {
                message += "；字段名后面要用半角冒号加空格，例如 title: 标题 (use a half-width colon and a space after a key)"
            }
            bag.error(loc, message)
            return nil
        }
        self.mapping = mapping
        entries = Self.index(mapping)
    }

    init(mapping: Node.Mapping, path: String, firstLine: Int, bag: DiagnosticBag) {
        self.mapping = mapping
        entries = Self.index(mapping)
        self.path = path
        self.firstLine = firstLine
        self.bag = bag
        self.owner = SourceLocation(path: path, line: (mapping.mark?.line ?? 1) + firstLine - 1,
                                    column: mapping.mark?.column ?? 1)
    }

    func location(of node: Node) -> SourceLocation {
        guard let m = node.mark else { return owner }
        return SourceLocation(path: path, line: m.line + firstLine - 1, column: m.column)
    }

    func entry(_ key: String) -> (key: Node, value: Node)? {
        entries[key]
    }

    /// The value of `key`, or nil when absent or written as an empty value.
    mutating func value(_ key: String) -> Node? {
        used.insert(key)
        guard let e = entry(key) else { return nil }
        if case .scalar(let s) = e.value, Self.isNull(s) { return nil }
        return e.value
    }

    /// YAML's null, as the core schema writes it: nothing, or a plain `~` or `null`.
    static func isNull(_ s: Node.Scalar) -> Bool {
        s.string.isEmpty || ((s.style == .plain || s.style == .any) && ["~", "null", "Null", "NULL"].contains(s.string))
    }

    /// YAML 1.1's booleans (what Yams's default resolver took for one): a plain true, yes, on,
    /// false, no or off, in lower, capitalised or upper case.
    static func boolValue(_ node: Node) -> Bool? {
        guard case .scalar(let s) = node, s.style == .plain || s.style == .any else { return nil }
        switch s.string {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    func keyLocation(_ key: String) -> SourceLocation {
        entry(key).map { location(of: $0.key) } ?? owner
    }

    func valueLocation(_ key: String) -> SourceLocation {
        entry(key).map { location(of: $0.value) } ?? owner
    }

    mutating func error(_ at: SourceLocation, _ message: String) {
        failed = true
        bag.error(at, message)
    }

    /// Marks these fields as failed: an error was reported for something inside them.
    mutating func markFailed() { failed = true }

    mutating func missing(_ key: String, _ label: String) {
        error(owner, "缺少必填字段 \(key)（\(label)） (missing required field '\(key)')")
    }

    mutating func string(_ key: String, required label: String? = nil) -> String? {
        guard let node = value(key) else {
            if let label { missing(key, label) }
            return nil
        }
        guard case .scalar(let s) = node else {
            error(location(of: node), "字段 \(key) 应当是一段文字 ('\(key)' must be text)")
            return nil
        }
        // A control character written as an escape ("\0", "\a" in double quotes) is not text:
        // it would reach pages raw and cut a picture's title short.
        guard acceptsText(s.string, of: key, at: node) else { return nil }
        // A folded block's line breaks, which YAML made spaces, joined as Beacon joins lines.
        let text = (s.style == .folded ? CJK.refolded(s.string) : s.string).trimmingSpace()
        if text.isEmpty, let label { missing(key, label); return nil }
        return text.isEmpty ? nil : text
    }

    mutating func int(_ key: String, range: ClosedRange<Int>? = nil, label: String) -> Int? {
        guard let node = value(key) else { return nil }
        guard let n = node.int else {
            error(location(of: node), "字段 \(key)（\(label)）应当是整数，现在是“\(node.string ?? "…")” ('\(key)' must be a whole number)")
            return nil
        }
        if let range, !range.contains(n) {
            error(location(of: node), "字段 \(key)（\(label)）应在 \(range.lowerBound) 到 \(range.upperBound) 之间，现在是 \(n) ('\(key)' must be \(range.lowerBound)–\(range.upperBound), got \(n))")
            return nil
        }
        return n
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let node = value(key) else { return nil }
        guard let b = Self.boolValue(node) else {
            error(location(of: node), "字段 \(key) 应当是 true 或 false ('\(key)' must be true or false)")
            return nil
        }
        return b
    }

    mutating func day(_ key: String, required label: String? = nil) -> Day? {
        guard let node = value(key) else {
            if let label { missing(key, label) }
            return nil
        }
        guard let text = node.scalar?.string, let d = Day.parse(text) else {
            error(location(of: node), "字段 \(key) 的日期“\(node.string ?? "…")”无效，请写成 2026-03-01 的形式 ('\(key)' is not a valid date; write it as YYYY-MM-DD)")
            return nil
        }
        return d
    }

    /// Whether a field's text has no control character; an error at `node` when it has one.
    mutating func acceptsText(_ text: String, of key: String, at node: Node) -> Bool {
        guard let bad = Self.controlCharacter(in: text) else { return true }
        let code = String(format: "U+%04X", bad.value)
        error(location(of: node), "字段 \(key) 含有控制字符 \(code)，请删去 (field '\(key)' holds the control character \(code))")
        return false
    }

    /// The first control character in a text (C0 but tab, line feed and carriage return, DEL,
    /// C1), if any.
    static func controlCharacter(in text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { v in
            (v.value < 0x20 && v != "\t" && v != "\n" && v != "\r") || (0x7F...0x9F).contains(v.value)
        }
    }

    /// A list of short texts; a single text is taken as a list of one.
    mutating func strings(_ key: String) -> [String] {
        guard let node = value(key) else { return [] }
        if case .scalar(let s) = node {
            let t = s.string.trimmingSpace(newlines: false)
            return t.isEmpty ? [] : [t]
        }
        guard let seq = node.sequence else {
            error(location(of: node), "字段 \(key) 应当是列表，例如 [甲, 乙] ('\(key)' must be a list)")
            return []
        }
        var out: [String] = []
        for item in seq {
            guard case .scalar(let s) = item else {
                error(location(of: item), "字段 \(key) 的每一项都应当是文字 (each item of '\(key)' must be text)")
                continue
            }
            guard acceptsText(s.string, of: key, at: item) else { continue }
            let t = s.string.trimmingSpace(newlines: false)
            if !t.isEmpty { out.append(t) }
        }
        return out
    }

    /// Keys of other site generators (Hexo, Hugo, Jekyll) that Beacon does not take, with what
    /// to do instead. Keys that mean what a Beacon key means are read as it (see the loaders).
    static let foreignKeys: [String: String] = [
        "categories": "Beacon 按文件夹分专题：把文件放进 content/lessons/<专题>/，标签写在 tags",
        "category": "Beacon 按文件夹分专题：把文件放进 content/lessons/<专题>/，标签写在 tags",
        "cover": "课程没有封面图字段；图片写在正文里：![说明](../../media/图.jpg)",
        "image": "课程没有题图字段；图片写在正文里：![说明](../../media/图.jpg)",
        "thumbnail": "课程没有缩略图字段；图片写在正文里",
        "featured_image": "课程没有题图字段；图片写在正文里",
        "lastmod": "Beacon 只用 date；修改后直接改 date 或不写",
        "updated": "Beacon 只用 date；修改后直接改 date 或不写",
        "permalink": "网址由文件名或 slug 决定：写 slug: 英文网址名",
        "url": "网址由文件名或 slug 决定：写 slug: 英文网址名",
        "aliases": "Beacon 不生成跳转页；网址由文件名或 slug 决定",
        "layout": "页面样式由主题决定，不能逐篇指定",
        "keywords": "关键词写在 tags",
        "comments": "Beacon 的网站没有评论功能",
        "toc": "目录按二、三级标题自动生成，不需要开关",
    ]

    /// Every key not in `known` is an error (nothing an editor wrote is dropped): with the
    /// closest known key, or for a key of another site generator, what Beacon does instead.
    mutating func rejectUnknown(known: [String]) {
        for (k, _) in mapping {
            guard let name = k.scalar?.string, !known.contains(name) else { continue }
            if let instead = Self.foreignKeys[name] {
                error(location(of: k), "\(name) 是其他建站工具（Hexo、Hugo）的字段，Beacon 不用它：\(instead) ('\(name)' is not a Beacon key)")
                continue
            }
            var message = "未知字段 \(name)；可用的有 \(known.joined(separator: "、")) (unknown key '\(name)')"
            if let s = TextMeasures.suggestion(for: name, among: known) {
                message = "未知字段 \(name)，是不是 \(s)？ (unknown key '\(name)'; did you mean '\(s)'?)"
            }
            error(location(of: k), message)
        }
    }
}
