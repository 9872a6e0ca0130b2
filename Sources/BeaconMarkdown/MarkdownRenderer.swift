import Foundation
import CCMarkGFM
import BeaconModel
import BeaconText

/// What a link or image target in Markdown turns into.
public enum LinkResolution: Sendable {
    /// Leave it as written (external URLs, in-page anchors).
    case keep
    /// Replace it by this URL.
    case rewrite(String)
    /// The target does not exist: an error at the line and column that wrote it.
    case missing(String)
}

/// Resolves the link and image targets of one document. Implemented by the site builder,
/// which knows the routes; the Markdown module only reports positions.
public protocol LinkResolver: Sendable {
    func resolve(_ target: String, isImage: Bool, in document: String) -> LinkResolution
}

public struct TOCEntry: Sendable, Equatable {
    public var level: Int
    public var id: String
    public var title: String
}

/// A parsed document with Beacon's rules applied, ready for HTML or for print.
final class PreparedMarkdown {
    let doc: CMarkDocument
    let plainText: String
    let firstParagraph: String

    init(doc: CMarkDocument, plainText: String, firstParagraph: String) {
        self.doc = doc
        self.plainText = plainText
        self.firstParagraph = firstParagraph
    }
}

public struct RenderedMarkdown: Sendable {
    public var html: String
    public var toc: [TOCEntry]
    /// The text of the document without markup (for reading time and search).
    public var plainText: String
    /// The text of the first paragraph without markup (for summaries).
    public var firstParagraph: String
}

/// Markdown → HTML with Beacon's rules: GFM extensions, CJK soft breaks joined, links and
/// images resolved with positions, raw HTML omitted unless allowed, unsafe links dropped,
/// heading ids, table of contents.
public struct MarkdownRenderer: Sendable {
    public var allowRawHTML: Bool
    public var slugger: Slugger

    public init(allowRawHTML: Bool, slugger: Slugger) {
        self.allowRawHTML = allowRawHTML
        self.slugger = slugger
    }

    /// Parses `source` and applies Beacon's rules to the tree: CJK soft breaks joined, links and
    /// images resolved (or reported at their line and column), raw HTML and unsafe links dropped.
    func prepare(_ source: MarkdownSource, path: String, resolver: LinkResolver?, bag: DiagnosticBag) -> PreparedMarkdown {
        let doc = CMarkDocument(markdown: source.text, allowRawHTML: allowRawHTML)
        let lines = source.text.split(separator: "\n", omittingEmptySubsequences: false)

        func location(_ node: OpaquePointer) -> SourceLocation {
            var n: OpaquePointer? = node
            while let cur = n, cur.startLine == 0 { n = cur.parent }
            guard let cur = n else { return SourceLocation(path: path, line: source.lineOffset + 1) }
            let line = cur.startLine
            var column = max(1, cur.startColumn)
            if lines.indices.contains(line - 1) {
                let bytes = Array(lines[line - 1].utf8)
                let upto = min(bytes.count, column - 1)
                column = String(decoding: bytes[0..<upto], as: UTF8.self).unicodeScalars.count + 1
            }
            return SourceLocation(path: path, line: line + source.lineOffset, column: column)
        }

        var softbreaks: [OpaquePointer] = []
        var unwrap: [OpaquePointer] = []
        var plain = ""
        var firstParagraph: String?
        var inFirstParagraph = false
        let nodes = doc.nodes()
        var firstParagraphNode: OpaquePointer?
        for node in nodes {
            switch node.kind {
            case "paragraph":
                if firstParagraphNode == nil, node.parent.map({ $0.kind == "document" }) == true {
                    firstParagraphNode = node
                    inFirstParagraph = true
                } else {
                    inFirstParagraph = false
                }
                if !plain.isEmpty { plain += "\n" }
            case "heading", "item", "table_row", "block_quote":
                inFirstParagraph = false
                if !plain.isEmpty { plain += "\n" }
            case "text", "code":
                let t = node.literal ?? ""
                plain += t
                if inFirstParagraph { firstParagraph = (firstParagraph ?? "") + t }
            case "code_block":
                plain += "\n" + (node.literal ?? "")
            case "softbreak":
                if let a = lastScalar(before: node), let b = firstScalar(after: node), CJK.joinsWithoutSpace(a, b) {
                    softbreaks.append(node)
                } else {
                    plain += " "
                    if inFirstParagraph { firstParagraph = (firstParagraph ?? "") + " " }
                }
            case "linebreak":
                plain += "\n"
            case "html_block", "html_inline":
                if !allowRawHTML {
                    let raw = (node.literal ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
                    let shown = raw.count > 40 ? String(raw.prefix(40)) + "…" : raw
                    bag.warning(location(node), "Markdown 中的 HTML 已省略（可在 site.yml 设 raw_html: true） (raw HTML omitted: \(shown))")
                }
            case "link", "image":
                let isImage = node.kind == "image"
                if isImage && node.firstChild == nil {
                    bag.warning(location(node), "图片缺少说明文字，读屏软件读不出来；请写成 ![说明](图片) (picture without alt text)")
                }
                let target = node.url ?? ""
                if isDangerous(target) {
                    bag.warning(location(node), "不安全的链接 \(target.prefix(40)) 已删除 (unsafe link dropped)")
                    if isImage { cmark_node_set_url(node, "") } else { unwrap.append(node) }
                    continue
                }
                guard let resolver else { continue }
                switch resolver.resolve(target, isImage: isImage, in: path) {
                case .keep: break
                case .rewrite(let url): cmark_node_set_url(node, url)
                case .missing(let message): bag.error(location(node), message)
                }
            default:
                break
            }
        }
        // Also in nodes that cmark-gfm's extensions create (table cells) the joins hold.
        for node in softbreaks {
            cmark_node_unlink(node)
            cmark_node_free(node)
        }
        for link in unwrap {
            while let child = link.firstChild {
                cmark_node_insert_before(link, child)
            }
            cmark_node_unlink(link)
            cmark_node_free(link)
        }
        return PreparedMarkdown(doc: doc, plainText: plain,
                                firstParagraph: (firstParagraph ?? "").trimmingCharacters(in: .whitespacesAndNewlines))
    }

    public func render(_ source: MarkdownSource, path: String, resolver: LinkResolver?, bag: DiagnosticBag) -> RenderedMarkdown {
        let prepared = prepare(source, path: path, resolver: resolver, bag: bag)
        let html = prepared.doc.renderHTML()
        let post = HTMLPostProcessor(slugger: slugger).process(html)
        return RenderedMarkdown(html: post.html, toc: post.toc, plainText: prepared.plainText,
                                firstParagraph: prepared.firstParagraph)
    }
    func isDangerous(_ url: String) -> Bool {
        let lowered = url.trimmingCharacters(in: .whitespaces).lowercased()
            .filter { !$0.isWhitespace && !$0.isNewline }
        for scheme in ["javascript:", "vbscript:", "file:"] where lowered.hasPrefix(scheme) { return true }
        if lowered.hasPrefix("data:") && !lowered.hasPrefix("data:image/") { return true }
        return false
    }

    func lastScalar(before node: OpaquePointer) -> Unicode.Scalar? {
        guard let n = node.previous else { return nil }
        return lastScalar(in: n)
    }

    func firstScalar(after node: OpaquePointer) -> Unicode.Scalar? {
        guard let n = node.next else { return nil }
        return firstScalar(in: n)
    }

    private func lastScalar(in node: OpaquePointer) -> Unicode.Scalar? {
        switch node.kind {
        case "text", "code": return node.literal?.unicodeScalars.last
        case "html_inline", "softbreak", "linebreak": return nil
        default:
            guard let c = node.lastChild else { return nil }
            return lastScalar(in: c)
        }
    }

    private func firstScalar(in node: OpaquePointer) -> Unicode.Scalar? {
        switch node.kind {
        case "text", "code": return node.literal?.unicodeScalars.first
        case "html_inline", "softbreak", "linebreak": return nil
        default:
            guard let c = node.firstChild else { return nil }
            return firstScalar(in: c)
        }
    }
}
