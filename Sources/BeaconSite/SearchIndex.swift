import Foundation
import BeaconOutput
import BeaconModel
import BeaconText

/// One lesson's search tokens, collected while its page is rendered.
struct SearchDoc: Sendable {
    /// Han tokens as `code << 4 | flags`, one per token, in no order (see `SearchTokens.merge`).
    var codes: [UInt64] = []
    /// Latin words and title pinyin, with their field flags.
    var words: [String: UInt64] = [:]
    /// The title's pinyin syllables.
    var syllables: [String] = []

    init() {}

    /// The shards that hold this document's tokens.
    func shards(_ count: Int) -> Set<Int> {
        var out = Set<Int>()
        for c in codes { out.insert(SearchTokens.shard(hash: SearchTokens.hash(code: c >> 4), shards: count)) }
        for w in words.keys { out.insert(SearchTokens.shard(hash: SearchTokens.hash(w), shards: count)) }
        return out
    }

    /// Both documents' tokens (for the shards to rewrite after an edit).
    func union(_ other: SearchDoc) -> SearchDoc {
        var u = self
        u.codes += other.codes
        for (w, f) in other.words { u.words[w, default: 0] |= f }
        return u
    }

    /// `convert` turns the texts into the edition's script, all in one call.
    init(title: String, tags: [String], series: String?, plain: String, slugger: Slugger, convert: (([String]) -> [String])? = nil) {
        var texts = [title, series ?? "", plain] + tags
        if let convert { texts = convert(texts) }
        let title = texts[0]
        SearchTokens.collect(title, flag: SearchTokens.title, singles: true, into: &codes, words: &words)
        for t in texts.dropFirst(3) { SearchTokens.collect(t, flag: SearchTokens.tag, singles: true, into: &codes, words: &words) }
        SearchTokens.collect(texts[1], flag: SearchTokens.tag, singles: false, into: &codes, words: &words)
        SearchTokens.collect(texts[2], flag: SearchTokens.body, singles: false, into: &codes, words: &words)
        SearchTokens.merge(&codes)
        // The title's pinyin: syllables and pairs of syllables.
        syllables = slugger.mode == .pinyin ? slugger.slug(title).split(separator: "-").map(String.init) : []
        for (i, s) in syllables.enumerated() {
            words[s, default: 0] |= SearchTokens.title
            if i > 0 { words[syllables[i - 1] + s, default: 0] |= SearchTokens.title }
        }
    }
}

/// Writes the offline search index under `search/` of a site (or of an edition):
///
/// - `meta.json`: the number of shards and of documents per chunk, series titles and the
///   pinyin syllables that titles use;
/// - `d<k>.json`: documents `[title, url, series, date]`, newest first, in chunks;
/// - `t<k>.json`: postings by token, `{"党章": [v, …]}` where each `v` is
///   `(document − previous document) × 16 + flags` (title 8, tag or series 4, body count 0–3).
///
/// A token's shard comes from a hash of its scalars, so a query loads only the shards of its
/// own tokens.
struct SearchIndexWriter {
    static let chunk = 500
    /// About this many postings per shard.
    static let postingsPerShard = 12_000

    let docs: [(title: String, url: String, series: Int, date: String, search: SearchDoc)]
    let seriesTitles: [String]

    /// The number of shards for these documents.
    func shardCount() -> Int {
        let total = docs.reduce(0) { $0 + $1.search.codes.count + $1.search.words.count }
        var shards = 1
        while shards < 1024 && shards * Self.postingsPerShard < total { shards *= 2 }
        return shards
    }

    /// Builds the index and hands each file to `sink`, from several threads at once. With
    /// `only`, writes just those shards (after an edit, the shards of the tokens that changed).
    func write(shards: Int, only: Set<Int>? = nil, _ sink: @Sendable (String, Data) -> Void) {

        // Han postings, `code << 22 | doc << 4 | flags`, grouped by shard on each core for its
        // share of the documents; one sort per shard then orders them by token and document.
        let parts = max(1, min(ProcessInfo.processInfo.activeProcessorCount, docs.count))
        var partBuckets = [[[UInt64]]](repeating: [], count: parts)
        let allDocs = docs
        partBuckets.withUnsafeMutableBufferPointer { out in
            let o = out
            DispatchQueue.concurrentPerform(iterations: parts) { p in
                let range = (allDocs.count * p / parts)..<(allDocs.count * (p + 1) / parts)
                var buckets = [[UInt64]](repeating: [], count: shards)
                for doc in range {
                    let docBits = UInt64(doc) << 4
                    for c in allDocs[doc].search.codes {
                        let s = SearchTokens.shard(hash: SearchTokens.hash(code: c >> 4), shards: shards)
                        if let only, !only.contains(s) { continue }
                        buckets[s].append((c >> 4) << 22 | docBits | (c & 0xF))
                    }
                }
                o[p] = buckets
            }
        }
        // Words (Latin words, pinyin): fewer, kept as strings.
        var wordShards = [[(String, UInt64)]](repeating: [], count: shards)
        var syllables = Set<String>()
        for (doc, d) in docs.enumerated() {
            for (w, f) in d.search.words {
                wordShards[SearchTokens.shard(hash: SearchTokens.hash(w), shards: shards)].append((w, UInt64(doc) << 4 | min(f, 15)))
            }
            for s in d.search.syllables { syllables.insert(s) }
        }
        let seriesTitles = self.seriesTitles
        let docs = self.docs
        let chunks = only == nil ? (docs.count + Self.chunk - 1) / Self.chunk : 0
        let buckets = partBuckets
        partBuckets = []
        do {
            DispatchQueue.concurrentPerform(iterations: shards + chunks + 1) { job in
                if job < shards {
                    if let only, !only.contains(job) { return }
                    var list = buckets[0][job]
                    for p in 1..<buckets.count { list += buckets[p][job] }
                    sink("t\(job).json", Self.shardJSON(&list, words: wordShards[job]))
                } else if job < shards + chunks {
                    let start = (job - shards) * Self.chunk
                    var json = JSONBytes()
                    json.raw("[")
                    for (k, d) in docs[start..<min(docs.count, start + Self.chunk)].enumerated() {
                        if k > 0 { json.raw(",\n") }
                        json.raw("["); json.string(d.title); json.raw(","); json.string(d.url)
                        json.raw(","); json.number(UInt64(max(d.series, 0))); json.raw(","); json.string(d.date); json.raw("]")
                    }
                    json.raw("]")
                    sink("d\(job - shards).json", json.data)
                } else if only == nil {
                    var meta = JSONBytes()
                    meta.raw("{\"version\":1,\"count\":"); meta.number(UInt64(docs.count))
                    meta.raw(",\"shards\":"); meta.number(UInt64(shards))
                    meta.raw(",\"chunk\":"); meta.number(UInt64(Self.chunk))
                    meta.raw(",\"series\":[")
                    for (i, s) in seriesTitles.enumerated() { if i > 0 { meta.raw(",") }; meta.string(s) }
                    meta.raw("],\"syllables\":[")
                    for (i, s) in syllables.sorted().enumerated() { if i > 0 { meta.raw(",") }; meta.string(s) }
                    meta.raw("]}")
                    sink("meta.json", meta.data)
                }
            }
        }
    }

    /// One shard: its Han postings (sorted here) and its words.
    /// Orders postings `code << 22 | doc << 4 | flags` by code, keeping their order otherwise:
    /// a stable radix sort on the 42 bits of the code, four passes of 11 bits. The postings
    /// come in document order and a document has each code once, so this is the order of
    /// the whole values, in a third of the time a comparison sort takes.
    static func sortByCode(_ list: inout [UInt64]) {
        let n = list.count
        guard n > 256 else { list.sort(); return }
        var spare = [UInt64](repeating: 0, count: n)
        var counts = [Int](repeating: 0, count: 2048)
        list.withUnsafeMutableBufferPointer { a in
            spare.withUnsafeMutableBufferPointer { b in
                counts.withUnsafeMutableBufferPointer { c in
                    var from = a, to = b
                    for pass in 0..<4 {
                        let shift = UInt64(22 + 11 * pass)
                        for i in 0..<2048 { c[i] = 0 }
                        for v in from { c[Int(truncatingIfNeeded: (v >> shift) & 2047)] += 1 }
                        var sum = 0
                        for i in 0..<2048 { let k = c[i]; c[i] = sum; sum += k }
                        for v in from {
                            let d = Int(truncatingIfNeeded: (v >> shift) & 2047)
                            to[c[d]] = v
                            c[d] += 1
                        }
                        swap(&from, &to)
                    }
                    // Four passes: the sorted values are back in `list`.
                }
            }
        }
    }

    static func shardJSON(_ list: inout [UInt64], words: [(String, UInt64)]) -> Data {
        sortByCode(&list)
        var json = JSONBytes()
        json.bytes.reserveCapacity(list.count * 4 + 64)
        json.raw("{")
        var first = true
        var i = 0
        while i < list.count {
            let token = list[i] >> 22
            if !first { json.raw(",") }
            first = false
            json.string(SearchTokens.text(ofCode: token))
            json.raw(":[")
            var prev: UInt64 = 0
            var firstValue = true
            while i < list.count && list[i] >> 22 == token {
                let doc = (list[i] >> 4) & 0x3_FFFF
                if !firstValue { json.raw(",") }
                firstValue = false
                json.number((doc - prev) << 4 | list[i] & 0xF)
                prev = doc
                i += 1
            }
            json.raw("]")
        }
        // Words in order, each word's documents in order (they were added in document order).
        var byWord: [String: [UInt64]] = [:]
        for (w, p) in words { byWord[w, default: []].append(p) }
        for (w, postings) in byWord.sorted(by: { $0.key < $1.key }) {
            if !first { json.raw(",") }
            first = false
            json.string(w)
            json.raw(":[")
            var prev: UInt64 = 0
            for (k, p) in postings.enumerated() {
                if k > 0 { json.raw(",") }
                let doc = p >> 4
                json.number((doc - prev) << 4 | p & 0xF)
                prev = doc
            }
            json.raw("]")
        }
        json.raw("}")
        return json.data
    }
}

/// A JSON text built byte by byte.
struct JSONBytes {
    var bytes: [UInt8] = []

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func number(_ n: UInt64) {
        if n < 10 { bytes.append(0x30 + UInt8(n)); return }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = n
        withUnsafeMutableBytes(of: &digits) { d in
            while v > 0 { d[count] = 0x30 + UInt8(v % 10); v /= 10; count += 1 }
            for k in stride(from: count - 1, through: 0, by: -1) { bytes.append(d[k]) }
        }
    }

    mutating func string(_ s: String) {
        bytes.append(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: bytes.append(0x5C); bytes.append(0x22)
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
            case 0x0D: bytes.append(0x5C); bytes.append(0x72)
            case 0x09: bytes.append(0x5C); bytes.append(0x74)
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
            default: bytes.append(b)
            }
        }
        bytes.append(0x22)
    }

    var data: Data { Data(bytes) }
}

extension SiteBuilder {
    /// The search index and page of this site; with `changed` (the tokens of an edited
    /// lesson, before and after), only the shards of those tokens.
    func writeSearchIndex() { writeSearchIndex(changed: nil) }

    func writeSearchIndex(changed: (hans: SearchDoc, hant: SearchDoc?)?, facts: [LessonFacts]? = nil) {
        let facts = facts ?? self.facts
        let seriesTitles = seriesOrder.map(\.title)
        let seriesIndex = Dictionary(uniqueKeysWithValues: seriesOrder.enumerated().map { ($1.folder, $0) })
        let docs = latest.map { l in
            (title: l.title, url: routes.url(routes.lesson(l)), series: seriesIndex[l.seriesFolder] ?? 0,
             date: l.date.description, search: facts[l.id].search)
        }
        let writer = SearchIndexWriter(docs: docs, seriesTitles: seriesTitles)
        if searchShards == 0 { searchShards = writer.shardCount() }
        writer.write(shards: searchShards, only: changed.map { $0.hans.shards(searchShards) }) { name, data in
            self.writeData(Routes.search + name, data)
        }
        if let hant {
            let hantDocs = latest.map { l in
                (title: hant.converter.convert(l.title), url: routes.url(HantEdition.folder + routes.lesson(l)),
                 series: seriesIndex[l.seriesFolder] ?? 0, date: l.date.description, search: facts[l.id].searchHant ?? SearchDoc())
            }
            let hantWriter = SearchIndexWriter(docs: hantDocs, seriesTitles: hant.converter.convert(seriesTitles))
            if searchShardsHant == 0 { searchShardsHant = hantWriter.shardCount() }
            hantWriter.write(shards: searchShardsHant, only: changed.map { ($0.hant ?? SearchDoc()).shards(searchShardsHant) }) { name, data in
                self.writeData(HantEdition.folder + Routes.search + name, data)
            }
        }
        if changed != nil { return }
        renderPage("search", route: Routes.search, title: t("title.search"), section: "search",
                                  extra: ["index": routes.url(Routes.search)])
    }

    func searchDoc(_ l: Lesson, plain: String, convert: (([String]) -> [String])? = nil) -> SearchDoc {
        SearchDoc(title: l.title, tags: l.tags, series: seriesByFolder[l.seriesFolder]?.title, plain: plain, slugger: slugger, convert: convert)
    }

    /// A lesson's summary, reading time and search tokens (and its zh-Hant edition's), from
    /// the build cache when its file, its series' title and the edition's conversion are as
    /// they were.
    func lessonFacts(_ l: Lesson, _ doc: MDDocument) -> LessonFacts {
        var key: String?
        if let source = l.sourceKey {
            let h = Fingerprint()
            h.add("lesson facts 1"); h.add(source); h.add(seriesByFolder[l.seriesFolder]?.title ?? "\u{0}")
            h.add(slugger.mode.rawValue); h.add(hant != nil ? hantKey : "")
            key = h.hex
        }
        if let key, let bytes = factsMemo.bytes(key) {
            var r = ByteReader(bytes)
            var f = LessonFacts(summary: r.string(), minutes: r.int(), html: "", itemHTML: "")
            f.search = SearchDoc(reading: &r)
            f.searchHant = r.bool() ? SearchDoc(reading: &r) : nil
            if r.isComplete { return f }
        }
        let summary = l.summary ?? TextMeasures.summary(doc.opening)
        var f = LessonFacts(summary: summary, minutes: TextMeasures.readingMinutes(doc.plainText), html: "", itemHTML: "")
        f.search = searchDoc(l, plain: doc.plainText)
        f.searchHant = hant.map { searchDoc(l, plain: doc.plainText, convert: $0.converter.convert) }
        guard let key else { return f }
        var w = ByteWriter()
        w.string(f.summary); w.int(f.minutes)
        f.search.write(to: &w)
        w.bool(f.searchHant != nil)
        f.searchHant?.write(to: &w)
        factsMemo.store(key, w.finished)
        return f
    }
}

extension SearchDoc {
    func write(to w: inout ByteWriter) {
        w.uint(UInt64(codes.count))
        for c in codes { w.uint(c) }
        w.uint(UInt64(words.count))
        for (word, flags) in words { w.string(word); w.uint(flags) }
        w.strings(syllables)
    }

    init(reading r: inout ByteReader) {
        self.init()
        let n = r.count()
        codes.reserveCapacity(min(n, 1 << 16))
        for _ in 0..<n where !r.failed { codes.append(r.uint()) }
        let m = r.count()
        words.reserveCapacity(min(m, 1 << 12))
        for _ in 0..<m where !r.failed {
            let word = r.string()
            words[word] = r.uint()
        }
        syllables = r.strings()
    }
}
