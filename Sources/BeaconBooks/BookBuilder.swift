import Foundation
import BeaconModel
import BeaconText
import BeaconOutput
import BeaconPrint

/// What building one book produced.
public struct BookResult {
    public var book: Book
    public var document: PrintDocument
    /// Every line the typesetter set, with its 0-based page index.
    public var lines: [LineRecord]
    /// Pages before the body (cover, title, colophon, contents).
    public var frontPages: Int
    /// 0-based page index where each lesson starts, by lesson reference.
    public var lessonPages: [String: Int]
}

/// Turns a book definition into pages: cover, title page, colophon, contents, the lessons
/// (and branch profiles) typeset from the same Markdown as the website.
public final class BookBuilder {
    let project: Project
    let style: BookStyle
    let bag: DiagnosticBag
    let routes: Routes
    let links: ContentLinks
    let ts = Typesetter()

    /// `links`: the build's resolved links; print turns them into absolute URLs of the
    /// published site, and pictures into files on disk.
    public init(project: Project, style: BookStyle, links: ContentLinks, bag: DiagnosticBag) {
        self.project = project
        self.style = style
        self.bag = bag
        self.links = links
        routes = links.routes
    }

    // MARK: - Geometry

    struct Geometry {
        var page: PaperSize
        var body: Double          // body size, pt
        var top: Double, bottom: Double, inner: Double, outer: Double
        var frameWidth: Double
        var frameHeight: Double
        func frameX(pageIndex: Int) -> Double {
            // Right-hand (odd, 1-based) pages have the inner margin on the left.
            pageIndex % 2 == 0 ? inner : outer + (page.width - inner - outer - frameWidth)
        }
    }

    func geometry(for size: PaperSize) -> Geometry {
        let mm = PaperSize.pointsPerMM
        let scale = min(1.3, max(0.85, size.widthMM / 105))
        let body = min(10.5, max(style.bodySize, style.bodySize * (scale > 1.15 ? 1.1 : 1.0)))
        let inner = style.inner * mm * scale, outer = style.outer * mm * scale
        let available = size.width - inner - outer
        // A whole number of characters per line; the rest goes to the margins.
        let chars = floor(available / body)
        let frameWidth = chars * body
        let extra = available - frameWidth
        let top = style.top * mm * scale, bottom = style.bottom * mm * scale
        let lineHeight = body * style.leading
        let frameHeight = floor((size.height - top - bottom) / lineHeight) * lineHeight
        return Geometry(page: size, body: body, top: top, bottom: size.height - top - frameHeight, inner: inner + extra / 2,
                        outer: outer + extra / 2, frameWidth: frameWidth, frameHeight: frameHeight)
    }

    // MARK: - Styles

    func font(_ family: String, _ size: Double, bold: Bool = false) -> FontSpec { FontSpec(family: family, size: size, bold: bold) }
    func bodyStyle(_ g: Geometry) -> TextStyle { TextStyle(font: font(style.bodyFont, g.body), colour: style.text) }

    /// Inline Markdown → styled text, as boards set it too.
    func rich(_ inlines: [MDInline], base: TextStyle, g: Geometry, links docLinks: [MDLink]) -> RichText {
        MarkdownText(quoteFamily: style.quoteFont, codeFamily: style.codeFont, accent: style.accent, url: links.printURL)
            .rich(inlines, base: base, links: docLinks)
    }

    // MARK: - Blocks


    /// The narrowest a nested quote or list may make the text, in body ems.
    static let narrowest = 10.0

    struct BlockContext {
        var x: Double = 0            // left indent inside the frame
        var width: Double
        var quote = false
        var firstIndent = true
        var document: String         // for messages about pictures
        var links: [MDLink] = []     // the document's resolved links
    }

    func items(for blocks: [MDBlock], _ c: BlockContext, g: Geometry) -> [FlowItem] {
        var out: [FlowItem] = []
        let line = g.body * style.leading
        for (bi, block) in blocks.enumerated() {
            let gap = bi == 0 ? 0.0 : line * 0.25
            switch block {
            case .heading(let level, let inlines):
                let size = level <= 2 ? g.body * 1.25 : g.body * 1.08
                var s = TextStyle(font: font(style.headingFont, size, bold: true), colour: level <= 2 ? style.accent : style.text)
                s.colour = level <= 2 ? style.accent : style.text
                let p = ts.layout(rich(inlines, base: s, g: g, links: c.links), width: c.width, align: .left, leading: 1.5)
                out += ts.lineItems(p, x: c.x, spaceBefore: line * 0.8, keepWithNext: true)
            case .paragraph(let inlines):
                var base = bodyStyle(g)
                if c.quote { base.font.family = style.quoteFont }
                // A quotation's source (——《中国共产党支部工作条例（试行）》) stands on the
                // right, without the paragraph indent.
                let source = c.quote && inlines.plainText.hasPrefix("——")
                let p = ts.layout(rich(inlines, base: base, g: g, links: c.links), width: c.width,
                                  indent: c.firstIndent && !source ? g.body * 2 : 0, align: source ? .right : .justify,
                                  leading: style.leading)
                out += ts.lineItems(p, x: c.x, spaceBefore: gap)
            case .quote(let inner):
                var q = c
                // Deep nesting stops indenting where the text would grow too narrow to read.
                let step = c.width - g.body * 3 >= g.body * Self.narrowest ? 1.0 : 0.0
                q.x += g.body * 2 * step
                q.width -= g.body * 3 * step
                q.quote = true
                var items = self.items(for: inner, q, g: g)
                if !items.isEmpty { items[0].spaceBefore = line * 0.4 }
                let bar = style.gold
                let barX = c.x + g.body * 0.8
                out += items.map { item in
                    var it = item
                    let draw = item.draw
                    it.draw = { cr, x, y, mode in
                        bar.set(cr)
                        Canvas(cr).rectangle(x + barX, y, 1.2, item.height)
                        Canvas(cr).fill()
                        draw(cr, x, y, mode)
                    }
                    return it
                }
                out.append(.space(line * 0.4))
            case .list(let ordered, let start, _, let listItems):
                let indent = g.body * 2
                // Too deep to indent again: the marker goes in front of the item's text.
                let inline = c.width - indent < g.body * Self.narrowest
                for (i, li) in listItems.enumerated() {
                    let marker: String
                    if let task = li.task { marker = task ? "☑" : "☐" } else { marker = ordered ? "\(start + i)." : "•" }
                    if inline {
                        var blocks = li.blocks
                        var inner = c
                        inner.firstIndent = false
                        if case .paragraph(let inlines)? = blocks.first { blocks[0] = .paragraph([.text(marker + "\u{2002}")] + inlines) }
                        else { blocks.insert(.paragraph([.text(marker)]), at: 0) }
                        var items = self.items(for: blocks, inner, g: g)
                        if !items.isEmpty { items[0].spaceBefore = i == 0 ? gap : line * 0.1 }
                        out += items
                        continue
                    }
                    // The marker: in the heading face and the accent colour, a little smaller
                    // than the text so that it does not outweigh it, on the text's baseline.
                    var ms = bodyStyle(g)
                    ms.font = font(style.headingFont, g.body * 0.9)
                    ms.colour = style.accent
                    let m = ts.label(RichText(marker, style: ms), width: indent - g.body * 0.4, align: .right)
                    var inner = c
                    inner.x += indent
                    inner.width -= indent
                    inner.firstIndent = false
                    var items = self.items(for: li.blocks, inner, g: g)
                    guard !items.isEmpty else { continue }
                    let firstDraw = items[0].draw
                    let mx = c.x
                    let markerY = (items[0].baseline ?? m.firstBaseline) - m.firstBaseline
                    items[0].draw = { cr, x, y, mode in
                        m.draw(cr, x: x + mx, y: y + markerY)
                        firstDraw(cr, x, y, mode)
                    }
                    items[0].spaceBefore = i == 0 ? gap : line * 0.1
                    out += items
                }
            case .table(let alignments, let header, let rows, let at):
                out += tableItems(alignments: alignments, header: header, rows: rows, at: at, c, g: g, spaceBefore: line * 0.5)
                out.append(.space(line * 0.5))
            case .code(let text, _):
                var s = bodyStyle(g)
                s.font = font(style.codeFont, g.body * 0.85)
                let p = ts.layout(RichText(text, style: s), width: c.width - g.body, align: .left, leading: 1.4)
                let tint = style.tint
                out += ts.lineItems(p, x: c.x + g.body / 2, spaceBefore: gap, background: tint)
            case .figure(let index, let alt, let title):
                out += imageItems(c.links[index], caption: MDDocument.caption(alt: alt, title: title), c, g: g)
            case .html:
                break
            case .rule:
                var it = FlowItem(height: line) { cr, x, y, _ in
                    Canvas(cr).setRGB(0.6, 0.6, 0.6)
                    Canvas(cr).setLineWidth(0.5)
                    Canvas(cr).moveTo(x + c.x + c.width * 0.35, y + line / 2)
                    Canvas(cr).lineTo(x + c.x + c.width * 0.65, y + line / 2)
                    Canvas(cr).stroke()
                }
                it.spaceBefore = gap
                out.append(it)
            }
        }
        return out
    }

    /// A 三线表: heavy rules above and below, a thin rule under the header; the header repeats
    /// on every page the table runs onto.
    func tableItems(alignments: [MDAlignment], header: [[MDInline]], rows: [[[MDInline]]], at: SourceLocation, _ c: BlockContext,
                    g: Geometry, spaceBefore: Double) -> [FlowItem] {
        let cols = max(1, alignments.count)
        // Column widths as a browser sets an automatic table: each column wants the natural
        // width of its widest cell and needs at least its header (a header never wraps), its
        // widest run the line breaker will not break (a number such as 2800×0.5%=14, a Latin
        // word, 「（元）」), and any cell of up to three characters. When the needs do not fit
        // the frame, the table is set smaller (down to 0.7 of the body size); when they still do
        // not, the unbreakable runs keep their width and the headers and short cells share the
        // rest (a header may then wrap; a number and a short cell never do); when the wants do not fit, each
        // column gets its need and a share of the rest in proportion to what it wants beyond it.
        func measure(_ size: Double) -> (natural: [Double], need: [Double], hard: [Double], cell: TextStyle, head: TextStyle, pad: Double) {
            // Half an em each side: at least one em between the texts of two columns.
            let pad = size * 0.5
            let cell = TextStyle(font: font(style.bodyFont, size), colour: style.text)
            var head = cell
            head.font = font(style.headingFont, size, bold: true)
            var natural = [Double](repeating: size * 2 + 2 * pad, count: cols)
            var need = [Double](repeating: size * 2 + 2 * pad, count: cols)
            // What may never break (a number, a Latin word, 「（元）」): the last thing given up.
            var hard = [Double](repeating: size * 2 + 2 * pad, count: cols)
            for (r, row) in ([header] + rows).enumerated() {
                for i in 0..<min(cols, row.count) {
                    let text = rich(row[i], base: r == 0 ? head : cell, g: g, links: c.links)
                    let p = ts.label(text)
                    let w = min(p.naturalWidth, c.width) + 2 * pad
                    natural[i] = max(natural[i], w)
                    if r == 0 || w <= size * 3 + 2 * pad { need[i] = max(need[i], w) }
                    // A cell of up to three characters is never wrapped either (第1/档 reads wrong).
                    if r > 0 && w <= size * 3 + 2 * pad { hard[i] = max(hard[i], w) }
                    // As the line breaker sees the cell: 2800×0.5%=14 is one run.
                    let tw = min(p.widestUnbreakable + 2 * pad, c.width)
                    need[i] = max(need[i], tw)
                    hard[i] = max(hard[i], tw)
                }
            }
            return (natural, need, hard, cell, head, pad)
        }
        var size = g.body * 0.9
        var m = measure(size)
        while m.need.reduce(0, +) > c.width && size > g.body * 0.72 {
            size *= 0.9
            m = measure(size)
        }
        let (natural, need, hard, cell, head, pad) = m
        var widths = natural
        let total = natural.reduce(0, +)
        if total > c.width {
            let needed = need.reduce(0, +)
            let unbreakable = hard.reduce(0, +)
            if needed >= c.width && unbreakable < c.width && needed > unbreakable {
                // Not room for every header on one line: numbers and words stay whole, and
                // the headers and short cells share what is left.
                widths = (0..<cols).map { hard[$0] + (need[$0] - hard[$0]) / (needed - unbreakable) * (c.width - unbreakable) }
            } else if needed >= c.width {
                widths = need.map { $0 * c.width / needed }
            } else {
                let beyond = total - needed
                widths = (0..<cols).map { need[$0] + (natural[$0] - need[$0]) / beyond * (c.width - needed) }
            }
        }
        // Columns narrower than two characters of their own text would overprint each other.
        if widths.contains(where: { $0 - 2 * pad < size * 2 - 0.01 }) {
            let names = header.map { $0.map(\.plainText).joined() }
            let first = names.prefix(3).joined(separator: "｜") + (names.count > 3 ? "…" : "")
            bag.error(at, "表格（表头：\(first)）有 \(cols) 列，在口袋书的版心里缩到最小字号也放不下；请拆成几张表，或改写成列表 (a table of \(cols) columns does not fit the page)")
            return []
        }
        let tableWidth = widths.reduce(0, +)
        func rowItem(_ cells: [[MDInline]], isHeader: Bool, isLast: Bool) -> FlowItem {
            var layouts: [Typesetter.Paragraph] = []
            for i in 0..<cols {
                let content = i < cells.count ? cells[i] : []
                let align: TextAlign = alignments.indices.contains(i) ? (alignments[i] == .center ? .center : alignments[i] == .right ? .right : .left) : .left
                layouts.append(ts.layout(rich(content, base: isHeader ? head : cell, g: g, links: c.links), width: widths[i] - 2 * pad,
                                         align: align, leading: 1.35))
            }
            let h = (layouts.map(\.height).max() ?? size) + 2 * pad
            let heavy = 1.0, thin = 0.5
            let accent = style.text
            var item = FlowItem(height: h) { cr, x, y, _ in
                var cx = x + c.x
                for (i, l) in layouts.enumerated() {
                    l.draw(cr, x: cx + pad, y: y + pad)
                    cx += widths[i]
                }
                accent.set(cr)
                if isHeader {
                    Canvas(cr).setLineWidth(heavy)
                    Canvas(cr).moveTo(x + c.x, y + heavy / 2); Canvas(cr).lineTo(x + c.x + tableWidth, y + heavy / 2); Canvas(cr).stroke()
                    Canvas(cr).setLineWidth(thin)
                    Canvas(cr).moveTo(x + c.x, y + h); Canvas(cr).lineTo(x + c.x + tableWidth, y + h); Canvas(cr).stroke()
                } else if isLast {
                    Canvas(cr).setLineWidth(heavy)
                    Canvas(cr).moveTo(x + c.x, y + h - heavy / 2); Canvas(cr).lineTo(x + c.x + tableWidth, y + h - heavy / 2); Canvas(cr).stroke()
                }
            }
            item.record = LineRecord(text: layouts.map { $0.lines.map(\.text).joined() }.joined(separator: "\t"), page: 0,
                                     paragraphLines: 1, indexInParagraph: 0)
            return item
        }
        var items: [FlowItem] = []
        var headerItem = rowItem(header, isHeader: true, isLast: rows.isEmpty)
        headerItem.spaceBefore = spaceBefore
        headerItem.keepWithNext = true
        items.append(headerItem)
        for (i, row) in rows.enumerated() {
            var it = rowItem(row, isHeader: false, isLast: i == rows.count - 1)
            it.repeatHeader = { rowItem(header, isHeader: true, isLast: false) }
            items.append(it)
        }
        return items
    }

    func imageItems(_ link: MDLink, caption alt: String, _ c: BlockContext, g: Geometry) -> [FlowItem] {
        guard let src = links.file(link) else {
            if case .external = link.target {
                bag.error(link.location, "口袋书只能印 content/ 里的图片，网络图片 \(link.raw.prefix(60)) 印不出来；请把图片下载到 content/media/ (a printed book needs the picture as a file under content/)")
            }
            return []
        }
        let rel = src.hasPrefix(project.root.path + "/") ? String(src.dropFirst(project.root.path.count + 1)) : src
        let image: PrintImage
        do { image = try PrintImage.load(src) } catch {
            bag.error(SourceLocation(path: rel), "\(error)（在 \(c.document) 中使用） (used in \(c.document))")
            return []
        }
        var w = c.width
        var h = w * image.pixelHeight / image.pixelWidth
        let maxH = g.frameHeight * 0.6
        if h > maxH { h = maxH; w = h * image.pixelWidth / image.pixelHeight }
        let dpi = image.dpi(atWidth: w)
        if dpi < 200 {
            bag.warning(SourceLocation(path: rel), String(format: "图片在口袋书中只有 %.0f dpi（建议至少 200 dpi），印出来会发虚 (picture is %.0f dpi at its printed size; 200 dpi or more is recommended)", dpi, dpi))
        }
        let line = g.body * style.leading
        var item = FlowItem(height: h) { cr, x, y, _ in
            image.draw(cr, x: x + c.x + (c.width - w) / 2, y: y, width: w, height: h)
        }
        item.spaceBefore = line * 0.4
        var out = [item]
        if !alt.isEmpty {
            var s = TextStyle(font: font(style.headingFont, g.body * 0.8), colour: style.muted)
            s.font.bold = false
            let p = ts.layout(RichText(alt, style: s), width: c.width, align: .center, leading: 1.4)
            out[0].keepWithNext = true
            out += ts.lineItems(p, x: c.x, spaceBefore: line * 0.2)
        }
        out.append(.space(line * 0.3))
        return out
    }
}
