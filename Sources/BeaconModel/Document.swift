import Foundation

/// One Markdown text as a typed tree: parsed once per build (BeaconMarkdown's
/// `MarkdownParser`), its link targets resolved once (BeaconOutput's `ContentLinks`), then
/// rendered by every output from the same tree: HTML pages, search tokens and summaries,
/// pocket books and boards.
public struct MDDocument: Sendable, Equatable {
    public var blocks: [MDBlock]
    /// Footnote definitions, numbered in the order they are first referenced (1-based).
    public var footnotes: [[MDBlock]]
    /// Every link and image target, in document order; `MDInline.link` and `.image` and
    /// `MDBlock.figure` refer to them by index.
    public var links: [MDLink]
    /// The text without markup (reading time, search, summaries).
    public var plainText: String
    /// The text of the first top-level paragraph without markup (summaries).
    public var firstParagraph: String
    /// Whether the tree holds raw HTML (kept only when the site allows it).
    public var hasRawHTML: Bool
    /// Where the text has its tables, footnotes and raw HTML, for outputs that cannot show
    /// everything (the WeChat copy) to say so at the line that wrote them.
    public var landmarks: [MDLandmark] = []
    /// An outline: what the build needs of a text before any output renders it (links,
    /// plain text, first paragraph, landmarks, whether it holds raw HTML) without its blocks
    /// and footnotes. The loader gives one for a file the build cache read before; a stage
    /// that renders the text asks `DocumentStore` for the whole tree.
    public var isOutline = false

    public init(blocks: [MDBlock] = [], footnotes: [[MDBlock]] = [], links: [MDLink] = [], plainText: String = "",
                firstParagraph: String = "", hasRawHTML: Bool = false) {
        self.blocks = blocks
        self.footnotes = footnotes
        self.links = links
        self.plainText = plainText
        self.firstParagraph = firstParagraph
        self.hasRawHTML = hasRawHTML
    }

    public static let empty = MDDocument()

    /// What a summary is cut from when the text has none of its own: the first paragraph of
    /// prose (headings, lists, tables and pictures before it are passed over), or the whole
    /// text when it has none.
    public var opening: String { firstParagraph.isEmpty ? plainText : firstParagraph }
}

/// The whole trees of lessons the loader gave as outlines (a file the build cache read
/// before), parsed when a stage first needs one, with its links resolved as the outline's
/// were. A tree a stage asks to keep is parsed once however many stages render it; the site,
/// the last of them, takes it.
public final class DocumentStore: @unchecked Sendable {
    private let parse: @Sendable (MarkdownSource, String) -> MDDocument
    private var kept: [String: MDDocument] = [:]
    private let lock = NSLock()

    public init(parse: @escaping @Sendable (_ body: MarkdownSource, _ path: String) -> MDDocument) {
        self.parse = parse
    }

    /// The whole tree of a text whose `document` may be an outline.
    public func document(of outline: MDDocument, body: MarkdownSource, path: String, keep: Bool) -> MDDocument {
        guard outline.isOutline else { return outline }
        lock.lock()
        if let d = kept[path] {
            if !keep { kept[path] = nil }
            lock.unlock()
            return d
        }
        lock.unlock()
        var doc = parse(body, path)
        // The same bytes give the same links, in the same order: their targets as resolved.
        if doc.links.count == outline.links.count {
            for i in doc.links.indices where doc.links[i].raw == outline.links[i].raw { doc.links[i].target = outline.links[i].target }
        }
        if keep { lock.lock(); kept[path] = doc; lock.unlock() }
        return doc
    }

    /// Lets every kept tree go.
    public func clear() { lock.lock(); kept = [:]; lock.unlock() }
}

/// A part of a text some outputs cannot show as the web page does, and where it was written.
public struct MDLandmark: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A table, with the narrowest width it can be set at in em (each column at its longest
        /// unbreakable word, at least four characters of Chinese, plus one em of padding).
        case table(minimumWidth: Double)
        /// The first reference to a footnote.
        case footnote
        /// HTML as a block of its own, or a tag inside a paragraph.
        case rawHTML(block: Bool)
    }
    public var kind: Kind
    public var location: SourceLocation
    public init(kind: Kind, location: SourceLocation) { self.kind = kind; self.location = location }
}

/// A link or image target as written, where it was written, and what it resolved to.
public struct MDLink: Sendable, Equatable {
    public var raw: String
    public var isImage: Bool
    public var location: SourceLocation
    public var target: LinkTarget

    public init(raw: String, isImage: Bool, location: SourceLocation, target: LinkTarget = .unresolved) {
        self.raw = raw
        self.isImage = isImage
        self.location = location
        self.target = target
    }
}

/// What a link target is, independent of any output: each output turns it into its own URL
/// or file (a site path, an absolute URL in a PDF, a file on disk for a printed picture).
public enum LinkTarget: Sendable, Equatable {
    /// Not looked at yet (a document that no stage resolved, e.g. in a unit test): used as written.
    case unresolved
    /// Left as written: an external URL, a protocol-relative URL, an in-page anchor.
    case external(String)
    /// A page of the site (a lesson or a branch): its route and any `#fragment`/`?query`.
    case page(route: String, suffix: String)
    /// A file under content/ (content-relative path) and any suffix.
    case file(path: String, suffix: String)
    /// An unsafe URL (script, file:), dropped with a warning: the link shows as text.
    case dropped
    /// Reported as an error where it was written.
    case missing
}

public indirect enum MDInline: Sendable, Equatable {
    case text(String)
    case code(String)
    case emphasis([MDInline])
    case strong([MDInline])
    case strikethrough([MDInline])
    /// A link: index into `MDDocument.links`, its title, its content.
    case link(Int, title: String, [MDInline])
    /// A picture inside text: index into `MDDocument.links`, its alt text and title.
    case image(Int, alt: String, title: String)
    /// A footnote mark, numbered from 1.
    case footnoteReference(Int)
    case lineBreak
    /// A soft line break that stays (between Latin words); breaks inside Chinese runs are
    /// joined when the document is parsed.
    case softBreak
    /// Raw HTML, present only when the site allows it.
    case html(String)

    /// The text without markup.
    public var plainText: String {
        switch self {
        case .text(let t), .code(let t): return t
        case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c): return c.plainText
        case .footnoteReference(let n): return "[\(n)]"
        case .lineBreak: return "\n"
        case .softBreak: return " "
        case .image(_, let alt, _): return alt
        case .html: return ""
        }
    }
}

extension Array where Element == MDInline {
    public var plainText: String {
        var s = ""
        for i in self { s += i.plainText }
        return s
    }

    /// The words a reader reads, for a summary: the plain text without footnote marks and
    /// pictures (a summary that says "《条例》[1]的要求" or a picture's alt text in mid-sentence
    /// reads wrong).
    public var proseText: String {
        var s = ""
        for i in self {
            switch i {
            case .footnoteReference, .image: break
            case .emphasis(let c), .strong(let c), .strikethrough(let c), .link(_, _, let c): s += c.proseText
            default: s += i.plainText
            }
        }
        return s
    }
}

public enum MDAlignment: Sendable, Equatable { case none, left, center, right }

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
    /// `tight`: items hold their text without paragraph spacing (CommonMark's tight list).
    case list(ordered: Bool, start: Int, tight: Bool, items: [MDListItem])
    case quote([MDBlock])
    /// `at`: where the table starts in its file (for a message about it from any output).
    case table(alignments: [MDAlignment], header: [[MDInline]], rows: [[[MDInline]]], at: SourceLocation)
    /// A code block and its info string's first word (the language), if any.
    case code(String, language: String)
    /// A paragraph that holds nothing but one picture: a figure with a caption (its title,
    /// else its alt text).
    case figure(Int, alt: String, title: String)
    /// Raw HTML, present only when the site allows it.
    case html(String)
    case rule
}

extension MDDocument {
    /// The longest text print would set as one paragraph: a paragraph, heading, table cell
    /// or code block, at any depth of lists and quotes, footnotes included: its length in
    /// characters and its first twenty characters (for a message that helps find it).
    /// Walked without recursion, so a deeply nested document cannot exhaust the stack.
    public var longestText: (length: Int, opening: String) {
        var longest = (length: 0, opening: "")
        var pending: [MDBlock] = blocks + footnotes.flatMap { $0 }
        func measure(_ text: String) {
            let n = text.count
            if n > longest.length { longest = (n, String(text.prefix(20))) }
        }
        while let block = pending.popLast() {
            switch block {
            case .heading(_, let inlines), .paragraph(let inlines): measure(inlines.plainText)
            case .list(_, _, _, let items): for item in items { pending += item.blocks }
            case .quote(let inner): pending += inner
            case .table(_, let header, let rows, _):
                header.forEach { measure($0.plainText) }
                for row in rows { row.forEach { measure($0.plainText) } }
            case .code(let text, _): measure(text)
            case .figure(_, let alt, let title): measure(alt); measure(title)
            case .html, .rule: break
            }
        }
        return longest
    }

    /// The picture caption both outputs show: the title when there is one, else the alt text.
    public static func caption(alt: String, title: String) -> String { title.isEmpty ? alt : title }
}
