import Foundation
import XCTest
import BeaconModel
import BeaconBuild

/// Template boards (`for_each: branches`): one board per branch, validated before layout.
final class BoardTemplateTests: XCTestCase {
    /// The PDF's text without white space (pdftotext breaks lines where a compressed
    /// punctuation mark moves the next glyph).
    func pdftotext(_ path: URL) throws -> String {
        let tool = try XCTUnwrap(which("pdftotext"), "poppler-utils is not installed; run scripts/setup-tests.sh")
        return try runCommand(tool, [path.path, "-"]).stdout.filter { !$0.isWhitespace }
    }

    /// Front-matter values of a branch profile, read the simple way.
    func field(_ key: String, in text: String) -> String? {
        text.split(separator: "\n").first { $0.hasPrefix(key + ": ") }.map { String($0.dropFirst(key.count + 2)) }
    }

    func testExampleTemplateWritesOneBoardPerBranch() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, "\(diags)")
        let levels = [1: "一星级", 2: "二星级", 3: "三星级", 4: "四星级", 5: "五星级"]
        let files = try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("content/branches").path).filter { $0.hasSuffix(".md") }
        XCTAssertEqual(files.count, 7)
        for file in files {
            let profile = try site.read("content/branches/" + file)
            let slug = String(file.dropLast(3))
            let name = try XCTUnwrap(field("name", in: profile))
            let stars = try XCTUnwrap(field("stars", in: profile).flatMap { Int($0) })
            let pdf = site.output.appendingPathComponent("boards/zhi-bu-liang-pai/\(slug).pdf")
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("boards/zhi-bu-liang-pai/\(slug).png").path), slug)
            let text = try pdftotext(pdf)
            XCTAssertTrue(text.contains(name), "\(slug): the branch's name")
            XCTAssertTrue(text.contains(levels[stars]!), "\(slug): its stars (\(stars))")
            XCTAssertTrue(text.contains(String(repeating: "★", count: stars) + String(repeating: "☆", count: 5 - stars)) || stars == 5 && text.contains("★★★★★"), "\(slug): the star plate")
            XCTAssertTrue(text.contains(try XCTUnwrap(field("secretary", in: profile))), "\(slug): {{secretary}} filled in")
            // Print-ready like every board: the site has the same PDF.
            XCTAssertTrue(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("site/boards/zhi-bu-liang-pai/\(slug).pdf").path))
        }
        // The 支部概况 template only for five-star branches, filled from their stats and people.
        let gaikuang = try FileManager.default.contentsOfDirectory(atPath: site.output.appendingPathComponent("boards/zhi-bu-gai-kuang").path).sorted()
        XCTAssertEqual(gaikuang, ["diyi-zhongxue.pdf", "diyi-zhongxue.png", "guihuali-shequ.pdf", "guihuali-shequ.png", "qingshi-cun.pdf", "qingshi-cun.png"])
        let village = try pdftotext(site.output.appendingPathComponent("boards/zhi-bu-gai-kuang/qingshi-cun.pdf"))
        XCTAssertTrue(village.contains("李明华") && village.contains("联系农户"), "people and stats from the profile")
        // One ZIP per template with every copy, for the print shop.
        let zip = site.output.appendingPathComponent("boards/zhi-bu-liang-pai.zip")
        let listing = try runCommand(try XCTUnwrap(which("python3")), ["-c", "import sys, zipfile; print('\\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))", zip.path])
        XCTAssertEqual(listing.stdout.split(separator: "\n").map(String.init), files.map { "zhi-bu-liang-pai/" + $0.dropLast(3) + ".pdf" }.sorted())
        // The site: the branch page shows its boards; the gallery groups the template with a count.
        let branchPage = try site.read("output/site/branches/qingshi-cun/index.html")
        XCTAssertTrue(branchPage.contains("本支部展板"))
        XCTAssertTrue(branchPage.contains("/study/boards/zhi-bu-liang-pai/qingshi-cun.pdf"))
        XCTAssertTrue(branchPage.contains("/study/boards/zhi-bu-gai-kuang/qingshi-cun/"))
        let gallery = try site.read("output/site/boards/index.html")
        XCTAssertTrue(gallery.contains("共 7 份"), "the template's count")
        XCTAssertTrue(gallery.contains(">支部亮牌</a>"), "a template is named after its file when its title is a template")
        let templatePage = try site.read("output/site/boards/zhi-bu-liang-pai/index.html")
        XCTAssertTrue(templatePage.contains("农村（1 份）") && templatePage.contains("社区（1 份）"), "copies grouped by domain")
        XCTAssertTrue(templatePage.contains("href=\"#d1\""), "the domain filter")
        XCTAssertTrue(templatePage.contains("<span id=\"d2\" class=\"filter-target\"></span>") && templatePage.contains("class=\"domain-group g-d2\""),
                      "社区 (the second domain) can be chosen")
        XCTAssertTrue(gallery.contains("/study/boards/zhi-bu-liang-pai/#d2"), "the gallery's domain chips open the filtered page")
        XCTAssertTrue(templatePage.contains("/study/boards/zhi-bu-liang-pai.zip"))
    }

    /// Three branches, two of them without a secretary.
    func siteWithBranches() throws -> TempSite {
        let site = try TempSite()
        try site.write("content/branches/a-cun.md", "---\nname: 中共甲村支部委员会\ndomain: 农村\nstars: 3\nsecretary: 王一\npractices: [修路]\n---\n甲村。\n")
        try site.write("content/branches/b-cun.md", "---\nname: 中共乙村支部委员会\ndomain: 农村\nstars: 5\npractices: [种茶]\n---\n乙村。\n")
        try site.write("content/branches/c-she.md", "---\nname: 中共丙社区委员会\ndomain: 社区\nstars: 4\npractices: [议事]\n---\n丙社区。\n")
        return site
    }

    func assertTemplateFails(_ yaml: String, _ expected: String, site: TempSite, file: StaticString = #filePath, line: UInt = #line) throws {
        try site.write("content/boards/liangpai.yml", "title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nsize: a4\nblocks:\n  - type: stars\n    branch: this\n")
        let (good, goodDiags) = site.build()
        XCTAssertTrue(good.succeeded, "\(goodDiags)", file: file, line: line)
        let before = site.snapshot()
        XCTAssertNotNil(before["boards/liangpai/a-cun.pdf"], file: file, line: line)
        try site.write("content/boards/liangpai.yml", yaml)
        let (report, diags) = site.build()
        XCTAssertFalse(report.succeeded, file: file, line: line)
        XCTAssertTrue(diags.map(\.description).contains(expected), "expected \(expected)\ngot \(diags.map(\.description))", file: file, line: line)
        XCTAssertEqual(site.snapshot(), before, "output/ must stay as it was", file: file, line: line)
    }

    func testMissingFieldNamesEveryBranchThatLacksIt() throws {
        let site = try siteWithBranches()
        try assertTemplateFails("title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nsize: a4\nblocks:\n  - type: text\n    body: 书记：{{secretary}}\n",
            "content/boards/liangpai.yml:7:11: error: 展板模板“支部亮牌”用到字段 secretary（支部书记），这 3 个支部没有：中共乙村支部委员会（content/branches/b-cun.md）、中共丙社区委员会（content/branches/c-she.md）、中共测试村支部委员会（content/branches/test-branch.md）。请在支部资料里补上，或在展板里写 defaults: { secretary: … } (board template '支部亮牌' uses 'secretary', which 3 branch(es) lack)",
            site: site)
        // `where` narrows the branches that must have it; `defaults` fills it in.
        try site.write("content/boards/liangpai.yml", "title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nwhere: { domain: 农村 }\ndefaults: { secretary: 待选举 }\nsize: a4\nblocks:\n  - type: text\n    body: 书记：{{secretary}}\n")
        let (ok, diags) = site.build()
        XCTAssertTrue(ok.succeeded, "\(diags)")
        let filled = try pdftotext(site.output.appendingPathComponent("boards/liangpai/b-cun.pdf"))
        XCTAssertTrue(filled.contains("书记：待选举"), filled)
        XCTAssertTrue(try pdftotext(site.output.appendingPathComponent("boards/liangpai/a-cun.pdf")).contains("书记：王一"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: site.output.appendingPathComponent("boards/liangpai/c-she.pdf").path), "not a 农村 branch")
    }

    func testBranchThisNeedsTheDataInEveryProfile() throws {
        let site = try siteWithBranches()
        try assertTemplateFails("title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nsize: a4\nblocks:\n  - type: stats\n    branch: this\n",
            "content/boards/liangpai.yml:7:13: error: 展板模板“支部亮牌”用到字段 stats（支部概况数据），这 4 个支部没有：中共甲村支部委员会（content/branches/a-cun.md）、中共乙村支部委员会（content/branches/b-cun.md）、中共丙社区委员会（content/branches/c-she.md）、中共测试村支部委员会（content/branches/test-branch.md）。请在支部资料里补上，或在展板里写 defaults: { stats: … } (board template '支部亮牌' uses 'stats', which 4 branch(es) lack)",
            site: site)
    }

    func testUnknownFieldIsAnError() throws {
        let site = try siteWithBranches()
        try assertTemplateFails("title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nsize: a4\nblocks:\n  - type: text\n    body: 书记：{{secretery}}\n",
            "content/boards/liangpai.yml:7:11: error: 展板模板用到的 secretery 不是支部字段，是不是 secretary？可用：name、short_name、slug、domain、stars、stars_text、secretary、members、founded、address、photo、honors、practices、commitments、tags、people、stats (unknown branch field 'secretery')",
            site: site)
    }

    func testTemplateSyntaxErrorInPlainWords() throws {
        let site = try siteWithBranches()
        try assertTemplateFails("title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nsize: a4\nblocks:\n  - type: text\n    body: \"{{#practices}}{{title}}\"\n",
            "content/boards/liangpai.yml:7:11: error: {{#…}} 开头的一段没有用 {{/…}} 结束（这段文字第 1 个字附近） (template syntax error)",
            site: site)
    }

    func testOverflowInOneCopyNamesThatBranch() throws {
        let site = try siteWithBranches()
        let long = String(repeating: "每周组织党员到田间地头帮助村民解决实际困难，", count: 200)
        try site.write("content/branches/b-cun.md", "---\nname: 中共乙村支部委员会\ndomain: 农村\nstars: 5\npractices: [\(long)]\n---\n乙村。\n")
        try assertTemplateFails("title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nwhere: { stars: 5 }\nsize: a4\nblocks:\n  - type: text\n    title: 特色工作\n    body: \"{{#practices}}{{title}}{{/practices}}\"\n",
            "content/boards/liangpai.yml:7:5: error: 为支部“中共乙村支部委员会”（content/branches/b-cun.md）生成的展板“中共乙村支部委员会”的第 1 个版块（text“特色工作”）缩到最小字号 8 pt 仍放不下，超出 687 mm；请删减文字、加大跨栏或减少版块 (board '中共乙村支部委员会', block 1 (text) overflows by 687 mm at the minimum size)",
            site: site)
    }

    func zipEntries(_ zip: URL) throws -> [String] {
        let r = try runCommand(try XCTUnwrap(which("python3")), ["-c", "import sys, zipfile; print('\\n'.join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))", zip.path])
        return r.stdout.split(separator: "\n").map(String.init)
    }

    /// A print pack: just the chosen copies (and their ZIP) are written into the existing
    /// output; every other file stays byte for byte as it was.
    func testBoardsForWritesJustThoseCopies() throws {
        let site = try siteWithBranches()
        try site.write("content/boards/liangpai.yml", "title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nsize: a4\nblocks:\n  - type: stars\n    branch: this\n")
        XCTAssertTrue(site.build().0.succeeded)
        let before = site.snapshot()
        let r = try runCommand(Repo.beaconBinary.path, ["build", "--root", site.root.path, "--boards-for", "b-cun"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("(print pack: 1 boards → output/boards/print-pack-b-cun.zip"), r.stderr)
        let after = site.snapshot()
        let changed = Set(after.keys).union(before.keys).filter { before[$0] != after[$0] }.sorted()
        // The PDF's bytes change (its creation date); the PNG is the same picture.
        XCTAssertEqual(changed.filter { !$0.hasSuffix(".beacon-manifest") },
                       ["boards/liangpai/b-cun.pdf", "boards/print-pack-b-cun.zip", "site/boards/liangpai/b-cun.pdf"])
        XCTAssertEqual(try zipEntries(site.output.appendingPathComponent("boards/print-pack-b-cun.zip")), ["liangpai/b-cun.pdf"])
        XCTAssertNotNil(after["boards/liangpai/a-cun.pdf"], "the other copies stay")

        let byDomain = try runCommand(Repo.beaconBinary.path, ["build", "--root", site.root.path, "--boards-for", "domain=农村"])
        XCTAssertEqual(byDomain.status, 0, byDomain.stderr)
        XCTAssertEqual(try zipEntries(site.output.appendingPathComponent("boards/print-pack-domain-nong-cun.zip")),
                       ["liangpai/a-cun.pdf", "liangpai/b-cun.pdf", "liangpai/test-branch.pdf"])

        let unchanged = site.snapshot()
        let bad = try runCommand(Repo.beaconBinary.path, ["build", "--root", site.root.path, "--boards-for", "no-such"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("--boards-for:1:1: error: 找不到支部 no-such"), bad.stderr)
        XCTAssertEqual(site.snapshot(), unchanged, "a failed print pack leaves output/ as it was")
        // A plain build afterwards: the packs are gone (Beacon's own files), every copy is there.
        XCTAssertTrue(site.build().0.succeeded)
        XCTAssertNil(site.snapshot()["boards/print-pack-b-cun.zip"])
    }
}

/// A template board is shown by its name, never by its file name's pinyin.
final class BoardTemplateNameTests: XCTestCase {
    func testTemplateWhoseTitleUsesFieldsNeedsAName() throws {
        let site = try TempSite()
        try site.write("content/boards/liangpai.yml", "title: \"{{name}}\"\nfor_each: branches\nsize: a4\nblocks:\n  - type: stars\n    branch: this\n")
        let (report, diagnostics) = site.build()
        XCTAssertFalse(report.succeeded)
        XCTAssertTrue(diagnostics.map(\.description).contains("content/boards/liangpai.yml:1:8: error: 模板展板的标题“{{name}}”随支部而变，请用 name: 写出这套展板的名称，例如 name: 支部亮牌（展板页和列表用它） (a template whose title uses fields needs a name:)"), "\(diagnostics)")
        try site.write("content/boards/liangpai.yml", "title: \"{{name}}\"\nname: 支部亮牌\nfor_each: branches\nsize: a4\nblocks:\n  - type: stars\n    branch: this\n")
        XCTAssertTrue(site.build().0.succeeded)
        let gallery = try site.read("output/site/boards/index.html")
        XCTAssertTrue(gallery.contains("支部亮牌"))
        XCTAssertNil(gallery.range(of: ">[^<]*liangpai[^<]*<", options: .regularExpression), "the file name is not shown as text")
    }
}
