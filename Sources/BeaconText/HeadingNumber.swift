import Foundation

/// Headings that carry their own numbering, as Chinese documents write it: 一、 （一） (一)
/// 1. 1、 1） (1) 第一章 第二节 第三部分 第4条 …: a table of contents lists them as written.
public enum HeadingNumber {
    static let chineseDigits: Set<Character> = Set("〇零一二三四五六七八九十百千两")
    /// What follows an amount (1.5万元, 2.5%, 1.5小时) rather than a heading's own number.
    /// Only units that do not begin heading words (1.2台账管理, 2.1年度目标 are numbered).
    static let amountUnits: Set<Character> = Set("万亿元倍%‰％吨")

    public static func hasOwn(_ title: String) -> Bool {
        let t = title.drop(while: { $0 == " " || $0 == "\u{3000}" })
        guard let first = t.first else { return false }
        // 第…章/节/部分/条/讲/篇/课/单元
        if first == "第" {
            let rest = t.dropFirst()
            let num = rest.prefix(while: { chineseDigits.contains($0) || $0.isASCII && $0.isNumber })
            guard !num.isEmpty else { return false }
            let after = rest.dropFirst(num.count)
            return ["章", "节", "部分", "条", "讲", "篇", "课", "单元", "期", "次"].contains { after.hasPrefix($0) }
        }
        // （一） (一) （1） (1)
        if first == "（" || first == "(" {
            let rest = t.dropFirst()
            let num = rest.prefix(while: { chineseDigits.contains($0) || $0.isASCII && $0.isNumber })
            guard !num.isEmpty else { return false }
            let close = rest.dropFirst(num.count).first
            return close == "）" || close == ")"
        }
        // 一、 十二、
        if chineseDigits.contains(first) {
            let num = t.prefix(while: { chineseDigits.contains($0) })
            return t.dropFirst(num.count).first == "、"
        }
        // 1. 1、 1） 1) 1.2 ①
        if first.isASCII && first.isNumber {
            let num = t.prefix(while: { $0.isASCII && $0.isNumber })
            let rest = t.dropFirst(num.count)
            guard let next = rest.first else { return false }
            // 1.5万元经费 is an amount, not a number of its own: a decimal with a unit after it
            // (1.2 总体要求 and 1.2.3 stay numbers).
            if next == "." || next == "．", let d = rest.dropFirst().first, d.isASCII && d.isNumber {
                let after = rest.dropFirst().drop(while: { $0.isASCII && $0.isNumber })
                if let unit = after.first, amountUnits.contains(unit) || ["小时", "公里", "公斤", "千米", "千克"].contains(where: { after.hasPrefix($0) }) { return false }
            }
            return [".", "、", "）", ")", "．"].contains(next)
        }
        if let s = first.unicodeScalars.first, (0x2460...0x2473).contains(s.value) || (0x2776...0x2793).contains(s.value) { return true }
        return false
    }
}
