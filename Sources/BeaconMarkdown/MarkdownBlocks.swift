import Foundation
import CCMarkGFM
import BeaconModel

/// Inline content of a Markdown document, for layouts other than HTML (print).
public indirect enum MDInline: Sendable, Equatable {
    case text(String)
    case code(String)
    case emphasis([MDInline])
    case strong([MDInline])
    case strikethrough([MDInline])
    case link(url: String, [MDInline])
    case footnoteReference(Int)
    case lineBreak
    case image(src: String, alt: String)

    /// The text without markup.
    public var plainText: String {
        switch self {
        case .text(let t), .code(let t): return t
        case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, let c): return c.map(\.plainText).joined()
        case .footnoteReference(let n): return "[\(n)]"
        case .lineBreak: return "\n"
        case .image(_, let alt): return alt
        }
    }
}

public enum MDAlignment: Sendable, Equatable { case left, center, right }

public struct MDListItem: Sendable, Equatable {
    /// nil for a plain item, true/false for a checked/unchecked task.
    public var task: Bool?
    public var blocks: [MDBlock]

    public init(task: Bool?, blocks: [MDBlock]) {
        self.task = task
        self.blocks = blocks
    }
}

public indirect enum MDBlock: Sendable, Equatable {
    case heading(level: Int, [MDInline])
    case paragraph([MDInline])
    case list(ordered: Bool, start: Int, items: [MDListItem])
    case quote([MDBlock])
    case table(alignments: [MDAlignment], header: [[MDInline]], rows: [[[MDInline]]])
    case code(String)
    /// A paragraph that holds nothing but one image.
    case image(src: String, alt: String)
    case rule
}

/// A Markdown document as blocks: the body and its footnotes, numbered as referenced.
public struct MDDocument: Sendable, Equatable {
    public var blocks: [MDBlock]
    public var footnotes: [[MDBlock]]
    public var plainText: String
}

extension MarkdownRenderer {
    /// The document as blocks, with the same rules as the HTML output: joined soft breaks,
    /// resolved links and images (as `resolver` writes them), no raw HTML.
    public func blocks(_ source: MarkdownSource, path: String, resolver: LinkResolver?, bag: DiagnosticBag) -> MDDocument {
        let prepared = prepare(source, path: path, resolver: resolver, bag: bag)
        var blocks: [MDBlock] = []
        var footnotes: [[MDBlock]] = []
        var child = prepared.doc.root.firstChild
        while let c = child {
            if cmark_node_get_type(c) == CMARK_NODE_FOOTNOTE_DEFINITION {
                footnotes.append(Self.blocks(under: c))
            } else if let b = Self.block(c) {
                blocks.append(b)
            }
            child = c.next
        }
        return MDDocument(blocks: blocks, footnotes: footnotes, plainText: prepared.plainText)
    }

    static func blocks(under node: OpaquePointer) -> [MDBlock] {
        var out: [MDBlock] = []
        var child = node.firstChild
        while let c = child {
            if let b = block(c) { out.append(b) }
            child = c.next
        }
        return out
    }

    static func block(_ node: OpaquePointer) -> MDBlock? {
        switch cmark_node_get_type(node) {
        case CMARK_NODE_HEADING:
            return .heading(level: Int(cmark_node_get_heading_level(node)), inlines(under: node))
        case CMARK_NODE_PARAGRAPH:
            let content = inlines(under: node)
            if content.count == 1, case .image(let src, let alt) = content[0] { return .image(src: src, alt: alt) }
            return content.isEmpty ? nil : .paragraph(content)
        case CMARK_NODE_BLOCK_QUOTE:
            return .quote(blocks(under: node))
        case CMARK_NODE_LIST:
            var items: [MDListItem] = []
            var child = node.firstChild
            while let c = child {
                let task: Bool? = c.kind == "tasklist" ? cmark_gfm_extensions_get_tasklist_item_checked(c) : nil
                items.append(MDListItem(task: task, blocks: blocks(under: c)))
                child = c.next
            }
            let ordered = cmark_node_get_list_type(node) == CMARK_ORDERED_LIST
            return .list(ordered: ordered, start: Int(cmark_node_get_list_start(node)), items: items)
        case CMARK_NODE_CODE_BLOCK:
            var text = node.literal ?? ""
            if text.hasSuffix("\n") { text.removeLast() }
            return .code(text)
        case CMARK_NODE_THEMATIC_BREAK:
            return .rule
        case CMARK_NODE_HTML_BLOCK:
            return nil
        default:
            if node.kind == "table" { return table(node) }
            return nil
        }
    }

    static func table(_ node: OpaquePointer) -> MDBlock {
        let columns = Int(cmark_gfm_extensions_get_table_columns(node))
        var alignments = [MDAlignment](repeating: .left, count: columns)
        if let raw = cmark_gfm_extensions_get_table_alignments(node) {
            for i in 0..<columns {
                switch raw[i] {
                case UInt8(ascii: "c"): alignments[i] = .center
                case UInt8(ascii: "r"): alignments[i] = .right
                default: alignments[i] = .left
                }
            }
        }
        var header: [[MDInline]] = []
        var rows: [[[MDInline]]] = []
        var row = node.firstChild
        while let r = row {
            var cells: [[MDInline]] = []
            var cell = r.firstChild
            while let c = cell {
                cells.append(inlines(under: c))
                cell = c.next
            }
            while cells.count < columns { cells.append([]) }
            if r.kind == "table_header" { header = cells } else { rows.append(cells) }
            row = r.next
        }
        return .table(alignments: alignments, header: header, rows: rows)
    }

    static func inlines(under node: OpaquePointer) -> [MDInline] {
        var out: [MDInline] = []
        var child = node.firstChild
        while let c = child {
            switch cmark_node_get_type(c) {
            case CMARK_NODE_TEXT:
                let t = c.literal ?? ""
                if case .text(let prev)? = out.last { out[out.count - 1] = .text(prev + t) } else { out.append(.text(t)) }
            case CMARK_NODE_SOFTBREAK:
                // Soft breaks left in the tree are the ones between Latin words: a space.
                if case .text(let prev)? = out.last { out[out.count - 1] = .text(prev + " ") } else { out.append(.text(" ")) }
            case CMARK_NODE_LINEBREAK:
                out.append(.lineBreak)
            case CMARK_NODE_CODE:
                out.append(.code(c.literal ?? ""))
            case CMARK_NODE_EMPH:
                out.append(.emphasis(inlines(under: c)))
            case CMARK_NODE_STRONG:
                out.append(.strong(inlines(under: c)))
            case CMARK_NODE_LINK:
                let url = c.url ?? ""
                let content = inlines(under: c)
                if url.isEmpty { out.append(contentsOf: content) } else { out.append(.link(url: url, content)) }
            case CMARK_NODE_IMAGE:
                out.append(.image(src: c.url ?? "", alt: inlines(under: c).map(\.plainText).joined()))
            case CMARK_NODE_FOOTNOTE_REFERENCE:
                out.append(.footnoteReference(Int(c.literal ?? "") ?? 0))
            case CMARK_NODE_HTML_INLINE:
                break
            default:
                if c.kind == "strikethrough" { out.append(.strikethrough(inlines(under: c))) }
                else { out.append(contentsOf: inlines(under: c)) }
            }
            child = c.next
        }
        return out
    }
}
