import Foundation

/// Chinese copy rules for everything an editor writes: Markdown bodies and the texts of
/// front matter, board and book files. Half-width marks, straight quotes and dots in
/// Chinese text, full-width letters and digits, doubled marks, unbalanced pairs, stray
/// spaces. Code, URLs, link targets and HTML are never looked at.
///
/// Every rule decides on the text as it will be once all mechanical fixes are made (a
/// bracket that becomes full-width makes the "!" after it Chinese too), so `fix` reaches
/// its fixed point in one run: fixing a fixed text changes nothing.
public enum CopyRules {
    public struct Finding: Equatable, Sendable {
        public var rule: String
        public var line: Int          // 1-based, in the text given
        public var column: Int        // 1-based, in Unicode scalars
        public var message: String
        /// The mechanical fix, when there is one: `length` scalars at the position become
        /// `replacement`.
        public var length: Int
        public var replacement: String?

        public init(rule: String, line: Int, column: Int, message: String, length: Int, replacement: String?) {
            self.rule = rule; self.line = line; self.column = column; self.message = message
            self.length = length; self.replacement = replacement
        }
    }

    public static let all = ["halfwidth-punctuation", "straight-quotes", "ellipsis-and-dash", "fullwidth-alnum",
                             "repeated-punctuation", "mixed-marks", "unbalanced-pairs", "space-between-chinese",
                             "space-in-number"]

    /// Findings in a text. `title`: the whole text is a title (a title field of a YAML file),
    /// where one space between two Chinese phrases is deliberate ("学党章党规 做合格党员");
    /// Markdown headings and link texts are titles in any text.
    public static func check(_ text: String, enabled: Set<String> = Set(all), title: Bool = false) -> [Finding] {
        review(text, enabled: enabled, title: title).findings
    }

    /// The text with every mechanical fix made, and the findings that were fixed.
    public static func fix(_ text: String, enabled: Set<String> = Set(all), title: Bool = false) -> (String, [Finding]) {
        let r = review(text, enabled: enabled, title: title)
        return (r.fixed, r.findings.filter { $0.replacement != nil })
    }

    public struct Review: Sendable {
        public var findings: [Finding]
        /// The lines (0-based) that the fixes change, with their new text.
        public var changedLines: [Int: String]
        private var given: String?
        private var source = ""

        /// The text after the mechanical fixes (the same text when there are none); made
        /// when asked, since a build that only reports never asks.
        public var fixed: String {
            if let given { return given }
            if changedLines.isEmpty { return source }
            return source.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                .map { changedLines[$0.offset] ?? String(String.UnicodeScalarView($0.element)) }.joined(separator: "\n")
        }

        public init(findings: [Finding], fixed: String, changedLines: [Int: String]) {
            self.findings = findings; self.given = fixed; self.changedLines = changedLines
        }

        init(findings: [Finding], source: String, changedLines: [Int: String]) {
            self.findings = findings; self.source = source; self.changedLines = changedLines
        }
    }

    /// `settle`: fix the fixed text again until nothing changes (what `--fix` writes); a
    /// check that only reports (every build) needs one pass.
    public static func review(_ text: String, enabled: Set<String> = Set(all), title: Bool = false, settle: Bool = true) -> Review {
        let first = pass(text, enabled: enabled, title: title)
        guard settle, !first.changedLines.isEmpty else { return first }
        // The fixes of a pass can make a case the pass could not see (a mark after a mark it
        // fixed): fixed again until nothing changes, so one --fix is the fixed point. The
        // findings are those of the text as given.
        var fixed = first.fixed
        for _ in 0..<4 {
            let again = pass(fixed, enabled: enabled, title: title)
            if again.changedLines.isEmpty { break }
            fixed = again.fixed
        }
        let before = text.split(separator: "\n", omittingEmptySubsequences: false)
        let after = fixed.split(separator: "\n", omittingEmptySubsequences: false)
        var changed: [Int: String] = [:]
        for i in before.indices where i < after.count && before[i] != after[i] { changed[i] = String(after[i]) }
        return Review(findings: first.findings, fixed: fixed, changedLines: changed)
    }

    static func pass(_ text: String, enabled: Set<String>, title: Bool) -> Review {
        var rules = Rules(enabled: enabled)
        // Lines split on scalars: splitting a String splits on grapheme clusters, several times
        // the work, for the same lines (a line feed joins no cluster but "\r\n", which
        // Beacon's reader has made "\n" already). A line is a range of the text's UTF-8 bytes,
        // decoded into scalars only where the rules read it.
        let all = Array(text.utf8)
        var lines: [Range<Int>] = []
        var from = 0
        for (k, v) in all.enumerated() where v == 0x0A { lines.append(from..<k); from = k + 1 }
        lines.append(from..<all.count)
        var scratch: [UInt32] = []
        var findings: [Finding] = []
        var changed: [Int: String] = [:]
        // An open code fence: its character and length (a closing fence is at least as long).
        var fence: (char: UInt8, count: Int)?
        var indentedCode = false
        var inTag = false
        var paragraph: [(line: Int, chars: [UInt32], skip: [Bool])] = []
        var previousBlank = true
        func endParagraph() {
            if rules.pairs { findings += unbalanced(paragraph) }
            paragraph = []
        }
        for (index, range) in lines.enumerated() {
            let s = all[range]
            // Trimmed of spaces and tabs.
            var lo = range.lowerBound, hi = range.upperBound
            while lo < hi && (s[lo] == 0x20 || s[lo] == 0x09) { lo += 1 }
            while hi > lo && (s[hi - 1] == 0x20 || s[hi - 1] == 0x09) { hi -= 1 }
            let blank = lo == hi
            defer { previousBlank = blank }
            if let f = fence {
                var n = 0
                while lo + n < hi && s[lo + n] == f.char { n += 1 }
                if n >= f.count && lo + n == hi { fence = nil }
                continue
            }
            if hi - lo >= 3, (s[lo] == 0x60 || s[lo] == 0x7E), s[lo + 1] == s[lo], s[lo + 2] == s[lo] {
                endParagraph()
                var n = 0
                while lo + n < hi && s[lo + n] == s[lo] { n += 1 }
                fence = (s[lo], n)
                continue
            }
            if blank { endParagraph(); continue }
            // Indented code: begun after a blank line, it runs while lines stay indented.
            let indented = lo - range.lowerBound >= 4 || s.first == 0x09
            if indented && ((previousBlank && paragraph.isEmpty) || indentedCode) { indentedCode = true; continue }
            indentedCode = false
            let heading = s[lo] == 0x23 && {
                var k = lo
                while k < hi && s[k] == 0x23 { k += 1 }
                return k - lo <= 6 && (k == hi || s[k] == 0x20)
            }()
            // Han characters with single marks between them (，。、；：！？, no pairs, no
            // spaces, no Latin): nothing any rule looks for, and most lines of a lesson.
            if plainLines && !inTag {
                scratch.removeAll(keepingCapacity: true)
                Self.decode(all[lo..<hi], into: &scratch)
                if Self.isPlainChinese(scratch[...]) {
                    // No pair marks in it for `unbalanced` to count.
                    paragraph.append((index + 1, [], []))
                    continue
                }
            }
            var scalars: [UInt32] = []
            scalars.reserveCapacity(s.count)
            Self.decode(s, into: &scalars)
            var line = Line(scalars, title: title || heading, inTag: inTag)
            inTag = line.endsInTag
            let result = line.review(rules: &rules, lineNumber: index + 1)
            findings += result.findings
            if let f = result.fixed {
                changed[index] = String(String.UnicodeScalarView(f.compactMap(Unicode.Scalar.init)))
            }
            paragraph.append((index + 1, line.projected, line.skip))
        }
        endParagraph()
        return Review(findings: findings.sorted { ($0.line, $0.column) < ($1.line, $1.column) }, source: text, changedLines: changed)
    }

    struct Rules {
        let halfwidth, quotes, dots, fullwidth, repeated, mixed, pairs, spaces, numbers: Bool
        init(enabled: Set<String>) {
            halfwidth = enabled.contains("halfwidth-punctuation"); quotes = enabled.contains("straight-quotes")
            dots = enabled.contains("ellipsis-and-dash"); fullwidth = enabled.contains("fullwidth-alnum")
            repeated = enabled.contains("repeated-punctuation"); mixed = enabled.contains("mixed-marks")
            pairs = enabled.contains("unbalanced-pairs"); spaces = enabled.contains("space-between-chinese")
            numbers = enabled.contains("space-in-number")
        }
    }

    // MARK: - Character classes (Unicode scalar values)

    static func isHan(_ v: UInt32) -> Bool { Unicode.Scalar(v).map(CJK.isHan) ?? false }
    static func isMark(_ v: UInt32) -> Bool { v != 0x3000 && (Unicode.Scalar(v).map(CJK.isPunctuation) ?? false) }
    static func isFullwidthAlnum(_ v: UInt32) -> Bool { (0xFF10...0xFF19).contains(v) || (0xFF21...0xFF3A).contains(v) || (0xFF41...0xFF5A).contains(v) }
    static func isDigit(_ v: UInt32) -> Bool { v >= 0x30 && v <= 0x39 }
    static func isLatin(_ v: UInt32) -> Bool { (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) }
    static func isSpace(_ v: UInt32) -> Bool { v == 0x20 || v == 0x3000 || v == 0x09 }
    /// Markdown's emphasis delimiters, which do not count as text between two characters.
    static func isEmphasis(_ v: UInt32) -> Bool { v == 0x2A || v == 0x5F || v == 0x7E }

    static let halfToFull: [UInt32: UInt32] = [0x2C: 0xFF0C, 0x3B: 0xFF1B, 0x3A: 0xFF1A, 0x3F: 0xFF1F, 0x21: 0xFF01,
                                               0x28: 0xFF08, 0x29: 0xFF09, 0x2E: 0x3002]
    /// Marks that are never doubled in Chinese text.
    static let doubled: Set<UInt32> = [0x3002, 0xFF0C, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01]
    static let pairList: [(UInt32, UInt32)] = [(0x201C, 0x201D), (0x2018, 0x2019), (0xFF08, 0xFF09), (0x300A, 0x300B),
                                                (0x3010, 0x3011), (0x300C, 0x300D), (0x300E, 0x300F)]
    /// Marks set between spaces on purpose ("中共青石区委组织部 · 2026年").
    static let separators: Set<UInt32> = [0x00B7, 0x30FB, 0x2022, 0xFF5C, 0x2014]
    static let pairMarks: Set<UInt32> = Set(pairList.flatMap { [$0.0, $0.1] })
    /// `pairMarks.contains(v)` without hashing: asked of every character of every paragraph.
    @inline(__always) static func isPairMark(_ v: UInt32) -> Bool {
        switch v {
        case 0x2018, 0x2019, 0x201C, 0x201D, 0x300A...0x3011, 0xFF08, 0xFF09: return true
        default: return false
        }
    }

    static func show(_ v: [UInt32]) -> String { String(String.UnicodeScalarView(v.compactMap(Unicode.Scalar.init))) }
    static func show(_ v: UInt32) -> String { show([v]) }

    /// The scalars of valid UTF-8 (bytes of a Swift string).
    static func decode(_ b: ArraySlice<UInt8>, into out: inout [UInt32]) {
        UTF8Scalars.forEach(b) { out.append($0) }
    }

    /// Off only in the test that checks the shortcut against the full review.
    nonisolated(unsafe) static var plainLines = true

    /// Whether a trimmed line is Han characters and the marks ，。、；：！？ alone, never two
    /// marks together (bold `**` between them is no gap), starting with a Han character
    /// (or `**`), after a heading's `#`s, a list item's marker or a quote's `>`.
    static func isPlainChinese(_ line: ArraySlice<UInt32>) -> Bool {
        var s = line[...]
        // The block's marker and its one space.
        if let first = s.first {
            var k = s.startIndex
            if first == 0x23 {
                while k < s.endIndex && s[k] == 0x23 && k - s.startIndex < 6 { k += 1 }
            } else if first == 0x2D || first == 0x2B || first == 0x3E {
                k += 1
            } else if first >= 0x30 && first <= 0x39 {
                while k < s.endIndex && s[k] >= 0x30 && s[k] <= 0x39 && k - s.startIndex < 9 { k += 1 }
                guard k < s.endIndex, s[k] == 0x2E || s[k] == 0x29 else { return false }
                k += 1
            }
            if k > s.startIndex {
                guard k < s.endIndex, s[k] == 0x20 else { return false }
                s = s[(k + 1)...]
            }
        }
        guard !s.isEmpty else { return false }
        var previousMark = true
        var k = s.startIndex
        while k < s.endIndex {
            let v = s[k]
            switch v {
            case 0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F:
                if previousMark { return false }
                previousMark = true
            case 0x4E00...0x9FFF:
                previousMark = false
            case 0x2A:
                // Bold: exactly two asterisks.
                guard k + 1 < s.endIndex, s[k + 1] == 0x2A, k + 2 == s.endIndex || s[k + 2] != 0x2A else { return false }
                k += 1
            default:
                return false
            }
            k += 1
        }
        return true
    }

    // MARK: - One line

    struct Edit {
        var start: Int, length: Int
        var replacement: [UInt32]?
        var rule: String
        var message: String
    }

    struct Line {
        let s: [UInt32]
        let skip: [Bool]
        let title: Bool
        /// Whether each character is (or will be, once fixed) Chinese: Han or a Chinese mark.
        var cn: [Bool]
        /// Each character as it will be once fixed one for one (marks made full-width,
        /// letters and digits half-width).
        var projected: [UInt32]
        /// Where a link text `[…]` runs (a title, like a heading).
        let inLinkText: [Bool]

        /// Whether the line ends inside an HTML tag that goes on to the next line.
        var endsInTag = false

        init(_ s: [UInt32], title: Bool, inTag: Bool = false) {
            self.s = s
            var skip = CopyRules.mask(s)
            // The rest of a tag begun on an earlier line, up to its `>`.
            if inTag {
                var k = 0
                while k < s.count && s[k] != 0x3E { skip[k] = true; k += 1 }
                if k < s.count { skip[k] = true }
                if k == s.count { endsInTag = true }
            }
            // A tag opened here and not closed on this line.
            if !endsInTag, let open = s.lastIndex(of: 0x3C), open + 1 < s.count,
               CopyRules.isLatin(s[open + 1]) || s[open + 1] == 0x2F, !s[open...].contains(0x3E) {
                for k in open..<s.count { skip[k] = true }
                endsInTag = true
            }
            self.skip = skip
            self.title = title
            cn = s.map { CopyRules.isHan($0) || CopyRules.isMark($0) }
            projected = s
            var link = [Bool](repeating: false, count: s.count)
            var open: Int?
            for (k, v) in s.enumerated() where !skip[k] {
                if v == 0x5B { open = k }
                else if v == 0x5D, let o = open {
                    if k + 1 < s.count && (s[k + 1] == 0x28 || s[k + 1] == 0x5B) { for j in o..<k { link[j] = true } }
                    open = nil
                }
            }
            inLinkText = link
        }

        func text(_ k: Int) -> Bool { k >= 0 && k < s.count && !skip[k] }

        /// The nearest character before `k` that is text, past emphasis delimiters (and spaces).
        func before(_ k: Int, spaces: Bool = false) -> Int? {
            var j = k - 1
            while j >= 0 && !skip[j] && (CopyRules.isEmphasis(s[j]) || (spaces && CopyRules.isSpace(s[j]))) { j -= 1 }
            return j >= 0 && !skip[j] ? j : nil
        }

        func after(_ k: Int, spaces: Bool = false) -> Int? {
            var j = k + 1
            while j < s.count && !skip[j] && (CopyRules.isEmphasis(s[j]) || (spaces && CopyRules.isSpace(s[j]))) { j += 1 }
            return j < s.count && !skip[j] ? j : nil
        }

        func chinese(_ k: Int?) -> Bool { k.map { cn[$0] } ?? false }

        /// Whether only a Chinese number stands between the line's start (past heading,
        /// list and quote marks) and `k`: "一." is a heading number, written "一、".
        func numbering(before k: Int) -> Bool {
            var j = k - 1
            var digits = 0
            while j >= 0 && "〇一二三四五六七八九十百".unicodeScalars.contains(where: { $0.value == s[j] }) { digits += 1; j -= 1 }
            guard digits > 0 else { return false }
            while j >= 0 && [0x20, 0x23, 0x3E, 0x2D, 0x2A, 0x3000].contains(s[j]) { j -= 1 }
            return j < 0
        }

        /// Decides which half-width marks, quotes and brackets become Chinese ones: over and
        /// over, since each that does may make its neighbour Chinese too.
        mutating func decideMarks(_ rules: Rules) -> [Int: String] {
            var rule: [Int: String] = [:]
            func convert(_ k: Int, to v: UInt32, _ id: String) {
                guard !cn[k] || projected[k] != v else { return }
                projected[k] = v
                cn[k] = true
                rule[k] = id
            }
            var changed = true
            var rounds = 0
            while changed && rounds < 8 {
                changed = false
                rounds += 1
                let before = rule.count
                if rules.quotes { for (k, v) in decideQuotes() where rule[k] == nil { convert(k, to: v, "straight-quotes") } }
                if rules.halfwidth {
                    // Brackets, as pairs where they pair.
                    var stack: [Int] = []
                    var paired = Set<Int>()
                    for k in s.indices where text(k) {
                        if s[k] == 0x28 { stack.append(k) }
                        else if s[k] == 0x29, let o = stack.popLast() {
                            paired.insert(o); paired.insert(k)
                            let inner = (o + 1..<k).contains { CopyRules.isHan(s[$0]) }
                            if rule[o] == nil && (inner || chinese(self.before(o)) || chinese(self.after(k))) {
                                convert(o, to: 0xFF08, "halfwidth-punctuation")
                                convert(k, to: 0xFF09, "halfwidth-punctuation")
                            }
                        }
                    }
                    for k in s.indices where text(k) && (s[k] == 0x28 || s[k] == 0x29) && !paired.contains(k) && rule[k] == nil {
                        if chinese(self.before(k)) || chinese(self.after(k)) {
                            convert(k, to: halfToFull[s[k]]!, "halfwidth-punctuation")
                        }
                    }
                    for k in s.indices where text(k) && rule[k] == nil {
                        let v = s[k]
                        switch v {
                        case 0x2C, 0x3B, 0x3A, 0x3F, 0x21:
                            // An image's "![" and a URL's "://" are not punctuation.
                            if v == 0x21 && k + 1 < s.count && s[k + 1] == 0x5B { continue }
                            if v == 0x3A && k + 1 < s.count && s[k + 1] == 0x2F { continue }
                            if chinese(self.before(k, spaces: true)) { convert(k, to: halfToFull[v]!, "halfwidth-punctuation") }
                        case 0x2E:
                            // One dot after Chinese text, at its end or before more of it: 。
                            if (k > 0 && s[k - 1] == 0x2E) || (k + 1 < s.count && s[k + 1] == 0x2E) { continue }
                            guard chinese(self.before(k)) else { continue }
                            if numbering(before: k) { convert(k, to: 0x3001, "halfwidth-punctuation"); continue }
                            if let a = self.after(k) {
                                if cn[a] || CopyRules.isSpace(s[a]) { convert(k, to: 0x3002, "halfwidth-punctuation") }
                            } else if k + 1 == s.count || CopyRules.isEmphasis(s[k + 1]) || CopyRules.isSpace(s[k + 1]) {
                                convert(k, to: 0x3002, "halfwidth-punctuation")
                            }
                        default:
                            continue
                        }
                    }
                }
                changed = rule.count != before
            }
            return rule
        }

        /// Straight quotes in Chinese text: "…" → “…”, and '…' around Chinese words → ‘…’.
        func decideQuotes() -> [(Int, UInt32)] {
            var out: [(Int, UInt32)] = []
            let doubles = s.indices.filter { text($0) && s[$0] == 0x22 }
            var i = 0
            while i + 1 < doubles.count {
                let a = doubles[i], b = doubles[i + 1]
                let inner = (a + 1..<b).contains { CopyRules.isHan(s[$0]) }
                if inner || chinese(before(a)) || chinese(after(b)) {
                    out += [(a, 0x201C), (b, 0x201D)]
                }
                i += 2
            }
            let singles = s.indices.filter { text($0) && s[$0] == 0x27 }
            i = 0
            while i + 1 < singles.count {
                let a = singles[i], b = singles[i + 1]
                let inner = (a + 1..<b)
                let outside = [a - 1, b + 1].filter { $0 >= 0 && $0 < s.count }
                if inner.contains(where: { CopyRules.isHan(s[$0]) }) && !inner.contains(where: { CopyRules.isLatin(s[$0]) })
                    && !outside.contains(where: { CopyRules.isLatin(s[$0]) }) {
                    out += [(a, 0x2018), (b, 0x2019)]
                }
                i += 2
            }
            return out
        }

        mutating func review(rules: inout Rules, lineNumber: Int) -> (findings: [Finding], fixed: [UInt32]?) {
            var edits: [Edit] = []
            var notes: [Edit] = []     // findings with no mechanical fix
            let converted = decideMarks(rules)
            for (k, id) in converted {
                let message: String
                if id == "straight-quotes" {
                    message = "中文里用了直引号 \(show(s[k]))，应改为 \(show(projected[k])) (straight quote in Chinese text; use '\(show(projected[k]))')"
                } else {
                    message = "中文之间用了半角“\(show(s[k]))”，应为全角“\(show(projected[k]))” (half-width '\(show(s[k]))' in Chinese text; use '\(show(projected[k]))')"
                }
                edits.append(Edit(start: k, length: 1, replacement: [projected[k]], rule: id, message: message))
            }
            if rules.quotes {
                // A straight quote left without its partner next to Chinese text.
                let doubles = s.indices.filter { text($0) && projected[$0] == 0x22 }
                if doubles.count % 2 == 1, let k = doubles.last, chinese(before(k)) || chinese(after(k)) {
                    notes.append(Edit(start: k, length: 0, replacement: nil, rule: "straight-quotes",
                                      message: "中文里有一个直引号“\"”没有配对，请改用“”并补全 (unpaired straight quote in Chinese text)"))
                }
            }
            // Full-width letters and digits.
            var k = 0
            while k < s.count {
                if rules.fullwidth && text(k) && CopyRules.isFullwidthAlnum(s[k]) {
                    var end = k
                    while end + 1 < s.count && text(end + 1) && CopyRules.isFullwidthAlnum(s[end + 1]) { end += 1 }
                    let run = Array(s[k...end]), half = run.map { $0 - 0xFEE0 }
                    for j in k...end { projected[j] = s[j] - 0xFEE0 }
                    edits.append(Edit(start: k, length: run.count, replacement: half, rule: "fullwidth-alnum",
                                      message: "全角字母或数字“\(show(run))”应为半角“\(show(half))” (full-width letters or digits; use '\(show(half))')"))
                    k = end + 1
                    continue
                }
                k += 1
            }
            // Runs of one mark, read on the text as it will be: ellipses, dashes, doubles.
            k = 0
            while k < s.count {
                guard text(k) else { k += 1; continue }
                let v = projected[k]
                var end = k
                while end + 1 < s.count && text(end + 1) && projected[end + 1] == v { end += 1 }
                let n = end - k + 1
                defer { k = end + 1 }
                let prevCN = chinese(before(k)), nextCN = chinese(after(end))
                func replace(_ rule: String, _ by: [UInt32], _ message: String) {
                    edits.removeAll { $0.start >= k && $0.start <= end }
                    edits.append(Edit(start: k, length: n, replacement: by, rule: rule, message: message))
                    for j in k...end { cn[j] = true; projected[j] = j - k < by.count ? by[j - k] : 0 }
                }
                if rules.dots && prevCN && ((v == 0x2E && n >= 3) || (v == 0x3002 && n >= 3) || (v == 0x2026 && (n == 1 || n == 3))) {
                    replace("ellipsis-and-dash", [0x2026, 0x2026], "省略号应为“……” (use '……' for an ellipsis)")
                } else if rules.dots && prevCN && nextCN && ((v == 0x2D && n == 2) || (v == 0xFF0D && n <= 2)) {
                    replace("ellipsis-and-dash", [0x2014, 0x2014], "破折号应为“——” (use '——' for a dash)")
                } else if rules.repeated && n >= 2 && CopyRules.doubled.contains(v) {
                    replace("repeated-punctuation", [v], "标点“\(show(v))”重复了 (repeated '\(show(v))')")
                } else if rules.mixed && end + 1 < s.count && text(end + 1) {
                    let w = projected[end + 1]
                    if (v == 0xFF01 && w == 0xFF1F) || (v == 0xFF1F && w == 0xFF01) {
                        notes.append(Edit(start: end, length: 0, replacement: nil, rule: "mixed-marks",
                                          message: "“\(show([v, w]))”连用，请只用一个标点 (mixed '\(show([v, w]))'; use one mark)"))
                    }
                }
            }
            // Spaces.
            k = 0
            while k < s.count {
                guard text(k) && CopyRules.isSpace(s[k]) else { k += 1; continue }
                var end = k
                while end + 1 < s.count && text(end + 1) && CopyRules.isSpace(s[end + 1]) { end += 1 }
                defer { k = end + 1 }
                let n = end - k + 1
                let run = Array(s[k...end])
                if k == 0 {
                    // A paragraph indented with full-width spaces (pasted from Word).
                    // Only before Chinese text: before "#", "-" or "---" the space keeps the line
                    // from being a heading, a list or a rule (and in YAML, a comment or a list).
                    if rules.spaces && run.allSatisfy({ $0 == 0x3000 }) && end + 1 < s.count && (CopyRules.isHan(s[end + 1]) || CopyRules.isMark(s[end + 1])) {
                        edits.append(Edit(start: k, length: n, replacement: [], rule: "space-between-chinese",
                                          message: "行首有全角空格；段首缩进由版式处理，请删去 (full-width spaces at a line start; indentation is the layout's job)"))
                    }
                    continue
                }
                guard end + 1 < s.count, let p = before(k), let q = after(end) else { continue }
                let a = projected[p], b = projected[q]
                if rules.spaces && cn[p] && cn[q] && (CopyRules.isMark(a) || CopyRules.isMark(b)) && !CopyRules.separators.contains(a) && !CopyRules.separators.contains(b) {
                    edits.append(Edit(start: k, length: n, replacement: [], rule: "space-between-chinese",
                                      message: "中文标点旁边有空格 (space next to a Chinese punctuation mark)"))
                } else if rules.spaces && CopyRules.isHan(a) && CopyRules.isHan(b) && cn[p] && cn[q] {
                    if title || inLinkText[k] {
                        // A two-part title keeps one space between its phrases.
                        if n > 1 {
                            edits.append(Edit(start: k, length: n, replacement: [run[0]], rule: "space-between-chinese",
                                              message: "标题的两部分之间只留一个空格 (one space between the two parts of a title)"))
                        }
                    } else {
                        edits.append(Edit(start: k, length: n, replacement: [], rule: "space-between-chinese",
                                          message: "两个汉字之间有空格 (space between two Chinese characters)"))
                    }
                } else if rules.numbers && CopyRules.isDigit(s[k - 1]) && CopyRules.isDigit(s[end + 1]) {
                    // "202 6年": one number cut by a space, between Chinese characters.
                    var i = k - 1
                    while i > 0 && CopyRules.isDigit(s[i - 1]) { i -= 1 }
                    var j = end + 1
                    while j + 1 < s.count && CopyRules.isDigit(s[j + 1]) { j += 1 }
                    // Chinese before the number, or a space and then Chinese (截至 202 6年底);
                    // only four digits in all, a year cut in two: 附件 2 2026年度 is two numbers.
                    var h = i - 1
                    while h >= 0 && CopyRules.isSpace(s[h]) { h -= 1 }
                    let digits = (k - i) + (j - end)
                    if digits == 4 && (h < 0 || cn[h]) && j + 1 < s.count && CopyRules.isHan(s[j + 1]) {
                        edits.append(Edit(start: k, length: n, replacement: [], rule: "space-in-number",
                                          message: "数字中间有空格：“\(show(Array(s[i...j])))” (a space inside a number)"))
                    }
                }
            }
            edits.sort { $0.start < $1.start }
            // Edits never overlap; should two rules claim the same characters, the first stands.
            var kept: [Edit] = []
            for e in edits where kept.last.map({ $0.start + $0.length <= e.start }) ?? true { kept.append(e) }
            var fixed: [UInt32]?
            if !kept.isEmpty {
                var out: [UInt32] = []
                out.reserveCapacity(s.count)
                var at = 0
                for e in kept {
                    out += s[at..<e.start]
                    out += e.replacement ?? []
                    at = e.start + e.length
                }
                out += s[at...]
                fixed = out
            }
            let findings = (kept + notes).map {
                Finding(rule: $0.rule, line: lineNumber, column: $0.start + 1, message: $0.message,
                        length: $0.replacement == nil ? 0 : $0.length, replacement: $0.replacement.map(CopyRules.show))
            }
            return (findings, fixed)
        }
    }

    // MARK: - Pairs, over a paragraph

    static func unbalanced(_ paragraph: [(line: Int, chars: [UInt32], skip: [Bool])]) -> [Finding] {
        var marks: [(line: Int, column: Int, v: UInt32)] = []
        for p in paragraph {
            for (k, v) in p.chars.enumerated() where isPairMark(v) && !p.skip[k] { marks.append((p.line, k + 1, v)) }
        }
        if marks.isEmpty { return [] }
        var out: [Finding] = []
        for (open, close) in pairList {
            var depth = 0
            var firstOpen: (Int, Int)?
            var problem: (Int, Int, String)?
            // The marks are spelt out only for a message (most paragraphs have none).
            let o = { show(open) }, c = { show(close) }
            for m in marks {
                if m.v == open { depth += 1; if firstOpen == nil { firstOpen = (m.line, m.column) } }
                else if m.v == close {
                    depth -= 1
                    if depth < 0 && problem == nil { problem = (m.line, m.column, "有“\(c())”没有对应的“\(o())” (closing '\(c())' without an opening '\(o())')") }
                }
            }
            if problem == nil, depth > 0, let f = firstOpen {
                problem = (f.0, f.1, "“\(o())”没有对应的“\(c())” (opening '\(o())' is never closed in this paragraph)")
            }
            if let p = problem {
                out.append(Finding(rule: "unbalanced-pairs", line: p.0, column: p.1, message: p.2, length: 0, replacement: nil))
            }
        }
        return out
    }

    // MARK: - What the rules never look at

    /// Marks the characters of a line that rules must not look at: code spans, URLs,
    /// autolinks, link targets and reference definitions, HTML tags and comments.
    static func mask(_ sc: [UInt32]) -> [Bool] {
        let count = sc.count
        var skip = [Bool](repeating: false, count: count)
        func mark(_ a: Int, _ b: Int) { var k = a; while k < min(b, count) { skip[k] = true; k += 1 } }
        func first(_ v: UInt32, from: Int) -> Int? {
            var j = from
            while j < count { if sc[j] == v { return j }; j += 1 }
            return nil
        }
        func has(_ prefix: String, at i: Int) -> Bool {
            var j = i
            for p in prefix.unicodeScalars {
                guard j < count, sc[j] == p.value else { return false }
                j += 1
            }
            return true
        }
        var i = 0
        while i < count {
            let c = sc[i]
            if c == 0x60 { // `
                var n = 0
                while i + n < count && sc[i + n] == 0x60 { n += 1 }
                var j = i + n
                var found = -1
                while j < count {
                    if sc[j] == 0x60 {
                        var m = 0
                        while j + m < count && sc[j + m] == 0x60 { m += 1 }
                        if m == n { found = j + m; break }
                        j += m
                    } else { j += 1 }
                }
                let end = found < 0 ? count : found
                mark(i, end); i = end; continue
            }
            if c == 0x3C { // < … >
                if has("<!--", at: i) {
                    var j = i + 4
                    while j < count && !has("-->", at: j) { j += 1 }
                    let end = min(count, j + 3)
                    mark(i, end); i = end; continue
                }
                if let close = first(0x3E, from: i) {
                    let next = i + 1 < count ? sc[i + 1] : 0
                    let inner = sc[(i + 1)..<close]
                    if isLatin(next) || next == 0x2F || next == 0x21 || inner.contains(0x40) || has("://", at: i + 1) || inner.contains(0x3A) {
                        mark(i, close + 1); i = close + 1; continue
                    }
                }
            }
            if c == 0x5D, i + 1 < count, sc[i + 1] == 0x28 { // ](…), with balanced brackets inside
                var depth = 0
                var j = i + 1
                while j < count {
                    if sc[j] == 0x28 { depth += 1 } else if sc[j] == 0x29 { depth -= 1; if depth == 0 { break } }
                    j += 1
                }
                let end = min(count, j + 1)
                mark(i + 1, end); i = end; continue
            }
            if c == 0x5D, i + 1 < count, sc[i + 1] == 0x3A, sc.first == 0x5B { // [ref]: url "title"
                mark(i + 1, count); i = count; continue
            }
            if c == 0x68 || c == 0x77 || c == 0x66 || c == 0x6D { // h, w, f(tp), m(ailto)
                if has("http://", at: i) || has("https://", at: i) || has("www.", at: i) || has("ftp://", at: i) || has("mailto:", at: i) {
                    var j = i
                    var depth = 0
                    while j < count && !isSpace(sc[j]) && !isHan(sc[j]) && !isMark(sc[j]) {
                        if sc[j] == 0x28 { depth += 1 } else if sc[j] == 0x29 { if depth == 0 { break }; depth -= 1 }
                        j += 1
                    }
                    // A sentence's own mark after a URL is not part of it.
                    while j > i && [0x2E, 0x2C, 0x3B, 0x3A, 0x21, 0x3F].contains(sc[j - 1]) { j -= 1 }
                    mark(i, j); i = max(j, i + 1); continue
                }
            }
            i += 1
        }
        return skip
    }
}
