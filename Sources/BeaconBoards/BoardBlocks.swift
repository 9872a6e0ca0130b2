import Foundation
import BeaconModel
import BeaconText
import BeaconPrint
import BeaconOutput

extension BoardRenderer {
    /// A block: a white card with its title over a gold rule, and its content below.
    func block(_ b: BoardBlock, board: Board, width: Double, size: Double) -> BlockRender {
        let pad = size * 0.8
        let inner = width - 2 * pad
        let titleP = b.title.map { ts.layout(text($0, size * 1.25, bold: true, colour: style.accent), width: inner, align: .left, leading: 1.3) }
        let titleH = titleP.map { $0.height + size * 0.7 } ?? 0
        let content = blockContent(b, board: board, width: inner, size: size)
        let height = pad + titleH + content.height + pad
        let gold = style.gold, accent = style.accent
        return BlockRender(height: height) { cr, x, y, h in
            Canvas(cr).setRGB(1, 1, 1)
            Canvas(cr).rectangle(x, y, width, h)
            Canvas(cr).fill()
            accent.set(cr)
            Canvas(cr).rectangle(x, y, width, size * 0.18)
            Canvas(cr).fill()
            if let titleP {
                titleP.draw(cr, x: x + pad, y: y + pad)
                gold.set(cr)
                Canvas(cr).rectangle(x + pad, y + pad + titleP.height + size * 0.2, min(inner, size * 4), size * 0.12)
                Canvas(cr).fill()
            }
            content.draw(cr, x + pad, y + pad + titleH, h - 2 * pad - titleH)
        }
    }

    func paragraphs(_ items: [RichText], width: Double, gap: Double, indent: Double = 0, align: TextAlign = .justify, leading: Double = 1.5,
                    hanging: [Int: Double] = [:]) -> BlockRender {
        // A list item hangs: its marker stands out, its lines align after the marker.
        let ps = items.enumerated().map { i, item in
            hanging[i].map { ts.layout(item, width: width, indent: -$0, align: .left, leading: leading) }
                ?? ts.layout(item, width: width, indent: indent, align: align, leading: leading)
        }
        let h = ps.map(\.height).reduce(0, +) + gap * Double(max(0, ps.count - 1))
        return BlockRender(height: h) { cr, x, y, _ in
            var yy = y
            for p in ps { p.draw(cr, x: x, y: yy); yy += p.height + gap }
        }
    }

    func blockContent(_ b: BoardBlock, board: Board, width: Double, size: Double) -> BlockRender {
        switch b.content {
        case .text(_, let doc, let qr):
            return textContent(doc, qrLinks: qr, board: board, width: width, size: size)

        case .flow(let stages):
            return flow(stages, width: width, size: size)

        case .people(let people):
            let cols = max(1, min(people.count, Int(width / (size * 7))))
            let gap = size * 0.8
            // Portraits grow and shrink with the type, at most about 9 ems wide, centred.
            let cell = min((width - gap * Double(cols - 1)) / Double(cols), size * 9)
            let left = (width - (cell * Double(cols) + gap * Double(cols - 1))) / 2
            let photoH = cell * 4 / 3
            var cards: [(PrintImage?, Typesetter.Paragraph)] = []
            for p in people {
                var img: PrintImage?
                if let photo = p.photo, let path = resolveFile(photo, from: board.path) {
                    do {
                        let i = try image(path)
                        img = i
                        // Centre-cropped to 3:4: the printed width of the crop.
                        let cropW = min(i.pixelWidth, i.pixelHeight * 3 / 4)
                        noteResolution(path: path, dpi: cropW / (cell / 72), board: board)
                    } catch { bag.error(SourceLocation(path: rel(path)), "\(error)") }
                }
                var r = text(p.name, size * 1.1, bold: true, colour: style.accent)
                if let role = p.role { r.append("\u{2028}" + role, style: TextStyle(font: font(style.headingFont, size * 0.85), colour: style.muted)) }
                if let deed = p.deed { r.append("\u{2028}" + deed, style: TextStyle(font: font(style.headingFont, size * 0.85), colour: style.text)) }
                cards.append((img, ts.layout(r, width: cell, align: .center, leading: 1.35)))
            }
            let rowsCount = (people.count + cols - 1) / cols
            var rowH: [Double] = []
            for r in 0..<rowsCount {
                let texts = cards[(r * cols)..<min(cards.count, r * cols + cols)].map(\.1.height)
                rowH.append(photoH + size * 0.5 + (texts.max() ?? 0))
            }
            let h = rowH.reduce(0, +) + gap * Double(max(0, rowsCount - 1))
            return BlockRender(height: h) { cr, x, y, _ in
                var yy = y
                for r in 0..<rowsCount {
                    for c in 0..<cols {
                        let i = r * cols + c
                        guard i < cards.count else { break }
                        let cx = x + left + Double(c) * (cell + gap)
                        if let img = cards[i].0 {
                            img.drawCropped(cr, x: cx, y: yy, width: cell, height: photoH)
                        } else {
                            Canvas(cr).setRGB(0.9, 0.88, 0.84)
                            Canvas(cr).rectangle(cx, yy, cell, photoH)
                            Canvas(cr).fill()
                        }
                        cards[i].1.draw(cr, x: cx, y: yy + photoH + size * 0.5)
                    }
                    yy += rowH[r] + gap
                }
            }

        case .branches(let filter):
            let list = project.branches.filter(filter.matches)
                .sorted { ($1.stars ?? 0, $0.domain.order, $0.name) < ($0.stars ?? 0, $1.domain.order, $1.name) }
            let cols = max(1, min(list.count, Int(width / (size * 9))))
            let gap = size * 0.8
            let cell = (width - gap * Double(cols - 1)) / Double(cols)
            let cards: [Typesetter.Paragraph] = list.map { b in
                var r = text(b.displayName, size * 1.05, bold: true, colour: style.accent)
                if let s = b.stars {
                    r.append("\u{2028}" + String(repeating: "★", count: s) + String(repeating: "☆", count: 5 - s),
                             style: TextStyle(font: font(style.headingFont, size * 1.1), colour: style.gold))
                }
                var meta = b.domain.rawValue
                if let sec = b.secretary { meta += "　书记 " + sec }
                if let m = b.members { meta += "　党员 \(m) 名" }
                r.append("\u{2028}" + meta, style: TextStyle(font: font(style.headingFont, size * 0.8), colour: style.muted))
                if let p = b.practices.first { r.append("\u{2028}特色：" + p.title, style: TextStyle(font: font(style.headingFont, size * 0.85), colour: style.text)) }
                return ts.layout(r, width: cell - size, align: .left, leading: 1.4)
            }
            let rowsCount = (cards.count + cols - 1) / cols
            var rowH: [Double] = []
            for r in 0..<rowsCount { rowH.append((cards[(r * cols)..<min(cards.count, r * cols + cols)].map(\.height).max() ?? 0) + size) }
            let h = rowH.reduce(0, +) + gap * Double(max(0, rowsCount - 1))
            let tint = style.tint, gold = style.gold
            return BlockRender(height: max(h, size)) { cr, x, y, _ in
                var yy = y
                for r in 0..<rowsCount {
                    for c in 0..<cols {
                        let i = r * cols + c
                        guard i < cards.count else { break }
                        let cx = x + Double(c) * (cell + gap)
                        tint.set(cr)
                        Canvas(cr).rectangle(cx, yy, cell, rowH[r])
                        Canvas(cr).fill()
                        gold.set(cr)
                        Canvas(cr).rectangle(cx, yy, size * 0.15, rowH[r])
                        Canvas(cr).fill()
                        cards[i].draw(cr, x: cx + size * 0.5, y: yy + size * 0.5)
                    }
                    yy += rowH[r] + gap
                }
            }

        case .stars(let slug):
            guard let b = branch(slug) else { return BlockRender(height: 0) { _, _, _, _ in } }
            let n = b.stars ?? 0
            var items: [(RichText, TextAlign)] = []
            var stars = RichText(String(repeating: "★", count: n), style: TextStyle(font: font(style.headingFont, size * 3), colour: style.gold))
            stars.append(String(repeating: "☆", count: 5 - n), style: TextStyle(font: font(style.headingFont, size * 3), colour: Colour(r: 0.82, g: 0.78, b: 0.7)))
            items.append((stars, .center))
            items.append((text(["", "一", "二", "三", "四", "五"][n] + "星级党组织", size * 1.2, bold: true, colour: style.accent), .center))
            items.append((text(b.name, size * 1.5, bold: true), .center))
            if let s = b.secretary { items.append((text("支部书记：" + s + (b.members.map { "　党员：\($0) 名" } ?? ""), size), .center)) }
            if !b.commitments.isEmpty { items.append((text("我们承诺：" + b.commitments.joined(separator: "　"), size, colour: style.accent), .center)) }
            let ps = items.map { ts.layout($0.0, width: width, align: $0.1, leading: 1.4) }
            let h = ps.map(\.height).reduce(0, +) + size * 0.6 * Double(ps.count - 1)
            return BlockRender(height: h) { cr, x, y, avail in
                var yy = y + max(0, (avail - h) / 2)
                for p in ps { p.draw(cr, x: x, y: yy); yy += p.height + size * 0.6 }
            }

        case .stats(let items):
            let cols = max(1, min(items.count, Int(width / (size * 5))))
            let cell = width / Double(cols)
            let ps: [Typesetter.Paragraph] = items.map { s in
                var r = RichText(s.value, style: TextStyle(font: font(style.headingFont, size * 2.6, bold: true), colour: style.accent))
                if let u = s.unit { r.append(u, style: TextStyle(font: font(style.headingFont, size), colour: style.accent)) }
                r.append("\u{2028}" + s.label, style: TextStyle(font: font(style.headingFont, size * 0.9), colour: style.muted))
                return ts.layout(r, width: cell, align: .center, leading: 1.2)
            }
            let rowsCount = (ps.count + cols - 1) / cols
            let rowH = ps.map(\.height).max() ?? 0
            return BlockRender(height: rowH * Double(rowsCount) + size * 0.5 * Double(rowsCount - 1)) { cr, x, y, _ in
                for (i, p) in ps.enumerated() {
                    p.draw(cr, x: x + Double(i % cols) * cell, y: y + Double(i / cols) * (rowH + size * 0.5))
                }
            }

        case .schedule(let year):
            let cols = width > size * 40 ? 6 : (width > size * 20 ? 4 : 3)
            let gap = size * 0.5
            let cell = (width - gap * Double(cols - 1)) / Double(cols)
            let ps: [Typesetter.Paragraph] = (1...12).map { month in
                let day = PartyDay.date(year: year, month: month, rule: project.site.partyDay ?? .dayOfMonth(15))
                var r = text("\(month)月", size * 1.1, bold: true, colour: style.accent)
                r.append("\u{2028}\(month)月\(day.day)日", style: TextStyle(font: font(style.headingFont, size * 0.8), colour: style.muted))
                let planned = project.lessons.filter { $0.partyDay.map { $0.year == year && $0.month == month } ?? false }
                for l in planned.prefix(3) { r.append("\u{2028}" + l.title, style: TextStyle(font: font(style.headingFont, size * 0.8), colour: style.text)) }
                return ts.layout(r, width: cell - size * 0.6, align: .left, leading: 1.35)
            }
            let rowsCount = (12 + cols - 1) / cols
            var rowH: [Double] = []
            for r in 0..<rowsCount { rowH.append((ps[(r * cols)..<min(12, r * cols + cols)].map(\.height).max() ?? 0) + size * 0.6) }
            let h = rowH.reduce(0, +) + gap * Double(rowsCount - 1)
            let tint = style.tint
            return BlockRender(height: h) { cr, x, y, _ in
                var yy = y
                for r in 0..<rowsCount {
                    for c in 0..<cols {
                        let i = r * cols + c
                        guard i < 12 else { break }
                        let cx = x + Double(c) * (cell + gap)
                        tint.set(cr)
                        Canvas(cr).rectangle(cx, yy, cell, rowH[r])
                        Canvas(cr).fill()
                        ps[i].draw(cr, x: cx + size * 0.3, y: yy + size * 0.3)
                    }
                    yy += rowH[r] + gap
                }
            }

        case .qr(let target, let caption):
            guard let code = QRCode(qrURL(target)) else { return BlockRender(height: 0) { _, _, _, _ in } }
            let side = min(width * 0.7, 90 * mm, size * 9)
            var r = RichText()
            if let caption { r.append(caption, style: TextStyle(font: font(style.headingFont, size, bold: true), colour: style.accent)) }
            let cap = ts.layout(r, width: width, align: .center, leading: 1.3)
            let h = side + (caption == nil ? 0 : size * 0.4 + cap.height)
            return BlockRender(height: h) { cr, x, y, avail in
                let yy = y + max(0, (avail - h) / 2)
                code.draw(cr, x: x + (width - side) / 2, y: yy, side: side)
                if caption != nil { cap.draw(cr, x: x, y: yy + side + size * 0.4) }
            }

        case .image(let src, let caption):
            guard let path = resolveFile(src, from: board.path) else { return BlockRender(height: 0) { _, _, _, _ in } }
            let img: PrintImage
            do { img = try image(path) } catch {
                // Never silently dropped: said once per board.
                bag.error(SourceLocation(path: rel(path)), "\(error)（在 \(board.path) 中使用） (used in \(board.path))")
                return BlockRender(height: 0) { _, _, _, _ in }
            }
            // A picture takes the block's width, up to 20 ems, so that it shrinks with the text.
            let shown = min(width, size * 20)
            let h = shown * img.pixelHeight / img.pixelWidth
            noteResolution(path: path, dpi: img.dpi(atWidth: shown), board: board)
            let cap = caption.map { ts.layout(text($0, size * 0.9, colour: style.muted), width: width, align: .center, leading: 1.3) }
            let total = h + (cap.map { $0.height + size * 0.3 } ?? 0)
            return BlockRender(height: total) { cr, x, y, avail in
                let scale = min(1, (avail - (cap.map { $0.height + size * 0.3 } ?? 0)) / h)
                let w = shown * scale, hh = h * scale
                img.draw(cr, x: x + (width - w) / 2, y: y, width: w, height: hh)
                cap?.draw(cr, x: x, y: y + hh + size * 0.3)
            }
        }
    }

    /// The address a QR block's `target` prints: a URL as written, a lesson or branch page,
    /// or a route of the site.
    func qrURL(_ target: String) -> String {
        if target.contains("://") { return target }
        if target.hasPrefix("lessons/"), let l = project.lessons.first(where: { "lessons/" + $0.reference == target }) { return routes.absolute(routes.lesson(l)) }
        if target.hasPrefix("branches/"), let b = branch(String(target.dropFirst("branches/".count))) { return routes.absolute(routes.branch(b)) }
        return routes.absolute(target.hasSuffix("/") ? target : target + "/")
    }

    /// Records the resolution of a picture at the size being tried; the final layout's
    /// figures become warnings (see `render`).
    func noteResolution(path: String, dpi: Double, board: Board) {
        resolutions[path] = dpi
    }

    func rel(_ path: String) -> String {
        path.hasPrefix(project.root.path + "/") ? String(path.dropFirst(project.root.path.count + 1)) : path
    }

    /// A process chart: stage boxes with their numbered steps, arrows between stages, laid
    /// across, down or snaking to the block's width.
    func flow(_ stages: [FlowStage], width: Double, size: Double) -> BlockRender {
        let arrow = size * 1.6
        let cols = FlowArrangement.columns(count: stages.count, width: width + arrow, minCell: size * 8 + arrow,
                                           aspect: areaHeight > 0 ? width / areaHeight : 2)
        let cellW = (width - arrow * Double(cols - 1)) / Double(cols)
        var number = 0
        let boxes: [(Typesetter.Paragraph, Typesetter.Paragraph)] = stages.map { s in
            let head = ts.layout(text(s.title, size * 1.05, bold: true, colour: .white), width: cellW - size * 0.8, align: .center, leading: 1.3)
            var r = RichText()
            for (i, step) in s.steps.enumerated() {
                number += 1
                if i > 0 { r.append("\u{2028}", style: TextStyle(font: font(style.headingFont, size * 0.85))) }
                r.append("\(number) ", style: TextStyle(font: font(style.headingFont, size * 0.85, bold: true), colour: style.accent))
                r.append(step, style: TextStyle(font: font(style.headingFont, size * 0.85), colour: style.text))
            }
            return (head, ts.layout(r, width: cellW - size * 0.8, align: .left, leading: 1.4))
        }
        let positions = FlowArrangement.positions(count: stages.count, columns: cols)
        let rowsCount = (stages.count + cols - 1) / cols
        var rowH = [Double](repeating: 0, count: rowsCount)
        for (i, b) in boxes.enumerated() {
            rowH[positions[i].row] = max(rowH[positions[i].row], b.0.height + size * 0.8 + b.1.height + size * 0.8)
        }
        let vgap = arrow
        let h = rowH.reduce(0, +) + vgap * Double(rowsCount - 1)
        let accent = style.accent, gold = style.gold, tint = style.tint
        return BlockRender(height: h) { cr, x, y, _ in
            var rowY: [Double] = []
            var yy = y
            for r in rowH { rowY.append(yy); yy += r + vgap }
            func cellX(_ c: Int) -> Double { x + Double(c) * (cellW + arrow) }
            for (i, b) in boxes.enumerated() {
                let (r, c) = positions[i]
                let bx = cellX(c), by = rowY[r]
                let headH = b.0.height + size * 0.8
                accent.set(cr)
                Canvas(cr).rectangle(bx, by, cellW, headH)
                Canvas(cr).fill()
                tint.set(cr)
                Canvas(cr).rectangle(bx, by + headH, cellW, rowH[r] - headH)
                Canvas(cr).fill()
                b.0.draw(cr, x: bx + size * 0.4, y: by + size * 0.4)
                b.1.draw(cr, x: bx + size * 0.4, y: by + headH + size * 0.4)
                // Arrow to the next stage.
                guard i + 1 < boxes.count else { continue }
                let (nr, nc) = positions[i + 1]
                gold.set(cr)
                if nr == r {
                    let forward = nc > c
                    let ax = forward ? bx + cellW : bx
                    let ay = by + headH / 2
                    let dir = forward ? 1.0 : -1.0
                    Canvas(cr).moveTo(ax + dir * arrow * 0.15, ay - size * 0.12)
                    Canvas(cr).lineTo(ax + dir * arrow * 0.55, ay - size * 0.12)
                    Canvas(cr).lineTo(ax + dir * arrow * 0.55, ay - size * 0.4)
                    Canvas(cr).lineTo(ax + dir * arrow * 0.85, ay)
                    Canvas(cr).lineTo(ax + dir * arrow * 0.55, ay + size * 0.4)
                    Canvas(cr).lineTo(ax + dir * arrow * 0.55, ay + size * 0.12)
                    Canvas(cr).lineTo(ax + dir * arrow * 0.15, ay + size * 0.12)
                    Canvas(cr).closePath()
                    Canvas(cr).fill()
                } else {
                    let ax = bx + cellW / 2, ay = by + rowH[r]
                    Canvas(cr).moveTo(ax - size * 0.12, ay + arrow * 0.15)
                    Canvas(cr).lineTo(ax - size * 0.12, ay + arrow * 0.55)
                    Canvas(cr).lineTo(ax - size * 0.4, ay + arrow * 0.55)
                    Canvas(cr).lineTo(ax, ay + arrow * 0.85)
                    Canvas(cr).lineTo(ax + size * 0.4, ay + arrow * 0.55)
                    Canvas(cr).lineTo(ax + size * 0.12, ay + arrow * 0.55)
                    Canvas(cr).lineTo(ax + size * 0.12, ay + arrow * 0.15)
                    Canvas(cr).closePath()
                    Canvas(cr).fill()
                }
            }
        }
    }
}


extension BoardRenderer {
    /// A text block from its parsed Markdown, set as the web page shows it: bold, Kai
    /// emphasis, code, links in the accent colour (clickable in the PDF; with `links: qr`, a
    /// QR code of each linked address below the text), lists with hanging markers, quotes.
    func textContent(_ doc: MDDocument, qrLinks: Bool, board: Board, width: Double, size: Double) -> BlockRender {
        let md = MarkdownText(quoteFamily: style.quoteFont, codeFamily: style.codeFont, accent: style.accent, url: links.printURL)
        var items: [RichText] = []
        var hanging: [Int: Double] = [:]
        let base = TextStyle(font: font(style.headingFont, size), colour: style.text)
        func add(_ blocks: [MDBlock], _ s: TextStyle, depth: Int) {
            for block in blocks {
                switch block {
                case .paragraph(let i): items.append(md.rich(i, base: s, links: doc.links))
                case .heading(_, let i):
                    var h = s; h.font.bold = true; h.colour = style.accent
                    items.append(md.rich(i, base: h, links: doc.links))
                case .list(let ordered, let start, _, let list):
                    for (n, item) in list.enumerated() {
                        let label = item.task.map { $0 ? "☑ " : "☐ " } ?? (ordered ? "\(start + n). " : "• ")
                        let indent = String(repeating: "\u{3000}", count: depth)
                        let marker = RichText(indent + label, style: TextStyle(font: font(style.headingFont, size, bold: true), colour: style.accent))
                        var r = marker
                        var rest: [MDBlock] = []
                        for (k, b) in item.blocks.enumerated() {
                            if k == 0, case .paragraph(let i) = b { r.append(md.rich(i, base: s, links: doc.links)) } else { rest.append(b) }
                        }
                        hanging[items.count] = ts.layout(marker, width: -1, align: .left).width
                        items.append(r)
                        add(rest, s, depth: depth + 1)
                    }
                case .quote(let inner):
                    var q = s; q.font.family = style.quoteFont
                    add(inner, q, depth: depth)
                case .code(let text, _):
                    var c = s; c.font = font(style.codeFont, size * 0.9)
                    items.append(RichText(text, style: c))
                case .table(_, let header, let rows, _):
                    var h = s; h.font.bold = true
                    for (r, row) in ([header] + rows).enumerated() {
                        var line = RichText()
                        for (i, cell) in row.enumerated() {
                            if i > 0 { line.append("\u{3000}", style: s) }
                            line.append(md.rich(cell, base: r == 0 ? h : s, links: doc.links))
                        }
                        items.append(line)
                    }
                case .figure(_, let alt, let title):
                    var c = s; c.colour = style.muted
                    items.append(RichText(MDDocument.caption(alt: alt, title: title), style: c))
                case .html, .rule:
                    break
                }
            }
        }
        add(doc.blocks, base, depth: 0)
        // Footnotes below the text, smaller, as the marks in it promise.
        for (i, note) in doc.footnotes.enumerated() {
            var s = base; s.font.size = size * 0.8; s.colour = style.muted
            var r = RichText("[\(i + 1)] ", style: s)
            for case .paragraph(let inl) in note { r.append(md.rich(inl, base: s, links: doc.links)) }
            items.append(r)
        }
        let text = paragraphs(items, width: width, gap: size * 0.5, hanging: hanging)
        guard qrLinks else { return text }
        // One QR code per linked address, in a row below the text, captioned with the link's
        // words (what the reader saw in the text), or its address when it has none.
        var words: [Int: String] = [:]
        func collect(_ inl: [MDInline]) {
            for i in inl {
                switch i {
                case .link(let n, _, let c): if words[n] == nil { words[n] = c.plainText }; collect(c)
                case .emphasis(let c), .strong(let c), .strikethrough(let c): collect(c)
                default: break
                }
            }
        }
        func collect(_ blocks: [MDBlock]) {
            for b in blocks {
                switch b {
                case .paragraph(let i), .heading(_, let i): collect(i)
                case .list(_, _, _, let items): for item in items { collect(item.blocks) }
                case .quote(let inner): collect(inner)
                case .table(_, let header, let rows, _): for row in [header] + rows { for cell in row { collect(cell) } }
                default: break
                }
            }
        }
        collect(doc.blocks)
        var seen = Set<String>()
        var codes: [(QRCode, Typesetter.Paragraph)] = []
        for (n, link) in doc.links.enumerated() where !link.isImage && !link.raw.hasPrefix("#") {
            guard let url = links.printURL(link), seen.insert(url).inserted, let code = QRCode(url) else { continue }
            let label = words[n].map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let caption = label.isEmpty
                ? ts.layout(RichText(url, style: TextStyle(font: font(style.codeFont, size * 0.6), colour: style.muted)),
                            width: size * 7, align: .center, leading: 1.2)
                : ts.layout(RichText(label, style: TextStyle(font: font(style.headingFont, size * 0.8), colour: style.accent)),
                            width: size * 7, align: .center, leading: 1.3)
            codes.append((code, caption))
        }
        guard !codes.isEmpty else { return text }
        let side = size * 6, gap = size
        let perRow = max(1, Int((width + gap) / (side + gap)))
        let rows = (codes.count + perRow - 1) / perRow
        let rowH = side + size * 0.3 + (codes.map(\.1.height).max() ?? 0)
        let h = text.height + gap + Double(rows) * rowH + gap * Double(rows - 1)
        return BlockRender(height: h) { cr, x, y, bh in
            text.draw(cr, x, y, text.height)
            for (i, c) in codes.enumerated() {
                let cx = x + Double(i % perRow) * (side + gap)
                let cy = y + text.height + gap + Double(i / perRow) * (rowH + gap)
                c.0.draw(cr, x: cx, y: cy, side: side)
                c.1.draw(cr, x: cx + (side - size * 7) / 2, y: cy + side + size * 0.3)
            }
        }
    }
}
