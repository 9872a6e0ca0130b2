import Foundation
import CPrint

/// How a page is being drawn: into the reading-order PDF (with links and destinations) or
/// as a picture (imposed sheets, previews), where links mean nothing.
public struct DrawMode: Sendable {
    public var links: Bool
    public init(links: Bool) { self.links = links }
}

public typealias DrawOp = (_ cr: OpaquePointer, _ mode: DrawMode) -> Void

/// One line as the typesetter set it, for checks of the line rules.
public struct LineRecord: Sendable {
    public var text: String
    public var page: Int
    /// Lines of the paragraph this line belongs to.
    public var paragraphLines: Int
    public var indexInParagraph: Int

    public init(text: String, page: Int, paragraphLines: Int, indexInParagraph: Int) {
        self.text = text
        self.page = page
        self.paragraphLines = paragraphLines
        self.indexInParagraph = indexInParagraph
    }
}

/// A piece of content that is never split across pages: a line of text, a table row, an image.
public struct FlowItem {
    public var height: Double
    /// Space above the item; dropped when the item starts a page.
    public var spaceBefore: Double = 0
    /// A heading, or the first line of a paragraph: never the last thing on a page.
    public var keepWithNext = false
    /// The last line of a paragraph of more than two lines: never the first thing on a page.
    public var cannotStartPage = false
    /// A table row: the header row to repeat when a page starts with this row.
    public var repeatHeader: (() -> FlowItem)?
    /// Start a new page before this item.
    public var breakBefore = false
    public var record: LineRecord?
    /// A line of text: the distance from the item's top to its baseline (where a list marker
    /// beside it sits).
    public var baseline: Double?
    /// Draws the item with its top-left corner at (x, y).
    public var draw: (_ cr: OpaquePointer, _ x: Double, _ y: Double, _ mode: DrawMode) -> Void

    public init(height: Double, draw: @escaping (_ cr: OpaquePointer, _ x: Double, _ y: Double, _ mode: DrawMode) -> Void) {
        self.height = height
        self.draw = draw
    }

    public static func space(_ h: Double) -> FlowItem {
        var i = FlowItem(height: 0) { _, _, _, _ in }
        i.spaceBefore = h
        return i
    }
}

/// A page: drawing operations in page coordinates (points, origin top left).
public final class PrintPage {
    public var ops: [DrawOp] = []
    public var records: [LineRecord] = []
    /// Named destinations on this page (for links from the contents).
    public var anchors: [String] = []
    public init() {}

    public func draw(_ cr: OpaquePointer, mode: DrawMode) {
        for op in ops {
            cairo_save(cr)
            op(cr, mode)
            cairo_restore(cr)
        }
    }
}

/// Breaks a run of items into pages of a frame, honouring keep-with-next, widow and orphan
/// rules and repeating table headers.
public enum Paginator {
    /// The most items a page break carries over to keep things together: a two-line heading
    /// and two lines of text.
    public static let maxCarried = 4

    /// Returns, per page, the items with their y offsets inside the frame.
    public static func paginate(_ items: [FlowItem], frameHeight: Double) -> [[(item: FlowItem, y: Double)]] {
        var pages: [[(FlowItem, Double)]] = []
        var start = 0
        while start < items.count {
            // Fill greedily from `start`.
            var y = 0.0
            var end = start
            var first = true
            var placed: [(FlowItem, Double)] = []
            if let header = items[start].repeatHeader {
                let h = header()
                placed.append((h, 0))
                y = h.height
            }
            while end < items.count {
                let it = items[end]
                if it.breakBefore && !first { break }
                let gap = first ? 0 : it.spaceBefore
                if y + gap + it.height > frameHeight + 0.01 && !first { break }
                placed.append((it, y + gap))
                y += gap + it.height
                first = false
                end += 1
            }
            if end < items.count && end > start + 1 {
                // Move back the break while it would strand a heading, a first line or a last line,
                // by a heading and two lines at most (a longer chain of keeps would empty a third
                // of the page; it breaks where the page is full instead).
                var b = end
                while b > start + 1 && end - b < Self.maxCarried && (items[b - 1].keepWithNext || items[b].cannotStartPage) { b -= 1 }
                if b > start + 1 && b != end && !(items[b - 1].keepWithNext || items[b].cannotStartPage) {
                    let drop = end - b
                    placed.removeLast(drop)
                    end = b
                }
            }
            if end == start { end = start + 1; placed = [(items[start], 0)] }
            pages.append(placed)
            start = end
            // Spaces at the top of a page vanish.
            while start < items.count && items[start].height == 0 && !items[start].breakBefore { start += 1 }
        }
        return pages
    }
}
