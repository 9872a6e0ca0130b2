import Foundation
import BeaconModel

/// How the offline search splits text into tokens. The site's `search.js` splits queries the
/// same way; `SearchTokenTests` runs both on the same strings and compares.
///
/// - A run of Han characters gives its bigrams (党章, 章党 …); a run of one character gives
///   that character. Titles and tags also give every single character, so a one-character
///   query finds titles and tags.
/// - A run of ASCII letters and digits gives one lower-case word.
/// - Titles also give pinyin: each syllable and each pair of syllables run together
///   (学党章 → xue, dang, zhang, xuedang, dangzhang). A query word that is longer pinyin
///   (zhutidangri) is split into syllables with the site's syllable list and looked up as
///   pairs (zhuti, tidang, dangri).
public enum SearchTokens {
    /// Field flags in a posting's low bits.
    public static let body: UInt64 = 1
    public static let tag: UInt64 = 4
    public static let title: UInt64 = 8

    /// The tokens of a query, in order, without repeats: what `search.js` looks up.
    public static func query(_ text: String, syllables: Set<String> = []) -> [String] {
        var out: [String] = []
        var seen = Set<String>()
        func add(_ t: String) { if seen.insert(t).inserted { out.append(t) } }
        var run: [Unicode.Scalar] = []
        var word = ""
        func flushRun() {
            if run.count == 1 { add(String(Character(run[0]))) }
            if run.count > 1 {
                for i in 1..<run.count {
                    var s = String.UnicodeScalarView(); s.append(run[i - 1]); s.append(run[i]); add(String(s))
                }
            }
            run.removeAll()
        }
        func flushWord() {
            guard !word.isEmpty else { return }
            let parts = splitPinyin(word, syllables: syllables)
            if parts.count > 2 {
                for i in 1..<parts.count { add(parts[i - 1] + parts[i]) }
            } else {
                add(word)
            }
            word = ""
        }
        for s in text.unicodeScalars {
            if CJK.isHan(s) {
                flushWord(); run.append(s)
            } else if isWordScalar(s) {
                flushRun(); word.unicodeScalars.append(lower(s))
            } else {
                flushRun(); flushWord()
            }
        }
        flushRun(); flushWord()
        return out
    }

    @inline(__always) static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        return (0x30...0x39).contains(v) || (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v)
    }

    @inline(__always) static func lower(_ s: Unicode.Scalar) -> Unicode.Scalar {
        (0x41...0x5A).contains(s.value) ? Unicode.Scalar(s.value + 32)! : s
    }

    /// Splits a word into pinyin syllables if it is made of them entirely (longest syllable
    /// first, backing off where the rest cannot be split); otherwise returns the word.
    public static func splitPinyin(_ word: String, syllables: Set<String>) -> [String] {
        guard !syllables.isEmpty else { return [word] }
        let chars = Array(word)
        var memo: [Int: [String]?] = [:]
        func from(_ i: Int) -> [String]? {
            if i == chars.count { return [] }
            if let m = memo[i] { return m }
            var result: [String]?
            var len = min(6, chars.count - i)
            while len >= 1 && result == nil {
                let piece = String(chars[i..<(i + len)])
                if syllables.contains(piece), let rest = from(i + len) { result = [piece] + rest }
                len -= 1
            }
            memo[i] = result
            return result
        }
        return from(0) ?? [word]
    }

    /// The code of a Han token: a character's scalar value, or two scalars' values packed as
    /// `first << 21 | second`.
    @inline(__always) public static func code(_ a: UInt32, _ b: UInt32) -> UInt64 { UInt64(a) << 21 | UInt64(b) }

    /// The text of a Han token code.
    public static func text(ofCode code: UInt64) -> String {
        var s = String.UnicodeScalarView()
        if code >= 1 << 21, let a = Unicode.Scalar(UInt32(code >> 21)) { s.append(a) }
        if let b = Unicode.Scalar(UInt32(code & 0x1F_FFFF)) { s.append(b) }
        return String(s)
    }

    /// The shard of a token, from its scalars; `search.js` computes the same.
    @inline(__always) public static func shard(hash h: UInt64, shards: Int) -> Int {
        let mixed = UInt32(truncatingIfNeeded: h) &* 0x9E37_79B1
        return Int(mixed % UInt32(shards))
    }

    @inline(__always) public static func hash(code: UInt64) -> UInt64 {
        code >= 1 << 21 ? ((code >> 21) &* 31 &+ (code & 0x1F_FFFF)) & 0x7FFF_FFFF : code
    }

    public static func hash(_ token: String) -> UInt64 {
        var h: UInt64 = 0
        for s in token.unicodeScalars { h = (h &* 31 &+ UInt64(s.value)) & 0x7FFF_FFFF }
        return h
    }

    /// Appends the Han tokens of `text` as `code << 4 | flag` and adds its words to `words`.
    /// With `singles`, every Han character is also a token.
    public static func collect(_ text: String, flag: UInt64, singles: Bool,
                               into codes: inout [UInt64], words: inout [String: UInt64]) {
        var prev: UInt32 = 0
        var runLength = 0
        var word = String.UnicodeScalarView()
        func endRun() {
            if runLength == 1 && !singles { codes.append(UInt64(prev) << 4 | flag) }
            runLength = 0; prev = 0
        }
        for s in text.unicodeScalars {
            let v = s.value
            if v >= 0x3007 && CJK.isHan(s) {
                if !word.isEmpty { words[String(word), default: 0] |= flag; word.removeAll() }
                if singles { codes.append(UInt64(v) << 4 | flag) }
                if runLength > 0 { codes.append(code(prev, v) << 4 | flag) }
                prev = v
                runLength += 1
            } else if isWordScalar(s) {
                if runLength > 0 { endRun() }
                word.append(lower(s))
            } else {
                if runLength > 0 { endRun() }
                if !word.isEmpty { words[String(word), default: 0] |= flag; word.removeAll() }
            }
        }
        if runLength > 0 { endRun() }
        if !word.isEmpty { words[String(word), default: 0] |= flag }
    }

    /// Merges collected codes: one entry per token, its flags OR-ed and the number of body
    /// occurrences (at most 3) in the low two bits. The order of the result is unspecified.
    public static func merge(_ codes: inout [UInt64]) {
        guard codes.count > 1 else { return }
        let t = mergeTables.value
        t.prepare(for: codes.count)
        let mask = t.keys.count - 1
        var out = [UInt64]()
        out.reserveCapacity(codes.count)
        let generation = t.generation
        // Open addressing on the token, in this thread's own table: a slot is free when its
        // stamp is not this merge's, so the table is never cleared.
        t.keys.withUnsafeMutableBufferPointer { k in
            t.values.withUnsafeMutableBufferPointer { v in
                t.stamps.withUnsafeMutableBufferPointer { st in
                    t.slots.removeAll(keepingCapacity: true)
                    for c in codes {
                        let token = c >> 4
                        var slot = Int(truncatingIfNeeded: (token &* 0x9E37_79B9_7F4A_7C15) >> 40) & mask
                        while st[slot] == generation && k[slot] != token { slot = (slot + 1) & mask }
                        if st[slot] != generation { st[slot] = generation; k[slot] = token; v[slot] = 0; t.slots.append(slot) }
                        let f = c & 0xF
                        var value = v[slot] | (f & (tag | title))
                        if f & body != 0 && value & 3 < 3 { value += 1 }
                        v[slot] = value
                    }
                    for slot in t.slots { out.append(k[slot] << 4 | v[slot]) }
                }
            }
        }
        codes = out
    }

    /// A merge table per thread, reused from lesson to lesson.
    static let mergeTables = PerThread(threadOwned: true) { MergeTable() }

    final class MergeTable {
        var keys: [UInt64] = []
        var values: [UInt64] = []
        var stamps: [UInt32] = []
        var slots: [Int] = []
        var generation: UInt32 = 0

        /// Room for `count` tokens at most half full, and a new stamp.
        func prepare(for count: Int) {
            var capacity = max(64, keys.count)
            while capacity < count * 2 { capacity <<= 1 }
            if capacity != keys.count {
                keys = [UInt64](repeating: 0, count: capacity)
                values = [UInt64](repeating: 0, count: capacity)
                stamps = [UInt32](repeating: 0, count: capacity)
                generation = 0
            }
            generation &+= 1
            if generation == 0 {
                for i in stamps.indices { stamps[i] = 0 }
                generation = 1
            }
        }
    }
}
