import Foundation
import XCTest
import BeaconText

final class SearchTests: XCTestCase {
    static let syllables: Set<String> = ["zhu", "ti", "dang", "ri", "zhang", "xue"]
    static let samples = ["学党章 Excel表格3.14", "主题党日", "党", "zhutidangri", "dangzhang", "XUE dang", "《中国共产党章程》第1条",
                          "𠀀𠀁字", "a", "", "  ,，。", "党员 PDF 版"]

    func testQueryTokens() {
        XCTAssertEqual(SearchTokens.query("学党章 Excel表格3.14"), ["学党", "党章", "excel", "表格", "3", "14"])
        XCTAssertEqual(SearchTokens.query("党"), ["党"])
        XCTAssertEqual(SearchTokens.query("党章党章"), ["党章", "章党"])
        XCTAssertEqual(SearchTokens.query("zhutidangri", syllables: Self.syllables), ["zhuti", "tidang", "dangri"])
        XCTAssertEqual(SearchTokens.query("dangzhang", syllables: Self.syllables), ["dangzhang"], "two syllables are one token")
        XCTAssertEqual(SearchTokens.query("excel", syllables: Self.syllables), ["excel"], "not pinyin")
    }

    func testIndexTokensAndMerge() {
        var codes: [UInt64] = []
        var words: [String: UInt64] = [:]
        SearchTokens.collect("党章党章，党 Excel", flag: SearchTokens.body, singles: false, into: &codes, words: &words)
        SearchTokens.collect("党章", flag: SearchTokens.title, singles: true, into: &codes, words: &words)
        SearchTokens.merge(&codes)
        var byText: [String: UInt64] = [:]
        for c in codes { byText[SearchTokens.text(ofCode: c >> 4)] = c & 0xF }
        XCTAssertEqual(byText["党章"], 2 | SearchTokens.title, "twice in the body, once in the title")
        XCTAssertEqual(byText["章党"], 1)
        XCTAssertEqual(byText["党"], 1 | SearchTokens.title, "a one-character run in the body, and a title character")
        XCTAssertEqual(byText["章"], SearchTokens.title, "single characters of longer runs only from titles")
        XCTAssertEqual(words, ["excel": SearchTokens.body])
    }

    /// search.js splits queries and picks shards exactly as Swift does: both run on the same
    /// strings (the script under Node, with a stub document).
    func testScriptSplitsQueriesLikeTheBuild() throws {
        let node = try XCTUnwrap(which("node") ?? which("nodejs"), "node is not installed; run scripts/setup-tests.sh")
        let script = Repo.root.appendingPathComponent("themes/default/static/search.js").path
        let harness = """
        const fs = require('fs');
        const el = () => ({ value: '', hidden: false, innerHTML: '', textContent: '', form: { addEventListener() {} }, addEventListener() {}, getAttribute() { return '/'; }, appendChild() {} });
        global.document = { currentScript: el(), getElementById: el };
        global.location = { search: '' };
        global.history = { replaceState() {} };
        global.URLSearchParams = URLSearchParams;
        global.window = global;
        global.fetch = () => new Promise(() => {});
        eval(fs.readFileSync(process.argv[2], 'utf8'));
        const syllables = {}; JSON.parse(process.argv[3]).forEach(s => syllables[s] = true);
        const samples = JSON.parse(process.argv[4]);
        console.log(JSON.stringify(samples.map(s => window.beaconSearch.tokens(s, syllables).map(t => [t, window.beaconSearch.shard(t, 64)]))));
        """
        let js = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-search-\(UUID().uuidString).js")
        try harness.write(to: js, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: js) }
        func json(_ v: Any) -> String { String(decoding: try! JSONSerialization.data(withJSONObject: v), as: UTF8.self) }
        let r = try runCommand(node, [js.path, script, json(Self.syllables.sorted()), json(Self.samples)])
        XCTAssertEqual(r.status, 0, r.stderr)
        let fromScript = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[[Any]]])
        for (sample, got) in zip(Self.samples, fromScript) {
            let expected = SearchTokens.query(sample, syllables: Self.syllables)
            XCTAssertEqual(got.map { $0[0] as? String ?? "" }, expected, sample)
            XCTAssertEqual(got.map { $0[1] as? Int ?? -1 }, expected.map { SearchTokens.shard(hash: SearchTokens.hash($0), shards: 64) }, sample)
        }
    }

    /// The built example site in headless Chromium: the search page reads ?q= and lists the
    /// expected lessons for a two-character, a four-character and an English query, and pinyin.
    func testSearchInHeadlessChromium() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        XCTAssertTrue(site.build().0.succeeded)
        let browser = try SiteBrowser(site: site.output.appendingPathComponent("site"), base: "/study/")
        defer { browser.stop() }
        let two = try browser.searchResults("search/", "党章")
        XCTAssertEqual(two.first, "/study/lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/", "\(two)")
        XCTAssertTrue(two.contains("/study/lessons/liang-xue-yi-zuo/he-ge-dang-yuan-biao-zhun/"), "\(two)")
        let four = try browser.searchResults("search/", "主题党日")
        XCTAssertEqual(four.first, "/study/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-zen-yang-zu-zhi/", "\(four)")
        XCTAssertTrue(four.contains("/study/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/"), "\(four)")
        XCTAssertTrue(browser.lastDOM.contains("<p class=\"summary\">…"), "a snippet from the lesson page")
        XCTAssertTrue(browser.lastDOM.contains("<mark>主题党日</mark>"), "highlighted")
        XCTAssertEqual(try browser.searchResults("search/", "Excel"), ["/study/lessons/zhu-ti-dang-ri/zhu-ti-dang-ri-tai-zhang/",
                                                                       "/study/lessons/san-hui-yi-ke/zu-zhi-sheng-huo-hui/"])
        XCTAssertEqual(try browser.searchResults("search/", "dangzhang"), ["/study/lessons/liang-xue-yi-zuo/xue-dang-zhang-dang-gui/"], "pinyin of a title")
        XCTAssertEqual(try browser.searchResults("search/", "量子力学"), [], "nothing found")
    }
}

/// A built site served under its base path by `python3 -m http.server`, read by headless
/// Chromium.
final class SiteBrowser {
    let server = Process()
    let port = Int.random(in: 41000...49000)
    let base: String
    let chromium: String
    var lastDOM = ""

    init(site: URL, base: String) throws {
        chromium = try XCTUnwrap(which("chromium"), "chromium is not installed; run scripts/setup-tests.sh")
        self.base = base
        let served = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-served-\(UUID().uuidString)")
        let mount = served.appendingPathComponent(String(base.dropFirst().dropLast()))
        try FileManager.default.createDirectory(at: mount.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: mount, withDestinationURL: site)
        server.executableURL = URL(fileURLWithPath: try XCTUnwrap(which("python3")))
        server.arguments = ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", served.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        // Wait until it answers.
        for _ in 0..<50 {
            if (try? Data(contentsOf: URL(string: "http://127.0.0.1:\(port)\(base)")!)) != nil { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    func stop() { server.terminate(); server.waitUntilExit() }

    func dom(_ route: String) throws -> String {
        let url = "http://127.0.0.1:\(port)\(base)\(route)"
        let r = try runCommand(chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=8000", "--dump-dom", url])
        lastDOM = r.stdout
        return r.stdout
    }

    /// The result links of a search, in order.
    func searchResults(_ page: String, _ q: String) throws -> [String] {
        let html = try dom(page + "?q=" + q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
        XCTAssertTrue(html.contains("search-status"), "the search page")
        var out: [String] = []
        var rest = Substring(html)
        while let a = rest.range(of: "<h3 class=\"item-title\"><a href=\"") {
            rest = rest[a.upperBound...]
            if let end = rest.firstIndex(of: "\"") { out.append(String(rest[..<end])); rest = rest[end...] }
        }
        return out
    }
}
