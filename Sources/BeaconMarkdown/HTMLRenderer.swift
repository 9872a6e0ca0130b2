import Foundation
import BeaconModel
import BeaconText

/// An entry of a lesson's table of contents: an h2, with its h3s below it.
public struct TOCEntry: Sendable, Equatable {
    public var level: Int
    public var id: String
    public var title: String
    /// The number the contents add ("1", "2.3"), or nil where the headings of its group carry
    /// their own numbering (一、 （一） 1. 第一章) and are listed as written.
    public var number: String?
    public var children: [TOCEntry]

    public init(level: Int, id: String, title: String, number: String? = nil, children: [TOCEntry] = []) {
        self.level = level
        self.id = id
        self.title = title
        self.number = number
        self.children = children
    }

    /// The entries in page order, nested ones after their parent.
    public static func flatten(_ entries: [TOCEntry]) -> [TOCEntry] {
        entries.flatMap { [$0] + flatten($0.children) }
    }
}

public struct RenderedHTML: Sendable {
    public var html: String
    public var toc: [TOCEntry]
    /// With `inlineStyles`: the links the text names, numbered in order, each address once.
    public var references: [(text: String, url: String)] = []
}

/// Styles written on each element instead of classes (the WeChat copy, whose editor keeps only
/// inline `style` attributes). Keys name what is styled: `h2` `h3` `h4` `p` `blockquote` `ul`
/// `ol` `li` `table` `th` `td` `pre` `code` `figure` `img` `figcaption` `strong` `em` `del`
/// `hr` `sup` `notes` `notes-title` `note`.
public struct InlineStyles: Sendable {
    public var css: [String: String]
    public init(_ css: [String: String]) { self.css = css }
    public subscript(_ key: String) -> String { css[key] ?? "" }
}

/// `MDDocument` → HTML in one walk: heading ids and the table of contents, links as the
/// output resolves them, pictures as figures with their size, footnotes with Chinese labels.
/// Raw HTML (only present when the site allows it) goes through `RawHTMLSanitizer`.
public struct HTMLRenderer {
    /// The URL of a resolved link or picture; nil shows the link's text without a link.
    public var url: (MDLink) -> String?
    /// A picture's size in pixels, when it can be read.
    public var imageSize: (MDLink) -> (width: Int, height: Int)?
    public var slugger: Slugger
    /// Pictures in these first top-level blocks are on the first screen: loaded at once.
    public var eagerBlocks = 2
    /// Put before every id the text makes (headings, footnotes), for pages that show several
    /// texts (a board's blocks) so that their ids do not meet.
    public var idPrefix = ""

    /// Inline styles instead of classes and ids, links as numbered references, no scripts or
    /// form controls, raw HTML left out: an article for the WeChat editor.
    public var inlineStyles: InlineStyles?

    /// `<br>`, `<br/>` or `<br />`, in any case.
    public static func isLineBreak(_ raw: String) -> Bool {
        let t = raw.lowercased().replacingOccurrences(of: " ", with: "")
        return t == "<br>" || t == "<br/>"
    }

    public static let reservedIDs: Set<String> = ["top", "main", "toc", "content", "footnotes", "site-header", "site-footer", "search"]

    public init(slugger: Slugger, url: @escaping (MDLink) -> String?, imageSize: @escaping (MDLink) -> (width: Int, height: Int)? = { _ in nil }) {
        self.slugger = slugger
        self.url = url
        self.imageSize = imageSize
    }

    public func render(_ doc: MDDocument) -> RenderedHTML {
        var w = Writer(renderer: self, doc: doc)
        w.out.reserveCapacity(doc.plainText.utf8.count * 2 + 256)
        for (i, b) in doc.blocks.enumerated() {
            w.eager = i < eagerBlocks
            w.block(b, tight: false)
        }
        w.eager = false
        w.footnotes()
        var html = w.out
        if doc.hasRawHTML && inlineStyles == nil { html = RawHTMLSanitizer.sanitize(html) }
        var r = RenderedHTML(html: html, toc: Self.contents(w.headings))
        r.references = w.references
        return r
    }

    /// Nests h3 under the h2 before it and numbers each group of siblings that has no
    /// numbering of its own.
    static func contents(_ headings: [(level: Int, id: String, title: String)]) -> [TOCEntry] {
        var top: [TOCEntry] = []
        for h in headings where (h.level == 2 || h.level == 3) && !h.title.isEmpty {
            let e = TOCEntry(level: h.level, id: h.id, title: h.title)
            if h.level == 3, !top.isEmpty, top[top.count - 1].level == 2 {
                top[top.count - 1].children.append(e)
            } else {
                top.append(e)
            }
        }
        func number(_ group: inout [TOCEntry], prefix: String?) {
            let numbered = !group.contains { HeadingNumber.hasOwn($0.title) }
            // An ### before the first ## stands on its own, unnumbered.
            let level = group.map(\.level).min() ?? 2
            var n = 0
            for i in group.indices {
                if numbered && group[i].level == level {
                    n += 1
                    group[i].number = (prefix.map { $0 + "." } ?? "") + "\(n)"
                }
                number(&group[i].children, prefix: group[i].number)
            }
        }
        number(&top, prefix: nil)
        return top
    }

    struct Writer {
        let renderer: HTMLRenderer
        let doc: MDDocument
        var out = ""
        var eager = false
        var used = HTMLRenderer.reservedIDs
        var headings: [(level: Int, id: String, title: String)] = []
        var referenceCount: [Int: Int] = [:]
        /// `idPrefix`.
        var p = ""
        var references: [(text: String, url: String)] = []
        var referenceNumber: [String: Int] = [:]
        let styles: InlineStyles?
        var inHeading = false
        /// A list item's marker (☐, "7. ") for the item's first paragraph, with inline styles.
        var marker = ""

        init(renderer: HTMLRenderer, doc: MDDocument) {
            self.renderer = renderer
            self.doc = doc
            p = renderer.idPrefix
            styles = renderer.inlineStyles
        }

        /// `<tag>`, or `<tag style="…">` with inline styles (`key` names the style, the tag by
        /// default); `extra` is added to the style.
        mutating func open(_ tag: String, _ key: String? = nil, extra: String = "") {
            guard let styles else { out += "<\(tag)>"; return }
            var css = inHeading && ["strong", "em", "del", "code", "sup"].contains(key ?? tag) ? "" : styles[key ?? tag]
            if !extra.isEmpty { css += css.isEmpty || css.hasSuffix(";") ? extra : ";" + extra }
            if css.isEmpty { out += "<\(tag)>" } else { out += "<\(tag) style=\""; text(css); out += "\">" }
        }

        mutating func text(_ s: String) { HTMLEscape.append(s, to: &out) }

        mutating func headingID(_ title: String) -> String {
            let base = renderer.slugger.slug(title)
            var id = base.isEmpty ? "section" : base
            if id.first?.isNumber == true { id = "s-" + id }
            // Footnote ids (fn-1, fnref-1, fnref-1-2 …) belong to the notes.
            if id.hasPrefix("fn") { id = "h-" + id }
            let stem = id
            var n = 2
            while used.contains(id) { id = "\(stem)-\(n)"; n += 1 }
            used.insert(id)
            return p + id
        }

        mutating func block(_ b: MDBlock, tight: Bool) {
            switch b {
            case .heading(let level, let inl):
                // The heading as the contents lists it: without its footnote marks.
                let title = inl.filter { if case .footnoteReference = $0 { return false }; return true }
                    .plainText.trimmingSpace()
                if styles != nil {
                    open("h\(level)", "h\(min(max(level, 2), 4))")
                    // Marks inside a heading take the heading's colours (a bold word on a
                    // coloured band would otherwise be the band's colour).
                    inHeading = true
                    inlines(inl)
                    inHeading = false
                    out += "</h\(level)>\n"
                    return
                }
                let id = headingID(title)
                headings.append((level, id, title))
                out += "<h\(level) id=\"\(id)\">"
                inlines(inl)
                out += "</h\(level)>\n"
            case .paragraph(let inl):
                if tight { out += marker; marker = ""; inlines(inl); return }
                open("p")
                out += marker; marker = ""
                inlines(inl)
                out += "</p>\n"
            case .list(let ordered, let start, let isTight, let items):
                if styles != nil {
                    // The list's own markers: the WeChat editor keeps no `start`.
                    open(ordered ? "ol" : "ul")
                    out += "\n"
                } else if ordered { out += start == 1 ? "<ol>\n" : "<ol start=\"\(start)\">\n" } else { out += "<ul>\n" }
                for (n, item) in items.enumerated() {
                    if styles != nil {
                        open("li", extra: item.task != nil || (ordered && start != 1) ? "list-style:none" : "")
                        // The marker goes into the item's first paragraph, loose or tight.
                        if let done = item.task { marker = done ? "☑ " : "☐ " }
                        else if ordered && start != 1 { marker = "\(start + n). " }
                        if case .paragraph? = item.blocks.first {} else { out += marker; marker = "" }
                    } else {
                        out += item.task == nil ? "<li>" : "<li class=\"task\">"
                    }
                    if styles == nil, let done = item.task { out += done ? "<input type=\"checkbox\" checked disabled> " : "<input type=\"checkbox\" disabled> " }
                    for (i, inner) in item.blocks.enumerated() {
                        if isTight, case .paragraph = inner {
                            if i > 0 { out += "\n" }
                            block(inner, tight: true)
                        } else {
                            if i == 0 { out += "\n" }
                            block(inner, tight: false)
                        }
                    }
                    out += "</li>\n"
                }
                out += ordered ? "</ol>\n" : "</ul>\n"
            case .quote(let inner):
                open("blockquote")
                out += "\n"
                for x in inner { block(x, tight: false) }
                out += "</blockquote>\n"
            case .table(let alignments, let header, let rows, _):
                if styles != nil {
                    open("section", "table-wrap")
                    open("table")
                    out += "\n<thead>\n<tr>\n"
                } else {
                    out += "<div class=\"table-wrap\"><table>\n<thead>\n<tr>\n"
                }
                func cell(_ tag: String, _ i: Int, _ content: [MDInline]) {
                    let align = i < alignments.count ? alignments[i] : .none
                    if styles != nil {
                        switch align {
                        case .none: open(tag)
                        case .left: open(tag, extra: "text-align:left")
                        case .center: open(tag, extra: "text-align:center")
                        case .right: open(tag, extra: "text-align:right")
                        }
                        inlines(content)
                        out += "</\(tag)>\n"
                        return
                    }
                    switch align {
                    case .none: out += "<\(tag)>"
                    case .left: out += "<\(tag) class=\"align-left\">"
                    case .center: out += "<\(tag) class=\"align-center\">"
                    case .right: out += "<\(tag) class=\"align-right\">"
                    }
                    inlines(content)
                    out += "</\(tag)>\n"
                }
                for (i, c) in header.enumerated() { cell("th", i, c) }
                out += "</tr>\n</thead>\n"
                if !rows.isEmpty {
                    out += "<tbody>\n"
                    for r in rows {
                        out += "<tr>\n"
                        for (i, c) in r.enumerated() { cell("td", i, c) }
                        out += "</tr>\n"
                    }
                    out += "</tbody>\n"
                }
                out += styles != nil ? "</table></section>\n" : "</table></div>\n"
            case .code(let code, let language):
                if styles != nil {
                    open("pre")
                    open("code", "pre-code")
                } else {
                    out += language.isEmpty ? "<pre><code>" : "<pre><code class=\"language-"
                    if !language.isEmpty { text(language); out += "\">" }
                }
                text(code)
                if !code.isEmpty { out += "\n" }
                out += "</code></pre>\n"
            case .figure(let index, let alt, let title):
                let link = doc.links[index]
                guard let src = renderer.url(link) else {
                    if !alt.isEmpty { out += "<p>"; text(alt); out += "</p>\n" }
                    return
                }
                let caption = MDDocument.caption(alt: alt, title: title)
                open("figure")
                image(src: src, link: link, alt: alt, title: "")
                if !caption.isEmpty {
                    if styles != nil { open("figcaption") }
                    else { out += caption == alt ? "<figcaption aria-hidden=\"true\">" : "<figcaption>" }
                    text(caption)
                    out += "</figcaption>"
                }
                out += "</figure>\n"
            case .html(let raw):
                // The WeChat editor would drop or mangle it; `beacon check` says so.
                if styles == nil { out += raw }
            case .rule:
                if styles != nil { open("hr"); out += "\n" } else { out += "<hr>\n" }
            }
        }

        mutating func image(src: String, link: MDLink, alt: String, title: String, key: String = "img") {
            out += "<img src=\""
            text(src)
            out += "\" alt=\""
            text(alt)
            out += "\""
            if let styles {
                out += " style=\""
                text(styles[key])
                // Never wider than the picture itself: a small picture in a sentence (a badge,
                // an icon) stays small instead of filling the phone's width.
                if let size = renderer.imageSize(link), size.width > 0 { out += ";width:\(size.width)px" }
                out += "\">"
                return
            }
            if !title.isEmpty { out += " title=\""; text(title); out += "\"" }
            if let size = renderer.imageSize(link) { out += " width=\"\(size.width)\" height=\"\(size.height)\"" }
            out += eager ? " decoding=\"async\">" : " loading=\"lazy\" decoding=\"async\">"
        }

        mutating func inlines(_ list: [MDInline]) {
            for i in list { inline(i) }
        }

        mutating func inline(_ i: MDInline) {
            switch i {
            case .text(let t): text(t)
            case .code(let t):
                open("code")
                text(t)
                out += "</code>"
            case .emphasis(let c):
                open("em"); inlines(c); out += "</em>"
            case .strong(let c):
                open("strong"); inlines(c); out += "</strong>"
            case .strikethrough(let c):
                open("del"); inlines(c); out += "</del>"
            case .link(let index, let title, let c):
                guard let href = renderer.url(doc.links[index]) else { inlines(c); return }
                if styles != nil {
                    // The words, then a numbered mark; the address is listed under 参考链接.
                    inlines(c)
                    guard !href.hasPrefix("#") else { return }
                    let n: Int
                    if let known = referenceNumber[href] { n = known } else {
                        references.append((c.plainText.trimmingSpace(), href))
                        n = references.count
                        referenceNumber[href] = n
                    }
                    open("sup")
                    out += "[\(n)]</sup>"
                    return
                }
                out += "<a href=\""
                text(href)
                out += "\""
                if !title.isEmpty { out += " title=\""; text(title); out += "\"" }
                out += ">"
                inlines(c)
                out += "</a>"
            case .image(let index, let alt, let title):
                let link = doc.links[index]
                guard let src = renderer.url(link) else { text(alt); return }
                image(src: src, link: link, alt: alt, title: title, key: "img-inline")
            case .footnoteReference(let n):
                if styles != nil {
                    open("sup")
                    out += "[注\(n)]</sup>"
                    return
                }
                let k = referenceCount[n, default: 0] + 1
                referenceCount[n] = k
                let id = k == 1 ? "\(p)fnref-\(n)" : "\(p)fnref-\(n)-\(k)"
                out += "<sup class=\"footnote-ref\"><a href=\"#\(p)fn-\(n)\" id=\"\(id)\" aria-label=\"注释 \(n)\">\(n)</a></sup>"
            case .lineBreak:
                out += "<br>\n"
            case .softBreak:
                out += "\n"
            case .html(let raw):
                if styles == nil { out += raw }
                // A line break survives the WeChat editor; other tags are left out.
                else if HTMLRenderer.isLineBreak(raw) { out += "<br>" }
            }
        }

        mutating func footnotes() {
            guard !doc.footnotes.isEmpty else { return }
            if styles != nil {
                // Notes without anchors: the WeChat editor keeps no in-page links.
                open("section", "notes")
                open("p", "notes-title")
                out += "注释</p>\n"
                for (i, note) in doc.footnotes.enumerated() {
                    open("section", "note")
                    out += "[注\(i + 1)] "
                    for (k, b) in note.enumerated() {
                        if case .paragraph(let inl) = b {
                            if k > 0 { out += "<br>" }
                            inlines(inl)
                        } else { block(b, tight: false) }
                    }
                    out += "</section>\n"
                }
                out += "</section>\n"
                return
            }
            out += "<section class=\"footnotes\" aria-label=\"注释\">\n<h2 class=\"footnotes-title\">注释</h2>\n<ol>\n"
            for (i, note) in doc.footnotes.enumerated() {
                let n = i + 1
                out += "<li id=\"\(p)fn-\(n)\">\n"
                let back = "<a href=\"#\(p)fnref-\(n)\" class=\"footnote-backref\" aria-label=\"返回正文\">↩</a>"
                if case .paragraph(let inl)? = note.last {
                    for b in note.dropLast() { block(b, tight: false) }
                    out += "<p>"
                    inlines(inl)
                    out += " " + back + "</p>\n"
                } else {
                    for b in note { block(b, tight: false) }
                    out += "<p>" + back + "</p>\n"
                }
                out += "</li>\n"
            }
            out += "</ol>\n</section>\n"
        }
    }
}
