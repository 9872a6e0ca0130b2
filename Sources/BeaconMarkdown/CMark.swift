import Foundation
import CCMarkGFM

/// One parsed cmark-gfm document. Owns the parser and the tree; frees both on deinit.
final class CMarkDocument {
    private let parser: OpaquePointer
    let root: OpaquePointer
    let options: Int32

    static let extensionNames = ["table", "strikethrough", "autolink", "tasklist", "tagfilter"]
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    init(markdown: String, allowRawHTML: Bool) {
        _ = Self.registered
        var opts = CMARK_OPT_SOURCEPOS | CMARK_OPT_FOOTNOTES | CMARK_OPT_VALIDATE_UTF8
        if allowRawHTML { opts |= CMARK_OPT_UNSAFE }
        options = opts
        let p = cmark_parser_new(opts)!
        for name in Self.extensionNames {
            if let ext = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(p, ext)
            }
        }
        markdown.utf8CString.withUnsafeBufferPointer { buf in
            cmark_parser_feed(p, buf.baseAddress, buf.count - 1)
        }
        parser = p
        root = cmark_parser_finish(p)
    }

    deinit {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }

    /// HTML of the (possibly modified) tree.
    func renderHTML() -> String {
        let exts = cmark_parser_get_syntax_extensions(parser)
        guard let c = cmark_render_html(root, options & ~CMARK_OPT_SOURCEPOS, exts) else { return "" }
        defer { free(c) }
        return String(cString: c)
    }

    /// Every node in document order (enter events only).
    func nodes() -> [OpaquePointer] {
        var out: [OpaquePointer] = []
        guard let iter = cmark_iter_new(root) else { return out }
        defer { cmark_iter_free(iter) }
        while true {
            let ev = cmark_iter_next(iter)
            if ev == CMARK_EVENT_DONE { break }
            if ev == CMARK_EVENT_ENTER, let n = cmark_iter_get_node(iter) { out.append(n) }
        }
        return out
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
