import Foundation
import _FoundationICU

/// Where a line of headline type may break between the words of Chinese text. Body text breaks
/// between any two characters, as Chinese is set; a title in large type on a cover reads wrong
/// when a word is split across lines (党员教育培训 as 党 / 员教育培训, 基层 as 基 / 层).
///
/// The words are ICU's (its dictionary word breaks for Chinese, from the ICU that Foundation
/// carries), with rules of its own on top: words of Party-building texts that the dictionary
/// splits stay whole (党建, 党组织, 习近平), as do words made with 化 and 性 (现代化,
/// 先进性), a number stays with the word after it (2026年度,
/// 12项), 第 stays with the number after it (第1季度), and a quoted or bracketed term of at
/// most eight characters stays whole (“三会一课”, 《条例》, （共12项）).
public enum ChineseWords {
    /// The longest quoted or bracketed term kept whole, in characters between its marks.
    public static let longestWholeTerm = 8

    /// Words of Party-building texts kept whole whatever ICU's dictionary says, by their
    /// first character.
    static let domainWords: [Unicode.Scalar: [[Unicode.Scalar]]] = {
        let words = """
        党建 党组织 党支部 党小组 党委 党组 党员 党课 党章 党规 党纪 党风 党性 党旗 党徽 党日 党史 党务 党费 党群 党校
        主题党日 三会一课 两学一做 微党课 组织生活会 民主生活会 谈心谈话 述职评议 支部 书记 述职 评议 廉政 基层 高质量
        新时代 习近平 全会 工作法 先锋模范 口袋书 明白纸 各项 各级 各类 全面从严治党 初心使命
        """
        var byFirst: [Unicode.Scalar: [[Unicode.Scalar]]] = [:]
        for w in words.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
            let scalars = Array(w.unicodeScalars)
            byFirst[scalars[0], default: []].append(scalars)
        }
        return byFirst
    }()

    static let pairs: [Unicode.Scalar: Unicode.Scalar] = ["“": "”", "《": "》", "（": "）", "「": "」", "‘": "’", "〈": "〉", "【": "】"]

    /// `result[i]` says whether a word begins at scalar `i` of `scalars`, for `i` in
    /// `0...scalars.count` (a line may begin there as far as words go; punctuation rules are
    /// the line breaker's). The ends are always boundaries.
    public static func boundaries(_ scalars: [Unicode.Scalar]) -> [Bool] {
        var result = [Bool](repeating: false, count: scalars.count + 1)
        result[0] = true
        result[scalars.count] = true
        guard scalars.count > 1 else { return result }
        // ICU counts in UTF-16 units: the scalar each unit offset starts.
        var units: [UInt16] = []
        var scalarAt: [Int: Int] = [:]
        for (i, s) in scalars.enumerated() {
            scalarAt[units.count] = i
            units.append(contentsOf: String(s).utf16)
        }
        scalarAt[units.count] = scalars.count
        var status = U_ZERO_ERROR
        units.withUnsafeBufferPointer { buffer in
            guard let iterator = swift_ubrk_open(UBRK_WORD, "zh", buffer.baseAddress, Int32(buffer.count), &status) else { return }
            defer { swift_ubrk_close(iterator) }
            guard status.rawValue <= U_ZERO_ERROR.rawValue else { return }
            var at = swift_ubrk_first(iterator)
            while at != UBRK_DONE {
                if let i = scalarAt[Int(at)] { result[i] = true }
                at = swift_ubrk_next(iterator)
            }
        }
        // Words of Party-building texts that ICU's dictionary splits (党|建, 习|近平).
        for i in scalars.indices {
            guard let words = domainWords[scalars[i]] else { continue }
            for w in words where i + w.count <= scalars.count && scalars[i..<(i + w.count)].elementsEqual(w) {
                for k in (i + 1)..<(i + w.count) { result[k] = false }
            }
        }
        func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) || ("０"..."９").contains(s) }
        for i in 1..<scalars.count {
            let (a, b) = (scalars[i - 1], scalars[i])
            if isDigit(a) && CJK.isHan(b) { result[i] = false }
            if a == "第" && isDigit(b) { result[i] = false }
            // A word made with 化 or 性 keeps it (现代|化, 先进|性 in ICU's words).
            if (b == "化" || b == "性") && CJK.isHan(a) { result[i] = false }
        }
        // Short quoted or bracketed terms whole: no boundary from after the opening mark to
        // before the closing one.
        var i = 0
        while i < scalars.count {
            if let close = pairs[scalars[i]],
               let end = scalars[(i + 1)...].prefix(longestWholeTerm + 1).firstIndex(of: close) {
                for k in (i + 1)...end { result[k] = false }
                i = end + 1
                continue
            }
            i += 1
        }
        return result
    }
}
