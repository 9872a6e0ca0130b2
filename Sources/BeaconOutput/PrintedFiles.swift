import Foundation
import BeaconModel

/// What the book stage wrote for one book, for the website to link; routes relative to the site.
public struct BookFiles: Sendable {
    public var pdf: String
    public var printPDF: String?
    public var cover: String?
    public var pages: Int
    public var bytes: Int
    public init(pdf: String, printPDF: String?, cover: String?, pages: Int, bytes: Int) {
        self.pdf = pdf; self.printPDF = printPDF; self.cover = cover; self.pages = pages; self.bytes = bytes
    }
    public var pdfSizeText: String { bytes >= 1_000_000 ? String(format: "%.1f MB", Double(bytes) / 1e6) : "\(max(1, bytes / 1000)) KB" }
}

/// What the board stage wrote for one board.
public struct BoardFiles: Sendable {
    public var pdf: String
    public var png: String
    /// For a template's copy: the ZIP of all the template's copies.
    public var zip: String?
    public init(pdf: String, png: String) { self.pdf = pdf; self.png = png }
}
