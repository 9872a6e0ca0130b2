import Foundation
import BeaconText
import BeaconModel

/// A Mustache template, parsed once into a tree and rendered against typed values.
///
/// The syntax is the Mustache specification's (variables, sections, inverted sections,
/// comments, partials, set delimiters, standalone lines, inheritance with `{{<parent}}` and
/// `{{$block}}`) with the additions themes were first written for under swift-mustache:
/// transforms (`{{^empty(tags)}}`, `count`, `first`, `last`, `reversed`, `sorted`, …, and
/// `{{#first()}}` inside a list) and the `{{% CONTENT_TYPE: HTML}}` / `TEXT` pragma.
/// Field names may be any text without spaces, braces or parentheses (Chinese too).
public struct Template: Sendable {
    let nodes: [TemplateNode]

    /// Parses `text`. `escaping` is the content type at its start: HTML (true) or TEXT.
    public init(_ text: String, escaping: Bool = true) throws(TemplateError) {
        var parser = TemplateParser(Array(text.utf8), escaping: escaping)
        nodes = try parser.parse()
    }

    /// Renders the template with `value` at the bottom of the context stack.
    public func render(_ value: TemplateValue) -> String {
        var r = TemplateRenderer(templates: [:], root: value)
        r.render(nodes, seq: nil, blocks: [:], indent: "")
        return r.out
    }

    /// The same template in storage of its own.
    var ownCopy: Template { Template(nodes: nodes.map(\.ownCopy)) }

    init(nodes: [TemplateNode]) { self.nodes = nodes }

    /// The names the template looks up outside any section, each once, in order: the fields a
    /// board template needs from a branch (inside `{{#practices}}`, `{{title}}` is the practice's).
    public var topLevelNames: [String] {
        var out: [String] = []
        func add(_ n: TemplateName) {
            guard let first = n.path.first, !n.fromTop, !out.contains(first) else { return }
            out.append(first)
        }
        func walk(_ nodes: [TemplateNode]) {
            for n in nodes {
                switch n {
                case .variable(let name, _): add(name)
                case .section(let name, _), .inverted(let name, _): add(name)
                case .block(_, let body, _): walk(body)
                default: break
                }
            }
        }
        walk(nodes)
        return out
    }
}

/// Templates by name, for partials (`{{>name}}`) and parents (`{{<name}}`).
public final class TemplateLibrary: @unchecked Sendable {
    private var templates: [String: Template] = [:]
    private let lock = NSLock()
    private var deep: String?
    /// Each rendering thread's own copy of the templates (see `PerThread`), made at the
    /// first render.
    private var copies: PerThread<[String: Template]>?

    public init() {}

    /// Parses and keeps a template (not thread-safe: register all before the first render).
    public func register(_ text: String, named name: String, escaping: Bool = true) throws(TemplateError) {
        templates[name] = try Template(text, escaping: escaping)
        lock.lock(); copies = nil; lock.unlock()
    }

    public func template(named name: String) -> Template? { templates[name] }

    /// Renders the template of that name, or nil when there is none.
    public func render(_ name: String, _ value: TemplateValue) -> String? {
        lock.lock()
        if copies == nil { copies = PerThread { [templates] in templates.mapValues(\.ownCopy) } }
        let perThread = copies!
        lock.unlock()
        let own = perThread.value
        guard let t = own[name] else { return nil }
        var r = TemplateRenderer(templates: own, root: value)
        r.render(t.nodes, seq: nil, blocks: [:], indent: "")
        if let d = r.tooDeep { noteTooDeep(d) }
        return r.out
    }

    func noteTooDeep(_ name: String) { lock.lock(); if deep == nil { deep = name }; lock.unlock() }

    /// The template at which some render since the last call stopped at the nesting limit (a
    /// partial that includes itself for ever): a theme error the caller reports once.
    public func takeTooDeep() -> String? {
        lock.lock(); defer { lock.unlock() }
        let d = deep
        deep = nil
        return d
    }

    /// How deep partials, parents and blocks may nest in one render.
    public static let depthLimit = 100
}

/// A template that cannot be parsed, with where (1-based line and column, in characters).
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// `{{#name}}` (or `^`, `<`, `$`) with no `{{/name}}`.
        case unclosedSection(String)
        /// `{{/found}}` where `{{/expected}}` (nil: no section is open) belongs.
        case closeMismatch(expected: String?, found: String)
        /// A tag without its closing delimiter, or a name that is not one.
        case unfinishedTag
        case badDelimiters
        case badPragma
        /// A tag other than `{{$block}}` directly inside `{{<parent}}`.
        case illegalInParent
        /// Sections inside sections deeper than `TemplateLibrary.depthLimit` (rendering
        /// them would go as deep on a thread's stack).
        case nestedTooDeep
    }
    public let kind: Kind
    public let line: Int
    public let column: Int

    public var description: String {
        switch kind {
        case .unclosedSection(let n): return "{{#\(n)}} 没有对应的 {{/\(n)}} (section '\(n)' is not closed)"
        case .closeMismatch(let e?, let f): return "{{/\(f)}} 和前面的 {{#\(e)}} 不一致 (closing '\(f)' where '\(e)' is open)"
        case .closeMismatch(nil, let f): return "{{/\(f)}} 前面没有 {{#\(f)}} (closing '\(f)' with no open section)"
        case .unfinishedTag: return "{{ 没有写完，字段写成 {{字段名}} (unfinished tag or bad name)"
        case .badDelimiters: return "分隔符写法有误，例如 {{=<% %>=}} (bad set-delimiter tag)"
        case .badPragma: return "只认得 {{% CONTENT_TYPE: HTML}} 或 TEXT (unknown pragma)"
        case .illegalInParent: return "{{<…}} 里只能写 {{$…}} 块 (only blocks inside a parent)"
        case .nestedTooDeep: return "{{#…}} 一层套一层，超过了 \(TemplateLibrary.depthLimit) 层 (sections nest deeper than \(TemplateLibrary.depthLimit))"
        }
    }
}

/// A looked-up name: `a.b` (climbing the context stack for `a`), `.a` (the top only), `.`
/// (the top itself), with transforms outermost first (`empty(tags)`: ["empty"], tags).
struct TemplateName: Sendable {
    var path: [String]
    var fromTop = false
    var transforms: [String] = []
    /// `first()` and the like: the position in the list being iterated.
    var sequence: Bool { path.isEmpty && !transforms.isEmpty && !fromTop }

    var ownCopy: TemplateName { TemplateName(path: path.map(\.ownCopy), fromTop: fromTop, transforms: transforms.map(\.ownCopy)) }
}

indirect enum TemplateNode: Sendable {
    case text(String)
    case variable(TemplateName, escaped: Bool)
    case section(TemplateName, [TemplateNode])
    case inverted(TemplateName, [TemplateNode])
    case partial(String, indent: String)
    case parent(String, indent: String, blocks: [String: [TemplateNode]])
    case block(String, [TemplateNode], indent: String)

    var ownCopy: TemplateNode {
        switch self {
        case .text(let t): return .text(t.ownCopy)
        case .variable(let n, let e): return .variable(n.ownCopy, escaped: e)
        case .section(let n, let b): return .section(n.ownCopy, b.map(\.ownCopy))
        case .inverted(let n, let b): return .inverted(n.ownCopy, b.map(\.ownCopy))
        case .partial(let n, let i): return .partial(n.ownCopy, indent: i.ownCopy)
        case .parent(let n, let i, let blocks):
            return .parent(n.ownCopy, indent: i.ownCopy, blocks: Dictionary(uniqueKeysWithValues: blocks.map { ($0.key.ownCopy, $0.value.map(\.ownCopy)) }))
        case .block(let n, let b, let i): return .block(n.ownCopy, b.map(\.ownCopy), indent: i.ownCopy)
        }
    }
}

// MARK: - Parsing

struct TemplateParser {
    let b: [UInt8]
    var open: [UInt8] = Array("{{".utf8)
    var close: [UInt8] = Array("}}".utf8)
    var pos = 0
    var lineStart = 0
    var tagOnLine = false

    enum FrameKind { case root, section, inverted, parent, blockDefinition, blockExpansion }
    struct Frame {
        var kind: FrameKind
        var raw = ""
        var name = TemplateName(path: [])
        var indent = ""
        var nodes: [TemplateNode] = []
        var blocks: [String: [TemplateNode]] = [:]
        var escaping: Bool
        var at = 0
    }
    var frames: [Frame]

    init(_ bytes: [UInt8], escaping: Bool) {
        b = bytes
        frames = [Frame(kind: .root, escaping: escaping)]
    }

    func location(_ offset: Int) -> (Int, Int) {
        var line = 1, start = 0
        for i in 0..<min(offset, b.count) where b[i] == 0x0A { line += 1; start = i + 1 }
        return (line, String(decoding: b[start..<min(offset, b.count)], as: UTF8.self).count + 1)
    }

    func fail(_ kind: TemplateError.Kind, at offset: Int) -> TemplateError {
        let (l, c) = location(offset)
        return TemplateError(kind: kind, line: l, column: c)
    }

    func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, b.count >= needle.count else { return nil }
        var i = start
        let first = needle[0], last = b.count - needle.count
        while i <= last {
            if b[i] == first {
                var j = 1
                while j < needle.count && b[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 }

    mutating func addText(_ from: Int, _ to: Int) {
        guard from < to else { return }
        let s = String(decoding: b[from..<to], as: UTF8.self)
        if case .text(let t)? = frames[frames.count - 1].nodes.last {
            frames[frames.count - 1].nodes[frames[frames.count - 1].nodes.count - 1] = .text(t + s)
        } else {
            frames[frames.count - 1].nodes.append(.text(s))
        }
    }

    mutating func append(_ node: TemplateNode, at offset: Int) throws(TemplateError) {
        if frames[frames.count - 1].kind == .parent {
            // Inside {{<parent}}: block definitions only; text (the lines between them) is dropped.
            if case .text = node { return }
            throw fail(.illegalInParent, at: offset)
        }
        frames[frames.count - 1].nodes.append(node)
    }

    mutating func parse() throws(TemplateError) -> [TemplateNode] {
        let n = b.count
        while pos < n {
            guard let tagStart = find(open, from: pos) else {
                if frames[frames.count - 1].kind != .parent { addText(pos, n) }
                pos = n
                break
            }
            var ls = lineStart, onLine = tagOnLine
            for i in pos..<tagStart where b[i] == 0x0A { ls = i + 1; onLine = false }

            // The tag: its sigil, its content and where it ends.
            var p = tagStart + open.count
            guard p < n else { throw fail(.unfinishedTag, at: tagStart) }
            var sigil = b[p]
            let contentStart: Int, contentEnd: Int, tagEnd: Int
            switch sigil {
            case UInt8(ascii: "{"):
                guard let e = find([UInt8(ascii: "}")] + close, from: p + 1) else { throw fail(.unfinishedTag, at: tagStart) }
                contentStart = p + 1; contentEnd = e; tagEnd = e + 1 + close.count
            case UInt8(ascii: "="):
                guard let e = find([UInt8(ascii: "=")] + close, from: p + 1) else { throw fail(.badDelimiters, at: tagStart) }
                contentStart = p + 1; contentEnd = e; tagEnd = e + 1 + close.count
            default:
                guard let e = find(close, from: p) else { throw fail(.unfinishedTag, at: tagStart) }
                if "#^/!><$&%".utf8.contains(sigil) { p += 1 } else { sigil = 0 }
                contentStart = p; contentEnd = e; tagEnd = e + close.count
            }
            let content = String(decoding: b[contentStart..<max(contentStart, contentEnd)], as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)

            // A tag alone on its line (but for spaces and tabs) takes the line with it.
            var standalone = false, after = tagEnd
            if sigil != 0, sigil != UInt8(ascii: "{"), sigil != UInt8(ascii: "&"), !onLine,
               b[ls..<tagStart].allSatisfy(Self.isSpace) {
                var j = tagEnd
                while j < n && Self.isSpace(b[j]) { j += 1 }
                // At the very end of the text only right after the tag (as swift-mustache).
                if j == n { standalone = j == tagEnd; after = n }
                else if b[j] == 0x0A { standalone = true; after = j + 1 }
                else if b[j] == 0x0D && j + 1 < n && b[j + 1] == 0x0A { standalone = true; after = j + 2 }
            }
            var indent = ""
            if standalone {
                if frames[frames.count - 1].kind != .parent { addText(pos, ls) }
                indent = String(decoding: b[ls..<tagStart], as: UTF8.self)
                pos = after; lineStart = after; tagOnLine = false
            } else {
                if frames[frames.count - 1].kind != .parent { addText(pos, tagStart) }
                pos = tagEnd; lineStart = ls; tagOnLine = true
            }
            let escaping = frames[frames.count - 1].escaping
            if frames.count > TemplateLibrary.depthLimit, "#^<$".utf8.contains(sigil) {
                throw fail(.nestedTooDeep, at: tagStart)
            }

            switch sigil {
            case UInt8(ascii: "!"):
                break
            case UInt8(ascii: "="):
                let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2 else { throw fail(.badDelimiters, at: tagStart) }
                open = Array(parts[0].utf8); close = Array(parts[1].utf8)
            case UInt8(ascii: "%"):
                let kv = content.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2, kv[0] == "CONTENT_TYPE" else { throw fail(.badPragma, at: tagStart) }
                switch kv[1] {
                case "HTML": frames[frames.count - 1].escaping = true
                case "TEXT": frames[frames.count - 1].escaping = false
                default: throw fail(.badPragma, at: tagStart)
                }
            case UInt8(ascii: "{"), UInt8(ascii: "&"):
                try append(.variable(try name(content, at: tagStart), escaped: false), at: tagStart)
            case 0:
                try append(.variable(try name(content, at: tagStart), escaped: escaping), at: tagStart)
            case UInt8(ascii: "#"), UInt8(ascii: "^"):
                let nm = try name(content, at: tagStart)
                if frames[frames.count - 1].kind == .parent { throw fail(.illegalInParent, at: tagStart) }
                frames.append(Frame(kind: sigil == UInt8(ascii: "#") ? .section : .inverted, raw: content, name: nm,
                                    escaping: escaping, at: tagStart))
            case UInt8(ascii: ">"):
                guard !content.isEmpty, !content.contains(where: \.isWhitespace) else { throw fail(.unfinishedTag, at: tagStart) }
                if standalone && !indent.isEmpty { try append(.text(indent), at: tagStart) }
                try append(.partial(content, indent: standalone ? indent : ""), at: tagStart)
            case UInt8(ascii: "<"):
                guard !content.isEmpty, !content.contains(where: \.isWhitespace) else { throw fail(.unfinishedTag, at: tagStart) }
                if frames[frames.count - 1].kind == .parent { throw fail(.illegalInParent, at: tagStart) }
                if standalone && !indent.isEmpty { try append(.text(indent), at: tagStart) }
                frames.append(Frame(kind: .parent, raw: content, indent: standalone ? indent : "", escaping: escaping, at: tagStart))
            case UInt8(ascii: "$"):
                guard !content.isEmpty, !content.contains(where: { $0.isWhitespace || $0 == "(" }) else {
                    throw fail(.unfinishedTag, at: tagStart)
                }
                if frames[frames.count - 1].kind == .parent {
                    frames.append(Frame(kind: .blockDefinition, raw: content, escaping: escaping, at: tagStart))
                } else {
                    if standalone && !indent.isEmpty { try append(.text(indent), at: tagStart) }
                    frames.append(Frame(kind: .blockExpansion, raw: content, indent: standalone ? indent : "",
                                        escaping: escaping, at: tagStart))
                }
            case UInt8(ascii: "/"):
                let top = frames[frames.count - 1]
                guard top.kind != .root else { throw fail(.closeMismatch(expected: nil, found: content), at: tagStart) }
                guard top.raw == content else { throw fail(.closeMismatch(expected: top.raw, found: content), at: tagStart) }
                frames.removeLast()
                switch top.kind {
                case .section: try append(.section(top.name, top.nodes), at: tagStart)
                case .inverted: try append(.inverted(top.name, top.nodes), at: tagStart)
                case .parent: try append(.parent(top.raw, indent: top.indent, blocks: top.blocks), at: tagStart)
                case .blockDefinition: frames[frames.count - 1].blocks[top.raw] = top.nodes
                case .blockExpansion: try append(.block(top.raw, top.nodes, indent: top.indent), at: tagStart)
                case .root: break
                }
            default:
                break
            }
        }
        guard frames.count == 1 else {
            let top = frames[frames.count - 1]
            throw fail(.unclosedSection(top.raw), at: top.at)
        }
        return frames[0].nodes
    }

    /// `a.b`, `.a`, `.`, `t(a)`, `t(u(a))`, `first()`.
    func name(_ s: String, at offset: Int) throws(TemplateError) -> TemplateName {
        guard !s.isEmpty, !s.contains(where: { $0.isWhitespace || $0 == "{" || $0 == "}" }) else {
            throw fail(.unfinishedTag, at: offset)
        }
        var rest = Substring(s)
        var transforms: [String] = []
        while let paren = rest.firstIndex(of: "(") {
            let t = rest[..<paren]
            guard !t.isEmpty, !t.contains(")") else { throw fail(.unfinishedTag, at: offset) }
            transforms.append(String(t))
            rest = rest[rest.index(after: paren)...]
        }
        if !transforms.isEmpty {
            let closing = rest.reversed().prefix { $0 == ")" }.count
            guard closing == transforms.count else { throw fail(.unfinishedTag, at: offset) }
            rest = rest.dropLast(closing)
            guard !rest.contains(")") else { throw fail(.unfinishedTag, at: offset) }
        } else if rest.contains(")") {
            throw fail(.unfinishedTag, at: offset)
        }
        // `.` is the top of the stack, with or without transforms (`count(.)`); only a name
        // left empty (`first()`) is the position in a list.
        if rest == "." { return TemplateName(path: [], fromTop: true, transforms: transforms) }
        let fromTop = rest.first == "."
        let path = rest.split(separator: ".").map(String.init)
        if path.isEmpty && !rest.isEmpty { throw fail(.unfinishedTag, at: offset) }
        return TemplateName(path: path, fromTop: fromTop, transforms: transforms)
    }
}

// MARK: - Rendering

struct SequencePosition {
    var first: Bool, last: Bool, index: Int

    func transformed(_ name: String) -> TemplateValue? {
        switch name {
        case "first": return .bool(first)
        case "last": return .bool(last)
        case "index": return .int(index)
        case "even": return .bool(index & 1 == 0)
        case "odd": return .bool(index & 1 == 1)
        default: return nil
        }
    }
}

struct TemplateRenderer {
    /// The library's templates, for partials and parents.
    let templates: [String: Template]
    var out = ""
    var stack: [TemplateValue]
    var depth = 0
    /// The partial, parent or block where the nesting limit stopped the render.
    var tooDeep: String?

    init(templates: [String: Template], root: TemplateValue) {
        self.templates = templates
        stack = [root]
        stack.reserveCapacity(16)
    }

    func lookup(_ name: TemplateName, seq: SequencePosition?) -> TemplateValue? {
        var value: TemplateValue?
        var transforms = name.transforms[...]
        if name.sequence {
            guard let seq, let t = transforms.popLast(), let v = seq.transformed(t) else { return nil }
            value = v
        } else if name.path.isEmpty {
            value = stack.last
        } else if name.fromTop {
            value = stack.last
            for p in name.path {
                guard let v = value?.child(p) else { return nil }
                value = v
            }
        } else {
            let first = name.path[0]
            var i = stack.count - 1
            while i >= 0 {
                if let v = stack[i].child(first) { value = v; break }
                i -= 1
            }
            guard value != nil else { return nil }
            for p in name.path.dropFirst() {
                guard let v = value?.child(p) else { return nil }
                value = v
            }
        }
        while let t = transforms.popLast() {
            guard let v = value?.transformed(t) else { return nil }
            value = v
        }
        return value
    }

    mutating func render(_ nodes: [TemplateNode], seq: SequencePosition?, blocks: [String: [TemplateNode]], indent: String) {
        if indent.isEmpty {
            for node in nodes { render(node, seq: seq, blocks: blocks, indent: indent) }
            return
        }
        // Inside an indented partial or block: each piece that starts a line gets the indent.
        let start = out.utf8.count
        func piece(_ self_: inout TemplateRenderer, _ make: (inout TemplateRenderer) -> Void) {
            var saved = ""
            swap(&saved, &self_.out)
            make(&self_)
            var made = ""
            swap(&made, &self_.out)
            self_.out = saved
            if !made.isEmpty, self_.out.utf8.count > start, self_.out.utf8.last == 0x0A { self_.out += indent }
            self_.out += made
        }
        for node in nodes {
            if case .text(let t) = node {
                var line = Substring(t)
                while !line.isEmpty {
                    // At line feeds found as bytes: "\r\n" is one Character.
                    let end = line.utf8.firstIndex(of: 0x0A).map { line.utf8.index(after: $0) } ?? line.endIndex
                    let s = String(line[..<end])
                    piece(&self) { $0.out += s }
                    line = line[end...]
                }
            } else {
                piece(&self) { $0.render(node, seq: seq, blocks: blocks, indent: indent) }
            }
        }
    }

    mutating func render(_ node: TemplateNode, seq: SequencePosition?, blocks: [String: [TemplateNode]], indent: String) {
        switch node {
        case .text(let t):
            out += t
        case .variable(let name, let escaped):
            guard let v = lookup(name, seq: seq) else { return }
            switch v {
            case .string(let s): if escaped { HTMLEscape.append(s, to: &out) } else { out += s }
            case .int(let i): out += String(i)
            case .bool(let b): out += b ? "true" : "false"
            case .double(let x): out += String(describing: x)
            case .list, .map, .object, .null: break
            }
        case .section(let name, let body):
            guard let v = lookup(name, seq: seq) else { return }
            switch v {
            case .null: break
            case .bool(let b): if b { render(body, seq: seq, blocks: blocks, indent: indent) }
            case .list(let items):
                for (i, item) in items.enumerated() {
                    stack.append(item)
                    render(body, seq: SequencePosition(first: i == 0, last: i == items.count - 1, index: i), blocks: blocks, indent: indent)
                    stack.removeLast()
                }
            default:
                stack.append(v)
                render(body, seq: nil, blocks: blocks, indent: indent)
                stack.removeLast()
            }
        case .inverted(let name, let body):
            let v = lookup(name, seq: seq)
            switch v {
            case nil, .null?: render(body, seq: seq, blocks: blocks, indent: indent)
            case .bool(let b)?: if !b { render(body, seq: seq, blocks: blocks, indent: indent) }
            case .list(let items)?:
                if items.isEmpty {
                    stack.append(.list(items))
                    render(body, seq: nil, blocks: blocks, indent: indent)
                    stack.removeLast()
                }
            default: break
            }
        case .partial(let name, let more):
            guard let t = templates[name], enter(name) else { return }
            render(t.nodes, seq: nil, blocks: blocks, indent: indent + more)
            depth -= 1
        case .parent(let name, let more, let overrides):
            guard let t = templates[name], enter(name) else { return }
            // The outermost definition of a block wins.
            let merged = blocks.isEmpty ? overrides : blocks.merging(overrides) { outer, _ in outer }
            render(t.nodes, seq: nil, blocks: merged, indent: indent + more)
            depth -= 1
        case .block(let name, let fallback, let more):
            guard enter(name) else { return }
            render(blocks[name] ?? fallback, seq: nil, blocks: blocks, indent: indent + more)
            depth -= 1
        }
    }

    mutating func enter(_ name: String) -> Bool {
        // Once the limit is reached, nothing nests any more: a partial that includes itself
        // twice would otherwise branch out below the limit for ever.
        guard tooDeep == nil else { return false }
        guard depth < TemplateLibrary.depthLimit else { tooDeep = name; return false }
        depth += 1
        return true
    }
}
