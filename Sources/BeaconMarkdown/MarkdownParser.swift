import Foundation
import CCMarkGFM
import BeaconModel
import BeaconText

/// Markdown → `MDDocument`, once per text and build. cmark-gfm parses (GFM tables,
/// strikethrough, autolinks, task lists, footnotes); Beacon's rules are applied while the
/// tree is copied into Swift: emphasis next to Chinese punctuation as the CommonMark
/// CJK-friendly amendments define it (`CJKEmphasis`), soft breaks inside Chinese runs joined,
/// raw HTML kept only when the site allows it, unsafe URLs dropped (`URLSafety`), every link
/// and image recorded with its line and column for resolution.
public struct MarkdownParser: Sendable {
    public var allowRawHTML: Bool

    public init(allowRawHTML: Bool) {
        self.allowRawHTML = allowRawHTML
    }

    /// Parses counted, for the test that checks each Markdown text is parsed once per build.
    public static let parseCount = ParseCounter()

    public final class ParseCounter: @unchecked Sendable {
        private let lock = NSLock()
        private var counts: [String: Int] = [:]
        public var enabled = false
        func add(_ path: String) {
            guard enabled else { return }
            lock.lock(); counts[path, default: 0] += 1; lock.unlock()
        }
        public func reset() { lock.lock(); counts = [:]; lock.unlock() }
        public var byPath: [String: Int] { lock.lock(); defer { lock.unlock() }; return counts }
    }

    public func parse(_ source: MarkdownSource, path: String, bag: DiagnosticBag) -> MDDocument {
        Self.parseCount.add(path)
        let prepared = CJKEmphasis.prepare(source.text)
        let doc = CMarkDocument(markdown: prepared.text)
        var walker = TreeWalker(allowRawHTML: allowRawHTML, path: path, source: source, prepared: prepared, bag: bag)
        return walker.document(doc.root)
    }
}

/// Copies a cmark tree into `MDDocument`.
struct TreeWalker {
    let allowRawHTML: Bool
    let path: String
    let source: MarkdownSource
    let prepared: CJKEmphasis.Prepared
    let bag: DiagnosticBag
    var links: [MDLink] = []
    var plain = ""
    var hasRawHTML = false
    var landmarks: [MDLandmark] = []
    /// How deep the walk is in quotes, lists and nested inline markup; past `maxDepth` the
    /// text is reported once and its inner structure not kept (every output walks the tree
    /// recursively, so a hostile nesting of thousands of levels must stop here).
    var depth = 0
    var reportedDepth = false
    static let maxDepth = 40
    private var sourceLines: [ArraySlice<UInt8>]?

    init(allowRawHTML: Bool, path: String, source: MarkdownSource, prepared: CJKEmphasis.Prepared, bag: DiagnosticBag) {
        self.allowRawHTML = allowRawHTML
        self.path = path
        self.source = source
        self.prepared = prepared
        self.bag = bag
    }

    mutating func document(_ root: OpaquePointer) -> MDDocument {
        var blocks: [MDBlock] = []
        var footnotes: [[MDBlock]] = []
        var firstParagraph: String?
        // Without a paragraph of prose, the items of the first list (a lesson that is a list of
        // points): their text, joined as lines are, never the cells of a table glued on.
        var firstList: String?
        var child = root.firstChild
        while let c = child {
            if cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION {
                footnotes.append(self.blocks(under: c))
            } else if let b = block(c) {
                if firstParagraph == nil, case .paragraph(let i) = b {
                    // The first paragraph with words in it (not a picture on its own).
                    let prose = i.proseText.trimmingSpace()
                    if !prose.isEmpty { firstParagraph = prose }
                }
                if firstList == nil, case .list(_, _, _, let items) = b {
                    var joined = ""
                    for item in items {
                        guard let text = item.blocks.lazy.compactMap({ b -> String? in
                            if case .paragraph(let i) = b { return i.proseText.trimmingSpace() }
                            return nil
                        }).first(where: { !$0.isEmpty }) else { continue }
                        if let a = joined.unicodeScalars.last, let z = text.unicodeScalars.first, !CJK.joinsWithoutSpace(a, z) { joined += " " }
                        joined += text
                    }
                    if !joined.isEmpty { firstList = joined }
                }
                blocks.append(b)
            }
            child = c.next
        }
        var doc = MDDocument(blocks: blocks, footnotes: footnotes, links: links, plainText: plain,
                             firstParagraph: firstParagraph ?? firstList ?? "",
                             hasRawHTML: hasRawHTML)
        doc.landmarks = landmarks
        return doc
    }

    // MARK: - Positions

    /// Where a node was written in the file: cmark's line and byte column in the prepared
    /// text, mapped back to the editor's file (front matter lines, inserted marks, scalars).
    mutating func location(_ node: OpaquePointer) -> SourceLocation {
        var n: OpaquePointer? = node
        while let cur = n, cur.startLine == 0 { n = cur.parent }
        guard let cur = n else { return SourceLocation(path: path, line: source.lineOffset + 1) }
        let line = cur.startLine
        var byteColumn = max(1, cur.startColumn) - 1
        if sourceLines == nil {
            // Split as bytes: a line's columns are counted from its bytes anyway.
            sourceLines = Array(source.text.utf8).split(separator: 10, omittingEmptySubsequences: false)
        }
        byteColumn -= prepared.insertedBytes(line: line, before: byteColumn)
        var column = byteColumn + 1
        if let lines = sourceLines, lines.indices.contains(line - 1) {
            let bytes = lines[line - 1]
            let upto = min(bytes.count, byteColumn)
            // Scalars before the column: every byte that does not continue a UTF-8 sequence.
            column = bytes.prefix(upto).reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) } + 1
        }
        return SourceLocation(path: path, line: line + source.lineOffset, column: column + source.columnOffset)
    }

    func clean(_ s: String) -> String { prepared.strip(s) }

    // MARK: - Blocks

    /// Past `maxDepth`: one error, then the rest of this subtree as plain text.
    mutating func tooDeep(_ node: OpaquePointer) -> Bool {
        guard depth >= Self.maxDepth else { return false }
        if !reportedDepth {
            reportedDepth = true
            bag.error(location(node), "嵌套太深（超过 \(Self.maxDepth) 层引用、列表或强调），请减少嵌套 (Markdown nested more than \(Self.maxDepth) levels deep)")
        }
        return true
    }

    /// The text under `node`, without recursion.
    func flatText(_ node: OpaquePointer) -> String {
        var out = ""
        guard let iter = cmark_iter_new(node) else { return out }
        defer { cmark_iter_free(iter) }
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { break }
            guard ev == CMARK_EVENT_ENTER, let n = cmark_iter_get_node(iter) else { continue }
            switch cmark_node_get_type(n) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK: out += clean(n.literal ?? "")
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK, CMARK_NODE_PARAGRAPH: out += " "
            default: break
            }
        }
        return out
    }

    mutating func blocks(under node: OpaquePointer) -> [MDBlock] {
        if tooDeep(node) {
            let text = flatText(node)
            plain += text
            return text.isEmpty ? [] : [.paragraph([.text(text)])]
        }
        depth += 1
        defer { depth -= 1 }
        var out: [MDBlock] = []
        var child = node.firstChild
        while let c = child {
            if let b = block(c) { out.append(b) }
            child = c.next
        }
        return out
    }

    mutating func block(_ node: OpaquePointer) -> MDBlock? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_HEADING:
            newLine()
            return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(under: node))
        case CMARK_NODE_PARAGRAPH:
            newLine()
            let content = inlines(under: node)
            if content.count == 1, case .image(let i, let alt, let title) = content[0] { return .figure(i, alt: alt, title: title) }
            return content.isEmpty ? nil : .paragraph(content)
        case CMARK_NODE_BLOCK_QUOTE:
            newLine()
            return .quote(blocks(under: node))
        case CMARK_NODE_LIST:
            var items: [MDListItem] = []
            var child = node.firstChild
            while let c = child {
                newLine()
                let task: Bool? = c.kind == "tasklist" ? cmark_gfm_extensions_get_tasklist_item_checked(c) : nil
                items.append(MDListItem(task: task, blocks: blocks(under: c)))
                child = c.next
            }
            let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
            return .list(ordered: ordered, start: Int(cmark_node_get_list_start(node)),
                         tight: cmark_node_get_list_tight(node) != 0, items: items)
        case CMARK_NODE_CODE_BLOCK:
            var text = clean(node.literal ?? "")
            if text.hasSuffix("\n") { text.removeLast() }
            newLine()
            plain += text
            let info = clean(cmark_node_get_fence_info(node).map { String(cString: $0) } ?? "")
            let language = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first.map(String.init) ?? ""
            return .code(text, language: language)
        case CMARK_NODE_THEMATIC_BREAK:
            return .rule
        case CMARK_NODE_HTML_BLOCK:
            let raw = clean(node.literal ?? "")
            guard allowRawHTML else { omitted(raw, node); return nil }
            if let tag = RawHTMLSanitizer.unclosedRawText(raw) {
                unclosed(tag, node)
                plain += raw
                return .paragraph([.text(raw)])
            }
            hasRawHTML = true
            landmarks.append(MDLandmark(kind: .rawHTML(block: true), location: location(node)))
            sanitized(raw, node)
            return .html(raw)
        default:
            if node.kind == "table" { return table(node) }
            return nil
        }
    }

    mutating func newLine() {
        if !plain.isEmpty && plain.last != "\n" { plain += "\n" }
    }

    mutating func omitted(_ raw: String, _ node: OpaquePointer) {
        let trimmed = raw.trimmingSpace()
        let shown = trimmed.count > 40 ? String(trimmed.prefix(40)) + "…" : trimmed
        bag.warning(location(node), "Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: \(shown))")
    }

    /// What the allow-list takes out of a piece of raw HTML, said at its line.
    mutating func sanitized(_ raw: String, _ node: OpaquePointer) {
        // A closing tag alone (`</span>`) holds nothing to remove.
        guard !raw.hasPrefix("</") else { return }
        let removed = RawHTMLSanitizer.removals(in: raw)
        guard !removed.isEmpty else { return }
        bag.warning(location(node), "HTML 里不安全或不支持的部分已删除：\(removed.joined(separator: "、")) (removed from raw HTML: \(removed.joined(separator: ", ")))")
    }

    /// A raw-text element left open would swallow the rest of the page: shown as text instead.
    mutating func unclosed(_ tag: String, _ node: OpaquePointer) {
        bag.warning(location(node), "HTML 的 <\(tag)> 没有闭合，后面的内容会被它吞掉，已按文字显示；请补上 </\(tag)> (unclosed <\(tag)> shown as text)")
    }

    mutating func table(_ node: OpaquePointer) -> MDBlock {
        let columns = Int(cmark_gfm_extensions_get_table_columns(node))
        var alignments = [MDAlignment](repeating: .none, count: columns)
        if let raw = cmark_gfm_extensions_get_table_alignments(node) {
            for i in 0..<columns {
                switch raw[i] {
                case UInt8(ascii: "l"): alignments[i] = .left
                case UInt8(ascii: "c"): alignments[i] = .center
                case UInt8(ascii: "r"): alignments[i] = .right
                default: alignments[i] = .none
                }
            }
        }
        var header: [[MDInline]] = []
        var rows: [[[MDInline]]] = []
        var row = node.firstChild
        while let r = row {
            newLine()
            var cells: [[MDInline]] = []
            var cell = r.firstChild
            while let c = cell {
                if !cells.isEmpty { plain += "\t" }
                cells.append(inlines(under: c))
                cell = c.next
            }
            while cells.count < columns { cells.append([]) }
            if r.kind == "table_header" { header = cells } else { rows.append(cells) }
            row = r.next
        }
        let at = location(node)
        landmarks.append(MDLandmark(kind: .table(minimumWidth: Self.minimumWidth(header: header, rows: rows)), location: at))
        return .table(alignments: alignments, header: header, rows: rows, at: at)
    }

    /// The narrowest a table can be set, in em: each column as wide as its longest unbreakable
    /// run (a Latin word or number at half an em a character; Chinese may break anywhere but
    /// reads badly under four characters a line), plus one em of cell padding.
    static func minimumWidth(header: [[MDInline]], rows: [[[MDInline]]]) -> Double {
        var widths: [Double] = []
        for row in [header] + rows {
            for (i, cell) in row.enumerated() {
                let text = cell.plainText
                var longest = 0.0, run = 0.0, han = 0.0
                for s in text.unicodeScalars {
                    if CJK.isWide(s) { han += 1; longest = max(longest, run); run = 0 }
                    else if s == " " || s == "\t" { longest = max(longest, run); run = 0 }
                    else { run += 0.55 }
                }
                longest = max(longest, run, min(han, 4))
                while widths.count <= i { widths.append(0) }
                widths[i] = max(widths[i], longest + 1)
            }
        }
        return widths.reduce(0, +)
    }

    // MARK: - Inlines

    mutating func inlines(under node: OpaquePointer) -> [MDInline] {
        if tooDeep(node) {
            let text = flatText(node)
            plain += text
            return [.text(text)]
        }
        depth += 1
        defer { depth -= 1 }
        var out: [MDInline] = []
        func appendText(_ t: String) {
            if case .text(let prev)? = out.last { out[out.count - 1] = .text(prev + t) } else { out.append(.text(t)) }
        }
        var child = node.firstChild
        while let c = child {
            switch cmark_node_get_type(c) {
            case CMARK_NODE_TEXT:
                let t = clean(c.literal ?? "")
                plain += t
                appendText(t)
            case CMARK_NODE_SOFTBREAK:
                if let a = Self.lastScalar(before: c, prepared), let b = Self.firstScalar(after: c, prepared), CJK.joinsWithoutSpace(a, b) {
                    // Joined: a line break inside a Chinese run is no space at all.
                } else {
                    plain += " "
                    out.append(.softBreak)
                }
            case CMARK_NODE_LINEBREAK:
                plain += "\n"
                out.append(.lineBreak)
            case CMARK_NODE_CODE:
                let t = clean(c.literal ?? "")
                plain += t
                out.append(.code(t))
            case CMARK_NODE_EMPH:
                out.append(.emphasis(inlines(under: c)))
            case CMARK_NODE_STRONG:
                out.append(.strong(inlines(under: c)))
            case CMARK_NODE_LINK:
                let url = clean(c.url ?? "")
                let title = clean(cmark_node_get_title(c).map { String(cString: $0) } ?? "")
                let content = inlines(under: c)
                if URLSafety.isUnsafe(url) {
                    bag.warning(location(c), "不安全的链接 \(url.prefix(40)) 已删除 (unsafe link dropped)")
                    out.append(contentsOf: content)
                } else if url.isEmpty {
                    out.append(contentsOf: content)
                } else {
                    links.append(MDLink(raw: url, isImage: false, location: location(c)))
                    out.append(.link(links.count - 1, title: title, content))
                }
            case CMARK_NODE_IMAGE:
                let url = clean(c.url ?? "")
                let title = clean(cmark_node_get_title(c).map { String(cString: $0) } ?? "")
                let mark = plain.endIndex
                let alt = inlines(under: c).plainText
                plain.removeSubrange(mark...)
                plain += alt
                if c.firstChild == nil {
                    bag.warning(location(c), "图片缺少说明文字，读屏软件读不出来；请写成 ![说明](图片) (picture without alt text)")
                }
                var link = MDLink(raw: url, isImage: true, location: location(c))
                if URLSafety.isUnsafe(url) {
                    bag.warning(link.location, "不安全的链接 \(url.prefix(40)) 已删除 (unsafe link dropped)")
                    link.target = .dropped
                }
                links.append(link)
                out.append(.image(links.count - 1, alt: alt, title: title))
            case CMARK_NODE_FOOTNOTE_REFERENCE:
                let n = Int(c.literal ?? "") ?? 0
                if !landmarks.contains(where: { $0.kind == .footnote }) { landmarks.append(MDLandmark(kind: .footnote, location: location(c))) }
                plain += "[\(n)]"
                out.append(.footnoteReference(n))
            case CMARK_NODE_HTML_INLINE:
                let raw = clean(c.literal ?? "")
                if allowRawHTML, let tag = RawHTMLSanitizer.unclosedRawText(raw), !Self.closedLater(tag, after: c) {
                    unclosed(tag, c)
                    plain += raw
                    appendText(raw)
                } else if allowRawHTML {
                    hasRawHTML = true
                    if !raw.hasPrefix("</"), !HTMLRenderer.isLineBreak(raw) { landmarks.append(MDLandmark(kind: .rawHTML(block: false), location: location(c))) }
                    sanitized(raw, c)
                    out.append(.html(raw))
                } else {
                    omitted(raw, c)
                }
            default:
                if c.kind == "strikethrough" { out.append(.strikethrough(inlines(under: c))) }
                else { out.append(contentsOf: inlines(under: c)) }
            }
            child = c.next
        }
        return out
    }

    /// Whether an inline HTML node after `node` in its paragraph closes `tag` (looked for
    /// among the next thousand nodes at most, so that a hostile paragraph stays linear).
    static func closedLater(_ tag: String, after node: OpaquePointer) -> Bool {
        var n = node.next
        var looked = 0
        while let c = n, looked < 1000 {
            if cmark_node_get_type(c) == CMARK_NODE_HTML_INLINE, (c.literal ?? "").lowercased().contains("</" + tag) { return true }
            n = c.next
            looked += 1
        }
        return false
    }

    static func lastScalar(before node: OpaquePointer, _ p: CJKEmphasis.Prepared) -> Unicode.Scalar? {
        guard let n = node.previous else { return nil }
        return lastScalar(in: n, p)
    }

    static func firstScalar(after node: OpaquePointer, _ p: CJKEmphasis.Prepared) -> Unicode.Scalar? {
        guard let n = node.next else { return nil }
        return firstScalar(in: n, p)
    }

    private static func lastScalar(in node: OpaquePointer, _ p: CJKEmphasis.Prepared) -> Unicode.Scalar? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE:
            return p.strip(node.literal ?? "").unicodeScalars.last
        case CMARK_NODE_HTML_INLINE, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
            return nil
        default:
            guard let c = node.lastChild else { return nil }
            return lastScalar(in: c, p)
        }
    }

    private static func firstScalar(in node: OpaquePointer, _ p: CJKEmphasis.Prepared) -> Unicode.Scalar? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_TEXT, CMARK_NODE_CODE:
            return p.strip(node.literal ?? "").unicodeScalars.first
        case CMARK_NODE_HTML_INLINE, CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
            return nil
        default:
            guard let c = node.firstChild else { return nil }
            return firstScalar(in: c, p)
        }
    }
}
