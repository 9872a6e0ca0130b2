import Foundation
import BeaconModel

public enum TextMeasures {
    /// Reading time in minutes at about 400 Chinese characters a minute; each Latin word
    /// (a run of ASCII letters or digits) counts as one character would. Never less than 1.
    public static func readingMinutes(_ text: String, perMinute: Int = 400) -> Int {
        let units = readingUnits(text)
        return max(1, Int((Double(units) / Double(perMinute)).rounded(.up)))
    }

    public static func readingUnits(_ text: String) -> Int {
        var han = 0
        var words = 0
        var inWord = false
        // Read from the string's UTF-8 where it has its own storage (a lesson's plain text
        // does): the scalars without the view's iterator.
        if let units = text.utf8.withContiguousStorageIfAvailable({ b -> Int in
            UTF8Scalars.forEach(b) { count(Unicode.Scalar($0)!) }
            return han + words
        }) { return units }
        for s in text.unicodeScalars { count(s) }
        return han + words

        func count(_ s: Unicode.Scalar) {
            if CJK.isHan(s) {
                han += 1
                inWord = false
            } else if s.isASCII && ((s.value | 0x20) >= 0x61 && (s.value | 0x20) <= 0x7A || s.value >= 0x30 && s.value <= 0x39) {
                if !inWord { words += 1; inWord = true }
            } else if s == "'" || s == "-" || s == "." {
                // keep words like don't, e-mail, 3.14 whole
            } else {
                inWord = false
            }
        }
    }

    /// Whether a scalar is always a character (grapheme cluster) of its own: nothing joins
    /// it to its neighbours. Line ends count too (CR LF is split like CR and LF).
    static func standsAlone(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D, 0x20..<0x7F, 0xA0..<0x300, 0x2010...0x2027, 0x2030...0x205E, 0x3000...0x3029, 0x3030...0x303F,
             0x3400...0x4DBF, 0x4E00...0x9FFF, 0xFF01...0xFF9D:
            return true
        default:
            return false
        }
    }

    /// A summary of plain text: at most `limit` characters, cut on a character
    /// (grapheme) boundary, preferably after a sentence end, with "……" when cut.
    public static func summary(_ text: String, limit: Int = 110) -> String {
        // Only the start matters: look at a bounded prefix of a long text.
        var text = Substring(text)
        let scalars = text.unicodeScalars
        if let end = scalars.index(scalars.startIndex, offsetBy: limit * 4, limitedBy: scalars.endIndex), end < scalars.endIndex {
            text = text[..<end]
        }
        // Text whose every scalar is a character of its own (Chinese, ASCII, Latin-1, common
        // punctuation) is split and counted by scalars: the same pieces and counts, without
        // walking grapheme clusters (the slow part of Swift's strings for Chinese text).
        let simple = text.unicodeScalars.allSatisfy(standsAlone)
        // Line ends and tabs: a Character starting with one of these is that alone (or CR LF),
        // and its first scalar tells without comparing strings.
        let pieces: [String] = simple
            ? text.unicodeScalars.split(whereSeparator: { $0.value == 0x0A || $0.value == 0x0D || $0.value == 0x09 })
                .map { Substring($0).trimmingSpace(newlines: false) }
            : text.split(whereSeparator: { c in
                let v = c.unicodeScalars.first!.value
                return v == 0x0A || v == 0x0D || v == 0x09
            }).map { $0.trimmingSpace(newlines: false) }
        let clean = pieces
            .reduce(into: "") { acc, part in
                guard !part.isEmpty else { return }
                if let last = acc.unicodeScalars.last, let first = part.unicodeScalars.first,
                   !(CJK.isWide(last) || CJK.isWide(first)) { acc += " " }
                acc += part
            }
        // Its characters, read once (counting, cutting and looking past the cut each walk
        // the text's grapheme clusters).
        let chars = simple ? clean.unicodeScalars.map(Character.init) : Array(clean)
        guard chars.count > limit else { return clean }
        let head = Array(chars[..<limit])
        let far = limit * 3 / 5
        // A whole sentence when one ends in the last two fifths.
        let enders: Set<Character> = ["。", "！", "？", "；"]
        if let end = head.lastIndex(where: { enders.contains($0) }), end >= far {
            return String(head[...end])
        }
        // Else up to a clause (…等重点任务，) when one ends there.
        let clauses: Set<Character> = ["，", "、", "：", "）", "”", "》"]
        var cut: [Character]
        if let c = head.lastIndex(where: { clauses.contains($0) }), c >= far {
            cut = Array(head[...c])
        } else {
            // Else at the limit, but never inside a number or a Latin word (…的基础2……).
            cut = head
            let inWord: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "%") }
            if let last = cut.last, inWord(chars[limit]), inWord(last) {
                var i = cut.count
                while i > 0 && inWord(cut[i - 1]) { i -= 1 }
                if i >= limit / 2 { cut = Array(cut[..<i]) }
            }
        }
        while let last = cut.last, "，、：；（《“‘ ".contains(last) { cut.removeLast() }
        return String(cut) + "……"
    }

    /// Edit distance, for "did you mean" suggestions.
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var prev = Array(0...y.count)
        var cur = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            cur[0] = i
            for j in 1...y.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[y.count]
    }

    /// The closest candidate within a sensible distance, or nil.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, levenshtein(word.lowercased(), $0.lowercased())) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return nil }
        let limit = max(1, min(3, word.unicodeScalars.count / 2))
        return best.1 <= limit ? best.0 : nil
    }
}
