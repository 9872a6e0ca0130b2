import Foundation

/// Simplified to Traditional Chinese, for the zh-Hant edition: ICU's `Hans-Hant` transform
/// (which reads phrases, not only characters: 头发 → 頭髮, 干部 → 幹部), then the site's own
/// per-phrase corrections from `site.yml` (`zh_hant_phrases`).
public final class HantConverter: Sendable {
    static let transform = StringTransform("Hans-Hant")
    /// What ICU makes of each corrected phrase, and what it should be; longest first.
    let corrections: [(from: String, to: String)]

    /// `phrases` maps Simplified phrases to the Traditional text to use for them.
    public init(phrases: [String: String] = [:]) {
        corrections = phrases.map { (k, v) in (Self.icu(k), v) }
            .sorted { ($0.from.count, $0.from) > ($1.from.count, $1.from) }
    }

    static func icu(_ text: String) -> String {
        text.applyingTransform(transform, reverse: false) ?? text
    }

    /// Converts a text.
    public func convert(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value >= 0x2E80 }) else { return text }
        var out = Self.icu(text)
        for c in corrections where out.contains(c.from) { out = out.replacingOccurrences(of: c.from, with: c.to) }
        return out
    }

    /// Converts many texts with one ICU call (creating the transliterator is ICU's expensive
    /// part). The pieces are joined with U+0001, which ICU leaves alone.
    public func convert(_ texts: [String]) -> [String] {
        let joined = texts.joined(separator: "\u{1}")
        let converted = convert(joined)
        let parts = converted.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
        return parts.count == texts.count ? parts : texts.map(convert)
    }
}
