import Foundation
import BeaconModel
import BeaconText
import BeaconOutput
import BeaconPrint

/// A block laid out at one width and type size.
struct BlockRender {
    var height: Double
    var draw: (_ cr: OpaquePointer, _ x: Double, _ y: Double, _ height: Double) -> Void
}

/// A board laid out: its page drawing and, for the website, its text.
public struct BoardResult {
    public var board: Board
    public var page: PrintPage
    /// Trim + bleed on every side.
    public var pageSize: PaperSize
}

/// Lays out display boards: a header band, a grid of blocks in rows, a footer; backgrounds
/// run into the bleed; text shrinks to fit its block down to the theme's minimum.
public final class BoardRenderer {
    let project: Project
    let style: BookStyle
    var bag: DiagnosticBag
    let routes: Routes
    let links: ContentLinks
    let ts = Typesetter()
    let mm = PaperSize.pointsPerMM
    /// Picture path → resolution in dpi at the most recent layout.
    var resolutions: [String: Double] = [:]
    /// Height of the board's block area, for blocks that arrange themselves to its shape.
    var areaHeight: Double = 0
    /// Digests of pictures and branch lists for the build cache's fingerprints.
    var digests: [String: String] = [:]
    /// Pictures decoded once per build, however often a board is laid out while fitting.
    private var images: [String: Result<PrintImage, Error>] = [:]

    func image(_ path: String) throws -> PrintImage {
        if let cached = images[path] { return try cached.get() }
        let r = Result { try PrintImage.load(path) }
        images[path] = r
        return try r.get()
    }

    /// Branches by slug and by file name (a template's copies look their branch up often).
    private let branchIndex: [String: Int]
    func branch(_ slugOrFile: String) -> Branch? { branchIndex[slugOrFile].map { project.branches[$0] } }

    public init(project: Project, style: BookStyle, links: ContentLinks, bag: DiagnosticBag) {
        var index: [String: Int] = [:]
        for (i, b) in project.branches.enumerated() {
            if index[b.fileName] == nil { index[b.fileName] = i }
            index[b.slug] = i
        }
        branchIndex = index
        self.project = project
        self.style = style
        self.bag = bag
        self.links = links
        routes = links.routes
    }

    /// Type sizes for a board: the body size and the smallest it may shrink to (readable at
    /// about a metre: 24 pt on a 1200 mm board, never under 8 pt).
    public static func typeSizes(for size: PaperSize) -> (body: Double, minimum: Double) {
        let w = min(size.widthMM, size.heightMM * 1.4)
        return (max(10.5, w * 0.03), max(8, 24 * w / 1200))
    }

    func font(_ family: String, _ size: Double, bold: Bool = false) -> FontSpec { FontSpec(family: family, size: size, bold: bold) }
    func text(_ s: String, _ size: Double, bold: Bool = false, colour: Colour? = nil, family: String? = nil) -> RichText {
        RichText(s, style: TextStyle(font: font(family ?? style.headingFont, size, bold: bold), colour: colour ?? style.text))
    }

    public func render(_ board: Board) -> BoardResult? {
        let trim = board.size
        let bleed = board.bleed
        let pageSize = PaperSize(width: trim.width + 2 * bleed, height: trim.height + 2 * bleed)
        let (body, minimum) = Self.typeSizes(for: trim)
        let margin = max(8 * mm, trim.width * 0.025)
        let gutter = max(4 * mm, trim.width * 0.015)
        let hidden = board.hiddenBottom
        // Header band.
        // Tall banners are read from further away: a larger title.
        let titleSize = body * (trim.height > trim.width * 1.8 ? 3.2 : 2.2)
        let titleP = ts.layout(text(board.title, titleSize, bold: true, colour: .white), width: trim.width - 2 * margin, align: .center, leading: 1.2)
        let subP = board.subtitle.map { ts.layout(text($0, body * 1.1, colour: style.gold), width: trim.width - 2 * margin, align: .center, leading: 1.3) }
        let headerHeight = margin * 0.8 + titleP.height + (subP.map { $0.height + body * 0.3 } ?? 0) + margin * 0.8
        let footerP = ts.layout(text(board.footer ?? project.site.organisation ?? project.site.title, body * 0.8, colour: .white),
                                width: trim.width - 2 * margin, align: .center, leading: 1.3)
        let footerHeight = footerP.height + body * 1.2
        let top = headerHeight + gutter
        let bottom = trim.height - hidden - footerHeight - gutter
        let area = bottom - top
        let contentWidth = trim.width - 2 * margin
        areaHeight = area
        let logo = style.logo.flatMap { try? image($0) }
        var emblem: PrintImage?
        if let e = board.emblem, let path = resolveFile(e, from: board.path) { emblem = try? image(path) }

        // Blocks in rows; each row as tall as its tallest block at full size.
        let rows = BoardGrid.rows(spans: board.blocks.map(\.span), columns: board.columns)
        func renders(at size: Double) -> [[BlockRender]] {
            rows.map { row in row.map { p in
                let w = BoardGrid.frame(column: p.column, span: p.span, columns: board.columns, width: contentWidth, gutter: gutter).width
                return block(board.blocks[p.block], board: board, width: w, size: size)
            } }
        }
        let gaps = gutter * Double(max(0, rows.count - 1))
        func total(_ r: [[BlockRender]]) -> Double { r.map { $0.map(\.height).max() ?? 0 }.reduce(0, +) + gaps }
        var size = body
        var laid = renders(at: body)
        // A board with little text sets it larger, up to 3.5 times the body size, to fill the wall.
        if total(laid) < area * 0.85, let grown = Fit.size(minimum: body, maximum: body * 3.5, precision: body * 0.05, fits: { total(renders(at: $0)) <= area * 0.92 }) {
            size = grown
            laid = renders(at: size)
        }
        var rowHeights = laid.map { $0.map(\.height).max() ?? 0 }
        var total = rowHeights.reduce(0, +) + gaps
        var laidSizes = rows.map { $0.map { _ in size } }
        if total > area {
            // Each row may shrink from its height at the body size to its height at the
            // minimum size; the rows give up height in proportion to what they can spare.
            let atMinimum = renders(at: minimum)
            let minHeights = atMinimum.map { $0.map(\.height).max() ?? 0 }
            let needed = minHeights.reduce(0, +) + gaps
            if needed > area {
                // Name the block that needs the most room at the minimum size.
                var worst = (row: 0, index: 0, height: -1.0)
                for (ri, row) in atMinimum.enumerated() {
                    for (bi, r) in row.enumerated() where r.height > worst.height { worst = (ri, bi, r.height) }
                }
                let p = rows[worst.row][worst.index]
                let b = board.blocks[p.block]
                let name = b.title.map { "“\($0)”" } ?? ""
                let over = (needed - area) / mm
                // A template's copy names its branch: the template is fine, this branch's text is long.
                let branchPath = board.copy.flatMap { branch($0.branch)?.path }
                let whose = board.copy == nil ? "" : "为支部“\(board.copy!.branchName)”（\(branchPath ?? "")）生成的"
                bag.error(b.location, String(format: "%@展板“%@”的第 %d 个版块（%@%@）缩到最小字号 %.0f pt 仍放不下，超出 %.0f mm；请删减文字、加大跨栏或减少版块 (board '%@', block %d (%@) overflows by %.0f mm at the minimum size)",
                                             whose, board.title, p.block + 1, b.type, name, minimum, over, board.title, p.block + 1, b.type, over))
                return nil
            }
            let spare = rowHeights.reduce(0, +) - minHeights.reduce(0, +)
            let t = spare > 0 ? (area - needed) / spare : 0
            var shrunk: [[BlockRender]] = []
            for (ri, row) in rows.enumerated() {
                let target = minHeights[ri] + (rowHeights[ri] - minHeights[ri]) * t
                var out: [BlockRender] = []
                var sizes: [Double] = []
                for p in row {
                    let w = BoardGrid.frame(column: p.column, span: p.span, columns: board.columns, width: contentWidth, gutter: gutter).width
                    let b = board.blocks[p.block]
                    let s = Fit.size(minimum: minimum, maximum: body, precision: 0.25, fits: { block(b, board: board, width: w, size: $0).height <= target + 0.01 }) ?? minimum
                    out.append(block(b, board: board, width: w, size: s))
                    sizes.append(s)
                }
                shrunk.append(out)
                laidSizes[ri] = sizes
                rowHeights[ri] = target
            }
            laid = shrunk
            total = area
        }
        // Extra height is shared by the rows.
        let extra = (area - total) / Double(max(1, rows.count))
        rowHeights = rowHeights.map { $0 + extra }

        // Warn about pictures too coarse for print, at the sizes finally chosen.
        resolutions = [:]
        for (ri, row) in rows.enumerated() {
            for (bi, p) in row.enumerated() where ["people", "image"].contains(board.blocks[p.block].type) {
                let w = BoardGrid.frame(column: p.column, span: p.span, columns: board.columns, width: contentWidth, gutter: gutter).width
                _ = block(board.blocks[p.block], board: board, width: w, size: laidSizes[ri][bi])
            }
        }
        for (path, dpi) in resolutions.sorted(by: { $0.key < $1.key }) where dpi < 100 {
            bag.warning(SourceLocation(path: rel(path)), String(format: "图片在展板“%@”上只有 %.0f dpi（至少 100 dpi），印出来会发虚 (picture is %.0f dpi at its printed size)", board.title, dpi, dpi))
        }

        let page = PrintPage()
        let accent = style.accent, gold = style.gold
        let tint = style.paper
        page.ops.append { cr, _ in
            // Background and bands run into the bleed.
            tint.set(cr)
            Canvas(cr).rectangle(0, 0, pageSize.width, pageSize.height)
            Canvas(cr).fill()
            accent.set(cr)
            Canvas(cr).rectangle(0, 0, pageSize.width, bleed + headerHeight)
            Canvas(cr).fill()
            gold.set(cr)
            Canvas(cr).rectangle(0, bleed + headerHeight - body * 0.25, pageSize.width, body * 0.25)
            Canvas(cr).fill()
            accent.set(cr)
            Canvas(cr).rectangle(0, bleed + trim.height - hidden - footerHeight, pageSize.width, footerHeight + hidden + bleed)
            Canvas(cr).fill()
            Canvas(cr).translate(bleed, bleed)
            let ty = margin * 0.8
            titleP.draw(cr, x: margin, y: ty)
            subP?.draw(cr, x: margin, y: ty + titleP.height + body * 0.3)
            if let emblem {
                let h = headerHeight - margin
                let w = h * emblem.pixelWidth / emblem.pixelHeight
                emblem.draw(cr, x: margin, y: margin / 2, width: w, height: h)
            }
            footerP.draw(cr, x: margin, y: trim.height - hidden - footerHeight + body * 0.6)
            if let logo {
                // The site's logo at the right end of the footer band.
                let lh = footerHeight * 0.6
                let lw = lh * logo.pixelWidth / logo.pixelHeight
                logo.draw(cr, x: trim.width - margin - lw, y: trim.height - hidden - footerHeight + (footerHeight - lh) / 2, width: lw, height: lh)
            }
        }
        var y = top
        for (ri, row) in rows.enumerated() {
            let h = rowHeights[ri]
            for (bi, p) in row.enumerated() {
                let fx = BoardGrid.frame(column: p.column, span: p.span, columns: board.columns, width: contentWidth, gutter: gutter).x
                let r = laid[ri][bi]
                let yy = y
                page.ops.append { cr, _ in
                    Canvas(cr).translate(bleed, bleed)
                    r.draw(cr, margin + fx, yy, h)
                }
            }
            y += h + gutter
        }
        return BoardResult(board: board, page: page, pageSize: pageSize)
    }

    func resolveFile(_ src: String, from document: String) -> String? {
        links.file(named: src, in: document)
    }
}
