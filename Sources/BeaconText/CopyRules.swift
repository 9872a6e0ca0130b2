import Foundation

/// Chinese copy rules for editors' Markdown: half-width marks between Chinese characters,
/// full-width letters and digits, doubled marks, unbalanced pairs, stray spaces. Code,
/// URLs, link targets and HTML are never looked at.
public enum CopyRules {
    public struct Finding: Equatable, Sendable {
        public var rule: String
        public var line: Int          // 1-based, in the text given
        public var column: Int        // 1-based, in characters
        public var message: String
        /// The mechanical fix, when there is one: replace `length` characters at the
        /// position by `replacement`.
        public var length: Int
        public var replacement: String?
    }

    public static let all = ["halfwidth-punctuation", "fullwidth-alnum", "repeated-punctuation", "mixed-marks",
                             "unbalanced-pairs", "space-between-chinese"]

    static let halfToFull: [Character: Character] = [",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"]
    static let pairs: [(Character, Character)] = [("“", "”"), ("‘", "’"), ("（", "）"), ("《", "》"), ("【", "】")]
    static let doubled: Set<Character> = ["。", "，", "、", "；", "：", "？", "！"]
    static let pairScalars: Set<UInt32> = Set(pairs.flatMap { [$0.0, $0.1] }.map { $0.unicodeScalars.first!.value })

    static func chinese(_ c: Character?) -> Bool {
        guard let s = c?.unicodeScalars.first else { return false }
        return CJK.isHan(s) || CJK.isPunctuation(s)
    }

    /// Marks the characters of a line that rules must not look at: code spans, URLs,
    /// autolinks, link targets, HTML tags.
    static func mask(_ line: [Character]) -> [Bool] {
        mask(line, scalars(line))
    }

    /// The first scalar of each character, for comparisons that need no grapheme rules.
    static func scalars(_ line: [Character]) -> [UInt32] {
        line.map { $0.unicodeScalars.first!.value }
    }

    static func mask(_ line: [Character], _ sc: [UInt32]) -> [Bool] {
        var skip = [Bool](repeating: false, count: line.count)
        var i = 0
        func mark(_ a: Int, _ b: Int) { for k in a..<min(b, line.count) { skip[k] = true } }
        func first(_ v: UInt32, from: Int) -> Int? {
            var j = from
            while j < sc.count { if sc[j] == v { return j }; j += 1 }
            return nil
        }
        while i < line.count {
            let c = sc[i]
            if c == 0x60 { // `
                var n = 0
                while i + n < line.count && sc[i + n] == 0x60 { n += 1 }
                var j = i + n
                var found = -1
                while j < line.count {
                    if sc[j] == 0x60 {
                        var m = 0
                        while j + m < line.count && sc[j + m] == 0x60 { m += 1 }
                        if m == n { found = j + m; break }
                        j += m
                    } else { j += 1 }
                }
                let end = found < 0 ? line.count : found
                mark(i, end); i = end; continue
            }
            if c == 0x3C, let close = first(0x3E, from: i) { // < … >
                let inner = String(line[(i + 1)..<close])
                if inner.contains("://") || inner.contains("@") || inner.first?.isLetter == true || inner.first == "/" {
                    mark(i, close + 1); i = close + 1; continue
                }
            }
            if c == 0x5D, i + 1 < line.count, sc[i + 1] == 0x28, let close = first(0x29, from: i + 1) { // ](…)
                mark(i + 1, close + 1); i = close + 1; continue
            }
            if c == 0x68 || c == 0x77 { // h, w
                func has(_ prefix: String) -> Bool {
                    let p = Array(prefix.unicodeScalars.map(\.value))
                    return i + p.count <= sc.count && Array(sc[i..<(i + p.count)]) == p
                }
                if has("http://") || has("https://") || has("www.") {
                    var j = i
                    while j < line.count && !line[j].isWhitespace && !chinese(line[j]) { j += 1 }
                    mark(i, j); i = j; continue
                }
            }
            i += 1
        }
        return skip
    }

    /// Findings in a Markdown body (not its front matter). `enabled` is the set of rule ids to run.
    public static func check(_ text: String, enabled: Set<String> = Set(all)) -> [Finding] {
        var out: [Finding] = []
        // The rules asked for, looked up once (not once a character).
        let halfwidthOn = enabled.contains("halfwidth-punctuation"), fullwidthOn = enabled.contains("fullwidth-alnum")
        let repeatedOn = enabled.contains("repeated-punctuation"), mixedOn = enabled.contains("mixed-marks")
        let spaceOn = enabled.contains("space-between-chinese"), pairsOn = enabled.contains("unbalanced-pairs")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0)) }
        var fence: String?
        var paragraph: [(line: Int, chars: [Character], skip: [Bool])] = []
        func endParagraph() {
            guard pairsOn, !paragraph.isEmpty else { paragraph = []; return }
            // Only the marks of the pairs matter: gathered once, then counted per pair.
            var marks: [(line: Int, column: Int, c: Character)] = []
            for p in paragraph {
                for (k, c) in p.chars.enumerated() where !p.skip[k] && pairScalars.contains(c.unicodeScalars.first!.value) {
                    marks.append((p.line, k + 1, c))
                }
            }
            for (open, close) in pairs {
                var depth = 0
                var firstOpen: (Int, Int)?
                var problem: (Int, Int, String)?
                for m in marks {
                    let c = m.c
                    if c == open && open != close { depth += 1; if firstOpen == nil { firstOpen = (m.line, m.column) } }
                    else if c == close {
                        depth -= 1
                        if depth < 0 && problem == nil { problem = (m.line, m.column, "有“\(close)”没有对应的“\(open)” (closing '\(close)' without an opening '\(open)')") }
                    }
                }
                if problem == nil, depth > 0, let f = firstOpen {
                    problem = (f.0, f.1, "“\(open)”没有对应的“\(close)” (opening '\(open)' is never closed in this paragraph)")
                }
                if let p = problem {
                    out.append(Finding(rule: "unbalanced-pairs", line: p.0, column: p.1, message: p.2, length: 0, replacement: nil))
                }
            }
            paragraph = []
        }
        for (index, line) in lines.enumerated() {
            let n = index + 1
            let sc = scalars(line)
            // Trimmed of spaces and tabs, without a trip through NSString.
            var lo = 0, hi = sc.count
            while lo < hi && (sc[lo] == 0x20 || sc[lo] == 0x09) { lo += 1 }
            while hi > lo && (sc[hi - 1] == 0x20 || sc[hi - 1] == 0x09) { hi -= 1 }
            let trimmed = String(line[lo..<hi])
            if let f = fence {
                if trimmed.hasPrefix(f) { fence = nil }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                endParagraph()
                fence = String(trimmed.prefix(3))
                continue
            }
            if trimmed.isEmpty { endParagraph(); continue }
            // Indented code after a blank line.
            if (line.starts(with: Array("    ")) || line.first == "\t") && (index == 0 || lines[index - 1].allSatisfy(\.isWhitespace)) && paragraph.isEmpty {
                continue
            }
            let skip = mask(line, sc)
            paragraph.append((n, line, skip))
            func ok(_ k: Int) -> Bool { k >= 0 && k < line.count && !skip[k] }
            var k = 0
            while k < line.count {
                defer { k += 1 }
                guard ok(k) else { continue }
                let v = sc[k]
                // Han characters (most of the text) trigger no rule by themselves.
                if v >= 0x3400 && v <= 0x9FFF { continue }
                let c = line[k]
                let prev = k > 0 ? line[k - 1] : nil, next = k + 1 < line.count ? line[k + 1] : nil
                // Half-width marks between Chinese characters (for brackets, next to one).
                if halfwidthOn, c.isASCII, let full = halfToFull[c] {
                    let between: Bool
                    if c == "(" || c == ")" {
                        between = chinese(prev) || chinese(next)
                    } else {
                        between = chinese(prev) && (next == nil || next == " " || chinese(next))
                    }
                    if between && !(c == ":" && next == "/") {
                        out.append(Finding(rule: "halfwidth-punctuation", line: n, column: k + 1,
                                           message: "中文之间用了半角“\(c)”，应为全角“\(full)” (half-width '\(c)' in Chinese text; use '\(full)')",
                                           length: 1, replacement: String(full)))
                        continue
                    }
                }
                // Full-width letters and digits.
                if fullwidthOn, let s = c.unicodeScalars.first, (0xFF10...0xFF19).contains(s.value) || (0xFF21...0xFF3A).contains(s.value) || (0xFF41...0xFF5A).contains(s.value) {
                    var end = k
                    while end + 1 < line.count, let t = line[end + 1].unicodeScalars.first,
                          (0xFF10...0xFF19).contains(t.value) || (0xFF21...0xFF3A).contains(t.value) || (0xFF41...0xFF5A).contains(t.value) { end += 1 }
                    let run = String(line[k...end])
                    let half = String(String.UnicodeScalarView(run.unicodeScalars.map { Unicode.Scalar($0.value - 0xFEE0)! }))
                    out.append(Finding(rule: "fullwidth-alnum", line: n, column: k + 1,
                                       message: "全角字母或数字“\(run)”应为半角“\(half)” (full-width letters or digits; use '\(half)')",
                                       length: run.count, replacement: half))
                    k = end
                    continue
                }
                // Doubled marks: 。。 ，，
                if repeatedOn, next == c, !c.isASCII, doubled.contains(c), ok(k + 1) {
                    var end = k + 1
                    while end + 1 < line.count && line[end + 1] == c { end += 1 }
                    out.append(Finding(rule: "repeated-punctuation", line: n, column: k + 1,
                                       message: "标点“\(c)”重复了 (repeated '\(c)')", length: end - k + 1, replacement: String(c)))
                    k = end
                    continue
                }
                // Mixed exclamation and question marks.
                if mixedOn, let nx = next, ok(k + 1),
                   (c == "!" && nx == "?") || (c == "?" && nx == "!") || (c == "！" && nx == "？") || (c == "？" && nx == "！") {
                    out.append(Finding(rule: "mixed-marks", line: n, column: k + 1,
                                       message: "“\(c)\(nx)”连用，请只用一个标点 (mixed '\(c)\(nx)'; use one mark)", length: 0, replacement: nil))
                    k += 1
                    continue
                }
                // Spaces between two Chinese characters.
                if spaceOn, c == " ", let p = prev, ok(k - 1) {
                    var end = k
                    while end + 1 < line.count && line[end + 1] == " " { end += 1 }
                    if end + 1 < line.count, ok(end + 1),
                       CJK.isHan(p.unicodeScalars.first!), CJK.isHan(line[end + 1].unicodeScalars.first!) {
                        out.append(Finding(rule: "space-between-chinese", line: n, column: k + 1,
                                           message: "两个汉字之间有空格 (space between two Chinese characters)", length: end - k + 1, replacement: ""))
                    }
                    k = end
                    continue
                }
            }
        }
        endParagraph()
        return out.sorted { ($0.line, $0.column) < ($1.line, $1.column) }
    }

    /// Applies the mechanical fixes to `text`; returns the new text and the findings applied.
    public static func fix(_ text: String, findings: [Finding]) -> (String, [Finding]) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array(String($0)) }
        var applied: [Finding] = []
        // Right to left within a line, so earlier columns stay valid.
        for f in findings.filter({ $0.replacement != nil }).sorted(by: { ($0.line, $1.column) < ($1.line, $0.column) }) {
            let i = f.line - 1
            guard lines.indices.contains(i), f.column - 1 + f.length <= lines[i].count else { continue }
            lines[i].replaceSubrange((f.column - 1)..<(f.column - 1 + f.length), with: Array(f.replacement!))
            applied.append(f)
        }
        return (lines.map { String($0) }.joined(separator: "\n"), applied.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }
}
