import Foundation
import BeaconOutput
import Mustache
import BeaconText

/// HTML escaping for templates, byte for byte what swift-mustache's built-in escaper writes,
/// without its per-Character dictionary lookups (which cost a thousand instructions a
/// character on Chinese text). Templates opt in with `{{% CONTENT_TYPE: HTML}}`; Beacon
/// registers this escaper under that name before it parses a theme. A template without the
/// pragma gets the library's own escaper: the same output, only slower.
struct FastHTMLContentType: MustacheContentType {
    func escapeText(_ text: String) -> String { HTMLEscape.escape(text) }

    static let registered: Bool = {
        MustacheContentTypes.register(FastHTMLContentType(), named: "HTML")
        return true
    }()
}
