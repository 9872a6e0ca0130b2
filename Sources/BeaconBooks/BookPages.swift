import Foundation
import BeaconModel
import BeaconText
import BeaconOutput
import BeaconPrint

extension BookBuilder {
    final class Box<T> { var value: T; init(_ v: T) { value = v } }

    public func build(_ book: Book) -> BookResult {
        let g = geometry(for: book.size)
        let (lessons, branches) = entries(of: book)
        var sections = lessons.map { lessonSection($0, book: book, g: g) }
        sections += branches.map { branchSection($0, g: g) }

        // Body pages, each section from a new page; numbered from 1.
        var body: [(section: Int, placed: [(item: FlowItem, y: Double)])] = []
        var sectionStart: [Int] = []
        for (si, s) in sections.enumerated() {
            sectionStart.append(body.count)
            for p in Paginator.paginate(s.items, frameHeight: g.frameHeight) { body.append((si, p)) }
        }

        // Contents: laid out once to know how many pages it takes.
        let frontCount = Box(0)
        let tocItems = contentsItems(sections: sections, starts: sectionStart, frontCount: frontCount, g: g)
        let tocPages = Paginator.paginate(tocItems, frameHeight: g.frameHeight)
        var front = 4 + tocPages.count
        if front % 2 == 1 { front += 1 }
        frontCount.value = front

        let doc = PrintDocument(size: book.size)
        doc.date = project.contentDate
        doc.title = (book.subtitle.map { "\(book.title)（\($0)）" } ?? book.title) + (book.edition.map { "·\($0.name)" } ?? "")
        doc.author = book.publisher ?? project.site.organisation ?? project.site.title
        doc.subject = book.subtitle ?? "学习口袋书"
        doc.pages.append(coverPage(book, g: g))
        doc.pages.append(PrintPage())
        doc.pages.append(titlePage(book, g: g))
        doc.pages.append(colophonPage(book, g: g))
        for (i, placed) in tocPages.enumerated() {
            let page = PrintPage()
            if i == 0 { page.ops.append(heading("目　录", g: g, recto: doc.pages.count % 2 == 0)) }
            place(placed, on: page, x: frameX(recto: doc.pages.count % 2 == 0, g: g), top: g.top + (i == 0 ? g.body * 3 : 0))
            doc.pages.append(page)
        }
        while doc.pages.count < front { doc.pages.append(PrintPage()) }

        var records: [LineRecord] = []
        for (n, entry) in body.enumerated() {
            let number = n + 1
            let recto = number % 2 == 1
            let page = PrintPage()
            let first = sectionStart.contains(n)
            place(entry.placed, on: page, x: frameX(recto: recto, g: g), top: g.top)
            page.ops.append(furniture(number: number, head: recto ? sections[entry.section].title : book.title,
                                      showHead: !first, recto: recto, g: g))
            for (item, _) in entry.placed {
                if var r = item.record { r.page = doc.pages.count; records.append(r) }
            }
            doc.pages.append(page)
        }
        // Contents lines are lines too.
        for (i, placed) in tocPages.enumerated() {
            for (item, _) in placed { if var r = item.record { r.page = 4 + i; records.append(r) } }
        }

        // Bookmarks: the contents, each series with its lessons, the branch profiles.
        doc.outline.append(("目录", 4, nil))
        var groupIndex: [String: Int] = [:]
        var lessonPages: [String: Int] = [:]
        for (si, s) in sections.enumerated() {
            let page = front + sectionStart[si]
            lessonPages[s.reference] = page
            var parent: Int?
            if let gname = s.group {
                if let gi = groupIndex[gname] { parent = gi } else {
                    doc.outline.append((gname, page, nil))
                    groupIndex[gname] = doc.outline.count - 1
                    parent = doc.outline.count - 1
                }
            }
            doc.outline.append((s.title, page, parent))
        }
        return BookResult(book: book, document: doc, lines: records, frontPages: front, lessonPages: lessonPages)
    }

    func frameX(recto: Bool, g: Geometry) -> Double {
        recto ? g.inner : g.outer
    }

    func place(_ placed: [(item: FlowItem, y: Double)], on page: PrintPage, x: Double, top: Double) {
        for (item, y) in placed {
            let draw = item.draw
            page.ops.append { cr, mode in draw(cr, x, top + y, mode) }
        }
    }

    func heading(_ text: String, g: Geometry, recto: Bool) -> DrawOp {
        let s = TextStyle(font: font(style.headingFont, g.body * 1.5, bold: true), colour: style.accent)
        let p = ts.layout(RichText(text, style: s), width: g.frameWidth, align: .center, leading: 1.3)
        let x = frameX(recto: recto, g: g)
        return { cr, _ in p.draw(cr, x: x, y: g.top) }
    }

    /// Running head and page number of a body page.
    func furniture(number: Int, head: String, showHead: Bool, recto: Bool, g: Geometry) -> DrawOp {
        let small = g.body * 0.75
        let hs = TextStyle(font: font(style.headingFont, small), colour: style.muted)
        let headP = ts.layout(RichText(head, style: hs), width: g.frameWidth, align: recto ? .right : .left, leading: 1.2)
        let numP = ts.layout(RichText("\(number)", style: hs), width: g.frameWidth, align: .center, leading: 1.2)
        let x = frameX(recto: recto, g: g)
        let muted = style.muted
        return { cr, _ in
            if showHead {
                let y = g.top - small * 2.6
                headP.draw(cr, x: x, y: y)
                muted.set(cr)
                Canvas(cr).setLineWidth(0.4)
                Canvas(cr).moveTo(x, g.top - small * 0.9)
                Canvas(cr).lineTo(x + g.frameWidth, g.top - small * 0.9)
                Canvas(cr).stroke()
            }
            numP.draw(cr, x: x, y: g.page.height - g.bottom + (g.bottom - small) * 0.45)
        }
    }

    func contentsItems(sections: [Section], starts: [Int], frontCount: Box<Int>, g: Geometry) -> [FlowItem] {
        var items: [FlowItem] = []
        var lastGroup: String?
        let line = g.body * style.leading
        let gs = TextStyle(font: font(style.headingFont, g.body, bold: true), colour: style.accent)
        let es = TextStyle(font: font(style.bodyFont, g.body * 0.95), colour: style.text)
        let ns = TextStyle(font: font(style.headingFont, g.body * 0.9), colour: style.text)
        for (si, s) in sections.enumerated() {
            if let group = s.group, group != lastGroup {
                lastGroup = group
                let p = ts.layout(RichText(group, style: gs), width: g.frameWidth, align: .left, leading: 1.6)
                items += ts.lineItems(p, spaceBefore: items.isEmpty ? 0 : line * 0.4, keepWithNext: true)
            }
            let number = starts[si] + 1
            let numberP = ts.label(RichText("\(number)", style: ns))
            let numberW = max(numberP.naturalWidth, g.body * 1.6)
            let indent = g.body * 1.0
            let titleP = ts.layout(RichText(s.title, style: es), width: g.frameWidth - indent - numberW - g.body * 1.5, align: .left, leading: 1.5)
            let h = titleP.height
            let lastLine = titleP.lines.last!
            let lastW = titleP.lastLineWidth
            let muted = style.muted
            var item = FlowItem(height: h) { cr, x, y, mode in
                titleP.draw(cr, x: x + indent, y: y)
                let baseline = y + lastLine.baseline
                numberP.draw(cr, x: x + g.frameWidth - numberP.naturalWidth, y: baseline - numberP.lines[0].baseline)
                // Dot leaders.
                muted.set(cr)
                var dx = x + indent + lastW + g.body * 0.5
                let end = x + g.frameWidth - numberW - g.body * 0.3
                while dx < end {
                    Canvas(cr).circle(dx, baseline - g.body * 0.2, 0.35)
                    Canvas(cr).fill()
                    dx += g.body * 0.4
                }
                if mode.links {
                    Canvas(cr).link(page: frontCount.value + number, x: x, y: y, width: g.frameWidth, height: h)
                }
            }
            item.record = LineRecord(text: titleP.lines.map(\.text).joined(), page: 0, paragraphLines: 1, indexInParagraph: 0)
            item.spaceBefore = line * 0.1
            items.append(item)
        }
        return items
    }

    func coverPage(_ book: Book, g: Geometry) -> PrintPage {
        let page = PrintPage()
        let w = g.page.width, h = g.page.height
        let accent = style.accent, gold = style.gold
        let maxSize = min(w / 9, 26)
        let title = fittedTitle(book.title, maxSize: maxSize, width: w * 0.8, colour: .white)
        let titleSize = maxSize
        let sub = book.subtitle.map {
            ts.layout(RichText($0, style: TextStyle(font: font(style.headingFont, titleSize * 0.55), colour: gold)), width: w * 0.8, align: .center, leading: 1.3)
        }
        // An edition's name stands on the cover in a gold band.
        let edition = book.edition.map {
            ts.layout(RichText($0.name, style: TextStyle(font: font(style.headingFont, titleSize * 0.6, bold: true), colour: accent)), width: w * 0.8, align: .center, leading: 1.3)
        }
        var bottomText: [String] = []
        if let p = book.publisher { bottomText.append(p) }
        if let d = book.chineseDate { bottomText.append(d) }
        let bottom = ts.layout(RichText(bottomText.joined(separator: "\u{2028}"), style: TextStyle(font: font(style.headingFont, titleSize * 0.42), colour: .white)),
                               width: w * 0.8, align: .center, leading: 1.5)
        // The site's logo, centred above the top rules.
        let logo = style.logo.flatMap { try? PrintImage.load($0) }
        page.ops.append { cr, _ in
            accent.set(cr)
            Canvas(cr).rectangle(0, 0, w, h)
            Canvas(cr).fill()
            gold.set(cr)
            Canvas(cr).rectangle(0, h * 0.2, w, 3)
            Canvas(cr).fill()
            Canvas(cr).rectangle(0, h * 0.2 + 6, w, 1)
            Canvas(cr).fill()
            Canvas(cr).rectangle(0, h * 0.78, w, 1)
            Canvas(cr).fill()
            let ty = h * 0.32
            title.draw(cr, x: w * 0.1, y: ty)
            var below = ty + title.height + titleSize * 0.6
            if let sub {
                sub.draw(cr, x: w * 0.1, y: below)
                below += sub.height + titleSize * 0.5
            }
            if let edition {
                let bandW = edition.width + titleSize * 1.2
                gold.set(cr)
                Canvas(cr).rectangle((w - bandW) / 2, below - titleSize * 0.15, bandW, edition.height + titleSize * 0.3)
                Canvas(cr).fill()
                edition.draw(cr, x: w * 0.1, y: below)
            }
            bottom.draw(cr, x: w * 0.1, y: h * 0.82)
            if let logo {
                let lh = h * 0.1, lw = min(w * 0.6, lh * logo.pixelWidth / logo.pixelHeight)
                let fitted = lw / (logo.pixelWidth / logo.pixelHeight)
                logo.draw(cr, x: (w - lw) / 2, y: h * 0.05 + (lh - fitted) / 2, width: lw, height: fitted)
            }
        }
        return page
    }

    /// A display title at the largest size (down to 60 %) that sets it on one line, or on two
    /// lines with no fewer than three characters on the second.
    func fittedTitle(_ text: String, maxSize: Double, width: Double, colour: Colour) -> Typesetter.Paragraph {
        var size = maxSize
        var best: Typesetter.Paragraph?
        while size >= maxSize * 0.6 {
            let p = ts.layout(RichText(text, style: TextStyle(font: font(style.headingFont, size, bold: true), colour: colour)),
                              width: width, align: .center, leading: 1.3)
            if p.lines.count == 1 { return p }
            if best == nil, p.lines.count == 2, (p.lines.last?.text.count ?? 0) >= 3 { best = p }
            size -= 0.5
        }
        return best ?? ts.layout(RichText(text, style: TextStyle(font: font(style.headingFont, maxSize * 0.6, bold: true), colour: colour)),
                                 width: width, align: .center, leading: 1.3)
    }

    func titlePage(_ book: Book, g: Geometry) -> PrintPage {
        let page = PrintPage()
        let w = g.page.width, h = g.page.height
        let size = min(w / 10, 22)
        let title = fittedTitle(book.title, maxSize: size, width: g.frameWidth, colour: style.accent)
        let subText = [book.subtitle, book.edition?.name].compactMap { $0 }.joined(separator: "\u{2028}")
        let sub = subText.isEmpty ? nil : ts.layout(RichText(subText, style: TextStyle(font: font(style.headingFont, size * 0.6), colour: style.text)),
                                                    width: g.frameWidth, align: .center, leading: 1.5)
        let pub = ts.layout(RichText(book.publisher ?? project.site.organisation ?? "", style: TextStyle(font: font(style.headingFont, size * 0.5), colour: style.muted)),
                            width: g.frameWidth, align: .center, leading: 1.3)
        let x = g.inner
        let gold = style.gold
        page.ops.append { cr, _ in
            title.draw(cr, x: x, y: h * 0.28)
            gold.set(cr)
            Canvas(cr).rectangle(w / 2 - 20, h * 0.28 + title.height + size * 0.4, 40, 1.5)
            Canvas(cr).fill()
            sub?.draw(cr, x: x, y: h * 0.28 + title.height + size)
            pub.draw(cr, x: x, y: h * 0.8)
        }
        return page
    }

    /// The 版权页: a column of four-character labels set distributed (书　　名, 网　络　版), the
    /// colons in one column, each value beside its label and wrapping under its own column.
    /// No software credit; a theme may add a note under the table (print.yml `colophon_note`).
    func colophonPage(_ book: Book, g: Geometry) -> PrintPage {
        let page = PrintPage()
        var rows: [(String, String)] = [("书名", book.title + (book.subtitle.map { "（\($0)）" } ?? ""))]
        if let e = book.edition { rows.append(("版本", "\(e.name)（收入面向\(e.audience.rawValue)党员和各领域通用的篇目）")) }
        if let p = book.publisher { rows.append(("编印单位", Self.publisherName(p))) }
        if let d = book.chineseDate { rows.append(("印制日期", d)) }
        rows.append(("开本", String(format: "%@（%.0f×%.0f毫米）", book.sizeName.uppercased(), book.size.widthMM, book.size.heightMM)))
        rows.append(("网络版", project.site.baseURL))
        // Set smaller when a very long title would not fit the page.
        typealias Row = (chars: [Typesetter.Paragraph], colon: Typesetter.Paragraph, value: Typesetter.Paragraph)
        func setRows(_ fs: Double) -> (rows: [Row], note: Typesetter.Paragraph?, height: Double) {
            let s = TextStyle(font: font(style.headingFont, fs), colour: style.text)
            let rows: [Row] = rows.map { label, value in
                (label.map { ts.label(RichText(String($0), style: s)) }, ts.label(RichText("：", style: s)),
                 ts.layout(RichText(value, style: s), width: g.frameWidth - fs * 5, align: .left, leading: 1.5))
            }
            let note = style.colophonNote.map { ts.layout(RichText($0, style: s), width: g.frameWidth, align: .left, leading: 1.5) }
            let height = rows.map(\.value.height).reduce(0, +) + fs * 0.5 * Double(max(0, rows.count - 1)) + (note.map { $0.height + fs } ?? 0)
            return (rows, note, height)
        }
        var fs = g.body * 0.78
        var laid = setRows(fs)
        while laid.height > g.frameHeight - fs * 2 && fs > g.body * 0.5 {
            fs *= 0.9
            laid = setRows(fs)
        }
        let (set, note, height) = laid
        let labelWidth = fs * 4, valueX = fs * 5
        let rowGap = fs * 0.5
        let x = g.outer
        let muted = style.muted
        page.ops.append { cr, _ in
            var y = g.page.height - g.bottom - height
            muted.set(cr)
            Canvas(cr).setLineWidth(0.5)
            Canvas(cr).moveTo(x, y - fs)
            Canvas(cr).lineTo(x + g.frameWidth, y - fs)
            Canvas(cr).stroke()
            for row in set {
                // Distributed: the first character at the left, the last ending at four ems.
                let n = row.chars.count
                for (i, c) in row.chars.enumerated() {
                    let cx = n == 1 ? 0 : (labelWidth - c.naturalWidth) * Double(i) / Double(n - 1)
                    c.draw(cr, x: x + cx, y: y + row.value.firstBaseline - c.firstBaseline)
                }
                row.colon.draw(cr, x: x + labelWidth, y: y + row.value.firstBaseline - row.colon.firstBaseline)
                row.value.draw(cr, x: x + valueX, y: y)
                y += row.value.height + rowGap
            }
            if let note { note.draw(cr, x: x, y: y + rowGap) }
        }
        return page
    }

    /// The publisher as the 编印单位 row shows it: without a trailing 编印 (or 编, 印制), which
    /// the label already says.
    static func publisherName(_ p: String) -> String {
        var name = p.trimmingCharacters(in: .whitespaces)
        for suffix in ["编印", "印制", "编"] where name.hasSuffix(suffix) && name.count > suffix.count {
            name = String(name.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            break
        }
        return name
    }
}
