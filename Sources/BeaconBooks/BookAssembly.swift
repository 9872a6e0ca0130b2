import Foundation
import BeaconModel
import BeaconText
import BeaconOutput
import BeaconPrint

extension BookBuilder {
    /// One unit of the body: a lesson or a branch profile, starting on a new page.
    struct Section {
        var title: String
        var group: String?          // the series title, or 示范支部
        var reference: String
        var items: [FlowItem]
    }

    /// What a book's contents name, in order, each lesson and branch once.
    func entries(of book: Book) -> (lessons: [Lesson], branches: [Branch]) {
        var lessons: [Lesson] = []
        var branches: [Branch] = []
        var seen = Set<String>()
        let bySeries = Dictionary(grouping: project.lessons, by: \.seriesFolder)
        for c in book.contents {
            switch c {
            case .series(let folder):
                let list = (bySeries[folder] ?? []).sorted { ($0.weight ?? Int.max, $0.date, $0.fileName) < ($1.weight ?? Int.max, $1.date, $1.fileName) }
                for l in list where book.edition?.includes(l.audience) ?? true && seen.insert(l.path).inserted { lessons.append(l) }
            case .lesson(let ref):
                if let l = project.lessons.first(where: { $0.reference == ref }), book.edition?.includes(l.audience) ?? true,
                   seen.insert(l.path).inserted { lessons.append(l) }
            case .branches(let filter):
                let match = project.branches.filter(filter.matches)
                    .sorted { ($1.stars ?? 0, $0.domain.order, $0.name) < ($0.stars ?? 0, $1.domain.order, $1.name) }
                for b in match where seen.insert(b.path).inserted { branches.append(b) }
            }
        }
        return (lessons, branches)
    }

    /// Whether print can set every text of `doc`. A text longer than print sets is said once,
    /// with its opening, and left out (the build fails on the error).
    func printable(_ doc: MDDocument, path: String) -> Bool {
        let longest = doc.longestText
        guard longest.length > PrintLimits.longestParagraph else { return true }
        bag.error(SourceLocation(path: path), "有一段文字长达 \(longest.length) 字（开头：“\(longest.opening)…”），超过口袋书一段 \(PrintLimits.longestParagraph) 字的上限；请分段 (a paragraph of \(longest.length) characters is over the \(PrintLimits.longestParagraph)-character limit for print; split it)")
        return false
    }

    func lessonSection(_ l: Lesson, book: Book, g: Geometry) -> Section {
        let doc = project.document(of: l)
        let line = g.body * style.leading
        var items: [FlowItem] = []
        let seriesTitle = project.series.first { $0.folder == l.seriesFolder }?.title
        // Lesson head: series, title, meta line, a rule.
        if let seriesTitle {
            let s = TextStyle(font: font(style.headingFont, g.body * 0.8), colour: style.muted)
            let p = ts.layout(RichText(seriesTitle, style: s), width: g.frameWidth, align: .left, leading: 1.4)
            items += ts.lineItems(p, keepWithNext: true)
        }
        let t = TextStyle(font: font(style.headingFont, g.body * 1.55, bold: true), colour: style.accent)
        let tp = ts.layout(RichText(l.title, style: t), width: g.frameWidth, align: .left, leading: 1.35)
        items += ts.lineItems(tp, spaceBefore: line * 0.2, keepWithNext: true)
        var meta = [l.kind.rawValue, l.date.chinese]
        if let a = l.author { meta.append(a) }
        let ms = TextStyle(font: font(style.headingFont, g.body * 0.8), colour: style.muted)
        let mp = ts.layout(RichText(meta.joined(separator: "\u{3000}"), style: ms), width: g.frameWidth, align: .left, leading: 1.4)
        items += ts.lineItems(mp, spaceBefore: line * 0.1, keepWithNext: true)
        let accent = style.gold
        var rule = FlowItem(height: line * 0.6) { cr, x, y, _ in
            accent.set(cr)
            Canvas(cr).rectangle(x, y + line * 0.2, g.frameWidth * 0.25, 1.5)
            Canvas(cr).fill()
        }
        rule.keepWithNext = true
        items.append(rule)
        guard printable(doc, path: l.path) else { return Section(title: l.title, group: seriesTitle, reference: l.reference, items: items) }
        items += self.items(for: doc.blocks, BlockContext(width: g.frameWidth, document: l.path, links: doc.links), g: g)
        // Footnotes at the end of their lesson.
        if !doc.footnotes.isEmpty {
            let small = g.body * 0.82
            var fitems: [FlowItem] = []
            let muted = style.muted
            var sep = FlowItem(height: line * 0.5) { cr, x, y, _ in
                muted.set(cr)
                Canvas(cr).setLineWidth(0.5)
                Canvas(cr).moveTo(x, y + line * 0.25)
                Canvas(cr).lineTo(x + g.frameWidth * 0.3, y + line * 0.25)
                Canvas(cr).stroke()
            }
            sep.spaceBefore = line * 0.6
            sep.keepWithNext = true
            fitems.append(sep)
            for (i, note) in doc.footnotes.enumerated() {
                var inlines: [MDInline] = [.text("[\(i + 1)] ")]
                for b in note { if case .paragraph(let p) = b { inlines += p } }
                let base = TextStyle(font: font(style.bodyFont, small), colour: style.text)
                let p = ts.layout(rich(inlines, base: base, g: g, links: doc.links), width: g.frameWidth, align: .justify, leading: 1.5)
                fitems += ts.lineItems(p, spaceBefore: line * 0.1)
            }
            items += fitems
        }
        if book.qr {
            items += qrItems(url: routes.absolute(routes.lesson(l)), caption: "扫码阅读网络版", g: g)
        }
        if var first = items.first { first.breakBefore = true; items[0] = first }
        return Section(title: l.title, group: seriesTitle, reference: l.reference, items: items)
    }

    func qrItems(url: String, caption: String, g: Geometry) -> [FlowItem] {
        guard let code = QRCode(url) else { return [] }
        let side = min(22 * PaperSize.pointsPerMM, g.frameWidth * 0.35)
        let cs = TextStyle(font: font(style.headingFont, g.body * 0.75), colour: style.muted)
        let cap = ts.layout(RichText(caption, style: cs), width: g.frameWidth - side - g.body, align: .left, leading: 1.4)
        let us = TextStyle(font: font(style.codeFont, g.body * 0.6), colour: style.muted)
        let urlP = ts.layout(RichText(url, style: us), width: g.frameWidth - side - g.body, align: .left, leading: 1.3)
        var item = FlowItem(height: side) { cr, x, y, mode in
            code.draw(cr, x: x, y: y, side: side)
            cap.draw(cr, x: x + side + g.body * 0.6, y: y + side * 0.3)
            urlP.draw(cr, x: x + side + g.body * 0.6, y: y + side * 0.3 + cap.height + 2)
            if mode.links {
                Canvas(cr).link(uri: url, x: x, y: y, width: side, height: side)
            }
        }
        item.spaceBefore = g.body * style.leading
        return [item]
    }

    func branchSection(_ b: Branch, g: Geometry) -> Section {
        let line = g.body * style.leading
        var items: [FlowItem] = []
        let t = TextStyle(font: font(style.headingFont, g.body * 1.4, bold: true), colour: style.accent)
        items += ts.lineItems(ts.layout(RichText(b.name, style: t), width: g.frameWidth, align: .left, leading: 1.35), keepWithNext: true)
        if let stars = b.stars {
            let s = TextStyle(font: font(style.headingFont, g.body * 1.1), colour: style.gold)
            var r = RichText(String(repeating: "★", count: stars), style: s)
            var off = s
            off.colour = Colour(r: 0.8, g: 0.78, b: 0.72)
            r.append(String(repeating: "☆", count: 5 - stars), style: off)
            r.append("　\(["", "一", "二", "三", "四", "五"][stars])星级", style: TextStyle(font: font(style.headingFont, g.body * 0.85), colour: style.muted))
            items += ts.lineItems(ts.layout(r, width: g.frameWidth, align: .left, leading: 1.4), keepWithNext: true)
        }
        var facts: [(String, String)] = [("领域", b.domain.rawValue)]
        if let s = b.secretary { facts.append(("支部书记", s)) }
        if let m = b.members { facts.append(("党员人数", "\(m) 名")) }
        if let f = b.founded { facts.append(("成立", "\(f) 年")) }
        if let a = b.address { facts.append(("地址", a)) }
        let key = TextStyle(font: font(style.headingFont, g.body * 0.85, bold: true), colour: style.muted)
        let val = TextStyle(font: font(style.bodyFont, g.body * 0.9), colour: style.text)
        for (i, (k, v)) in facts.enumerated() {
            var r = RichText(k + "：", style: key)
            r.append(v, style: val)
            items += ts.lineItems(ts.layout(r, width: g.frameWidth, align: .left, leading: 1.5), spaceBefore: i == 0 ? line * 0.3 : 0)
        }
        func heading(_ text: String) {
            let h = TextStyle(font: font(style.headingFont, g.body * 1.05, bold: true), colour: style.accent)
            items += ts.lineItems(ts.layout(RichText(text, style: h), width: g.frameWidth, align: .left, leading: 1.5),
                                  spaceBefore: line * 0.6, keepWithNext: true)
        }
        if !b.commitments.isEmpty {
            heading("承诺")
            items += ts.lineItems(ts.layout(RichText(b.commitments.joined(separator: "　"), style: val), width: g.frameWidth, align: .left, leading: 1.5))
        }
        if !b.practices.isEmpty {
            heading("特色工作")
            let blocks: [MDBlock] = [.list(ordered: false, start: 1, tight: true, items: b.practices.map { p in
                var inl: [MDInline] = [.strong([.text(p.title)])]
                if let s = p.summary { inl.append(.text("：" + s)) }
                return MDListItem(task: nil, blocks: [.paragraph(inl)])
            })]
            items += self.items(for: blocks, BlockContext(width: g.frameWidth, document: b.path), g: g)
        }
        let doc = b.document
        if !doc.blocks.isEmpty, printable(doc, path: b.path) {
            heading("支部故事")
            items += self.items(for: doc.blocks, BlockContext(width: g.frameWidth, document: b.path, links: doc.links), g: g)
        }
        if !b.honors.isEmpty {
            heading("荣誉")
            for h in b.honors {
                var r = RichText(h.year.map { "\($0)　" } ?? "", style: key)
                r.append(h.title, style: val)
                items += ts.lineItems(ts.layout(r, width: g.frameWidth, align: .left, leading: 1.5))
            }
        }
        if var first = items.first { first.breakBefore = true; items[0] = first }
        return Section(title: b.displayName, group: "示范支部", reference: "branches/" + b.slug, items: items)
    }
}
