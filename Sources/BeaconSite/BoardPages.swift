import Foundation
import BeaconModel
import BeaconText
import BeaconMarkdown

extension SiteBuilder {
    func boardRoute(_ b: Board) -> String { "boards/\(b.slug)/" }

    func boardItem(_ b: Board) -> [String: Any] {
        var d = printItem(b.definition)
        let names = ["exhibition-landscape": "横版展板", "exhibition-portrait": "竖版展板", "rollup": "易拉宝", "x-stand": "X 展架",
                     "a0": "A0 海报", "a1": "A1 海报", "a2": "A2 海报", "a3": "A3 海报", "a4": "A4 明白纸"]
        d["size"] = names[b.sizeName] ?? b.sizeName
        d["url"] = routes.url(boardRoute(b))
        if let f = boardFiles[b.slug] {
            d["pdf"] = routes.url(f.pdf)
            d["preview"] = routes.url(f.png)
        }
        d["sizeText"] = String(format: "%.0f × %.0f mm，出血 %.0f mm", b.size.widthMM, b.size.heightMM, b.bleed / PaperSize.pointsPerMM)
        return d
    }

    /// The text of each block as HTML, so that a board is searchable and readable by a screen reader.
    func blockHTML(_ block: BoardBlock, board: Board) -> String {
        let e = Self.xmlEscape
        switch block.content {
        case .text(let source):
            return renderer.render(source, path: board.path, resolver: links, bag: DiagnosticBag()).html
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
        for b in project.boards {
            var item = boardItem(b)
            item["blocks"] = b.blocks.map { block -> [String: Any] in
                var d: [String: Any] = ["html": blockHTML(block, board: b)]
                if let t = block.title { d["title"] = t }
                return d
            }
            write(boardRoute(b), page("board", route: boardRoute(b), title: b.title, description: b.subtitle, section: "boards",
                                      extra: ["board": item]))
        }
    }
}
