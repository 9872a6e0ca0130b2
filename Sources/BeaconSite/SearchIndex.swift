import Foundation
import BeaconModel
import BeaconText

/// The offline search index: written at build time in small shards so that a phone loads
/// only what a query needs, split into tokens exactly as `assets/search.js` splits queries.
public enum SearchTokens {
    /// Han runs become single characters and bigrams; runs of Latin letters and digits become
    /// lower-case words.
    public static func tokens(_ text: String) -> [String] {
        var out: [String] = []
        var word = ""
        var prevHan: Character?
        func flush() { if !word.isEmpty { out.append(word.lowercased()); word = "" } }
        for ch in text {
            guard let s = ch.unicodeScalars.first else { continue }
            if CJK.isHan(s) {
                flush()
                out.append(String(ch))
                if let p = prevHan { out.append(String(p) + String(ch)) }
                prevHan = ch
            } else if s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s)) {
                prevHan = nil
                word.append(ch)
            } else {
                prevHan = nil
                flush()
            }
        }
        flush()
        return out
    }

    /// The shard a token lives in: a small stable hash, the same in search.js.
    public static func shard(_ token: String, shards: Int) -> Int {
        var h: UInt32 = 0
        for u in token.unicodeScalars { h = (h &* 31 &+ u.value) & 0x7FFF_FFFF }
        return Int(h % UInt32(shards))
    }
}

extension SiteBuilder {
    static let searchShards = 32
    static let textShards = 32

    func writeSearchIndex() {
        var postings = [[String: [Int: Int]]](repeating: [:], count: Self.searchShards)
        var docs: [[Any]] = []
        var texts = [[String: String]](repeating: [:], count: Self.textShards)
        for l in latest {
            let id = docs.count
            let series = seriesByFolder[l.seriesFolder]?.title ?? ""
            docs.append([l.title, routes.url(routes.lesson(l)), series, l.date.description])
            let plain = searchText[l.id]
            texts[id % Self.textShards][String(id)] = String(plain.prefix(2000))
            var scores: [String: Int] = [:]
            for t in SearchTokens.tokens(l.title) { scores[t, default: 0] += 10 }
            for t in l.tags.flatMap(SearchTokens.tokens) { scores[t, default: 0] += 4 }
            for t in SearchTokens.tokens(plain) { scores[t, default: 0] = min(scores[t, default: 0] + 1, 60) }
            // Pinyin of the title: syllables, and each pair run together (dangzhang).
            let syllables = slugger.slug(l.title).split(separator: "-").map(String.init)
            for s in syllables { scores[s, default: 0] += 6 }
            for i in syllables.indices.dropLast() { scores[syllables[i] + syllables[i + 1], default: 0] += 8 }
            if syllables.count > 2 { scores[syllables.joined(), default: 0] += 8 }
            for (t, s) in scores { postings[SearchTokens.shard(t, shards: Self.searchShards)][t, default: [:]][id] = s }
        }
        func json(_ v: Any) -> String {
            String(decoding: (try? JSONSerialization.data(withJSONObject: v, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8), as: UTF8.self)
        }
        writeFile("search/docs.json", json(docs))
        for (i, shard) in postings.enumerated() {
            let compact = shard.mapValues { list in list.sorted { $0.key < $1.key }.flatMap { [$0.key, $0.value] } }
            writeFile("search/t\(i).json", json(compact))
        }
        for (i, shard) in texts.enumerated() { writeFile("search/x\(i).json", json(shard)) }
        write("search/", page("search", route: "search/", title: "搜索", section: "search",
                              extra: ["index": routes.url("search/"), "shards": Self.searchShards, "textShards": Self.textShards]))
    }
}
