import Foundation

/// Colours a theme derives from a site's two brand colours, and the WCAG contrast of each
/// pair of text and ground it uses them in.
public struct Palette: Sendable, Equatable {
    public var primary: RGB
    public var primaryDark: RGB
    public var accent: RGB
    public var accentText: RGB
    public var tint: RGB
    /// The footer's ground: the primary colour, very dark.
    public var footer: RGB
    public static let paper = RGB(hex: "#fffdf9")!
    public static let white = RGB(hex: "#ffffff")!
    public static let footerText = RGB(hex: "#f3e6d8")!

    public struct RGB: Sendable, Equatable, CustomStringConvertible {
        public var r: Double, g: Double, b: Double
        public init(r: Double, g: Double, b: Double) { self.r = r; self.g = g; self.b = b }
        public init?(hex: String) {
            var h = hex.trimmingCharacters(in: .whitespaces)
            if h.hasPrefix("#") { h.removeFirst() }
            guard h.count == 6, let v = UInt32(h, radix: 16) else { return nil }
            r = Double((v >> 16) & 0xFF) / 255; g = Double((v >> 8) & 0xFF) / 255; b = Double(v & 0xFF) / 255
        }
        public var hex: String {
            String(format: "#%02x%02x%02x", Int((r * 255).rounded()), Int((g * 255).rounded()), Int((b * 255).rounded()))
        }
        /// A colour as an editor must write it in Beacon's files: exactly `#rrggbb`.
        public static func written(_ text: String) -> RGB? {
            let t = text.trimmingCharacters(in: .whitespaces)
            guard t.count == 7, t.hasPrefix("#") else { return nil }
            return RGB(hex: t)
        }
        public var description: String { hex }
        /// Mixed with `other`: 0 is self, 1 is other.
        public func mixed(with other: RGB, _ t: Double) -> RGB {
            RGB(r: r + (other.r - r) * t, g: g + (other.g - g) * t, b: b + (other.b - b) * t)
        }
        /// WCAG relative luminance.
        public var luminance: Double {
            func lin(_ c: Double) -> Double { c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4) }
            return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
        }
        public func contrast(_ other: RGB) -> Double {
            let (a, b) = (luminance, other.luminance)
            return (max(a, b) + 0.05) / (min(a, b) + 0.05)
        }
    }

    /// The default theme's colours.
    public static let standard = Palette(primary: RGB(hex: "#a81c1c")!, accent: RGB(hex: "#c9a227")!)

    public init(primary: RGB, accent: RGB) {
        self.primary = primary
        self.accent = accent
        primaryDark = primary.mixed(with: RGB(r: 0, g: 0, b: 0), 0.25)
        // The accent as text: darkened until it reads on the page (decoration keeps the accent).
        var text = accent
        var step = 0
        while text.contrast(Self.paper) < 4.5 && step < 20 { text = accent.mixed(with: RGB(r: 0, g: 0, b: 0), Double(step + 1) * 0.05); step += 1 }
        accentText = text
        tint = accent.mixed(with: Self.white, 0.88)
        footer = primary.mixed(with: RGB(r: 0, g: 0, b: 0), 0.68)
    }

    /// Each pair of text colour and ground the theme sets, with its name for a message.
    public var textPairs: [(name: String, text: RGB, ground: RGB)] {
        [("白色文字在主色上 (white text on primary)", Self.white, primary),
         ("主色文字在页面底色上 (primary text on the page)", primary, Self.paper),
         ("深主色标题在浅底上 (dark primary headings on the tint)", primaryDark, tint),
         ("白色文字在深主色上 (white text on dark primary)", Self.white, primaryDark),
         ("页脚文字在页脚底色上 (footer text on the footer)", Self.footerText, footer)]
    }

    /// WCAG AA for body text.
    public static let minimumContrast = 4.5
    /// WCAG AA for large text (the accent drawn on the main colour on covers).
    public static let largeTextContrast = 3.0
}
