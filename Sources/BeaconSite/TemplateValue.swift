import Foundation
import Mustache

/// A template context object. swift-mustache reads `[String: Any]` through a conditional
/// conformance, which costs a slow dynamic cast on every variable lookup; a final class
/// with a plain conformance is found through the cast cache. Contexts are built as
/// dictionaries (easy to read) and boxed once before rendering.
final class TemplateObject: MustacheParent, @unchecked Sendable {
    let values: [String: Any]

    init(_ values: [String: Any]) {
        self.values = values
    }

    func child(named name: String) -> Any? { values[name] }

    /// Boxes every dictionary inside `value`, however deep.
    static func box(_ value: Any) -> Any {
        switch value {
        case let d as [String: Any]:
            return TemplateObject(d.mapValues(box))
        case let a as [[String: Any]]:
            return a.map { TemplateObject($0.mapValues(box)) }
        case let a as [Any]:
            return a.map(box)
        default:
            return value
        }
    }
}

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
