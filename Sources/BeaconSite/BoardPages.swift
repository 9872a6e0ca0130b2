import Foundation
import BeaconOutput
import BeaconModel
import BeaconText
import BeaconMarkdown

/// A template board and its copies, one per branch, in branch order.
struct BoardTemplateGroup {
    var slug: String
    var title: String
    var copies: [Board]
}

extension SiteBuilder {
    func boardRoute(_ b: Board) -> String { "boards/\(b.slug)/" }

    /// Template boards in the order of their files.
    var boardTemplates: [BoardTemplateGroup] {
        var order: [String] = []
        var groups: [String: BoardTemplateGroup] = [:]
        for b in project.boards {
            guard let c = b.copy else { continue }
            if groups[c.template] == nil { order.append(c.template); groups[c.template] = BoardTemplateGroup(slug: c.template, title: c.templateTitle, copies: []) }
            groups[c.template]!.copies.append(b)
        }
        return order.map { groups[$0]! }
    }

    /// Copies of template boards by branch slug.
    var copiesByBranch: [String: [Board]] {
        var out: [String: [Board]] = [:]
        for b in project.boards { if let c = b.copy { out[c.branch, default: []].append(b) } }
        return out
    }

    func templateRoute(_ slug: String) -> String { "boards/\(slug)/" }

    /// A template board in the gallery: a preview of its first copy, the count, the domains.
    func templateItem(_ t: BoardTemplateGroup) -> [String: Any] {
        var d: [String: Any] = ["title": t.title, "url": routes.url(templateRoute(t.slug)), "count": t.copies.count]
        if let first = t.copies.first {
            d["preview"] = boardItem(first)["preview"]
            d["size"] = boardItem(first)["size"]
            if let zip = boardFiles[first.slug]?.zip { d["zip"] = routes.url(zip) }
        }
        let url = routes.url(templateRoute(t.slug))
        d["domains"] = domainGroups(t.copies).map { g in
            ["domain": g.domain, "count": g.boards.count, "url": url + "#" + g.id] as [String: Any]
        }
        return d
    }

    /// Copies by domain in the domains' fixed order; `id` (d1 … d8) is the domain's place in
    /// that order, so the theme's filter rules can name every domain.
    func domainGroups(_ copies: [Board]) -> [(domain: String, id: String, boards: [Board])] {
        Domain.allCases.enumerated().compactMap { i, d in
            let mine = copies.filter { $0.copy?.domain == d }
            return mine.isEmpty ? nil : (d.rawValue, "d\(i + 1)", mine)
        }
    }

    func boardItem(_ b: Board) -> [String: Any] {
        var d = printItem(b.definition)
        let names = ["exhibition-landscape": "横版展板", "exhibition-portrait": "竖版展板", "rollup": "易拉宝", "x-stand": "X 展架",
                     "a0": "A0 海报", "a1": "A1 海报", "a2": "A2 海报", "a3": "A3 海报", "a4": "A4 明白纸"]
        d["size"] = names[b.sizeName] ?? b.sizeName
        d["url"] = routes.url(boardRoute(b))
        if let f = boardFiles[b.slug] {
            d["pdf"] = routes.url(f.pdf)
            d["preview"] = routes.url(f.png)
            if let z = f.zip { d["zip"] = routes.url(z) }
        }
        if let c = b.copy {
            d["branchName"] = c.branchName
            d["templateTitle"] = c.templateTitle
            d["templateURL"] = routes.url(templateRoute(c.template))
            if let branch = branchBySlug[c.branch] { d["branchURL"] = routes.url(routes.branch(branch)) }
        }
        d["sizeText"] = String(format: "%.0f × %.0f mm，出血 %.0f mm", b.size.widthMM, b.size.heightMM, b.bleed / PaperSize.pointsPerMM)
        return d
    }

    /// The text of each block as HTML, so that a board is searchable and readable by a screen reader.
    func blockHTML(_ block: BoardBlock, board: Board, index: Int) -> String {
        let e = Self.xmlEscape
        switch block.content {
        case .text(_, let doc, _):
            // Several text blocks on one page: each block's ids carry its number.
            var renderer = html
            renderer.idPrefix = "block\(index + 1)-"
            return renderer.render(doc).html
        case .flow(let stages):
            var n = 0
            return "<ol class=\"flow\">" + stages.map { s in
                "<li><strong>\(e(s.title))</strong><ol>" + s.steps.map { n += 1; return "<li value=\"\(n)\">\(e($0))</li>" }.joined() + "</ol></li>"
            }.joined() + "</ol>"
        case .people(let people):
            return "<ul class=\"people\">" + people.map { p in
                "<li><strong>\(e(p.name))</strong>" + (p.role.map { "，\(e($0))" } ?? "") + (p.deed.map { "：\(e($0))" } ?? "") + "</li>"
            }.joined() + "</ul>"
        case .branches(let filter):
            return "<ul>" + project.branches.filter(filter.matches).map { b in
                "<li><a href=\"\(routes.url(routes.branch(b)))\">\(e(b.name))</a>" + (b.stars.map { "（\($0)星级）" } ?? "") + "</li>"
            }.joined() + "</ul>"
        case .stars(let slug):
            guard let b = project.branches.first(where: { $0.slug == slug || $0.fileName == slug }) else { return "" }
            return "<p><a href=\"\(routes.url(routes.branch(b)))\">\(e(b.name))</a>" + (b.stars.map { "：\($0)星级" } ?? "") +
                (b.commitments.isEmpty ? "" : "。承诺：\(e(b.commitments.joined(separator: "、")))") + "</p>"
        case .stats(let items):
            return "<ul class=\"stats\">" + items.map { "<li>\(e($0.label))：<strong>\(e($0.value))</strong>\(e($0.unit ?? ""))</li>" }.joined() + "</ul>"
        case .schedule(let year):
            return "<p>\(year) 年每月主题党日，详见明白纸 PDF。</p>"
        case .qr(let target, let caption):
            let href = target.contains("://") ? target : routes.url(target.hasSuffix("/") ? target : target + "/")
            if target.hasPrefix("lessons/"), let l = project.lessons.first(where: { "lessons/" + $0.reference == target }) {
                return "<p><a href=\"\(routes.url(routes.lesson(l)))\">\(e(caption ?? l.title))</a></p>"
            }
            if target.hasPrefix("branches/"), let b = project.branches.first(where: { "branches/" + $0.slug == target || "branches/" + $0.fileName == target }) {
                return "<p><a href=\"\(routes.url(routes.branch(b)))\">\(e(caption ?? b.name))</a></p>"
            }
            return "<p><a href=\"\(e(href))\">\(e(caption ?? target))</a></p>"
        case .image(_, let caption):
            return caption.map { "<p>图片：\(e($0))</p>" } ?? ""
        }
    }

    func renderBoardPages() {
        // A page per template: its copies by domain, with the ZIP for the print shop.
        for t in boardTemplates {
            let groups = domainGroups(t.copies).map { g -> [String: Any] in
                ["domain": g.domain, "id": g.id, "count": g.boards.count, "boards": g.boards.map { boardItem($0) }]
            }
            var item = templateItem(t)
            item["groups"] = groups
            item["filters"] = groups.map { ["domain": $0["domain"]!, "id": $0["id"]!, "count": $0["count"]!] }
            renderPage("board-template", route: templateRoute(t.slug), title: t.title,
                                              description: "每个支部一份，共 \(t.copies.count) 份", section: "boards", extra: ["template": item])
        }
        let boards = project.boards
        DispatchQueue.concurrentPerform(iterations: boards.count) { i in
            let b = boards[i]
            var item = boardItem(b)
            item["blocks"] = b.blocks.enumerated().map { n, block -> [String: Any] in
                var d: [String: Any] = ["html": blockHTML(block, board: b, index: n)]
                if let t = block.title { d["title"] = t }
                return d
            }
            renderPage("board", route: boardRoute(b), title: b.title, description: b.subtitle, section: "boards",
                       extra: ["board": item])
        }
    }
}
