import Foundation

/// Where blocks go on a board's grid: rows of blocks, each spanning whole columns.
public enum BoardGrid {
    public struct Placement: Equatable, Sendable {
        public var block: Int
        public var column: Int
        public var span: Int
    }

    /// Fills rows left to right; a block that does not fit the rest of a row starts the next.
    public static func rows(spans: [Int], columns: Int) -> [[Placement]] {
        var rows: [[Placement]] = []
        var row: [Placement] = []
        var used = 0
        for (i, s) in spans.enumerated() {
            let span = min(max(1, s), columns)
            if used + span > columns {
                rows.append(row)
                row = []
                used = 0
            }
            row.append(Placement(block: i, column: used, span: span))
            used += span
        }
        if !row.isEmpty { rows.append(row) }
        return rows
    }

    /// x and width of a run of columns in a content area of `width` with `gutter` between columns.
    public static func frame(column: Int, span: Int, columns: Int, width: Double, gutter: Double) -> (x: Double, width: Double) {
        let col = (width - gutter * Double(columns - 1)) / Double(columns)
        return (Double(column) * (col + gutter), col * Double(span) + gutter * Double(span - 1))
    }
}

/// How a process chart of `count` stages is arranged in a block: across in one row when
/// they fit, down in one column when the block is narrow, else snaking: left to right, then
/// right to left on the next row.
public enum FlowArrangement {
    /// Columns for `count` stages in a block `width` wide whose area has the given width to
    /// height `aspect`: up to four stages go across when they fit; more are arranged in a
    /// grid close to the area's shape, never narrower than `minCell`.
    public static func columns(count: Int, width: Double, minCell: Double, aspect: Double) -> Int {
        let fitting = max(1, min(count, Int(width / minCell)))
        if count <= 4 && fitting == count { return count }
        let shaped = Int((Double(count) * aspect).squareRoot().rounded())
        return max(1, min(fitting, max(1, shaped)))
    }

    /// (row, column) of each stage, in order.
    public static func positions(count: Int, columns: Int) -> [(row: Int, column: Int)] {
        (0..<count).map { i in
            let row = i / columns
            let c = i % columns
            return (row, row % 2 == 0 ? c : columns - 1 - c)
        }
    }

    public static func describe(count: Int, columns: Int) -> String {
        columns >= count ? "across" : columns == 1 ? "down" : "snake"
    }
}

/// Shrinking text to fit: the largest size between `minimum` and `maximum` at which
/// `fits` holds, to a tenth of a point; nil when even the minimum does not fit.
public enum Fit {
    public static func size(minimum: Double, maximum: Double, precision: Double = 0.1, fits: (Double) -> Bool) -> Double? {
        if fits(maximum) { return maximum }
        guard fits(minimum) else { return nil }
        var lo = minimum, hi = maximum
        while hi - lo > precision {
            let mid = (lo + hi) / 2
            if fits(mid) { lo = mid } else { hi = mid }
        }
        return lo
    }
}
