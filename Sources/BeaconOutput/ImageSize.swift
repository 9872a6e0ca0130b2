import Foundation
import BeaconModel

/// The pixel size of a picture, read from the first bytes of its file (PNG, JPEG, GIF, WebP)
/// or the root element of an SVG, without decoding it: web pages give every picture its
/// `width` and `height` so that the page does not jump while it loads.
public enum ImageSize {
    public static func read(_ path: String) -> (width: Int, height: Int)? {
        // Only a regular file is read, and never waited on (a FIFO or device is not a picture).
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        var b = [UInt8](repeating: 0, count: 64 * 1024)
        let n = b.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
        guard n > 0 else { return nil }
        b.removeSubrange(n...)
        func be16(_ i: Int) -> Int { i + 1 < b.count ? Int(b[i]) << 8 | Int(b[i + 1]) : 0 }
        func be32(_ i: Int) -> Int { i + 3 < b.count ? be16(i) << 16 | be16(i + 2) : 0 }
        func le16(_ i: Int) -> Int { i + 1 < b.count ? Int(b[i]) | Int(b[i + 1]) << 8 : 0 }
        func le24(_ i: Int) -> Int { i + 2 < b.count ? le16(i) | Int(b[i + 2]) << 16 : 0 }
        func valid(_ w: Int, _ h: Int) -> (width: Int, height: Int)? {
            (1...100_000).contains(w) && (1...100_000).contains(h) ? (w, h) : nil
        }
        // PNG: signature, then IHDR width and height.
        if b.count >= 24, b[0] == 0x89, b[1] == 0x50, b[2] == 0x4E, b[3] == 0x47 { return valid(be32(16), be32(20)) }
        // GIF
        if b.count >= 10, b[0] == 0x47, b[1] == 0x49, b[2] == 0x46 { return valid(le16(6), le16(8)) }
        // WebP: RIFF....WEBP, then VP8 / VP8L / VP8X.
        if b.count >= 30, b[0] == 0x52, b[1] == 0x49, b[8] == 0x57, b[9] == 0x45 {
            switch (b[12], b[13], b[14], b[15]) {
            case (0x56, 0x50, 0x38, 0x20): return valid(le16(26) & 0x3FFF, le16(28) & 0x3FFF)
            case (0x56, 0x50, 0x38, 0x4C):
                let bits = Int(b[21]) | Int(b[22]) << 8 | Int(b[23]) << 16 | Int(b[24]) << 24
                return valid((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            case (0x56, 0x50, 0x38, 0x58): return valid(le24(24) + 1, le24(27) + 1)
            default: return nil
            }
        }
        // JPEG: walk the segments to the first start-of-frame; a phone's photo stored sideways
        // with an EXIF orientation of 5–8 is shown turned, its width and height swapped.
        if b.count >= 4, b[0] == 0xFF, b[1] == 0xD8 {
            var i = 2
            var turned = false
            while i + 9 < b.count {
                guard b[i] == 0xFF else { return nil }
                let marker = b[i + 1]
                if marker == 0xFF { i += 1; continue }
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) { i += 2; continue }
                let length = be16(i + 2)
                if marker == 0xE1, let o = exifOrientation(b, start: i + 4, length: length - 2) { turned = (5...8).contains(o) }
                if (0xC0...0xCF).contains(marker) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC {
                    return turned ? valid(be16(i + 5), be16(i + 7)) : valid(be16(i + 7), be16(i + 5))
                }
                guard length >= 2 else { return nil }
                i += 2 + length
            }
            return nil
        }
        // SVG: width and height in px (or unitless) on the root, else the viewBox.
        if let text = String(bytes: b.prefix(8192), encoding: .utf8), let start = text.range(of: "<svg") {
            let tagEnd = text[start.upperBound...].firstIndex(of: ">") ?? text.endIndex
            let tag = String(text[start.upperBound..<tagEnd])
            func attribute(_ name: String) -> String? {
                guard let r = tag.range(of: " " + name + "=") ?? tag.range(of: "\n" + name + "=") else { return nil }
                let rest = tag[r.upperBound...]
                guard let q = rest.first, q == "\"" || q == "'" else { return nil }
                return rest.dropFirst().prefix(while: { $0 != q }).trimmingCharacters(in: .whitespaces)
            }
            func pixels(_ s: String?) -> Int? {
                guard var s else { return nil }
                if s.hasSuffix("px") { s.removeLast(2) }
                guard let v = Double(s), v.isFinite, v >= 1 else { return nil }
                return Int(v.rounded())
            }
            if let w = pixels(attribute("width")), let h = pixels(attribute("height")) { return valid(w, h) }
            if let vb = attribute("viewBox") {
                let n = vb.split(whereSeparator: { $0 == " " || $0 == "," }).compactMap { Double($0) }
                if n.count == 4, n[2].isFinite, n[3].isFinite, n[2] >= 1, n[3] >= 1, n[2] < 1e6, n[3] < 1e6 {
                    return valid(Int(n[2].rounded()), Int(n[3].rounded()))
                }
            }
        }
        return nil
    }

    /// The orientation tag (1–8) of an APP1 Exif segment's first image directory.
    static func exifOrientation(_ b: [UInt8], start: Int, length: Int) -> Int? {
        let end = min(b.count, start + length)
        guard start + 14 <= end, b[start] == 0x45, b[start + 1] == 0x78, b[start + 2] == 0x69, b[start + 3] == 0x66 else { return nil }
        let tiff = start + 6
        let little = b[tiff] == 0x49
        func u16(_ k: Int) -> Int? {
            guard k >= tiff, k + 1 < end else { return nil }
            return little ? Int(b[k]) | Int(b[k + 1]) << 8 : Int(b[k]) << 8 | Int(b[k + 1])
        }
        func u32(_ k: Int) -> Int? {
            guard let lo = u16(little ? k : k + 2), let hi = u16(little ? k + 2 : k) else { return nil }
            return hi << 16 | lo
        }
        guard let ifd = u32(tiff + 4), ifd < length, let count = u16(tiff + ifd) else { return nil }
        for e in 0..<min(count, 256) {
            let entry = tiff + ifd + 2 + e * 12
            guard let tag = u16(entry) else { return nil }
            if tag == 0x0112 { return u16(entry + 8) }
        }
        return nil
    }
}

/// Picture sizes by file path, read once however many pages show the picture.
public final class ImageSizeCache: @unchecked Sendable {
    private var sizes: [String: (width: Int, height: Int)?] = [:]
    private let lock = NSLock()

    public init() {}

    public func size(of path: String) -> (width: Int, height: Int)? {
        lock.lock()
        if let known = sizes[path] { lock.unlock(); return known }
        lock.unlock()
        let read = ImageSize.read(path)
        lock.lock(); sizes[path] = read; lock.unlock()
        return read
    }
}
