import Foundation
import XCTest
import BeaconModel
import BeaconThemes

/// Built-in themes compiled into Beacon, and site themes that hold only what they change.
final class ThemeTests: XCTestCase {
    /// The built-in themes are what themes/ holds: scripts/embed-themes was run after the last change.
    func testEmbeddedThemesMatchTheThemesFolder() throws {
        let r = try runCommand("/usr/bin/env", ["python3", Repo.root.appendingPathComponent("scripts/embed-themes").path, "--check"])
        XCTAssertEqual(r.status, 0, "run scripts/embed-themes: Sources/BeaconThemes/Embedded.swift is not what themes/ holds")
        for file in FileTree.files(under: Repo.theme.path) {
            XCTAssertEqual(BuiltinThemes.file("default", file), try Data(contentsOf: Repo.theme.appendingPathComponent(file)), file)
        }
        XCTAssertEqual(BuiltinThemes.files(of: "default").count, FileTree.files(under: Repo.theme.path).count)
    }

    /// The beacon binary copied alone into an empty folder makes a site and builds it.
    func testBinaryAloneInitsAndBuilds() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-alone-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let binary = dir.appendingPathComponent("beacon")
        try FileManager.default.copyItem(at: Repo.beaconBinary, to: binary)
        let initRun = try runCommand(binary.path, ["init", "site"], cwd: dir)
        XCTAssertEqual(initRun.status, 0, initRun.stderr)
        let build = try runCommand(binary.path, ["build", "-q", "-r", "site"], cwd: dir)
        XCTAssertEqual(build.status, 0, build.stderr)
        for f in ["site/output/site/index.html", "site/output/site/assets/style.css", "site/output/books/shi-li-kou-dai-shu.pdf"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: dir.appendingPathComponent(f).path), f)
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["beacon", "site"])
    }

    /// A site theme with one template and one stylesheet: the rest comes from the built-in theme.
    func testSiteThemeHoldsOnlyWhatItChanges() throws {
        let site = try TempSite()
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("themes/default"))
        var yml = try site.read("content/site.yml")
        yml = yml.replacingOccurrences(of: "theme: default", with: "theme: mine")
        if !yml.contains("theme: mine") { yml += "theme: mine\n" }
        try site.write("content/site.yml", yml)
        try site.write("themes/mine/theme.yml", "extends: default\n")
        try site.write("themes/mine/templates/404.mustache", "{{% CONTENT_TYPE: HTML}}\n{{<base}}{{$main}}<p id=\"mine\">本站自己的 404 页</p>{{/main}}{{/base}}\n")
        try site.write("themes/mine/static/extra.css", ".mine { color: #123456; }\n")
        try site.write("themes/mine/print.yml", "book:\n  body_size: 10\n")
        let (_, diagnostics) = site.build()
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        let notFound = try String(contentsOf: site.output.appendingPathComponent("site/404.html"), encoding: .utf8)
        XCTAssertTrue(notFound.contains("<p id=\"mine\">本站自己的 404 页</p>"), "the override is in effect")
        XCTAssertTrue(notFound.contains("class=\"site-header\""), "its base template is the built-in one")
        let home = try String(contentsOf: site.output.appendingPathComponent("site/index.html"), encoding: .utf8)
        XCTAssertTrue(home.contains("class=\"site-header\""))
        let builtinCSS = try XCTUnwrap(BuiltinThemes.file("default", "static/style.css"))
        XCTAssertEqual(try Data(contentsOf: site.output.appendingPathComponent("site/assets/style.css")), builtinCSS)
        XCTAssertEqual(try String(contentsOf: site.output.appendingPathComponent("site/assets/extra.css"), encoding: .utf8), ".mine { color: #123456; }\n")
    }

    func testUnknownThemeAndUnknownParentAreErrors() throws {
        let site = try TempSite()
        var yml = try site.read("content/site.yml")
        yml = yml.replacingOccurrences(of: "theme: default", with: "theme: defualt")
        if !yml.contains("theme: defualt") { yml += "theme: defualt\n" }
        try site.write("content/site.yml", yml)
        let (_, d1) = site.build()
        XCTAssertTrue(d1.map(\.description).contains { $0.hasSuffix("error: 找不到主题“defualt”：themes/defualt/ 不存在，也没有这个内置主题，是不是 default？；内置主题有 default、portal (theme 'defualt' not found; did you mean 'default'?)") }, "\(d1)")
        try site.write("themes/defualt/theme.yml", "extends: plain\n")
        let (_, d2) = site.build()
        XCTAssertTrue(d2.map(\.description).contains("themes/defualt/theme.yml:1:10: error: extends: 没有名为“plain”的内置主题；内置主题有 default、portal (no built-in theme 'plain')"), "\(d2)")
    }
}

/// The interface's words live in the theme (strings.yml), not in Beacon's code.
final class UIStringTests: XCTestCase {
    func testSiteThemeChangesAWordAndUnknownKeysAreErrors() throws {
        let site = try TempSite()
        try site.remove("themes/default")
        try site.write("themes/default/strings.yml", "zh-Hans:\n  nav.search: 站内搜索\n  title.tags: 关键词\n")
        let (report, diagnostics) = site.build()
        XCTAssertTrue(report.succeeded, "\(diagnostics)")
        let home = try site.read("output/site/index.html")
        XCTAssertTrue(home.contains(">站内搜索</a>"), "the site's word")
        XCTAssertTrue(home.contains(">首页</a>"), "the built-in words for the rest")
        XCTAssertTrue(try site.read("output/site/tags/index.html").contains("<title>关键词 - "))
        try site.write("themes/default/strings.yml", "zh-Hans:\n  nav.serch: 站内搜索\n")
        let (_, bad) = site.build()
        XCTAssertEqual(bad.map(\.description), ["themes/default/strings.yml:2:3: error: strings.yml 没有 nav.serch 这个键，是不是 nav.search？ (unknown string key 'nav.serch'; did you mean 'nav.search'?)"])
    }
}
