import Foundation
import CCMarkGFM

/// One parsed cmark-gfm document. Owns the parser and the tree; frees both on deinit.
final class CMarkDocument {
    private let parser: OpaquePointer
    var parserPointer: OpaquePointer { parser }
    let root: OpaquePointer

    /// GFM's tag filter is part of cmark's HTML writer, which Beacon does not use: raw HTML is
    /// cleaned by `RawHTMLSanitizer` instead.
    static let extensionNames = ["table", "strikethrough", "autolink", "tasklist"]
    private static let inlineLock = NSLock()
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    init(markdown: String) {
        _ = Self.registered
        let opts = CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8
        let p = cmark_parser_new(opts)!
        for name in Self.extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(p, ext)
            }
        }
        var text = markdown
        text.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { cmark_parser_feed(p, $0.baseAddress, $0.count) }
        }
        parser = p
        // cmark-gfm's inline pass switches its extensions' characters (~ for strikethrough,
        // : and w for autolinks) on and off in one table shared by every parser, so two
        // inline passes at once can each miss the other's: lessons parsed on several cores
        // lost their strikethrough now and then. Block parsing above runs in parallel; the
        // inline pass, a small part of a parse, runs one at a time.
        Self.inlineLock.lock()
        root = cmark_parser_finish(p)
        Self.inlineLock.unlock()
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }
}

/// Node type names as cmark-gfm spells them (extension nodes have no fixed enum value).
enum NodeKind {
    static func of(_ node: OpaquePointer) -> String {
        guard let s = cmark_node_get_type_string(node) else { return "" }
        return String(cString: s)
    }
}

extension OpaquePointer {
    var kind: String { NodeKind.of(self) }
    var literal: String? { cmark_node_get_literal(self).map { String(cString: $0) } }
    var url: String? { cmark_node_get_url(self).map { String(cString: $0) } }
    var parent: OpaquePointer? { cmark_node_parent(self) }
    var firstChild: OpaquePointer? { cmark_node_first_child(self) }
    var lastChild: OpaquePointer? { cmark_node_last_child(self) }
    var next: OpaquePointer? { cmark_node_next(self) }
    var previous: OpaquePointer? { cmark_node_previous(self) }
    var startLine: Int { Int(cmark_node_get_start_line(self)) }
    var startColumn: Int { Int(cmark_node_get_start_column(self)) }
}

/// cmark-gfm's own HTML of a text (same extensions, no Beacon rules): the reference the tests
/// hold Beacon's tree writer against for text without CJK, where both must agree.
public enum CMarkReference {
    public static func html(_ markdown: String) -> String {
        let doc = CMarkDocument(markdown: markdown)
        let exts = cmark_parser_get_syntax_extensions(doc.parserPointer)
        guard let c = cmark_render_html(doc.root, CMARK_OPT_DEFAULT, exts) else { return "" }
        defer { free(c) }
        return String(cString: c)
    }
}
