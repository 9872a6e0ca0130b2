import Foundation

/// A theme's print.yml as read and checked by the loader (key `book`): every value with the
/// place it was written, so that the print module can report what only it can check (a font
/// that fontconfig does not have) at the right line.
public struct PrintSettings: Sendable {
    public struct Located<T: Sendable>: Sendable {
        public var value: T
        public var location: SourceLocation
        public init(_ value: T, _ location: SourceLocation) {
            self.value = value
            self.location = location
        }
    }

    /// `body`, `heading`, `quote`, `code`: fontconfig family names.
    public var fonts: [String: Located<String>] = [:]
    /// Points.
    public var bodySize: Double?
    /// Line height in ems of the body size.
    public var leading: Double?
    /// `accent`, `gold`, `text`, `muted`, `tint` (board blocks, code), `paper` (a board's
    /// background): `#rrggbb`.
    public var colours: [String: String] = [:]
    /// `top`, `bottom`, `inner`, `outer`, in mm.
    public var margins: [String: Double] = [:]
    /// A line the theme wants under the colophon (none by default: no software credit).
    public var colophonNote: String?

    public init() {}

    /// These settings with every value `other` sets in their place.
    public func overlaid(with other: PrintSettings) -> PrintSettings {
        var out = self
        out.fonts.merge(other.fonts) { _, new in new }
        out.colours.merge(other.colours) { _, new in new }
        out.margins.merge(other.margins) { _, new in new }
        if let v = other.bodySize { out.bodySize = v }
        if let v = other.leading { out.leading = v }
        if let v = other.colophonNote { out.colophonNote = v }
        return out
    }

    public static let fontRoles = ["body", "heading", "quote", "code"]
    public static let colourNames = ["accent", "gold", "text", "muted", "tint", "paper"]
    public static let marginNames = ["top", "bottom", "inner", "outer"]
    public static let bookKeys = ["fonts", "body_size", "leading", "colours", "margins", "colophon_note"]
    public static let bodySizeRange = 7.0...14.0
    public static let leadingRange = 1.3...2.4
    public static let marginRange = 5.0...40.0
}
