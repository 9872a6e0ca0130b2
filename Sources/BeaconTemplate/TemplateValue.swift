import Foundation
import BeaconModel

/// What a template sees: text, numbers, truth values, lists, named fields, or an object that
/// answers for its fields when asked (a lesson in a list of thousands). Typed, so that a
/// lookup is a dictionary read and a section a `switch`, never a dynamic cast.
public enum TemplateValue: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case double(Double)
    case list([TemplateValue])
    case map([String: TemplateValue])
    case object(any TemplateObject)
    case null

    /// A field of this value, or nil when it has none by that name.
    @inlinable
    public func child(_ name: String) -> TemplateValue? {
        switch self {
        case .map(let d): return d[name]
        case .object(let o): return o.value(named: name)
        default: return nil
        }
    }

    /// The same value in storage of its own: for a copy per thread (`PerThread`).
    public var ownCopy: TemplateValue {
        switch self {
        case .string(let s): return .string(s.ownCopy)
        case .list(let a): return .list(a.map(\.ownCopy))
        case .map(let d):
            var c: [String: TemplateValue] = [:]
            c.reserveCapacity(d.count)
            for (k, v) in d { c[k.ownCopy] = v.ownCopy }
            return .map(c)
        default: return self
        }
    }

    /// A field of a `.map` (nil for any other value); setting one on a `.map` sets it there
    /// (nil removes it), and on any other value does nothing.
    public subscript(key: String) -> TemplateValue? {
        get {
            if case .map(let d) = self { return d[key] }
            return nil
        }
        set {
            guard case .map(var d) = self else { return }
            self = .null
            d[key] = newValue
            self = .map(d)
        }
    }

    /// A value built the untyped way (`[String: Any]` and the like). Known kinds are told by
    /// their exact type first: a failing cast to a protocol costs far more than the test.
    public init(_ any: Any) {
        let type = ObjectIdentifier(Swift.type(of: any))
        if type == Self.valueType { self = any as! TemplateValue; return }
        if type == Self.stringType { self = .string(any as! String); return }
        if type == Self.mapType { self = .map((any as! [String: Any]).mapValues(TemplateValue.init)); return }
        if type == Self.intType { self = .int(any as! Int); return }
        if type == Self.boolType { self = .bool(any as! Bool); return }
        if type == Self.mapsType { self = .list((any as! [[String: Any]]).map { .map($0.mapValues(TemplateValue.init)) }); return }
        if type == Self.stringsType { self = .list((any as! [String]).map(TemplateValue.string)); return }
        if type == Self.valuesType { self = .list(any as! [TemplateValue]); return }
        switch any {
        case let v as TemplateValue: self = v
        case let s as String: self = .string(s)
        case let i as Int: self = .int(i)
        case let b as Bool: self = .bool(b)
        case let x as Double: self = .double(x)
        case let o as any TemplateObject: self = .object(o)
        case let d as [String: Any]: self = .map(d.mapValues(TemplateValue.init))
        case let a as [Any]: self = .list(a.map(TemplateValue.init))
        case let s as Substring: self = .string(String(s))
        case let i as any BinaryInteger: self = .int(Int(clamping: i))
        default: self = .null   // nil, and kinds a template cannot show
        }
    }

    static let valueType = ObjectIdentifier(TemplateValue.self)
    static let stringType = ObjectIdentifier(String.self)
    static let mapType = ObjectIdentifier([String: Any].self)
    static let intType = ObjectIdentifier(Int.self)
    static let boolType = ObjectIdentifier(Bool.self)
    static let mapsType = ObjectIdentifier([[String: Any]].self)
    static let stringsType = ObjectIdentifier([String].self)
    static let valuesType = ObjectIdentifier([TemplateValue].self)
}

/// A value whose fields are made when a template asks for them.
public protocol TemplateObject: AnyObject, Sendable {
    func value(named name: String) -> TemplateValue?
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: TemplateValue...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .map(Dictionary(elements, uniquingKeysWith: { _, b in b }))
    }
}

extension TemplateValue {
    /// The value with a transform applied (`{{#empty(tags)}}`), or nil when the transform does
    /// not apply to it. The names and results are swift-mustache's, which themes were written for.
    func transformed(_ name: String) -> TemplateValue? {
        switch self {
        case .string(let s):
            switch name {
            case "empty": return .bool(s.isEmpty)
            case "capitalized": return .string(s.capitalized)
            case "lowercased": return .string(s.lowercased())
            case "uppercased": return .string(s.uppercased())
            case "reversed": return .string(String(s.reversed()))
            default: return nil
            }
        case .list(let a):
            switch name {
            case "first": return a.first ?? .null
            case "last": return a.last ?? .null
            case "reversed": return .list(a.reversed())
            case "count": return .int(a.count)
            case "empty": return .bool(a.isEmpty)
            case "sorted": return Self.sorted(a).map(TemplateValue.list)
            default: return nil
            }
        case .map(let d):
            switch name {
            case "count": return .int(d.count)
            case "empty": return .bool(d.isEmpty)
            case "enumerated": return .list(d.map { .map(["key": .string($0.key), "value": $0.value]) })
            case "sorted": return .list(d.sorted { $0.key < $1.key }.map { .map(["key": .string($0.key), "value": $0.value]) })
            default: return nil
            }
        case .int(let i):
            switch name {
            case "equalzero": return .bool(i == 0)
            case "plusone": return .int(i &+ 1)
            case "minusone": return .int(i &- 1)
            case "even": return .bool(i & 1 == 0)
            case "odd": return .bool(i & 1 == 1)
            default: return nil
            }
        default:
            return nil
        }
    }

    /// A list of texts or of numbers, sorted; nil for any other list.
    static func sorted(_ a: [TemplateValue]) -> [TemplateValue]? {
        var strings: [String] = [], ints: [Int] = []
        for v in a {
            switch v {
            case .string(let s) where ints.isEmpty: strings.append(s)
            case .int(let i) where strings.isEmpty: ints.append(i)
            default: return nil
            }
        }
        return strings.isEmpty ? ints.sorted().map(TemplateValue.int) : strings.sorted().map(TemplateValue.string)
    }
}
