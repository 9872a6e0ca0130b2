import Foundation
import BeaconModel

/// Inline Markdown → styled print text, the one conversion books and boards share: bold as
/// the bold face, emphasis in the Kai face (Chinese emphasis is 楷体, not slanted Song), code
/// in the monospaced face, links in the accent colour (clickable in the PDF), footnote marks
/// raised, struck text struck.
public struct MarkdownText {
    public var quoteFamily: String
    public var codeFamily: String
    public var accent: Colour
    /// The address a link opens in the PDF (nil: the link shows as plain text).
    public var url: (MDLink) -> String?

    public init(quoteFamily: String, codeFamily: String, accent: Colour, url: @escaping (MDLink) -> String?) {
        self.quoteFamily = quoteFamily
        self.codeFamily = codeFamily
        self.accent = accent
        self.url = url
    }

    public func rich(_ inlines: [MDInline], base: TextStyle, links: [MDLink]) -> RichText {
        var out = RichText()
        func walk(_ items: [MDInline], _ s: TextStyle) {
            for item in items {
                switch item {
                case .text(let t): out.append(t, style: s)
                case .code(let t):
                    var c = s
                    c.font = FontSpec(family: codeFamily, size: s.font.size * 0.9, bold: s.font.bold)
                    c.code = true
                    out.append(t, style: c)
                case .emphasis(let c):
                    var e = s
                    e.font.family = quoteFamily
                    walk(c, e)
                case .strong(let c):
                    var b = s
                    b.font.bold = true
                    walk(c, b)
                case .strikethrough(let c):
                    var st = s
                    st.strikethrough = true
                    walk(c, st)
                case .link(let index, _, let c):
                    guard links.indices.contains(index), let target = url(links[index]) else { walk(c, s); continue }
                    var l = s
                    l.colour = accent
                    l.underline = true
                    l.link = target
                    walk(c, l)
                case .footnoteReference(let n):
                    var f = s
                    f.superscript = true
                    f.colour = accent
                    out.append("[\(n)]", style: f)
                case .lineBreak:
                    out.append("\u{2028}", style: s)
                case .image(_, let alt, _):
                    out.append(alt, style: s)
                case .softBreak:
                    out.append(" ", style: s)
                case .html:
                    break
                }
            }
        }
        walk(inlines, base)
        return out
    }
}
