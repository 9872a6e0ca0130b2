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

    /// SVG markup of the code (for web pages): one path of horizontal runs.
    public func svg(pixels: Int = 4) -> String {
        let full = size + 8
        var out: [UInt8] = []
        out.reserveCapacity(size * size * 4 + 400)
        out += Array("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(full) \(full)\" width=\"\(full * pixels)\" height=\"\(full * pixels)\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"本页二维码 (QR code of this page)\"><rect width=\"\(full)\" height=\"\(full)\" fill=\"#fff\"/><path d=\"".utf8)
        // Numbers below 1000 as ASCII digits, without formatting.
        @inline(__always) func number(_ n: Int, _ out: inout [UInt8]) {
            if n >= 100 { out.append(UInt8(48 + n / 100)) }
            if n >= 10 { out.append(UInt8(48 + (n / 10) % 10)) }
            out.append(UInt8(48 + n % 10))
        }
        modules.withUnsafeBufferPointer { m in
            for row in 0..<size {
                var col = 0
                let base = row * size
                while col < size {
                    guard m[base + col] else { col += 1; continue }
                    var run = 1
                    while col + run < size && m[base + col + run] { run += 1 }
                    out.append(77)  // M
                    number(col + 4, &out); out.append(32); number(row + 4, &out)
                    out.append(104)  // h
                    number(run, &out)
                    out.append(118); out.append(49); out.append(104); out.append(45)  // v1h-
                    number(run, &out)
                    out.append(122)  // z
                    col += run
                }
            }
        }
        out += Array("\" fill=\"#000\"/></svg>".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
