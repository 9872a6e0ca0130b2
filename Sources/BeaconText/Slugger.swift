import Foundation
import BeaconModel

/// Turns titles and file names into URL slugs: `两学一做` → `liang-xue-yi-zuo`.
///
/// Pinyin comes from ICU's `Han-Latin; Latin-ASCII` transform, applied one Han character
/// at a time and cached for the whole process, so that a site of ten thousand lessons pays
/// for each distinct character once; each slugger also remembers the slugs it made (headings
/// repeat from lesson to lesson). Safe to use from several threads.
public final class Slugger: @unchecked Sendable {
    public let mode: SlugMode
    /// Pinyin by Han character, shared by every slugger.
    private nonisolated(unsafe) static var cache: [Unicode.Scalar: String] = [:]
    private static let lock = NSLock()
    /// By the text's bytes (`BytePath`): hashing a Chinese String goes through Unicode
    /// normalisation.
    private var slugs: [BytePath: String] = [:]
    private let slugLock = NSLock()
    private static let transform = StringTransform("Han-Latin; Latin-ASCII")

    public init(mode: SlugMode = .pinyin) {
        self.mode = mode
    }

    /// Every spelling learnt so far in this process, for the build cache to keep.
    public static var spellings: [Unicode.Scalar: String] {
        lock.lock(); defer { lock.unlock() }
        return cache
    }

    /// Spellings ICU gave an earlier run of the same program (the build cache's): a build
    /// whose characters are all known never opens a transliterator.
    public static func remember(_ known: [Unicode.Scalar: String]) {
        lock.lock(); defer { lock.unlock() }
        cache.merge(known) { mine, _ in mine }
    }

    /// ICU's spellings of the CJK Unified Ideographs and Extension A (`PinyinTable.swift`,
    /// made by scripts/pinyin-table.swift): opening ICU's transform takes 60 ms, a tenth of
    /// a small build. Characters outside the table still go to ICU.
    static let table: [Unicode.Scalar: String] = {
        var table: [Unicode.Scalar: String] = [:]
        table.reserveCapacity(28_000)
        var current: Unicode.Scalar?
        var spelling = String.UnicodeScalarView()
        for s in tableText.unicodeScalars {
            if s.isASCII {
                if s.value != 0x0A { spelling.append(s) }
                continue
            }
            if let c = current { table[c] = String(spelling) }
            current = s
            spelling = String.UnicodeScalarView()
        }
        if let c = current { table[c] = String(spelling) }
        return table
    }()

    /// The pinyin (ASCII, lower case, no tones) of one Han character, or nil if ICU has none.
    public func pinyin(of scalar: Unicode.Scalar) -> String? {
        if let known = Self.table[scalar] { return known }
        Self.lock.lock()
        if let hit = Self.cache[scalar] { Self.lock.unlock(); return hit.isEmpty ? nil : hit }
        Self.lock.unlock()
        learn([scalar])
        Self.lock.lock(); defer { Self.lock.unlock() }
        let hit = Self.cache[scalar] ?? ""
        return hit.isEmpty ? nil : hit
    }

    static func ascii(_ latin: Substring) -> String {
        String(latin.lowercased().unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) })
    }

    /// Looks up the pinyin of several characters in one ICU call: building a transliterator
    /// is ICU's expensive part, so a title's new characters are spelled together.
    func learn(_ scalars: [Unicode.Scalar]) {
        guard !scalars.isEmpty else { return }

        var joined = String.UnicodeScalarView()
        for (i, s) in scalars.enumerated() {
            if i > 0 { joined.append("\n") }
            joined.append(s)
        }
        let latin = String(joined).applyingTransform(Slugger.transform, reverse: false) ?? ""
        var parts = latin.split(separator: "\n", omittingEmptySubsequences: false)
        if parts.count != scalars.count {
            parts = scalars.map { Substring(String(Character($0)).applyingTransform(Slugger.transform, reverse: false) ?? "") }
        }
        Self.lock.lock()
        for (s, p) in zip(scalars, parts) { Self.cache[s] = Self.ascii(p) }
        Self.lock.unlock()
    }

    /// Spells every Han character of `text` not seen before, in one ICU call.
    public func prefetch(_ text: String) { prefetch(Array(text.unicodeScalars)) }

    func prefetch(_ scalars: [Unicode.Scalar]) {
        Self.lock.lock()
        var unknown: [Unicode.Scalar] = []
        var seen = Set<Unicode.Scalar>()
        for s in scalars where CJK.isHan(s) && Self.table[s] == nil && Self.cache[s] == nil && seen.insert(s).inserted { unknown.append(s) }
        Self.lock.unlock()
        learn(unknown)
    }

    /// Words whose characters ICU reads one by one with the wrong reading (ICU's Han-Latin
    /// has no context: 地 is always "de", 行 always "xing"). Words common in Party-building
    /// texts are spelled here as they are read; everything else goes to ICU.
    public static let words: [String: [String]] = [
        "园地": ["yuan", "di"], "基地": ["ji", "di"], "土地": ["tu", "di"], "地方": ["di", "fang"],
        "各地": ["ge", "di"], "地区": ["di", "qu"], "阵地": ["zhen", "di"], "实地": ["shi", "di"],
        "落地": ["luo", "di"], "天地": ["tian", "di"], "地点": ["di", "dian"], "当地": ["dang", "di"],
        "的确": ["di", "que"], "目的": ["mu", "di"],
        "重温": ["chong", "wen"], "重新": ["chong", "xin"], "重阳": ["chong", "yang"],
        "银行": ["yin", "hang"], "行业": ["hang", "ye"], "长期": ["chang", "qi"], "长效": ["chang", "xiao"],
        "长征": ["chang", "zheng"], "特长": ["te", "chang"], "音乐": ["yin", "yue"],
        "调研": ["diao", "yan"], "调查": ["diao", "cha"], "强调": ["qiang", "diao"],
        "干部": ["gan", "bu"], "骨干": ["gu", "gan"], "都市": ["du", "shi"], "首都": ["shou", "du"],
        "会计": ["kuai", "ji"], "参差": ["cen", "ci"], "处理": ["chu", "li"], "处分": ["chu", "fen"],
        "朝阳": ["zhao", "yang"], "传记": ["zhuan", "ji"], "模样": ["mu", "yang"], "单于": ["chan", "yu"],
        "教育": ["jiao", "yu"], "教学": ["jiao", "xue"], "数据": ["shu", "ju"], "着力": ["zhuo", "li"],
    ]
    static let longestWord = words.keys.map(\.count).max() ?? 1
    static let wordStarts = Set(words.keys.compactMap(\.unicodeScalars.first))

    /// The slug of a text. May be empty when the text has nothing to spell (`？？`);
    /// callers then use `fallback(for:)`.
    public func slug(_ text: String) -> String {
        slugLock.lock()
        let key = BytePath(text)
        if let known = slugs[key] { slugLock.unlock(); return known }
        slugLock.unlock()
        let made = spell(text)
        slugLock.lock()
        if slugs.count < 100_000 { slugs[key] = made }
        slugLock.unlock()
        return made
    }

    func spell(_ text: String) -> String {
        // UTF-8 bytes: all ASCII but for Han characters kept as they are (`slugs: keep`).
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count * 2)
        var pendingDash = false
        func emit(_ word: some Sequence<Unicode.Scalar>) {
            if pendingDash && !out.isEmpty { out.append(0x2D) }
            pendingDash = false
            for s in word {
                if s.isASCII { out.append(UInt8(s.value)) } else { out.append(contentsOf: String(s).utf8) }
            }
        }
        let scalars = Array(text.unicodeScalars)
        if mode == .pinyin { prefetch(scalars) }
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            // A known word: spell it as it is read.
            if mode == .pinyin && i + 1 < scalars.count && Self.wordStarts.contains(s) {
                var matched = false
                var len = min(Self.longestWord, scalars.count - i)
                while len >= 2 {
                    var key = String.UnicodeScalarView()
                    key.append(contentsOf: scalars[i..<(i + len)])
                    if let syllables = Self.words[String(key)] {
                        for syl in syllables {
                            pendingDash = true
                            emit(syl.unicodeScalars)
                        }
                        pendingDash = true
                        i += len
                        matched = true
                        break
                    }
                    len -= 1
                }
                if matched { continue }
            }
            i += 1
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
        return String(decoding: out, as: UTF8.self)
    }

    /// A slug for a name that spells nothing: stable, never empty.
    public static func fallback(for text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for b in text.utf8 { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
        return "p-" + String(hash % 0xFFFFFF, radix: 16)
    }

    /// `slug(text)`, or the fallback when that is empty, as a name in a path (`fitted`).
    public func nonEmptySlug(_ text: String) -> String {
        let s = slug(text)
        return s.isEmpty ? Slugger.fallback(for: text) : Slugger.fitted(s)
    }

    /// The longest slug a path takes, in bytes: a file name holds 255, and a lesson's WeChat
    /// copy adds `.html`. A Chinese file name of 77 characters (231 bytes) can spell 300
    /// bytes of pinyin.
    public static let longestPathSlug = 240

    /// `slug` as a name in a path: one longer than `limit` bytes (`longestPathSlug` unless
    /// said) is cut after a whole word and ends in 8 hex digits of the whole, so two long names
    /// that start alike stay two. Shorter slugs are as they were (their addresses stay).
    public static func fitted(_ slug: String, limit: Int = longestPathSlug) -> String {
        guard slug.utf8.count > limit else { return slug }
        var hash: UInt64 = 0xcbf29ce484222325
        for b in slug.utf8 { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
        let hex = String(hash, radix: 16)
        let tail = "-" + String((String(repeating: "0", count: max(0, 16 - hex.count)) + hex).suffix(8))
        let room = limit - tail.utf8.count
        var head = String.UnicodeScalarView()
        var bytes = 0
        for u in slug.unicodeScalars {
            let n = String(u).utf8.count
            if bytes + n > room { break }
            head.append(u); bytes += n
        }
        var cut = String(head)
        if let dash = cut.lastIndex(of: "-"), cut.distance(from: cut.startIndex, to: dash) > 0 { cut = String(cut[..<dash]) }
        return cut + tail
    }
}
