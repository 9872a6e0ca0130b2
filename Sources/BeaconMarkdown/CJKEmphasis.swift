import Foundation

/// Emphasis next to Chinese punctuation, as the "CommonMark CJK-friendly amendments"
/// (commonmark-spec issue 650, the rules markdown-it-cjk-friendly, remark-cjk-friendly and
/// comrak follow) define it, on top of cmark-gfm.
///
/// CommonMark decides whether a run of `*` (or GFM's `~`) can open or close emphasis from the
/// characters just before and after it, seen as whitespace, punctuation or other. The
/// amendments see more classes: a CJK punctuation mark (。，、「」（）…) no longer counts as
/// punctuation for rule (2a), and a CJK character on the outside of a run whose inside is
/// other punctuation (“”, ASCII brackets) makes it flanking. So `**每季度召开一次。**讨论`
/// closes its bold, and `**“两个维护”**的` too.
///
/// cmark-gfm has no hook for these rules, so the text it parses is prepared: for each
/// delimiter run whose decision differs under the amendments, one invisible mark is put
/// between the run and its CJK neighbour: a rare punctuation character, or a private-use
/// character (an "other" character), whichever makes cmark-gfm's decision the amended one.
/// Marks never touch a non-CJK character, so text without CJK next to a run is parsed exactly
/// as CommonMark says; the tree walker removes every mark again from text, code, URLs and
/// titles, and maps columns back for messages. `_` needs nothing: the amendments leave its
/// opening and closing decisions as CommonMark makes them in every case (checked by a test
/// over all neighbour classes).
public enum CJKEmphasis {
    /// Character classes the amended flanking rules tell apart.
    enum Neighbour: CaseIterable {
        case whitespace        // Unicode whitespace, or the start or end of a line
        case punctuation       // a Unicode punctuation character that is not CJK
        case cjkPunctuation    // a Unicode punctuation character that is CJK
        case cjk               // another CJK character (Han, kana, Hangul, full-width forms)
        case other

        /// How cmark-gfm (plain CommonMark) sees the character.
        var commonMark: Neighbour {
            switch self {
            case .cjkPunctuation: return .punctuation
            case .cjk: return .other
            default: return self
            }
        }
    }

    /// Whether a `*` or `~` run can (open, close) under the amendments.
    static func amended(_ p: Neighbour, _ n: Neighbour) -> (Bool, Bool) {
        let left = n != .whitespace && (n != .punctuation || [.whitespace, .punctuation, .cjkPunctuation, .cjk].contains(p))
        let right = p != .whitespace && (p != .punctuation || [.whitespace, .punctuation, .cjkPunctuation, .cjk].contains(n))
        return (left, right)
    }

    /// The same as CommonMark decides it (`p` and `n` already as CommonMark sees them).
    static func commonMark(_ p: Neighbour, _ n: Neighbour) -> (Bool, Bool) {
        let left = n != .whitespace && (n != .punctuation || p == .whitespace || p == .punctuation)
        let right = p != .whitespace && (p != .punctuation || n == .whitespace || n == .punctuation)
        return (left, right)
    }

    /// For `_` (rules 2, 3, 6, 7): open and close, under the amendments and under CommonMark.
    static func underscore(_ p: Neighbour, _ n: Neighbour, amended isAmended: Bool) -> (Bool, Bool) {
        let punctuation: (Neighbour) -> Bool = { $0 == .punctuation || $0 == .cjkPunctuation }
        let (l, r) = isAmended ? amended(p, n) : commonMark(p.commonMark, n.commonMark)
        return (l && (!r || punctuation(p)), r && (!l || punctuation(n)))
    }

    /// The marks to insert (before the run, after it) so that CommonMark decides as the
    /// amendments do; nil where both agree. A mark replaces only a CJK neighbour.
    static func marks(_ p: Neighbour, _ n: Neighbour) -> (before: Neighbour?, after: Neighbour?)? {
        let want = amended(p, n)
        if commonMark(p.commonMark, n.commonMark) == want { return nil }
        let pChoices: [Neighbour?] = (p == .cjk || p == .cjkPunctuation) ? [nil, .punctuation, .other] : [nil]
        let nChoices: [Neighbour?] = (n == .cjk || n == .cjkPunctuation) ? [nil, .punctuation, .other] : [nil]
        var best: (Neighbour?, Neighbour?)?
        var bestCount = 3
        for a in pChoices {
            for b in nChoices {
                let count = (a == nil ? 0 : 1) + (b == nil ? 0 : 1)
                guard count < bestCount else { continue }
                if commonMark(a ?? p.commonMark, b ?? n.commonMark) == want { best = (a, b); bestCount = count }
            }
        }
        return best
    }

    // MARK: - Character classes

    /// CommonMark's Unicode punctuation as cmark-gfm tests it: ASCII punctuation or a
    /// character of a P* general category.
    static func isPunctuation(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return (0x21...0x2F).contains(v) || (0x3A...0x40).contains(v) || (0x5B...0x60).contains(v) || (0x7B...0x7E).contains(v)
        }
        switch s.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    static func isWhitespace(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0C, 0x0D, 0x20: return true
        default: return s.properties.generalCategory == .spaceSeparator
        }
    }

    /// A CJK character in the amendments' sense: East Asian Width W, F or H and not an emoji
    /// shown as emoji by default, or a Hangul character.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 0x1100 { return false }
        if s.properties.isEmojiPresentation { return false }
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xD7B0...0xD7FF, 0xF900...0xFAFF,
             0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFF61...0xFFDC, 0xFFE0...0xFFE6,
             0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        case 0x3130...0x318F, 0x3200...0x32FF, 0xFFE8...0xFFEE:
            return true
        default:
            return false
        }
    }

    static func classify(_ s: Unicode.Scalar?) -> Neighbour {
        guard let s else { return .whitespace }
        if isWhitespace(s) { return .whitespace }
        let punct = isPunctuation(s)
        if isCJK(s) { return punct ? .cjkPunctuation : .cjk }
        return punct ? .punctuation : .other
    }

    // MARK: - Preparing a text

    /// A text ready for cmark-gfm, and how to undo the marks.
    public struct Prepared: Sendable {
        public var text: String
        /// The marks used (nil when none was needed: the text is the editor's own).
        var punctuationMark: Unicode.Scalar?
        var otherMark: Unicode.Scalar?
        /// Per 1-based line of the prepared text: the byte offsets in that line where a mark starts.
        var marksByLine: [Int: [Int]] = [:]

        /// `s` without the marks.
        func strip(_ s: String) -> String {
            guard punctuationMark != nil || otherMark != nil else { return s }
            guard s.unicodeScalars.contains(where: { $0 == punctuationMark || $0 == otherMark }) else { return s }
            var out = String.UnicodeScalarView()
            for c in s.unicodeScalars where c != punctuationMark && c != otherMark { out.append(c) }
            return String(out)
        }

        /// Bytes of marks inserted on `line` before byte offset `offset` of the prepared line.
        func insertedBytes(line: Int, before offset: Int) -> Int {
            guard let marks = marksByLine[line] else { return 0 }
            return marks.filter { $0 < offset }.count * 3
        }
    }

    /// Rare punctuation (Po) and private-use characters; the first one the text does not
    /// contain is the mark.
    static let punctuationCandidates: [Unicode.Scalar] = ([0x2E2E, 0x2E18, 0x2E16, 0x2E0B, 0xA60F] + Array(0x2E00...0x2E2D))
        .compactMap(Unicode.Scalar.init).filter(isPunctuation)
    static let otherCandidates: [Unicode.Scalar] = (0xE000...0xF8FF).reversed().compactMap(Unicode.Scalar.init)

    public static func prepare(_ text: String) -> Prepared {
        var bytes = text
        return bytes.withUTF8 { prepare(bytes: $0, original: text) }
    }

    /// The scalar that starts at byte `i` (which must be a lead byte), and its length.
    static func decode(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> (Unicode.Scalar?, Int) {
        let c = b[i]
        var len = 1, v = UInt32(c)
        if c >= 0xF0 { len = 4; v = UInt32(c & 0x07) } else if c >= 0xE0 { len = 3; v = UInt32(c & 0x0F) } else if c >= 0xC0 { len = 2; v = UInt32(c & 0x1F) }
        guard i + len <= b.count else { return (nil, 1) }
        for k in 1..<len { v = v << 6 | UInt32(b[i + k] & 0x3F) }
        return (Unicode.Scalar(v), len)
    }

    /// The start of the scalar that ends just before byte `i`.
    static func start(before i: Int, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var j = i - 1
        while j > 0 && (b[j] & 0xC0) == 0x80 { j -= 1 }
        return j
    }

    static func prepare(bytes b: UnsafeBufferPointer<UInt8>, original: String) -> Prepared {
        // Byte offsets where a mark goes, with the mark's kind. Only runs of * and ~ next to a
        // character outside ASCII can need one; everything else is skipped byte by byte.
        var inserts: [(at: Int, mark: Neighbour)] = []
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c == UInt8(ascii: "\\"), i + 1 < n, b[i + 1] < 0x80, isPunctuation(Unicode.Scalar(b[i + 1])) { i += 2; continue }
            guard c == UInt8(ascii: "*") || c == UInt8(ascii: "~") else { i += 1; continue }
            var j = i
            while j < n && b[j] == c { j += 1 }
            let highBefore = i > 0 && b[i - 1] >= 0x80
            let highAfter = j < n && b[j] >= 0xC0
            if highBefore || highAfter {
                var p: Neighbour
                if i == 0 { p = .whitespace } else {
                    let s = start(before: i, b)
                    let (scalar, _) = decode(b, s)
                    if let scalar, (0xFE00...0xFE0E).contains(scalar.value), s > 0 {
                        p = classify(decode(b, start(before: s, b)).0)
                    } else if let scalar, (0xE0100...0xE01EF).contains(scalar.value) {
                        p = .cjk
                    } else {
                        p = classify(scalar)
                    }
                }
                let next = j < n ? classify(decode(b, j).0) : .whitespace
                if let m = marks(p, next) {
                    if let before = m.before { inserts.append((i, before)) }
                    if let after = m.after { inserts.append((j, after)) }
                }
            }
            i = j
        }
        guard !inserts.isEmpty else { return Prepared(text: original) }
        let present = Set(original.unicodeScalars.filter { ($0.value >= 0x2E00 && $0.value < 0x2E80) || ($0.value >= 0xA600 && $0.value < 0xA700) || ($0.value >= 0xE000 && $0.value <= 0xF8FF) })
        guard let pMark = punctuationCandidates.first(where: { !present.contains($0) }),
              let oMark = otherCandidates.first(where: { !present.contains($0) }) else { return Prepared(text: original) }
        var out: [UInt8] = []
        out.reserveCapacity(n + inserts.count * 3)
        var marksByLine: [Int: [Int]] = [:]
        var line = 1
        var lineStart = 0
        var k = 0
        for idx in 0...n {
            while k < inserts.count && inserts[k].at == idx {
                let mark = inserts[k].mark == .punctuation ? pMark : oMark
                marksByLine[line, default: []].append(out.count - lineStart)
                out += Array(String(mark).utf8)
                k += 1
            }
            guard idx < n else { break }
            out.append(b[idx])
            if b[idx] == 0x0A { line += 1; lineStart = out.count }
        }
        return Prepared(text: String(decoding: out, as: UTF8.self), punctuationMark: pMark, otherMark: oMark, marksByLine: marksByLine)
    }
}
