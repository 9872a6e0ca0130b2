import Foundation
import XCTest
@testable import BeaconImport

/// `beacon import`: .docx documents written here part by part (WordprocessingML, as Word and
/// WPS save it), imported, the Markdown asserted exactly, and the site built with it.
final class ImportTests: XCTestCase {
    static let w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    static let r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

    /// A .docx from its parts (zipped by python's zipfile).
    func docx(_ parts: [String: Data], at url: URL) throws {
        let dir = url.deletingPathExtension().appendingPathExtension("parts")
        for (name, data) in parts {
            let f = dir.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: f.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: f)
        }
        let py = "import os, sys, zipfile\nz = zipfile.ZipFile(sys.argv[2], 'w', zipfile.ZIP_DEFLATED)\nfor root, _, files in os.walk(sys.argv[1]):\n    for f in files:\n        p = os.path.join(root, f); z.write(p, os.path.relpath(p, sys.argv[1]))\nz.close()\n"
        XCTAssertEqual(try runCommand(try XCTUnwrap(which("python3")), ["-c", py, dir.path, url.path]).status, 0)
        // docs/import.md compares Beacon with pandoc on these documents: BEACON_IMPORT_SAMPLES
        // names a folder to keep them in.
        if let keep = ProcessInfo.processInfo.environment["BEACON_IMPORT_SAMPLES"] {
            let dest = URL(fileURLWithPath: keep).appendingPathComponent(name + "-" + url.lastPathComponent)
            try? FileManager.default.createDirectory(atPath: keep, withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: dest)
            try FileManager.default.copyItem(at: url, to: dest)
        }
    }

    func document(_ body: String, styles: String, extra: [String: String] = [:], pictures: [String: Data] = [:]) -> [String: Data] {
        var parts: [String: Data] = [
            "[Content_Types].xml": Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>".utf8),
            "word/document.xml": Data("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"\(Self.w)\" xmlns:r=\"\(Self.r)\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>\(body)</w:body></w:document>".utf8),
            "word/styles.xml": Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"\(Self.w)\">\(styles)</w:styles>".utf8),
            // The package's own relationships, as every Word and WPS file has them.
            "_rels/.rels": Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".utf8),
            "word/_rels/document.xml.rels": Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/></Relationships>".utf8),
        ]
        for (k, v) in extra { parts[k] = Data(v.utf8) }
        for (k, v) in pictures { parts[k] = v }
        return parts
    }

    func p(_ runs: String, style: String? = nil, num: (Int, Int)? = nil) -> String {
        var ppr = ""
        if let style { ppr += "<w:pStyle w:val=\"\(style)\"/>" }
        if let num { ppr += "<w:numPr><w:ilvl w:val=\"\(num.1)\"/><w:numId w:val=\"\(num.0)\"/></w:numPr>" }
        return "<w:p>" + (ppr.isEmpty ? "" : "<w:pPr>\(ppr)</w:pPr>") + runs + "</w:p>"
    }
    func t(_ s: String, bold: Bool = false, italic: Bool = false) -> String {
        let rpr = (bold ? "<w:b/>" : "") + (italic ? "<w:i/>" : "")
        return "<w:r>" + (rpr.isEmpty ? "" : "<w:rPr>\(rpr)</w:rPr>") + "<w:t xml:space=\"preserve\">\(s)</w:t></w:r>"
    }

    /// Word's style ids and names.
    let wordStyles = "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/></w:style>"
    /// WPS saves its own ids, with the Chinese names.
    let wpsStyles = "<w:style w:type=\"paragraph\" w:styleId=\"3\"><w:name w:val=\"标题 1\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"4\"><w:name w:val=\"标题 2\"/></w:style><w:style w:type=\"paragraph\" w:styleId=\"12\"><w:name w:val=\"小标题\"/><w:pPr><w:outlineLvl w:val=\"2\"/></w:pPr></w:style>"

    func testEveryElementBecomesMarkdown() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        let png = try Data(contentsOf: Repo.fixtures.appendingPathComponent("tiny.png"))
        let numbering = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:numbering xmlns:w=\"\(Self.w)\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"◦\"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId=\"1\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum><w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num><w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>"
        let rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId5\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" Target=\"https://www.12371.cn/\" TargetMode=\"External\"/><Relationship Id=\"rId6\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" Target=\"media/image1.png\"/><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" Target=\"numbering.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" Target=\"footnotes.xml\"/></Relationships>"
        let footnotes = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:footnotes xmlns:w=\"\(Self.w)\"><w:footnote w:type=\"separator\" w:id=\"-1\"><w:p/></w:footnote><w:footnote w:id=\"1\"><w:p><w:r><w:t>见《中国共产党支部工作条例（试行）》。</w:t></w:r></w:p></w:footnote></w:footnotes>"
        let core = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\"><dc:creator>青石村党总支</dc:creator><dcterms:created>2026-05-31T18:30:00Z</dcterms:created></cp:coreProperties>"
        let drawing = "<w:r><w:drawing><wp:inline><wp:docPr id=\"1\" name=\"图片 1\" descr=\"村民议事会现场\"/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:blipFill><a:blip r:embed=\"rId6\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        var body = p(t("村民议事会怎样议事"), style: "Title")
        body += p(t("一、议事的由来"), style: "Heading1")
        body += p(t("坚持每季度召开一次。", bold: true) + t("讨论决定村里的重要事项，2026年共议事12次。"))
        body += p(t("村民代表、老党员"), style: nil) .replacingOccurrences(of: "</w:t></w:r>", with: "</w:t><w:br/><w:t>和乡贤都来参加。</w:t></w:r>")
        body += "<w:p/>"   // an empty paragraph: dropped
        body += p(t("（一）议事五步法"), style: "Heading2")
        body += p(t("村民提议"), num: (2, 0)) + p(t("党总支审议"), num: (2, 0))
        body += p(t("议题公示"), num: (1, 0)) + p(t("张榜七天"), num: (1, 1))
        body += p(t("1. 这是正文里打出来的编号，不是列表。"))
        body += p(t("详见") + "<w:hyperlink r:id=\"rId5\">" + t("共产党员网") + "</w:hyperlink>" + t("，以及") + t("《条例》", italic: true) + "<w:r><w:footnoteReference w:id=\"1\"/></w:r>" + t("。"))
        body += p(drawing)
        body += "<w:tbl><w:tblGrid><w:gridCol w:w=\"2000\"/><w:gridCol w:w=\"4000\"/></w:tblGrid><w:tr><w:tc><w:p>\(t("年份"))</w:p></w:tc><w:tc><w:p>\(t("议题"))</w:p></w:tc></w:tr><w:tr><w:tc><w:p>\(t("2026"))</w:p></w:tc><w:tc><w:p>\(t("修建便民桥"))</w:p></w:tc></w:tr></w:tbl>"
        body += p(t("分页之后") + "<w:r><w:br w:type=\"page\"/></w:r>" + t("的文字，半角标点,要改成全角."))
        body += p("<w:r><w:commentReference w:id=\"0\"/></w:r>" + t("有批注的一段。"))
        let file = tmp.appendingPathComponent("议事.docx")
        try docx(document(body, styles: wordStyles, extra: ["word/numbering.xml": numbering, "word/_rels/document.xml.rels": rels,
                                                         "word/footnotes.xml": footnotes, "docProps/core.xml": core],
                          pictures: ["word/media/image1.png": png]), at: file)
        let lesson = try DocxImporter.read(file, mediaURL: "/media/lessons/x/")
        XCTAssertEqual(lesson.title, "村民议事会怎样议事")
        XCTAssertEqual(lesson.author, "青石村党总支")
        XCTAssertEqual(lesson.date, "2026-06-01", "created 18:30 UTC is the next day in Beijing")
        XCTAssertEqual(lesson.markdown, """
        ## 一、议事的由来

        **坚持每季度召开一次。**讨论决定村里的重要事项，2026年共议事12次。

        村民代表、老党员和乡贤都来参加。

        ### （一）议事五步法

        1. 村民提议
        2. 党总支审议

        - 议题公示
          - 张榜七天

        1\\. 这是正文里打出来的编号，不是列表。

        详见[共产党员网](https://www.12371.cn/)，以及*《条例》*[^1]。

        ![村民议事会现场](/media/lessons/x/图1.png)

        | 年份 | 议题 |
        |---|---|
        | 2026 | 修建便民桥 |

        分页之后的文字，半角标点，要改成全角。

        有批注的一段。

        [^1]: 见《中国共产党支部工作条例（试行）》。

        """)
        XCTAssertEqual(lesson.pictures.map(\.name), ["图1.png"])
        XCTAssertEqual(lesson.pictures.first?.data, png)
        XCTAssertEqual(lesson.fixes, ["halfwidth-punctuation × 2"])
        XCTAssertEqual(lesson.notCarried, ["第 15 段有批注，未导入 (a comment was not imported)"])

        // Through the command into a site: the picture copied out, the lesson built with no error.
        let site = try TempSite()
        let r = try runCommand(Repo.beaconBinary.path, ["import", file.path, "--series", "基层治理", "--kind", "案例", "--root", site.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("content/lessons/基层治理/村民议事会怎样议事.md：由 "), r.stderr)
        XCTAssertTrue(r.stderr.contains("议事.docx:1:1: warning: 第 15 段有批注，未导入"), r.stderr)
        let written = try site.read("content/lessons/基层治理/村民议事会怎样议事.md")
        XCTAssertTrue(written.hasPrefix("---\ntitle: 村民议事会怎样议事\ndate: 2026-06-01\nkind: 案例\nauthor: 青石村党总支\n---\n## 一、议事的由来\n"), written)
        XCTAssertTrue(written.contains("![村民议事会现场](/media/lessons/基层治理/村民议事会怎样议事/图1.png)"))
        XCTAssertEqual(try Data(contentsOf: site.root.appendingPathComponent("content/media/lessons/基层治理/村民议事会怎样议事/图1.png")), png)
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, diags.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(diags.filter { $0.severity == .error }, [])
        let page = try String(contentsOf: try XCTUnwrap(FileManager.default.enumerator(at: site.output.appendingPathComponent("site/lessons"), includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.first { $0.path.contains("cun-min-yi-shi-hui") && $0.lastPathComponent == "index.html" }), encoding: .utf8)
        XCTAssertTrue(page.contains("<strong>坚持每季度召开一次。</strong>讨论决定"), "the bold lead sentence on the page")
        XCTAssertFalse(page.contains("**"))
    }

    func testWPSStylesAndTheCommandBuildTheSite() throws {
        let site = try TempSite()
        let body = p(t("学习贯彻党的二十大精神"), style: "3") + p(t("一、提高站位"), style: "4")
            + p(t("正文第一段。")) + p(t("（一）细化措施"), style: "12") + p(t("正文第二段。"))
        let file = site.root.appendingPathComponent("wps.docx")
        try docx(document(body, styles: wpsStyles), at: file)
        let r = try runCommand(Repo.beaconBinary.path, ["import", file.path, "--series", "学习园地", "--root", site.root.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try site.read("content/lessons/学习园地/学习贯彻党的二十大精神.md").replacingOccurrences(of: #"date: \d{4}-\d{2}-\d{2}"#, with: "date: D", options: .regularExpression), """
        ---
        title: 学习贯彻党的二十大精神
        date: D
        kind: 学习资料
        ---
        ## 一、提高站位

        正文第一段。

        ### （一）细化措施

        正文第二段。

        """)
        // Never overwritten without --force; nothing written for a bad file.
        let again = try runCommand(Repo.beaconBinary.path, ["import", file.path, "--series", "学习园地", "--root", site.root.path])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("content/lessons/学习园地/学习贯彻党的二十大精神.md:1:1: error: 已有同名的学习资料"), again.stderr)
        XCTAssertEqual(try runCommand(Repo.beaconBinary.path, ["import", file.path, "--series", "学习园地", "--force", "--root", site.root.path]).status, 0)
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, diags.map(\.description).joined(separator: "\n"))
        XCTAssertEqual(diags.filter { $0.severity == .error }.count, 0)
    }

    /// Word's own numbering, as editors found it: headings numbered 一、（一） by Word, a list
    /// that goes on after a paragraph, （1） sub-items, list styles, two lists one after the
    /// other, a cell of two paragraphs, a title with brackets and a half-width colon.
    func testWordNumberingListsAndTitles() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        func lvl(_ i: Int, _ fmt: String, _ text: String) -> String {
            "<w:lvl w:ilvl=\"\(i)\"><w:start w:val=\"1\"/><w:numFmt w:val=\"\(fmt)\"/><w:lvlText w:val=\"\(text)\"/></w:lvl>"
        }
        let numbering = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:numbering xmlns:w=\"\(Self.w)\">"
            + "<w:abstractNum w:abstractNumId=\"0\">\(lvl(0, "chineseCounting", "%1、"))\(lvl(1, "chineseCounting", "（%2）"))</w:abstractNum>"
            + "<w:abstractNum w:abstractNumId=\"1\">\(lvl(0, "decimal", "%1."))\(lvl(1, "decimal", "（%2）"))</w:abstractNum>"
            + "<w:abstractNum w:abstractNumId=\"2\">\(lvl(0, "decimal", "%1."))</w:abstractNum>"
            + "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num><w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>"
            + "<w:num w:numId=\"3\"><w:abstractNumId w:val=\"2\"/></w:num><w:num w:numId=\"4\"><w:abstractNumId w:val=\"2\"/></w:num></w:numbering>"
        let styles = wordStyles.replacingOccurrences(of: "<w:name w:val=\"heading 1\"/>", with: "<w:name w:val=\"heading 1\"/><w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>")
            .replacingOccurrences(of: "<w:name w:val=\"heading 2\"/>", with: "<w:name w:val=\"heading 2\"/><w:pPr><w:numPr><w:ilvl w:val=\"1\"/><w:numId w:val=\"1\"/></w:numPr></w:pPr>")
            + "<w:style w:type=\"paragraph\" w:styleId=\"ListNumber\"><w:name w:val=\"List Number\"/><w:pPr><w:numPr><w:numId w:val=\"3\"/></w:numPr></w:pPr></w:style>"
        var body = p(t("[试行]村民议事规则: 怎样议事"), style: "Title")
        body += p(t("党员教育管理的重点"), style: "Heading1") + p(t("严格组织生活"), style: "Heading2")
        body += p(t("第一条"), num: (2, 0)) + p(t("第二条"), num: (2, 0)) + p(t("中间的说明。")) + p(t("第三条"), num: (2, 0))
        body += p(t("细则甲"), num: (2, 1)) + p(t("细则乙"), num: (2, 1))
        body += p(t("加强队伍建设"), style: "Heading1")
        body += p(t("甲"), style: "ListNumber") + p(t("乙"), style: "ListNumber") + "<w:p/>" + p(t("丙"), num: (4, 0)) + p(t("丁"), num: (4, 0))
        body += "<w:tbl><w:tblGrid><w:gridCol w:w=\"3000\"/></w:tblGrid><w:tr><w:tc><w:p>\(t("方式"))</w:p></w:tc></w:tr><w:tr><w:tc><w:p>\(t("可口头"))</w:p><w:p>\(t("可书面"))</w:p></w:tc></w:tr></w:tbl>"
        let file = tmp.appendingPathComponent("编号.docx")
        try docx(document(body, styles: styles, extra: ["word/numbering.xml": numbering]), at: file)
        let lesson = try DocxImporter.read(file, mediaURL: "/m/")
        XCTAssertEqual(lesson.title, "[试行]村民议事规则：怎样议事")
        XCTAssertEqual(lesson.markdown, """
        ## 一、党员教育管理的重点

        ### （一）严格组织生活

        1. 第一条
        2. 第二条

        中间的说明。

        3. 第三条

        （1）细则甲

        （2）细则乙

        ## 二、加强队伍建设

        1. 甲
        2. 乙

        1) 丙
        2) 丁

        | 方式 |
        |---|
        | 可口头；可书面 |

        """)
        XCTAssertEqual(lesson.fixes, ["halfwidth-punctuation × 1", "space-between-chinese × 1"])
        XCTAssertEqual(lesson.notCarried, ["第 1 个表格有单元格分了几段，已用“；”连成一段 (table 1: paragraphs in a cell joined with ；)"])

        // Made by pandoc: the author and date paragraphs go to the front matter.
        let md = tmp.appendingPathComponent("稿.md"), made = tmp.appendingPathComponent("pandoc.docx")
        try "---\ntitle: 主题党日活动记录\nauthor: 区委组织部\ndate: 2026-03-01\n---\n\n**活动主题。**重温入党誓词。\n".write(to: md, atomically: true, encoding: .utf8)
        let pandoc = try XCTUnwrap(which("pandoc"), "pandoc is not installed; run scripts/setup-tests.sh")
        XCTAssertEqual(try runCommand(pandoc, [md.path, "-o", made.path]).status, 0)
        let fromPandoc = try DocxImporter.read(made, mediaURL: "/m/")
        XCTAssertEqual(fromPandoc.title, "主题党日活动记录")
        XCTAssertEqual(fromPandoc.author, "区委组织部")
        XCTAssertEqual(fromPandoc.date, "2026-03-01")
        XCTAssertEqual(fromPandoc.markdown, "**活动主题。**重温入党誓词。\n")
    }

    /// What has no place in a lesson is reported with where it was, never dropped silently;
    /// tracked changes are taken as accepted, fields as the text they show.
    func testWhatCannotBeCarriedOverIsReported() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: tmp) }
        var body = p(t("第一段。"))
        body += p("<w:r><w:pict><v:shape xmlns:v=\"urn:schemas-microsoft-com:vml\"><v:textbox><w:txbxContent><w:p>\(t("框里的字"))</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>" + t("有文本框的一段。"))
        body += p("<w:r><w:drawing><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/chart\"><c:chart xmlns:c=\"http://schemas.openxmlformats.org/drawingml/2006/chart\" r:id=\"rId9\"/></a:graphicData></a:graphic></w:drawing></w:r>")
        body += p(t("保留") + "<w:ins w:id=\"1\" w:author=\"张\">" + t("插入的") + "</w:ins>" + "<w:del w:id=\"2\" w:author=\"张\"><w:r><w:delText>删去的</w:delText></w:r></w:del>" + t("文字。"))
        body += p("<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>" + t("3") + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>" + t("页。"))
        body += "<w:tbl><w:tblGrid><w:gridCol w:w=\"3000\"/><w:gridCol w:w=\"3000\"/></w:tblGrid><w:tr><w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p>\(t("合并的表头"))</w:p></w:tc></w:tr><w:tr><w:tc><w:p>\(t("甲"))</w:p></w:tc><w:tc><w:p>\(t("乙"))</w:p></w:tc></w:tr></w:tbl>"
        let file = tmp.appendingPathComponent("report.docx")
        try docx(document(body, styles: wordStyles), at: file)
        let lesson = try DocxImporter.read(file, mediaURL: "/m/")
        XCTAssertEqual(lesson.markdown, """
        第一段。

        有文本框的一段。

        保留插入的文字。

        3页。

        | 合并的表头 |  |
        |---|---|
        | 甲 | 乙 |

        """)
        XCTAssertEqual(lesson.notCarried, [
            "第 2 段有文本框，其中文字未导入 (text in a text box was not imported)",
            "第 3 段有图表，未导入；请另存为图片后插入 (a chart was not imported)",
            "第 4 段有修订（插入），已按接受修订导入 (tracked insertion accepted)",
            "第 4 段有修订（删除），已按接受修订导入 (tracked deletion accepted)",
            "第 5 段有域（目录、页码、公式等），只保留了它显示的文字 (a field kept as its shown text)",
            "第 1 个表格有合并的单元格，已拆开，合并处留空 (table 1: merged cells split)",
        ])
    }

    /// A folder: one lesson per document, each reported; a bad one does not stop the others.
    func testAFolderIsImportedFileByFile() throws {
        let site = try TempSite()
        let folder = site.root.appendingPathComponent("来稿")
        try docx(document(p(t("第一篇稿件"), style: "Title") + p(t("正文一。")), styles: wordStyles), at: folder.appendingPathComponent("一.docx"))
        try docx(document(p(t("第二篇稿件"), style: "Title") + p(t("正文二。")), styles: wordStyles), at: folder.appendingPathComponent("二.docx"))
        try Data([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0]).write(to: folder.appendingPathComponent("旧.doc"))
        let r = try runCommand(Repo.beaconBinary.path, ["import", folder.path, "--series", "来稿", "--kind", "案例", "--root", site.root.path])
        XCTAssertEqual(r.status, 1, "one of three failed")
        XCTAssertTrue(r.stderr.contains("content/lessons/来稿/第一篇稿件.md：由 "), r.stderr)
        XCTAssertTrue(r.stderr.contains("content/lessons/来稿/第二篇稿件.md：由 "), r.stderr)
        XCTAssertTrue(r.stderr.contains("旧.doc:1:1: error: 这是旧版 Word 格式"), r.stderr)
        XCTAssertTrue(r.stderr.contains("beacon：导入 2 篇，失败 1 篇"), r.stderr)
        XCTAssertTrue(try site.read("content/lessons/来稿/第二篇稿件.md").contains("kind: 案例\n---\n正文二。\n"))
        let (report, diags) = site.build()
        XCTAssertTrue(report.succeeded, diags.map(\.description).joined(separator: "\n"))
    }

    func testBadFilesAreRefusedInWords() throws {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("beacon-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        func read(_ name: String, _ data: Data) -> ImportError? {
            let f = tmp.appendingPathComponent(name)
            try? data.write(to: f)
            do { _ = try DocxImporter.read(f, mediaURL: "/m/"); return nil } catch { return error }
        }
        let ole: [UInt8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
        XCTAssertEqual(read("old.doc", Data(ole + [UInt8](repeating: 0, count: 600))), .oldWordFormat)
        let encrypted = Data(ole) + Data(repeating: 0, count: 100) + Data("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        XCTAssertEqual(read("locked.docx", encrypted), .encrypted)
        XCTAssertEqual(read("text.docx", Data("这不是文档".utf8)), .notADocx("不是 ZIP 压缩包"))
        let empty = tmp.appendingPathComponent("empty.docx")
        try docx(document("<w:p/><w:p><w:r><w:t>  </w:t></w:r></w:p>", styles: ""), at: empty)
        XCTAssertThrowsError(try DocxImporter.read(empty, mediaURL: "/m/")) { XCTAssertEqual($0 as? ImportError, .noText) }
        let noBody = tmp.appendingPathComponent("nobody.docx")
        try docx(["word/styles.xml": Data("<w:styles/>".utf8)], at: noBody)
        XCTAssertThrowsError(try DocxImporter.read(noBody, mediaURL: "/m/")) { XCTAssertEqual($0 as? ImportError, .missingPart("word/document.xml")) }
        // Entities nested ten deep (a "billion laughs"): refused at once, never expanded.
        let bomb = tmp.appendingPathComponent("bomb.docx")
        var dtd = "<!DOCTYPE w:document [<!ENTITY a0 \"党建\">"
        for i in 1...10 { dtd += "<!ENTITY a\(i) \"" + String(repeating: "&a\(i - 1);", count: 10) + "\">" }
        dtd += "]>"
        var parts = document(p(t("&a10;")), styles: wordStyles)
        parts["word/document.xml"] = Data(String(decoding: parts["word/document.xml"]!, as: UTF8.self)
            .replacingOccurrences(of: "standalone=\"yes\"?>", with: "standalone=\"yes\"?>" + dtd).utf8)
        try docx(parts, at: bomb)
        let start = Date()
        XCTAssertThrowsError(try DocxImporter.read(bomb, mediaURL: "/m/")) {
            XCTAssertEqual($0 as? ImportError, .notADocx("word/document.xml 不是完好的 XML，或带有 Word 从不写的 DTD"))
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        // The command: exit 1, the file named, nothing written.
        let site = try TempSite()
        let before = try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("content/lessons").path)
        let r = try runCommand(Repo.beaconBinary.path, ["import", tmp.appendingPathComponent("old.doc").path, "--root", site.root.path])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.contains("old.doc:1:1: error: 这是旧版 Word 格式（.doc）"), r.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("content/lessons").path), before)

        // content/media a link to a folder outside content/: nothing is written through it.
        let outside = tmp.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try FileManager.default.removeItem(at: site.root.appendingPathComponent("content/media"))
        try FileManager.default.createSymbolicLink(at: site.root.appendingPathComponent("content/media"), withDestinationURL: outside)
        let ok = tmp.appendingPathComponent("ok.docx")
        try docx(document(p(t("有图的一篇"), style: "Title") + p(t("正文。")), styles: wordStyles), at: ok)
        let linked = try runCommand(Repo.beaconBinary.path, ["import", ok.path, "--root", site.root.path])
        XCTAssertEqual(linked.status, 1)
        XCTAssertTrue(linked.stderr.contains("content/media:1:1: error: 这个文件夹是指向 content/ 之外的链接"), linked.stderr)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: outside.path), [])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: site.root.appendingPathComponent("content/lessons").path), before)
    }
}
