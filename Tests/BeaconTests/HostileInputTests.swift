import Foundation
import XCTest
import BeaconModel
import BeaconMarkdown
import BeaconText
import BeaconWeChat

/// Hostile input, safe output: nothing from outside content/ published, no script on a page,
/// no crash, nothing silently cut.
final class HostileInputTests: XCTestCase {
    let lesson = "content/lessons/学习园地/第一课.md"

    // MARK: - SVG pictures

    func testSVGIsPublishedWithoutScriptOrOutsideReferences() throws {
        let site = try TempSite()
        try site.write("content/media/evil.svg", """
        <?xml version="1.0"?>
        <?xml-stylesheet href="http://evil.example/x.css"?>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" onload="alert(1)" viewBox="0 0 10 10">
          <script>alert(2)</script>
          <style>@import url(http://evil.example/y.css);</style>
          <circle cx="5" cy="5" r="4" fill="#a81c1c" onclick="alert(3)"/>
          <image href="http://evil.example/track.png" width="1" height="1"/>
          <use xlink:href="#c"/>
          <a xlink:href="javascript:alert(4)"><text>支部</text></a>
          <foreignObject><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(5)"/></div></foreignObject>
          <rect style="fill:url(http://evil.example/z.svg#p)" width="1" height="1"/>
          <animate attributeName="href" to="javascript:alert(6)"/>
        </svg>
        """)
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n---\n![图](../../media/evil.svg)\n")
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let svg = try site.read("output/site/media/evil.svg")
        for bad in ["script", "alert", "evil.example", "onload", "onclick", "onerror", "foreignObject", "javascript", "animate", "@import"] {
            XCTAssertFalse(svg.contains(bad), "\(bad) in \(svg)")
        }
        XCTAssertTrue(svg.contains("<circle cx=\"5\" cy=\"5\" r=\"4\" fill=\"#a81c1c\"/>"), svg)
        XCTAssertTrue(svg.contains("xlink:href=\"#c\""), "references inside the picture stay: \(svg)")
        XCTAssertTrue(svg.contains("<text>支部</text>"), svg)
    }

    func testSVGWithADTDIsRefused() throws {
        let site = try TempSite()
        _ = site.build()
        let before = site.snapshot()
        try site.write("content/media/bomb.svg", """
        <?xml version="1.0"?>
        <!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
        <svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>
        """)
        try site.write("content/media/broken.svg", "<svg><g></svg>")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.filter { $0.severity == .error }.map(\.description), [
            "content/media/bomb.svg:2:1: error: SVG 图片里有 DTD（<!DOCTYPE … [ ]>），可能藏有实体，不会发布；请删去 DOCTYPE 一行再用 (the SVG has a DTD; not published)",
            "content/media/broken.svg:1:15: error: SVG 图片不是格式正确的 XML，不会发布；请用绘图软件重新导出 (the SVG is not well-formed XML: Premature end of data in tag svg line 1; not published)",
        ])
        XCTAssertEqual(site.snapshot(), before, "output/ untouched")
    }

    func testSVGSanitizerKeepsADrawingWhole() throws {
        let drawing = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><defs><linearGradient id=\"g\"><stop offset=\"0\" stop-color=\"#c00\"/></linearGradient></defs><rect width=\"4\" height=\"4\" fill=\"url(#g)\"/></svg>"
        let out = String(decoding: try SVGSanitizer.clean(Data(drawing.utf8)), as: UTF8.self)
        XCTAssertTrue(out.contains(drawing), out)
    }

    // MARK: - Nothing from outside content/

    /// Every file under output/: no symbolic link, and no file whose bytes are those of a
    /// file outside content/ and themes/.
    func assertNothingFromOutside(_ site: TempSite, outside: [URL], file: StaticString = #filePath, line: UInt = #line) {
        let secrets = Set(outside.compactMap { try? Data(contentsOf: $0) }.filter { !$0.isEmpty })
        let fm = FileManager.default
        guard let e = fm.enumerator(atPath: site.output.path) else { return }
        for case let rel as String in e {
            let path = site.output.appendingPathComponent(rel).path
            var st = stat()
            XCTAssertEqual(lstat(path, &st), 0, file: file, line: line)
            XCTAssertNotEqual(st.st_mode & S_IFMT, S_IFLNK, "symbolic link in output: \(rel)", file: file, line: line)
            if st.st_mode & S_IFMT == S_IFREG, let data = fm.contents(atPath: path) {
                XCTAssertFalse(secrets.contains(data), "\(rel) is a file from outside content/", file: file, line: line)
            }
        }
    }

    /// The build cache is a shortcut, never a way out of the project: a `.beacon/cache` that
    /// is a link to another folder is not read, written or pruned (one warning says so), and
    /// an entry left empty (a machine stopped before the cache reached the disk) or a board
    /// entry that is a link is made again, never published.
    func testABuildCacheThatLinksOutOrWasCutShortIsNotUsed() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        XCTAssertTrue(site.build().0.succeeded)
        let cache = site.root.appendingPathComponent(".beacon/cache")
        let clean = try String(contentsOf: site.output.appendingPathComponent("site/index.html"), encoding: .utf8)
        // An empty page entry, and a board PDF entry that is a link to a file outside.
        var home = stat()
        XCTAssertEqual(lstat(site.output.appendingPathComponent("site/index.html").path, &home), 0)
        let pages = cache.appendingPathComponent("pages")
        let entry = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: pages.path).first { name in
            var st = stat(); return lstat(pages.appendingPathComponent(name).path, &st) == 0 && st.st_ino == home.st_ino
        })
        try FileManager.default.removeItem(at: pages.appendingPathComponent(entry))
        try Data().write(to: pages.appendingPathComponent(entry))
        let outsideFile = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-outside-\(UUID().uuidString).pdf")
        try Data("不是展板".utf8).write(to: outsideFile)
        defer { try? FileManager.default.removeItem(at: outsideFile) }
        let boards = cache.appendingPathComponent("boards")
        let batch = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: boards.path).first { $0.count == 64 })
        try FileManager.default.removeItem(at: boards.appendingPathComponent(batch + "/0.pdf"))
        try FileManager.default.createSymbolicLink(atPath: boards.appendingPathComponent(batch + "/0.pdf").path, withDestinationPath: outsideFile.path)
        try FileManager.default.removeItem(at: site.output)
        var (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertEqual(try String(contentsOf: site.output.appendingPathComponent("site/index.html"), encoding: .utf8), clean, "made again, not published empty")
        let links = FileManager.default.enumerator(atPath: site.output.path)!.compactMap { $0 as? String }.filter { name in
            var st = stat(); return lstat(site.output.appendingPathComponent(name).path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFLNK
        }
        XCTAssertEqual(links, [], "no link from the cache reaches the output")
        // The whole cache a link to a folder outside, holding a planted page and an entry of
        // the cache's own shape: neither is used nor removed, and nothing is written there.
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-outside-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createDirectory(at: outside.appendingPathComponent("wechat"), withIntermediateDirectories: true)
        let planted = outside.appendingPathComponent("wechat/" + String(repeating: "a", count: 64) + ".png")
        try Data("别人的文件".utf8).write(to: planted)
        try FileManager.default.removeItem(at: cache)
        try FileManager.default.createSymbolicLink(atPath: cache.path, withDestinationPath: outside.path)
        try FileManager.default.removeItem(at: site.output)
        (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        XCTAssertTrue(diags.contains { $0.description.hasPrefix(".beacon/cache:1:1: warning: 构建缓存的文件夹是符号链接或不是文件夹") }, "\(diags)")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path).sorted(), ["wechat"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.appendingPathComponent("wechat").path), [planted.lastPathComponent])
        XCTAssertEqual(try String(contentsOf: site.output.appendingPathComponent("site/index.html"), encoding: .utf8), clean)
    }

    /// A control character written as a YAML escape never reaches a page or a picture: an
    /// error at the field, and the output stays as it was.
    func testControlCharactersInFrontMatterAreErrorsAtTheirField() throws {
        let site = try TempSite()
        site.build()
        let before = site.snapshot()
        try site.write("content/lessons/学习/c.md", "---\ntitle: \"支部\\0党\\a课\"\ndate: 2026-03-01\ntags: [\"a\\x01b\", 正常]\n---\n\n正文。\n")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.map(\.description), [
            "content/lessons/学习/c.md:2:8: error: 字段 title 含有控制字符 U+0000，请删去 (field 'title' holds the control character U+0000)",
            "content/lessons/学习/c.md:4:8: error: 字段 tags 含有控制字符 U+0001，请删去 (field 'tags' holds the control character U+0001)",
        ])
        XCTAssertEqual(site.snapshot(), before)
    }

    func testSymlinksOutOfContentAreRefusedAndNeverPublished() throws {
        let site = try TempSite()
        try site.write("secret.txt", "站外的秘密文件")
        let fm = FileManager.default
        let media = site.root.appendingPathComponent("content/media")
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("etc").path, withDestinationPath: "/etc")
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("secret.txt").path, withDestinationPath: site.root.appendingPathComponent("secret.txt").path)
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("hostname.jpg").path, withDestinationPath: "/etc/hostname")
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("loop").path, withDestinationPath: ".")
        try fm.createSymbolicLink(atPath: site.root.appendingPathComponent("content/lessons/学习园地/外面.md").path, withDestinationPath: site.root.appendingPathComponent("secret.txt").path)
        // A link that stays inside content/ is followed.
        try fm.createSymbolicLink(atPath: media.appendingPathComponent("same.svg").path, withDestinationPath: "pic.svg")
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.filter { $0.severity == .error }.map(\.description), [
            "content/lessons/学习园地/外面.md:1:1: error: 符号链接指到了 content 文件夹之外（或绕成了圈），不会读取 (symbolic link leads outside its folder or round in a loop; not read)",
            "content/media/etc:1:1: error: 符号链接指到了所在文件夹之外（或指回文件夹自己），不会发布 (symbolic link points outside its folder or back at it; not published)",
            "content/media/hostname.jpg:1:1: error: 符号链接指到了所在文件夹之外（或指回文件夹自己），不会发布 (symbolic link points outside its folder or back at it; not published)",
            "content/media/loop:1:1: error: 符号链接指到了所在文件夹之外（或指回文件夹自己），不会发布 (symbolic link points outside its folder or back at it; not published)",
            "content/media/secret.txt:1:1: error: 符号链接指到了所在文件夹之外（或指回文件夹自己），不会发布 (symbolic link points outside its folder or back at it; not published)",
        ])
        XCTAssertFalse(fm.fileExists(atPath: site.output.path), "a failed first build writes no output/")
        // Without the bad links, the site builds, and the link inside content/ is a real file.
        for bad in ["content/media/etc", "content/media/secret.txt", "content/media/hostname.jpg", "content/media/loop", "content/lessons/学习园地/外面.md"] {
            try fm.removeItem(atPath: site.root.appendingPathComponent(bad).path)
        }
        let (again, more) = site.build()
        XCTAssertTrue(again.succeeded, "\(more)")
        XCTAssertEqual(try site.read("output/site/media/same.svg"), try site.read("output/site/media/pic.svg"))
        assertNothingFromOutside(site, outside: [site.root.appendingPathComponent("secret.txt"), URL(fileURLWithPath: "/etc/hostname"), URL(fileURLWithPath: "/etc/passwd")])
    }

    func testExampleSiteOutputHoldsNothingFromOutside() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags.filter { $0.severity == .error })")
        assertNothingFromOutside(site, outside: [URL(fileURLWithPath: "/etc/hostname"), URL(fileURLWithPath: "/etc/passwd"), Repo.root.appendingPathComponent("Package.swift")])
    }

    func testSpecialFilesAreRefusedWithoutBeingOpened() throws {
        let site = try TempSite()
        XCTAssertEqual(mkfifo(site.root.appendingPathComponent("content/media/pipe.jpg").path, 0o644), 0)
        XCTAssertEqual(mkfifo(site.root.appendingPathComponent("content/lessons/学习园地/pipe.md").path, 0o644), 0)
        let start = Date()
        let (report, diags) = site.build()
        XCTAssertLessThan(Date().timeIntervalSince(start), 30, "a pipe is never opened (opening it would wait for a writer)")
        XCTAssertFalse(report.succeeded)
        XCTAssertEqual(diags.filter { $0.severity == .error }.map(\.description), [
            "content/lessons/学习园地/pipe.md:1:1: error: 不是普通文件（文件夹、管道、设备或套接字），不会读取 (not a regular file; not read)",
            "content/media/pipe.jpg:1:1: error: 不是普通文件（指向文件夹的链接、管道、设备或套接字），不会发布 (not a regular file; not published)",
        ])
    }

    // MARK: - Refused with the real cause

    func errors(_ site: TempSite) -> [String] {
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded)
        return diags.filter { $0.severity == .error }.map(\.description)
    }

    func testSymlinkedFolderOutsideContentIsRefused() throws {
        let site = try TempSite()
        try site.write("outside/外面.md", "---\ntitle: 外面\ndate: 2026-03-01\n---\n站外的文字。\n")
        try FileManager.default.createSymbolicLink(atPath: site.root.appendingPathComponent("content/lessons/外").path,
                                                   withDestinationPath: site.root.appendingPathComponent("outside").path)
        XCTAssertEqual(errors(site), ["content/lessons/外:1:1: error: 符号链接指到了 content 文件夹之外（或指回它所在的文件夹），不会读取 (symbolic link leads outside content/ or back up; not read)"])
    }

    func testMarkupInHantPhrasesIsRefused() throws {
        let site = try TempSite()
        try site.write("content/site.yml", "title: 测试站点\nbase_url: https://example.org/test/\neditions: [zh-Hans, zh-Hant]\nzh_hant_phrases: { 第一课: \"<img src=x onerror=alert(1)>\" }\n")
        XCTAssertEqual(errors(site), ["content/site.yml:4:25: error: zh_hant_phrases 的词语里不能有 <（< > & \" ' 会被当成网页代码） (phrases must not contain HTML markup characters)"])
    }

    func testNoncharacterIsRefusedAtItsPlace() throws {
        let site = try TempSite()
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n---\n前面的文字\n中间\u{FFFE}字符\n")
        XCTAssertEqual(errors(site), ["\(lesson):6:3: error: 这里有一个不能显示的字符 U+FFFE（非字符），印刷时会截断后面的内容；请删去它 (unprintable character U+FFFE; delete it)"])
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n---\n空\u{0}字符\n")
        XCTAssertEqual(errors(site), ["\(lesson):5:2: error: 这里有一个不能显示的字符 U+0000（控制字符），印刷时会截断后面的内容；请删去它 (unprintable character U+0000; delete it)"])
    }

    func testAliasBombIsRefusedQuickly() throws {
        let site = try TempSite()
        var yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n"
        for i in 1...9 { yaml += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 9).joined(separator: ", ") + "]\n" }
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n" + yaml + "tags: *a9\n---\n正文。\n")
        let start = Date()
        let e = errors(site)
        XCTAssertLessThan(Date().timeIntervalSince(start), 20)
        XCTAssertEqual(e, ["\(lesson):2:1: error: YAML 里的别名（*名字）展开后超过 100000 个值，不会读取；请不要用别名互相嵌套 (YAML aliases expand past 100000 values; not read)"])
    }

    func testBoardSizesOutOfRangeAreErrorsNotCrashes() throws {
        for (value, message) in [
            ("1200000mm", "content/boards/大.yml:2:16: error: 宽度 1200000mm 超出范围：展板每边 50 mm 到 5000 mm（PDF 页面最大 5080 mm） ('width' must be 50–5000 mm)"),
            ("1e400mm", "content/boards/大.yml:2:16: error: 宽度 1e400mm 看不懂，请写成 1200mm 这样的正数长度 ('width' must be a positive length such as 1200mm)"),
            ("-5mm", "content/boards/大.yml:2:16: error: 宽度 -5mm 看不懂，请写成 1200mm 这样的正数长度 ('width' must be a positive length such as 1200mm)"),
            ("nanmm", "content/boards/大.yml:2:16: error: 宽度 nanmm 看不懂，请写成 1200mm 这样的正数长度 ('width' must be a positive length such as 1200mm)"),
        ] {
            let site = try TempSite()
            try site.write("content/boards/大.yml", "title: 大展板\nsize: { width: \(value), height: 900mm }\nblocks:\n  - type: text\n    body: 正文。\n")
            XCTAssertEqual(errors(site), [message], value)
        }
    }

    func testNewNeverWritesOutsideContent() throws {
        let site = try TempSite()
        for series in ["../../../外面", "..", "a/b", ".hidden"] {
            let r = try runCommand(Repo.beaconBinary.path, ["new", "lesson", series, "标题", "--root", site.root.path])
            XCTAssertNotEqual(r.status, 0, series)
            XCTAssertTrue(r.stderr.contains("只写一个文件夹名"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.root.deletingLastPathComponent().appendingPathComponent("外面").path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.root.appendingPathComponent("content/标题.md").path))
    }

    func testAbandonedStagingFoldersAreRemoved() throws {
        let site = try TempSite()
        // A killed build's folder: made by this machine since it booted (its marker says so).
        let abandoned = site.root.appendingPathComponent(".beacon-build-999999-7")
        try FileManager.default.createDirectory(at: abandoned.appendingPathComponent("site"), withIntermediateDirectories: true)
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count)
        let boot = try String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try Data((String(cString: host) + " " + boot).utf8).write(to: abandoned.appendingPathComponent(".beacon-staging"))
        // The same name without the marker (someone's own folder, or another machine's build) stays.
        let unmarked = site.root.appendingPathComponent(".beacon-build-999998-7")
        try FileManager.default.createDirectory(at: unmarked, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: unmarked.appendingPathComponent("notes.txt"))
        let notOurs = site.root.appendingPathComponent(".beacon-build-notes")
        try FileManager.default.createDirectory(at: notOurs, withIntermediateDirectories: true)
        let (report, _) = site.build()
        XCTAssertTrue(report.succeeded)
        XCTAssertFalse(FileManager.default.fileExists(atPath: abandoned.path), "a killed build's folder goes")
        XCTAssertTrue(FileManager.default.fileExists(atPath: notOurs.path), "a folder Beacon did not name stays")
        XCTAssertTrue(FileManager.default.fileExists(atPath: unmarked.appendingPathComponent("notes.txt").path), "a folder without Beacon's marker stays")
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.output.appendingPathComponent(".beacon-staging").path), "the marker never lands in output/")
    }

    // MARK: - Print: nothing silently cut

    func bookSite(_ body: String) throws -> TempSite {
        let site = try TempSite()
        try site.write("content/books/读本.yml", "title: 读本\nsize: a6\ncontents:\n  - series: 学习园地\n")
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n---\n" + body)
        return site
    }

    func pdfText(_ url: URL) throws -> String {
        let r = try runCommand(try XCTUnwrap(which("pdftotext")), ["-q", url.path, "-"])
        return r.stdout.filter { !$0.isWhitespace }
    }

    /// A Latin word too long for the line is broken between any two letters; the "，" after it
    /// must still not start a line (found in review when the break rule after a Latin letter
    /// was left to Pango).
    func testNoLineStartsWithACommaAfterAnOverlongLatinWord() throws {
        let letters = Array("Supercalifragilisticexpialidociousandmorelettersuntilthewordistoolongforanyline")
        var md = ""
        for n in 40..<100 { md += "第\(n)段" + String(letters[0..<min(letters.count, n)]) + "，后文继续。\n\n" }
        let site = try bookSite(md)
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let r = try runCommand(try XCTUnwrap(which("pdftotext")), ["-q", "-layout", site.output.appendingPathComponent("books/du-ben.pdf").path, "-"])
        let starts = r.stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { $0.hasPrefix("，") }
        XCTAssertEqual(starts, [])
        XCTAssertTrue(r.stdout.contains("后文继续"))
    }

    func testDeepQuotesAndListsKeepTheirTextInPrint() throws {
        var md = String(repeating: ">", count: 30) + " 引用最深处的文字\n\n"
        for level in 0..<30 { md += String(repeating: "  ", count: level) + "- 第\(level + 1)层\n" }
        let site = try bookSite(md)
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let text = try pdfText(site.output.appendingPathComponent("books/du-ben.pdf"))
        XCTAssertTrue(text.contains("引用最深处的文字"), text)
        for level in [1, 10, 20, 30] { XCTAssertTrue(text.contains("第\(level)层"), "level \(level): \(text)") }
    }

    func testTableTooWideForThePageIsAnError() throws {
        let cols = 60
        let md = "| " + (0..<cols).map { "列\($0)" }.joined(separator: " | ") + " |\n|" + String(repeating: "---|", count: cols) + "\n| " + (0..<cols).map { "值\($0)" }.joined(separator: " | ") + " |\n"
        let site = try bookSite(md)
        // At the table's own line (the body starts at line 5, after the front matter).
        XCTAssertEqual(errors(site), ["\(lesson):5:1: error: 表格（表头：列0｜列1｜列2…）有 60 列，在口袋书的版心里缩到最小字号也放不下；请拆成几张表，或改写成列表 (a table of 60 columns does not fit the page)"])
    }

    func testOverlongParagraphIsAnErrorInPrint() throws {
        let site = try bookSite(String(repeating: "学习贯彻党的二十大精神", count: 800) + "\n")
        XCTAssertEqual(errors(site), ["\(lesson):1:1: error: 有一段文字长达 8800 字（开头：“学习贯彻党的二十大精神学习贯彻党的二十大…”），超过口袋书一段 8000 字的上限；请分段 (a paragraph of 8800 characters is over the 8000-character limit for print; split it)"])
        // Not only paragraphs: a table cell, deep in a quoted list, is measured the same way.
        let cell = try bookSite("开头一段。\n\n> - 列表\n>\n>   | 项目 | 说明 |\n>   |---|---|\n>   | 党课 | " + String(repeating: "“学习”——《党章》（全文）……", count: 560) + " |\n")
        XCTAssertEqual(errors(cell), ["\(lesson):1:1: error: 有一段文字长达 8960 字（开头：““学习”——《党章》（全文）……“学习”…”），超过口袋书一段 8000 字的上限；请分段 (a paragraph of 8960 characters is over the 8000-character limit for print; split it)"])
    }

    func testBrokenAndHugePicturesAreNamed() throws {
        let site = try TempSite()
        let photo = try Data(contentsOf: Repo.fixtures.appendingPathComponent("photo.jpg"))
        try site.write("content/media/cut.jpg", photo.prefix(2000))
        // A PNG header that claims 100,000 × 100,000 pixels.
        var png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
        png += Data([0x00, 0x01, 0x86, 0xA0, 0x00, 0x01, 0x86, 0xA0, 8, 2, 0, 0, 0, 0, 0, 0, 0])
        png += Data([0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
        try site.write("content/media/huge.png", png)
        try site.write("content/books/读本.yml", "title: 读本\nsize: a6\ncontents:\n  - series: 学习园地\n")
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\n---\n![截断](../../media/cut.jpg)\n")
        try site.write("content/boards/图.yml", "title: 图板\nsize: a4\nblocks:\n  - type: image\n    src: ../media/huge.png\n")
        let e = errors(site)
        XCTAssertTrue(e.contains("content/media/cut.jpg:1:1: error: 图片文件不完整（结尾缺失，可能没有下载或复制完），请重新导出或复制 (the picture file is cut short)（在 content/lessons/学习园地/第一课.md 中使用） (used in content/lessons/学习园地/第一课.md)"), e.joined(separator: "\n"))
        XCTAssertTrue(e.contains("content/media/huge.png:1:1: error: 图片有 100000×100000 像素，超过 1 亿像素的上限；请缩小后再用 (picture of 100000×100000 pixels is over the 100-megapixel limit)（在 content/boards/图.yml 中使用） (used in content/boards/图.yml)"), e.joined(separator: "\n"))
    }

    func testQRTargetTooLongIsAnError() throws {
        let site = try TempSite()
        try site.write("content/boards/码.yml", "title: 码板\nsize: a4\nblocks:\n  - type: qr\n    target: https://example.org/" + String(repeating: "a", count: 400) + "\n")
        XCTAssertEqual(errors(site), ["content/boards/码.yml:5:13: error: 二维码网址太长（420 字节），印出来难以扫码；最多 300 字节，请换用短网址 (qr target URL too long: 420 bytes, at most 300)"])
    }

    func testDuplicateKeyIsSaidAtTheDuplicate() throws {
        let site = try TempSite()
        try site.write(lesson, "---\ntitle: 第一课\ndate: 2026-03-01\nauthor: 张三\ntitle: 又一个标题\n---\n正文。\n")
        XCTAssertEqual(errors(site), ["\(lesson):5:1: error: 字段 title 写了两次（第一次在第 2 行）；请删去一个 (duplicate key 'title'; first at line 2)"])
    }

    func testFileProblemsAreSaidInWords() {
        XCTAssertEqual(FileProblem.describe(CocoaError(.fileWriteOutOfSpace)), "磁盘已满，请腾出空间后再生成 (disk full)")
        XCTAssertEqual(FileProblem.describe(POSIXError(.EACCES)), "没有权限，请检查文件夹的权限 (permission denied)")
        XCTAssertEqual(FileProblem.describe(CocoaError(.fileWriteVolumeReadOnly)), "磁盘是只读的 (read-only file system)")
    }

    /// The bag says a full disk once however the messages come (reported, appended, merged
    /// from a stage's own bag), counts the rest, and keeps every other message.
    func testTheBagSaysAFullDiskOnce() {
        let full = "磁盘已满，请腾出空间后再生成 (disk full)"
        let bag = DiagnosticBag(), side = DiagnosticBag()
        let mark = bag.mark
        bag.warning(SourceLocation(path: "a.md", line: 1), "第一条")
        bag.error(SourceLocation(path: "output/a.html"), "无法写入 (cannot write): " + full)
        side.error(SourceLocation(path: "output/b.html"), "无法写入 (cannot write): " + full)
        side.error(SourceLocation(path: "output/c.html"), "无法写入 (cannot write): " + full)
        side.warning(SourceLocation(path: "b.md", line: 2), "第二条")
        bag.append(contentsOf: [.error(SourceLocation(path: "output/d.html"), "无法写入 (cannot write): " + full)])
        bag.merge(side, at: mark)
        bag.error(SourceLocation(path: "output/e.html"), "无法写入 (cannot write): " + full)
        XCTAssertEqual(bag.all.map(\.description), [
            "a.md:1:1: warning: 第一条",
            "b.md:2:1: warning: 第二条",
            "output/a.html:1:1: error: 无法写入 (cannot write): \(full)；另有 4 个文件也因此没有写入 (and 4 more files)",
        ])
        XCTAssertEqual(bag.errorCount, 1)
        // A full disk first said in a warning never hides the errors after it.
        let other = DiagnosticBag()
        other.warning(SourceLocation(path: "content/media/x.png"), "公众号用的图片副本做不出来，用原图: " + full)
        other.error(SourceLocation(path: "output/f.html"), "无法写入 (cannot write): " + full)
        other.error(SourceLocation(path: "output/g.html"), "无法写入 (cannot write): " + full)
        XCTAssertTrue(other.hasErrors)
        XCTAssertEqual(other.all.map(\.description), [
            "content/media/x.png:1:1: warning: 公众号用的图片副本做不出来，用原图: \(full)",
            "output/f.html:1:1: error: 无法写入 (cannot write): \(full)；另有 1 个文件也因此没有写入 (and 1 more files)",
        ])
    }

    /// Long names everywhere a name becomes a file: a book with editions named with 77 Chinese
    /// characters (each edition's slug adds its audience, each booklet `.print-a4.pdf`), and,
    /// with `slugs: keep`, a board named with 80 (its slug is 240 bytes, the most a slug is).
    func testLongBookAndBoardNamesStillGiveTheirFiles() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        let long = String(repeating: "基层党员学习读本", count: 10).prefix(77)
        try FileManager.default.moveItem(at: site.root.appendingPathComponent("content/books/基层党员读本.yml"),
                                         to: site.root.appendingPathComponent("content/books/\(long).yml"))
        var (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, diags.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        let books = try FileManager.default.contentsOfDirectory(atPath: site.output.appendingPathComponent("books").path)
        let editions = books.filter { $0.hasPrefix("ji-ceng-dang-yuan-xue-xi-du-ben-") && $0.hasSuffix(".print-a4.pdf") }
        XCTAssertEqual(editions.count, 2, "\(books)")
        XCTAssertTrue(editions.allSatisfy { $0.utf8.count <= 255 })
        // Han characters kept in slugs: a board of 80 characters is a 240-byte name.
        try site.write("content/site.yml", try site.read("content/site.yml").replacingOccurrences(of: "\nslugs: pinyin", with: "\nslugs: keep"))
        let board = String(repeating: "支部工作流程图", count: 12).prefix(80)
        try site.write("content/boards/\(board).yml", "title: 长名字的展板\nsize: a4\nblocks:\n  - type: text\n    body: 每季度至少召开一次。\n")
        (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, diags.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("boards/\(board).pdf").path))
    }

    /// A file name as long as a Chinese title can be (77 characters, 231 bytes) spells a slug
    /// of 307 bytes: cut after a whole word to at most 240 bytes with 8 hex digits of the whole,
    /// so the site and the WeChat copies build, and two such names that differ only at the end
    /// stay two pages.
    func testALongFileNameGivesASlugAFileNameCanHold() throws {
        let site = try TempSite()
        try site.write("content/site.yml", "title: 长名字\nbase_url: https://example.org/\nwechat: true\n")
        let stem = String(repeating: "学习贯彻党的二十大精神", count: 7)
        for end in ["", "之二"] {
            try site.write("content/lessons/学习/\(stem)\(end).md", "---\ntitle: 长名字\(end)\ndate: 2026-03-01\n---\n正文。\n")
        }
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, diags.map(\.description).joined(separator: "\n"))
        let folders = try FileManager.default.contentsOfDirectory(atPath: site.output.appendingPathComponent("site/lessons/xue-xi").path)
            .filter { $0 != "index.html" }.sorted()
        XCTAssertEqual(folders.count, 2, "\(folders)")
        var saveNames = Set<String>()
        for f in folders {
            XCTAssertLessThanOrEqual(f.utf8.count, Slugger.longestPathSlug)
            XCTAssertTrue(f.hasPrefix("xue-xi-guan-che-dang-de-er-shi-da-jing-shen-"), f)
            XCTAssertNotNil(f.range(of: "-[0-9a-f]{8}$", options: .regularExpression), f)
            let copy = try String(contentsOf: site.output.appendingPathComponent("wechat/xue-xi/\(f).html"), encoding: .utf8)
            // The pictures are saved under a name a Downloads folder on Windows still takes.
            let names = copy.matches(of: #/data-name="([^"]+)"/#).map { String($0.output.1) }
            XCTAssertEqual(names.count, 2)
            for (name, end) in zip(names, ["-cover.png", "-share.png"]) {
                XCTAssertTrue(name.hasSuffix(end), name)
                XCTAssertLessThanOrEqual(name.utf8.count, WeChatStage.longestSaveName + end.utf8.count, name)
                XCTAssertTrue(name.hasPrefix("xue-xi-guan-che-dang-de-er-shi-da-jing-shen-"), name)
            }
            saveNames.formUnion(names)
        }
        XCTAssertEqual(saveNames.count, 4, "two long names that start alike save their pictures under two names: \(saveNames)")
        XCTAssertEqual(Slugger.fitted("dang-ke"), "dang-ke", "short slugs stay as they are")
    }

    /// On a full disk the build says so once, and the count in the summary is what was printed.
    func testDiskFullIsSaidOnce() throws {
        let mountPoint = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-full-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        let mount = try runCommand("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", mountPoint.path])
        guard mount.status == 0 else { throw XCTSkip("cannot mount a small tmpfs here (needs root): \(mount.stderr)") }
        defer { _ = try? runCommand("/bin/umount", [mountPoint.path]) }
        try FileManager.default.copyItem(at: Repo.fixtures.appendingPathComponent("minimal/content"), to: mountPoint.appendingPathComponent("content"))
        let r = try runCommand(Repo.beaconBinary.path, ["build", "--root", mountPoint.path])
        XCTAssertEqual(r.status, 1)
        let errors = r.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        XCTAssertEqual(errors.count, 1, r.stderr)
        XCTAssertTrue(errors[0].contains("磁盘已满，请腾出空间后再生成 (disk full)；另有"), r.stderr)
        XCTAssertTrue(r.stderr.contains("1 个错误"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: mountPoint.appendingPathComponent("output").path), "nothing half written")
    }

    func testOverlongBoardTextIsAnErrorNotAMinuteOfLayout() throws {
        let site = try TempSite()
        try site.write("content/boards/长.yml", "title: 长板\nsize: a4\nblocks:\n  - type: text\n    body: " + String(repeating: "学习贯彻党的二十大精神，", count: 2_500) + "\n")
        let start = Date()
        XCTAssertEqual(errors(site), ["content/boards/长.yml:5:11: error: 正文长达 30000 字，任何展板都放不下（上限 20000 字）；请删减或放进学习资料 (a board text of 30000 characters is over the 20000-character limit)"])
        XCTAssertLessThan(Date().timeIntervalSince(start), 30)
        // Within the board's total, one paragraph may still be too long to set.
        try site.write("content/boards/长.yml", "title: 长板\nsize: a4\nblocks:\n  - type: text\n    body: |\n      开头一段。\n\n      " + String(repeating: "学习贯彻党的二十大精神，", count: 700) + "\n")
        XCTAssertEqual(errors(site), ["content/boards/长.yml:5:11: error: 正文有一段长达 8400 字（开头：“学习贯彻党的二十大精神，学习贯彻党的二十…”），超过展板一段 8000 字的上限；请分段 (a paragraph of 8400 characters is over the 8000-character limit for print; split it)"])
    }

    // MARK: - Memory ceiling

    /// docs/security.md states the ceiling: peak resident memory of a build stays under
    /// 128 MiB + 24 KiB per lesson, plus 160 MiB when it prints (the CJK fonts Pango maps and
    /// the paragraph being set). Before a fix in Pango's use, a book of ten long paragraphs took
    /// 900 MB (each line held a copy of every break rule of its paragraph). Built here as an editor runs it:
    /// the beacon binary in its own process, 2,000 lessons of real sentence shapes, a book of 60 of them (ten
    /// holding the longest paragraph print accepts, with marks throughout), and its peak
    /// resident set read from the kernel (python's getrusage of the one child).
    func testBuildStaysUnderTheStatedMemoryCeiling() throws {
        let python = try XCTUnwrap(which("python3"))
        let site = try TempSite()
        let lessons = 2_000
        let sentence = "**坚持把党的政治建设摆在首位。**支部每季度至少召开一次党员大会，2026年共开展主题党日12次，参加党员达到95%以上。"
        for i in 0..<lessons {
            let series = ["组织建设", "理论学习", "作风建设", "为民服务"][i % 4]
            var body = "---\ntitle: 第\(i + 1)课　学习体会\ndate: 2026-\(String(format: "%02d", i % 12 + 1))-\(String(format: "%02d", i % 28 + 1))\ntags: [学习, 专题\(i % 40)]\n---\n"
            body += "## 一、提高政治站位\n\n" + String(repeating: sentence, count: 6) + "\n\n"
            body += "### （一）细化措施\n\n1. 落实“三会一课”制度。\n2. 开展谈心谈话。\n\n| 项目 | 次数 | 说明 |\n|---|--:|---|\n| 党课 | 4 | 书记讲党课 |\n| 主题党日 | 12 | 每月一次 |\n\n"
            body += "> 引自支部工作条例。\n\n"
            if i % 24 == 0 && i < 240 {   // ten in the book: the longest paragraph print accepts, marks throughout
                body += String(repeating: "“学习贯彻”党的二十大精神——《文件》（全文）……", count: 285) + "\n"
            }
            try site.write("content/lessons/\(series)/lesson-\(i).md", body)
        }
        try site.write("content/books/memory.yml", "title: 组织建设读本\nsize: a6\ncontents:\n"
            + (0..<60).map { "  - lesson: 组织建设/lesson-\($0 * 4)\n" }.joined())
        let script = "import resource, subprocess, sys\nr = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\nsys.stderr.write(r.stderr.decode()[-2000:])\nprint(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
        let r = try runCommand(python, ["-c", script, Repo.beaconBinary.path, "build", "-q", "--root", site.root.path])
        let fields = r.stdout.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(fields.first, 0, r.stderr)
        let peakKiB = try XCTUnwrap(fields.last)
        let ceilingKiB = (128 + 160) * 1024 + 24 * lessons
        XCTAssertLessThan(peakKiB, ceilingKiB, "peak \(peakKiB / 1024) MiB over the stated ceiling of \(ceilingKiB / 1024) MiB")
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("books/memory.pdf").path))
        XCTAssertTrue(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("site/lessons/zu-zhi-jian-she/lesson-1996/index.html").path))
    }
}
