import Foundation
import Mustache

/// HTML escaping for templates, byte for byte what swift-mustache's built-in escaper writes,
/// without its per-Character dictionary lookups (which cost a thousand instructions a
/// character on Chinese text). Templates opt in with `{{% CONTENT_TYPE: HTML}}`; Beacon
/// registers this escaper under that name before it parses a theme. A template without the
/// pragma gets the library's own escaper: the same output, only slower.
struct FastHTMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0x22 || $0 == 0x27 }) else {
            return text
        }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count + 16)
        for b in utf8 {
            switch b {
            case 0x3C: out.append(contentsOf: "&lt;".utf8)
            case 0x3E: out.append(contentsOf: "&gt;".utf8)
            case 0x26: out.append(contentsOf: "&amp;".utf8)
            case 0x22: out.append(contentsOf: "&quot;".utf8)
            case 0x27: out.append(contentsOf: "&#39;".utf8)
            default: out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static let registered: Bool = {
        MustacheContentTypes.register(FastHTMLContentType(), named: "HTML")
        return true
    }()
}
