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
