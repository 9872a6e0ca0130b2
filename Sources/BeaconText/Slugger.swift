import Foundation
import BeaconModel

/// Turns titles and file names into URL slugs: `两学一做` → `liang-xue-yi-zuo`.
///
/// Pinyin comes from ICU's `Han-Latin; Latin-ASCII` transform, applied one Han character
/// at a time and cached, so that a site of ten thousand lessons pays for each distinct
/// character once. Safe to use from several threads.
public final class Slugger: @unchecked Sendable {
    public let mode: SlugMode
    private var cache: [Unicode.Scalar: String] = [:]
    private let lock = NSLock()
    private static let transform = StringTransform("Han-Latin; Latin-ASCII")

    public init(mode: SlugMode = .pinyin) {
        self.mode = mode
    }

    /// The pinyin (ASCII, lower case, no tones) of one Han character, or nil if ICU has none.
    public func pinyin(of scalar: Unicode.Scalar) -> String? {
        lock.lock()
        if let hit = cache[scalar] { lock.unlock(); return hit.isEmpty ? nil : hit }
        lock.unlock()
        let latin = String(Character(scalar)).applyingTransform(Slugger.transform, reverse: false) ?? ""
        let ascii = String(latin.lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
        lock.lock()
        cache[scalar] = ascii
        lock.unlock()
        return ascii.isEmpty ? nil : ascii
    }

    /// The slug of a text. May be empty when the text has nothing to spell (`？？`);
    /// callers then use `fallback(for:)`.
    public func slug(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var pendingDash = false
        func emit(_ word: some Sequence<Unicode.Scalar>) {
            if pendingDash && !out.isEmpty { out.append("-") }
            pendingDash = false
            out.append(contentsOf: word)
        }
        for s in text.unicodeScalars {
            if s.isASCII {
                let v = s.value
                if (0x30...0x39).contains(v) || (0x61...0x7A).contains(v) {
                    emit(CollectionOfOne(s))
                } else if (0x41...0x5A).contains(v) {
                    emit(CollectionOfOne(Unicode.Scalar(v + 32)!))
                } else {
                    pendingDash = true
                }
            } else if CJK.isHan(s) {
                if mode == .keep {
                    emit(CollectionOfOne(s))
                } else if let py = pinyin(of: s) {
                    pendingDash = true
                    emit(py.unicodeScalars)
                    pendingDash = true
                } else {
                    pendingDash = true
                }
            } else if s.properties.isAlphabetic || s.properties.numericType != nil {
                // Latin with accents and other letters: spell in ASCII where ICU can.
                let folded = String(s).applyingTransform(.toLatin, reverse: false)?
                    .applyingTransform(.stripDiacritics, reverse: false)?.lowercased() ?? ""
                let ascii = folded.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
                if ascii.isEmpty { pendingDash = true } else { emit(ascii) }
            } else {
                pendingDash = true
            }
        }
        return String(out)
    }

    /// A slug for a name that spells nothing: stable, never empty.
    public static func fallback(for text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
        return "p-" + String(hash % 0xFFFFFF, radix: 16)
    }

    /// `slug(text)`, or the fallback when that is empty.
    public func nonEmptySlug(_ text: String) -> String {
        let s = slug(text)
        return s.isEmpty ? Slugger.fallback(for: text) : s
    }
}
