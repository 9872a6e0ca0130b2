import Foundation
import BeaconModel
import BeaconText
import BeaconPrint
import BeaconOutput

/// Draws a lesson's 公众号 cover (900×383) and share picture (500×500) with the print engine:
/// the brand's colour, the series in the accent colour, the title as large as fits, the
/// organisation, and the logo when the site has one. Chinese line rules hold in the title as
/// on a printed page. One painter per thread (Pango layouts are not shared across threads).
final class CoverPainter {
    let ts = Typesetter()
    let brand: WeChatStage.Brand
    let fonts: (heading: String, body: String)
    let siteName: String
    private lazy var logo: PrintImage? = brand.logo.flatMap { try? PrintImage.load($0) }

    init(brand: WeChatStage.Brand, fonts: (heading: String, body: String), siteName: String) {
        self.brand = brand
        self.fonts = fonts
        self.siteName = siteName
    }

    /// Everything a picture is drawn from: `faces` is the fonts' files (`FontCatalogue.stamp`).
    static func key(name: String, title: String, series: String, siteName: String, brand: WeChatStage.Brand, logo: String,
                    fonts: (heading: String, body: String), faces: String) -> String {
        let f = Fingerprint()
        f.add("beacon wechat cover 3"); f.add(Fingerprint.program); f.add(name)
        for s in [title, series, siteName, brand.primary, brand.accent, brand.text, brand.muted, logo, fonts.heading, fonts.body, faces] { f.add(s) }
        return f.hex
    }

    func text(_ s: String, _ size: Double, bold: Bool = false, colour: Colour) -> RichText {
        RichText(s, style: TextStyle(font: FontSpec(family: bold ? fonts.heading : fonts.body, size: size, bold: bold), colour: colour))
    }

    /// The title at the largest size from `largest` down to `smallest` that takes at most
    /// `lines` lines (at the smallest size it takes what it needs).
    /// A title written in phrases (党员进网格　服务到家门) breaks between them when it takes
    /// more than one line, never inside a phrase where it can help it.
    /// Lines are balanced: 怎样讲好一堂党课 in two lines is 怎样讲好 / 一堂党课, not seven and
    /// one. Returns the paragraph and the width it was set at (for centring it).
    func title(_ s: String, width: Double, largest: Double, smallest: Double, lines: Int, align: TextAlign) -> (Typesetter.Paragraph, Double) {
        let phrases = s.split(whereSeparator: { $0 == "\u{3000}" || $0 == " " }).map(String.init)
        var size = largest
        func set(_ t: String, _ w: Double) -> Typesetter.Paragraph {
            ts.layout(text(t, size, bold: true, colour: .white), width: w, align: align, leading: 1.3)
        }
        func balanced(_ p: Typesetter.Paragraph) -> (Typesetter.Paragraph, Double) {
            let n = p.lines.count
            guard n > 1 else { return (p, width) }
            let one = set(s, 100_000)
            // Between clauses where they allow it, else between words; Pango's own breaks
            // (between any two characters) only when neither gives the lines.
            if let clauses = atClauses(p, one, words: false) ?? (p.lines.count <= Self.wordLines ? atClauses(p, one, words: true) : nil) { return clauses }
            let natural = one.width
            let target = min(width, natural / Double(n) + size * 0.99)
            let b = set(s, target)
            return b.lines.count == n ? (b, target) : (p, width)
        }
        // The same number of lines, broken after its clauses where they allow it (党员积分管理
        // “十个一”： / 谁来评、评什么、 / 怎么用？, not “十 / 个一”), the lines as even as
        // the clauses let them be. `one` is the title set on one line, for the clauses' widths.
        // With `words`, a line may also end between two words (`ChineseWords`).
        func atClauses(_ p: Typesetter.Paragraph, _ one: Typesetter.Paragraph, words: Bool) -> (Typesetter.Paragraph, Double)? {
            let n = p.lines.count
            // Each character's place costs Pango a walk along its line: a title of thousands of
            // characters (cut at the end anyway) is not weighed clause by clause.
            guard n > 1, s.unicodeScalars.count <= Self.mostWeighed else { return nil }
            let pos = one.characterPositions()
            guard pos.count > 1 else { return nil }
            let wordStarts = words ? ChineseWords.boundaries(pos.map(\.scalar)) : []
            // From the first character (a centred title stands in the middle of its wide box).
            func x(_ i: Int) -> Double { i < pos.count ? pos[i].x - pos[0].x : one.naturalWidth }
            // A clause ends after ：，、；？！ and ——; a phrase begins at an opening mark (学习 /
            // 《…》) and ends after a closing one (《…》 / 把握).
            let after = Self.clauseEnds, before = Self.phraseStarts
            var starts = [0]
            for i in 1..<pos.count {
                let (a, b) = (pos[i - 1].scalar, pos[i].scalar)
                guard !RichText.noLineStart.contains(b), !RichText.noLineEnd.contains(a), !(a == "—" && b == "—") else { continue }
                if after.contains(a) || before.contains(b) || (words && wordStarts[i]) { starts.append(i) }
            }
            starts.append(pos.count)
            // The search below takes starts² × lines steps: a title (the 公众号 takes 64
            // characters) has a few dozen places to break; a 5,000-character one, cut at the
            // end anyway, is left to Pango.
            guard starts.count - 1 >= n, starts.count <= Self.mostBreaks else { return nil }
            // Fewest widest line: best[j][m] is the narrowest widest line setting the clauses up
            // to starts[j] in m lines, with where the last line began.
            let m = starts.count
            var best = [[(width: Double, from: Int)?]](repeating: [(Double, Int)?](repeating: nil, count: n + 1), count: m)
            best[0][0] = (0, -1)
            for j in 1..<m {
                for k in 1...n {
                    for i in 0..<j {
                        guard let prev = best[i][k - 1] else { continue }
                        let w = x(starts[j]) - x(starts[i])
                        guard w <= width + 0.5 else { continue }
                        let worst = max(prev.width, w)
                        if best[j][k] == nil || worst < best[j][k]!.width { best[j][k] = (worst, i) }
                    }
                }
            }
            guard best[m - 1][n] != nil else { return nil }
            var cuts: [Int] = []
            var j = m - 1, k = n
            while k > 0, let b = best[j][k] { if b.from > 0 { cuts.append(starts[b.from]) }; j = b.from; k -= 1 }
            // The text as it was set (spaces already made what print makes of them).
            var scalars = pos.map(\.scalar)
            for c in cuts.sorted(by: >) { scalars.insert("\n", at: c) }
            var view = String.UnicodeScalarView(); view.append(contentsOf: scalars)
            let q = set(String(view), width)
            return q.lines.count == n ? (q, width) : nil
        }
        while true {
            let whole = set(s, width)
            if whole.lines.count == 1 { return (whole, width) }
            if phrases.count > 1 {
                let broken = set(phrases.joined(separator: "\n"), width)
                if broken.lines.count <= lines { return (broken, width) }
            }
            if whole.lines.count <= lines && phrases.count <= 1 { return balanced(whole) }
            if size <= smallest { return balanced(whole) }
            size = max(smallest, size - 2)
        }
    }

    /// The title at the largest size from `largest` to `smallest` that takes at most `lines`
    /// lines and is no taller than `maxHeight`, else made smaller (to 14 px) and at last cut
    /// with "…": a very long title never runs over the rest.
    func fitted(_ s: String, width: Double, largest: Double, smallest: Double, lines: Int, align: TextAlign,
                maxHeight: Double) -> (Typesetter.Paragraph, Double) {
        // The largest size at which the title takes few enough lines and fits the height (a
        // 22-character title in four lines of 56 px overran the square picture). A size a
        // fifth smaller whose lines break between phrases is taken before one that splits a
        // word (党员积分管理“十 / 个一”).
        // More than a picture holds even at 14 px (the 公众号 takes 64 characters; `beacon
        // check` says so): cut before it is set, so that a title of thousands of characters
        // costs what one of hundreds does.
        if s.unicodeScalars.count > Self.mostDrawn {
            var cut = String.UnicodeScalarView(); cut.append(contentsOf: s.unicodeScalars.prefix(Self.mostDrawn - 1))
            return fitted(String(cut) + "…", width: width, largest: largest, smallest: smallest, lines: lines, align: align, maxHeight: maxHeight)
        }
        var first: (Typesetter.Paragraph, Double, size: Double)?
        var size = largest
        while true {
            let t = title(s, width: width, largest: size, smallest: size, lines: lines, align: align)
            if t.0.lines.count <= lines && t.0.height <= maxHeight {
                if Self.breaksBetweenPhrases(t.0) { return t }
                if first == nil { first = (t.0, t.1, size) }
            }
            if let f = first, size <= f.size * 0.8 { break }
            if size <= smallest { break }
            size = max(smallest, size - 2)
        }
        if let f = first { return (f.0, f.1) }
        // No size from largest to smallest took few enough lines: at the smallest size in the
        // lines it takes, when that fits, before anything smaller.
        var best = title(s, width: width, largest: smallest, smallest: smallest, lines: lines, align: align)
        if best.0.height <= maxHeight { return best }
        size = smallest
        while size > 14 {
            size = max(14, size - 2)
            best = title(s, width: width, largest: size, smallest: size, lines: .max, align: align)
            if best.0.height <= maxHeight { return best }
        }
        var cut = Array(s)
        while cut.count > 1 {
            cut.removeLast(max(1, cut.count / 10))
            best = title(String(cut) + "…", width: width, largest: 14, smallest: 14, lines: .max, align: align)
            if best.0.height <= maxHeight { return best }
        }
        return best
    }

    /// The most places to break a title at that `atClauses` weighs, and the most lines it
    /// breaks between words (a cover has two, a share picture four).
    static let mostBreaks = 160, wordLines = 6
    /// The longest title, in characters, whose breaks `atClauses` weighs.
    static let mostWeighed = 240
    /// The most characters of a title a picture draws (a cover at 14 px holds about 500).
    static let mostDrawn = 600

    /// A clause ends after these marks; a phrase begins at an opening mark.
    static let clauseEnds: Set<Unicode.Scalar> = ["：", "，", "、", "；", "？", "！", "—", "》", "”", "）", "」", "\u{3000}", " "]
    static let phraseStarts: Set<Unicode.Scalar> = ["《", "“", "（", "「"]

    /// Whether every line of a title ends where the title breaks by hand (between its phrases,
    /// or after a clause or word `atClauses` chose), ends a clause or a word, or the next
    /// begins a phrase: no word is split.
    static func breaksBetweenPhrases(_ p: Typesetter.Paragraph) -> Bool {
        let texts = p.lines.map { Array($0.text.unicodeScalars) }
        // A newline only: a U+2028 is where mending broke a line, not a phrase.
        let byHand = p.startsAfterHardBreak(separator: false)
        // Where words begin in the whole title, and where each line ends in it.
        let words = ChineseWords.boundaries(texts.flatMap { $0 })
        var lineEnd = 0
        for i in texts.indices.dropLast() {
            lineEnd += texts[i].count
            if byHand[i + 1] || words[lineEnd] { continue }
            if let last = texts[i].last, last == " " || last == "\u{3000}" { continue }
            let end = texts[i].last(where: { $0 != " " && $0 != "\u{3000}" }), start = texts[i + 1].first
            let clean = end.map { clauseEnds.contains($0) } ?? true
            if !clean && !(start.map { phraseStarts.contains($0) } ?? true) { return false }
        }
        return true
    }

    /// The logo's size: `side` high, at most `maxWidth` wide.
    static func logoSize(_ logo: PrintImage, side: Double, maxWidth: Double) -> (width: Double, height: Double) {
        let aspect = logo.pixelWidth / max(1, logo.pixelHeight)
        let w = min(side * aspect, maxWidth)
        return (w, w / max(0.01, aspect))
    }

    func paint(size: (width: Int, height: Int), title: String, series: String, to path: String) throws {
        let w = Double(size.width), h = Double(size.height)
        let primary = Colour(hex: brand.primary) ?? Colour(r: 0.66, g: 0.11, b: 0.11)
        let accent = Colour(hex: brand.accent) ?? Colour(r: 0.79, g: 0.64, b: 0.15)
        // The organisation in white at 80 %, over the brand colour.
        let soft = Colour(r: 0.8 + 0.2 * primary.r, g: 0.8 + 0.2 * primary.g, b: 0.8 + 0.2 * primary.b)
        let logo = self.logo
        let band = (h * 0.026).rounded()
        if w > h * 1.5 {
            // The cover: text from the left, the logo top right.
            let pad = 56.0
            let logoBox = logo.map { Self.logoSize($0, side: 64, maxWidth: 160) } ?? (width: 0, height: 0)
            let textWidth = w - 2 * pad - (logo == nil ? 0 : logoBox.width + 24)
            let seriesP = ts.layout(text(series, 24, bold: true, colour: accent), width: textWidth, align: .left, leading: 1.2)
            let orgP = ts.layout(text(siteName, 20, colour: soft), width: w - 2 * pad, align: .left, leading: 1.2)
            let top = 44 + seriesP.height + 14, bottom = h - band - 34 - orgP.height
            let (titleP, _) = fitted(title, width: textWidth, largest: 54, smallest: 30, lines: 2, align: .left, maxHeight: bottom - top)
            let titleY = top + max(0, (bottom - top - titleP.height) / 2)
            try DrawnPicture.png(width: size.width, height: size.height, to: path) { cr in
                let c = Canvas(cr)
                c.fill(0, 0, w, h, primary)
                c.fill(0, h - band, w, band, accent)
                c.fill(pad, 44 + seriesP.height + 4, 48, 3, accent)
                seriesP.draw(cr, x: pad, y: 44)
                titleP.draw(cr, x: pad, y: titleY)
                orgP.draw(cr, x: pad, y: h - band - 26 - orgP.height)
                if let logo { logo.draw(cr, x: w - pad - logoBox.width, y: 40, width: logoBox.width, height: logoBox.height) }
            }
        } else {
            // The square share picture: centred, the logo above.
            let pad = 40.0
            let logoBox = logo.map { Self.logoSize($0, side: 56, maxWidth: w - 2 * pad) } ?? (width: 0, height: 0)
            let seriesP = ts.layout(text(series, 22, bold: true, colour: accent), width: w - 2 * pad, align: .center, leading: 1.2)
            let orgP = ts.layout(text(siteName, 18, colour: soft), width: w - 2 * pad, align: .center, leading: 1.2)
            let seriesY = 40 + (logo == nil ? 0 : logoBox.height + 20)
            let top = seriesY + seriesP.height + 24, bottom = h - band - 30 - orgP.height
            let (titleP, titleWidth) = fitted(title, width: w - 2 * pad, largest: 56, smallest: 28, lines: 4, align: .center, maxHeight: bottom - top)
            let titleY = top + max(0, (bottom - top - titleP.height) / 2)
            try DrawnPicture.png(width: size.width, height: size.height, to: path) { cr in
                let c = Canvas(cr)
                c.fill(0, 0, w, h, primary)
                c.fill(0, h - band, w, band, accent)
                if let logo { logo.draw(cr, x: (w - logoBox.width) / 2, y: 40, width: logoBox.width, height: logoBox.height) }
                seriesP.draw(cr, x: pad, y: seriesY)
                c.fill((w - 48) / 2, seriesY + seriesP.height + 8, 48, 3, accent)
                titleP.draw(cr, x: pad + (w - 2 * pad - titleWidth) / 2, y: titleY)
                orgP.draw(cr, x: pad, y: h - band - 22 - orgP.height)
            }
        }
    }
}
