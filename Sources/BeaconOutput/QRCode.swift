import Foundation
import BeaconModel
import CQRencode

/// QR codes from libqrencode: web pages show them as SVG, print draws them (BeaconPrint).
public struct QRCode: Sendable {
    public let size: Int
    public let modules: [Bool]

    /// With `mask`, the code uses that mask pattern (0–7) instead of the one of the eight
    /// that scores best: as valid, and several times faster to make (for a QR code on every
    /// web page; print uses the best mask).
    public init?(_ text: String, level: QRecLevel = QR_ECLEVEL_M, mask: Int32? = nil) {
        let made: UnsafeMutablePointer<QRcode>?
        if let mask {
            guard let input = QRinput_new2(0, level) else { return nil }
            defer { QRinput_free(input) }
            let bytes = Array(text.utf8)
            guard QRinput_append(input, QR_MODE_8, Int32(bytes.count), bytes) == 0 else { return nil }
            made = QRcode_encodeMask(input, mask)
        } else {
            made = QRcode_encodeString(text, 0, level, QR_MODE_8, 1)
        }
        guard let code = made else { return nil }
        defer { QRcode_free(code) }
        size = Int(code.pointee.width)
        modules = (0..<(size * size)).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// The mask web pages use.
    public static let webMask: Int32 = 2

    /// A code for a web page (the web mask).
    public static func web(_ text: String) -> QRCode? { QRCode(text, mask: webMask) }

    public func isDark(_ x: Int, _ y: Int) -> Bool { modules[y * size + x] }

    /// Each horizontal run of dark modules: row, first column, length.
    public func darkRuns(_ body: (_ row: Int, _ col: Int, _ run: Int) -> Void) {
        for row in 0..<size {
            var col = 0
            while col < size {
                guard isDark(col, row) else { col += 1; continue }
                var run = 1
                while col + run < size && isDark(col + run, row) { run += 1 }
                body(row, col, run)
                col += run
            }
        }
    }

    /// SVG markup of the code (for web pages).
    public func svg(pixels: Int = 4) -> String {
        let full = size + 8
        var path = ""
        darkRuns { row, col, run in path += "M\(col + 4) \(row + 4)h\(run)v1h-\(run)z" }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(full) \(full)\" width=\"\(full * pixels)\" height=\"\(full * pixels)\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"本页二维码 (QR code of this page)\"><rect width=\"\(full)\" height=\"\(full)\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }
}
