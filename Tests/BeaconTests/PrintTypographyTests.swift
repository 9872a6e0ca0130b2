import Foundation
import XCTest
import BeaconModel
import BeaconText
import BeaconLoad
import BeaconPrint
import CPrint

/// Print typography measured from positions: where each character was set.
final class PrintTypographyTests: XCTestCase {
    let ts = Typesetter()
    let body = TextStyle(font: FontSpec(family: "Noto Serif CJK SC", size: 10))

    func natural(_ s: String, _ style: TextStyle? = nil) -> Double {
        ts.label(RichText(s, style: style ?? body)).naturalWidth
    }

    static func isLatin(_ s: Unicode.Scalar) -> Bool { s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s)) }

    /// The ¼ em between Chinese and Latin lies wholly at the boundary: nothing inside "2026",
    /// nothing inside "Beacon", a full quarter em on each side; inline code the same.
    func testHanLatinGapSitsAtTheBoundary() {
        let p = ts.label(RichText("于2026年使用Beacon排版", style: body))
        let at = p.characterPositions().map(\.x)
        XCTAssertEqual(at.count, 16)
        XCTAssertEqual(at[1] - at[0], 10 + 2.5, accuracy: 0.02, "于 then a quarter em")
        for k in 1...3 { XCTAssertEqual(at[1 + k] - at[1], natural(String("2026".prefix(k))), accuracy: 0.02, "inside 2026") }
        XCTAssertEqual(at[5] - at[1], natural("2026") + 2.5, accuracy: 0.02, "2026 then a quarter em")
        XCTAssertEqual(at[8] - at[7], 10 + 2.5, accuracy: 0.02)
        let alone = ts.label(RichText("Beacon", style: body)).characterPositions().map(\.x)
        for k in 1...5 { XCTAssertEqual(at[8 + k] - at[8], alone[k] - alone[0], accuracy: 0.02, "inside Beacon") }
        XCTAssertEqual(at[14] - at[8], natural("Beacon") + 2.5, accuracy: 0.02)

        var code = body
        code.font = FontSpec(family: "Noto Sans Mono CJK SC", size: 9)
        code.code = true
        var r = RichText("运行", style: body)
        r.append("--strict", style: code)
        r.append("检查", style: body)
        let q = ts.label(r)
        let cx = q.characterPositions().map(\.x)
        XCTAssertEqual(cx[2] - cx[1], 10 + 2.5, accuracy: 0.02, "before inline code")
        let codeAlone = ts.label(RichText("--strict", style: code)).characterPositions().map(\.x)
        for k in 1...7 { XCTAssertEqual(cx[2 + k] - cx[2], codeAlone[k] - codeAlone[0], accuracy: 0.02, "inside code") }
        XCTAssertEqual(cx[10] - cx[2], natural("--strict", code) + 2.5, accuracy: 0.02, "after inline code")
    }

    /// A hyphen or plus between Chinese words (灯塔-党建, 党建+服务) is set tight: the ¼ em
    /// gaps belong beside letters and digits, not beside a lone symbol.
    func testALoneSymbolBetweenChineseWordsGetsNoGap() {
        for text in ["灯塔-党建在线", "党建+服务"] {
            let p = ts.label(RichText(text, style: body))
            let at = p.characterPositions().map(\.x)
            let sym = text.unicodeScalars.firstIndex { $0 == "-" || $0 == "+" }.map { text.unicodeScalars.distance(from: text.unicodeScalars.startIndex, to: $0) }!
            let symbol = String(text.unicodeScalars[text.unicodeScalars.index(text.unicodeScalars.startIndex, offsetBy: sym)])
            XCTAssertEqual(at[sym] - at[sym - 1], 10, accuracy: 0.02, "no gap before \(symbol) in \(text)")
            XCTAssertEqual(at[sym + 1] - at[sym], natural(symbol), accuracy: 0.02, "no gap after \(symbol) in \(text)")
        }
        // With a digit or letter in the run the gaps stay: 5G-党建.
        let p = ts.label(RichText("用5G-党建", style: body))
        let at = p.characterPositions().map(\.x)
        XCTAssertEqual(at[1] - at[0], 10 + 2.5, accuracy: 0.02)
        XCTAssertEqual(at[4] - at[1], natural("5G-") + 2.5, accuracy: 0.15, "a quarter em after 5G-")
    }

    /// An opening mark at the start of flush text (a heading, a contents entry) gives up its
    /// blank half, so “两学一做” lines up with 三会一课; after a paragraph's indent it keeps it.
    func testAnOpeningMarkAtTheStartOfFlushTextIsHalved() {
        let flush = ts.layout(RichText("“两学一做”学习教育", style: body), width: 200, align: .left).characterPositions().map(\.x)
        XCTAssertEqual(flush[1] - flush[0], 5, accuracy: 0.3)
        let indented = ts.layout(RichText("“两学一做”学习教育", style: body), width: 200, indent: 20, align: .left).characterPositions().map(\.x)
        XCTAssertEqual(indented[1] - indented[0], 10, accuracy: 0.3)
    }

    /// A narrow flush-left cell never ends with one character alone (生活不积 / 极): where no
    /// spacing within the limits moves a character, the line before breaks a character early.
    func testANarrowCellNeverEndsWithALoneCharacter() {
        let small = TextStyle(font: FontSpec(family: "Noto Serif CJK SC", size: 8.1))
        for w in stride(from: 32.5, through: 38.5, by: 0.5) {
            let p = ts.layout(RichText("部分党员参加组织生活不积极", style: small), width: w, align: .left, leading: 1.35)
            let last = p.lines.last!.text.trimmingCharacters(in: .whitespaces)
            XCTAssertGreaterThan(last.count, 1, "width \(w): \(p.lines.map(\.text))")
            XCTAssertEqual(p.lines.map(\.text).joined().filter { $0 != "\u{2028}" }, "部分党员参加组织生活不积极")
        }
    }

    /// The lone-character mending never cuts a character, a number or a line broken by hand,
    /// and never leaves an opening mark at a line's end (found in review: U+FFFD in print).
    func testMendingALoneCharacterKeepsTheTextAndTheRules() {
        let small = TextStyle(font: FontSpec(family: "Noto Serif CJK SC", size: 8.1))
        for text in ["积极参加党组织， 学", "中共青石村总支部委员会 · 年", "学习贯彻ABC\u{2028}学", "党员要落实“三会”", "各支部截至2026年", "全年共计12.5万"] {
            for w in stride(from: 30.0, through: 40.0, by: 0.5) {
                var r = RichText(text, style: small)
                r.normaliseSpaces()
                let p = ts.layout(RichText(text, style: small), width: w, align: .left, leading: 1.35)
                let lines = p.lines.map(\.text)
                XCTAssertFalse(lines.joined().contains("\u{FFFD}"), "\(text) at \(w): \(lines)")
                XCTAssertEqual(lines.joined().filter { $0 != "\u{2028}" }, r.text.filter { $0 != "\u{2028}" }, "\(text) at \(w)")
                for line in lines.dropLast() {
                    let end = line.unicodeScalars.last { $0 != "\u{2028}" && $0 != " " }
                    XCTAssertFalse(end.map { RichText.noLineEnd.contains($0) } ?? false, "\(text) at \(w): \(lines)")
                }
                XCTAssertFalse(lines.contains { $0.hasPrefix("6年") || $0.hasPrefix("5万") }, "a number split: \(lines)")
                if text.contains("\u{2028}") {
                    // The editor's break stays where it was: 学 alone after it is theirs.
                    XCTAssertEqual(lines.last, "学", "\(lines)")
                    XCTAssertTrue(lines.dropLast().last.map { $0.filter { $0 != "\u{2028}" }.hasSuffix("ABC") } ?? false, "\(lines)")
                }
            }
        }
    }

    /// A middle dot set off by spaces keeps both spaces (a board's footer: 委员会 · 2026年);
    /// a space between a full-width mark and a digit still goes.
    func testAMiddleDotKeepsTheSpacesAroundIt() {
        var r = RichText("中共青石村总支部委员会 · 2026年", style: body)
        r.normaliseSpaces()
        XCTAssertEqual(r.text, "中共青石村总支部委员会 · 2026年")
        var s = RichText("会议时间， 2026年", style: body)
        s.normaliseSpaces()
        XCTAssertEqual(s.text, "会议时间，2026年")
    }

    /// A circle drawn after text starts a path of its own: no line from where the text was
    /// set (a book's contents had a hairline from each page number to its first leader dot).
    func testACircleAfterTextIsNotJoinedToIt() throws {
        let surface = try XCTUnwrap(cairo_image_surface_create(CAIRO_FORMAT_RGB24, 100, 40))
        defer { cairo_surface_destroy(surface) }
        let cr = try XCTUnwrap(cairo_create(surface))
        defer { cairo_destroy(cr) }
        ts.label(RichText("12", style: body)).draw(cr, x: 80, y: 10)
        Canvas(cr).circle(10, 20, 0.5)
        let path = try XCTUnwrap(cairo_copy_path(cr))
        defer { cairo_path_destroy(path) }
        var i = 0, kinds: [cairo_path_data_type_t] = []
        while i < Int(path.pointee.num_data) {
            let header = path.pointee.data[i].header
            kinds.append(header.type)
            i += Int(header.length)
        }
        XCTAssertEqual(kinds.first, CAIRO_PATH_MOVE_TO)
        XCTAssertFalse(kinds.contains(CAIRO_PATH_LINE_TO), "\(kinds)")
    }

    static let numbersAndLatin = "桂花里社区有12个网格、3,600多户居民，2026年3月15日上午召开党员大会。会上用Excel表格和“学习强国”App汇总了98.5%的到会率，又请Beacon项目组讲解PDF版口袋书的印制流程，约定2026年4月1日前交第一稿。"

    /// A justified line fills its frame exactly, and its slack never goes inside a number or
    /// a Latin word: every letter and digit keeps its natural place within its word.
    func testJustifiedLinesFillTheFrameAndNeverSpreadNumbersOrWords() {
        let text = Self.numbersAndLatin + Self.numbersAndLatin
        var loose = 0, lines = 0, ragged = 0
        defer {
            XCTAssertLessThanOrEqual(Double(ragged) / Double(max(lines, 1)), 0.02, "\(ragged) ragged lines of \(lines)")
            // A text this dense in unbreakable Latin words and numbers leaves a few lines loose
            // (the next word is longer than the room punctuation compression can make).
            XCTAssertLessThanOrEqual(Double(loose) / Double(max(lines, 1)), 0.08, "\(loose) loose lines of \(lines)")
        }
        for chars in 10...28 {
            let width = Double(chars) * 10
            let p = ts.layout(RichText(text, style: body), width: width, indent: 20)
            XCTAssertEqual(p.lines.map(\.text).joined(), text)
            // Every broken line fills the frame, except one that would stand more than 0.4 em
            // apart before a word that cannot break: it stays flush left (rare at book widths).
            for (i, w) in p.lineWidths.enumerated() where i < p.lines.count - 1 {
                if p.lineLooseness[i] > 0 || abs(w + (i == 0 ? 20 : 0) - width) < 0.05 {
                    XCTAssertEqual(w + (i == 0 ? 20 : 0), width, accuracy: 0.05, "line \(i) at \(chars) characters: \(p.lines[i].text)")
                } else {
                    XCTAssertLessThan(w + (i == 0 ? 20 : 0), width - 10 * 0.4, "a ragged line is one that could not be justified")
                    if chars >= 16 { ragged += 1 }
                }
            }
            let pos = p.characterPositions()
            var i = 0
            while i < pos.count {
                guard Self.isLatin(pos[i].scalar) else { i += 1; continue }
                var j = i + 1
                while j < pos.count && Self.isLatin(pos[j].scalar) && pos[j].line == pos[i].line { j += 1 }
                // Letters keep the places they have in the word set alone (kerning included).
                let word = String(String.UnicodeScalarView(pos[i..<j].map(\.scalar)))
                let alone = ts.label(RichText(word, style: body)).characterPositions().map(\.x)
                for k in (i + 1)..<max(i + 1, j) {
                    XCTAssertEqual(pos[k].x - pos[i].x, alone[k - i] - alone[0], accuracy: 0.02, "\(word) spread at \(chars) characters")
                }
                i = j
            }
            if chars >= 16 {
                loose += p.lineWidths.indices.filter { p.lineLooseness[$0] > Typesetter.looseLimit + 1e-6 }.count
                lines += p.lines.count
            }
        }
    }

    /// A line Pango broke at a full-width space (a run of its own) still reaches the margin.
    func testLineBrokenAtAFullWidthSpaceReachesTheMargin() {
        let text = String(repeating: "字", count: 16) + "abcde" + "字\u{3000}" + String(repeating: "字", count: 34) + "。"
        for chars in 12...30 {
            let width = Double(chars) * 10
            let p = ts.layout(RichText(text, style: body), width: width)
            for (i, w) in p.lineWidths.enumerated() where i < p.lines.count - 1 && p.lineLooseness[i] > 0 {
                XCTAssertEqual(w, width, accuracy: 0.05, "line \(i) at \(chars): \(p.lines[i].text)")
            }
        }
    }

    /// Inline code is literal: its spaces stay, and no gap goes inside it.
    func testInlineCodeKeepsItsSpaces() {
        var code = body
        code.font = FontSpec(family: "Noto Sans Mono CJK SC", size: 9)
        code.code = true
        var r = RichText("运行", style: body)
        r.append("git commit -m \"修复 bug\"", style: code)
        r.append("和 C++ 编程", style: body)
        let p = ts.label(r)
        XCTAssertEqual(p.lines.map(\.text).joined(), "运行git commit -m \"修复 bug\"和C++编程")
        let pos = p.characterPositions()
        let codeAlone = ts.label(RichText("git commit -m \"修复 bug\"", style: code)).characterPositions().map(\.x)
        for k in 1..<codeAlone.count {
            XCTAssertEqual(pos[2 + k].x - pos[2].x, codeAlone[k] - codeAlone[0], accuracy: 0.02, "inside code at \(k)")
        }
        // C++ is one Latin run: a quarter em before C and after the second +.
        let plus = pos.lastIndex { $0.scalar == "+" }!
        XCTAssertEqual(pos[plus + 1].x - pos[plus].x, natural("+") + 2.5, accuracy: 0.02)
    }

    /// Paragraphs in the shapes of Party documents, at every width from 10 to 24 characters:
    /// none ends with one character alone (孤字), none gets a loose line, nothing is lost.
    func testNoLoneLastCharacterInBodyText() {
        let texts = [
            "**每季度至少召开一次。**讨论决定支部重要事项，听取党员对支部工作的意见和建议。",
            "支部委员会要认真落实“三会一课”制度，把党员教育管理融入日常、抓在经常。",
            "2026年3月15日上午，第一党小组在村党群服务中心集中学习党章，18名党员参加。",
            "会后，各党小组结合实际制定整改清单，明确责任人和完成时限，并在支部内公示。",
            "学习要联系思想和工作实际，把学到的理论转化为推动发展的具体办法，不能停留在读读念念、抄抄写写上。",
            "党员要带头亮身份、作表率，在疫情防控、防汛救灾和乡村振兴中冲锋在前。",
            "开展批评要注意方法。自我批评要深，相互批评要诚，不能以工作标准不够高这样的套话代替具体问题。",
            "（一）加强政治建设。坚持用习近平新时代中国特色社会主义思想武装头脑，推动学习走深走实。",
        ].map { $0.replacingOccurrences(of: "**", with: "") }
        var lone: [String] = []
        for text in texts {
            for chars in 10...24 {
                let p = ts.layout(RichText(text, style: body), width: Double(chars) * 10, indent: 20)
                XCTAssertEqual(p.lines.map(\.text).joined(), text)
                if p.lines.count > 1, let last = p.lines.last,
                   last.text.unicodeScalars.filter({ !RichText.noLineStart.contains($0) && !CJK.isPunctuation($0) }).count == 1 {
                    lone.append("\(chars): \(p.lines.map(\.text))")
                }
                if chars >= 14 {
                    XCTAssertLessThanOrEqual(p.loosestLine, Typesetter.looseLimit + 1e-6, "\(chars): \(p.lines.map(\.text))")
                }
            }
        }
        // 120 paragraphs: what no candidate could mend within the limits stays rare.
        XCTAssertLessThanOrEqual(lone.count, 2, "\(lone)")
    }

    /// Lists and flush-left text (headings, table cells) too.
    func testNoLoneLastCharacterInFlushLeftText() {
        for text in ["党员发展工作流程图", "支部书记", "组织委员", "部分党员参加组织生活不积极"] {
            for chars in 3...8 {
                let p = ts.layout(RichText(text, style: body), width: Double(chars) * 10, align: .left)
                if p.lines.count > 1 { XCTAssertGreaterThan(p.lines.last!.text.count, 1, "\(chars): \(p.lines.map(\.text))") }
            }
        }
    }

    /// Cached drawings are keyed by the font files a family resolves to: the stamp names, for
    /// regular and bold, a file that is there with its size and date, and tells families apart.
    func testFontStampNamesTheFilesAFamilyResolvesTo() throws {
        let sans = FontCatalogue.stamp(["Noto Sans CJK SC"]), kai = FontCatalogue.stamp(["LXGW WenKai"])
        XCTAssertNotEqual(sans, kai)
        XCTAssertEqual(FontCatalogue.stamp(["Noto Sans CJK SC", "LXGW WenKai"]), sans + "|" + kai)
        for stamp in [sans, kai] {
            let faces = stamp.split(separator: ":", maxSplits: 1)[1].split(separator: ";")
            XCTAssertEqual(faces.count, 2, "regular and bold: \(stamp)")
            for face in faces {
                let parts = face.split(separator: " ")
                XCTAssertEqual(parts.count, 3, String(face))
                let path = String(parts[0].split(separator: "#")[0])
                var st = stat()
                XCTAssertEqual(stat(path, &st), 0, path)
                XCTAssertEqual(String(parts[1]), "\(st.st_size)")
                XCTAssertEqual(String(parts[2]), "\(st.st_mtim.tv_sec)")
            }
        }
        XCTAssertNotEqual(sans.split(separator: ";")[0].split(separator: ":").last, sans.split(separator: ";")[1].split(separator: ":").last,
                          "the bold face is its own file or face: \(sans)")
    }

    /// The default theme sets quotations and emphasis in a Kai face with mainland punctuation,
    /// and the face is installed.
    func testKaiFaceIsGBStyleAndInstalled() throws {
        let text = try String(contentsOf: Repo.theme.appendingPathComponent("print.yml"), encoding: .utf8)
        XCTAssertTrue(text.contains("quote: LXGW WenKai"))
        XCTAssertTrue(FontCatalogue.has("LXGW WenKai"))
        XCTAssertTrue(FontCatalogue.has("霞鹜文楷"), "any of a face's names")
        XCTAssertFalse(FontCatalogue.has("方正楷体不存在"))
        let css = try String(contentsOf: Repo.theme.appendingPathComponent("static/style.css"), encoding: .utf8)
        XCTAssertTrue(css.contains("--kai: \"LXGW WenKai\""))
        XCTAssertFalse(css.contains("UKai"), "the web falls back to UKai's TW face, whose punctuation is centred")
    }

    // MARK: - print.yml

    func printYMLMessages(_ yaml: String) throws -> [String] {
        let site = try TempSite()
        try site.write("themes/default/print.yml", yaml)
        let (_, diagnostics) = site.build()
        return diagnostics.map(\.description).filter { $0.hasPrefix("themes/default/print.yml") }
    }

    func testPrintYMLUnknownKeyIsAnErrorWithSuggestion() throws {
        let messages = try printYMLMessages("book:\n  body_sise: 10\n  fonts:\n    qoute: LXGW WenKai\n")
        XCTAssertEqual(messages, [
            "themes/default/print.yml:2:3: error: book 中没有 body_sise 这一项，是不是 body_size？ (unknown key 'body_sise' in book; did you mean 'body_size'?)",
            "themes/default/print.yml:4:5: error: fonts 中没有 qoute 这一项，是不是 quote？ (unknown key 'qoute' in fonts; did you mean 'quote'?)",
        ])
    }

    func testPrintYMLRangeAndColourErrors() throws {
        let messages = try printYMLMessages("book:\n  body_size: 20\n  leading: 1.7\n  margins: { top: 2 }\n  colours:\n    accent: red\n")
        XCTAssertEqual(messages, [
            "themes/default/print.yml:2:14: error: body_size（正文字号）应在 7 到 14 之间（单位：磅），现在是 20 ('body_size' must be 7–14 pt, got 20)",
            "themes/default/print.yml:4:19: error: top（页边距）应在 5 到 40 之间（单位：毫米），现在是 2 ('top' must be 5–40 mm, got 2)",
            "themes/default/print.yml:6:13: error: 颜色 accent 的值“red”应写成 #a81c1c 的形式 (colour 'accent' must be written as #rrggbb)",
        ])
    }

    func testPrintYMLMissingFontNamesTheInstalledOnes() throws {
        let messages = try printYMLMessages("book:\n  fonts:\n    quote: 方正楷体不存在\n")
        let installed = FontCatalogue.chineseFamilies()
        XCTAssertTrue(installed.contains("LXGW WenKai"))
        let preferred = ["Noto Serif CJK SC", "Noto Sans CJK SC", "LXGW WenKai", "Noto Sans Mono CJK SC"].filter(installed.contains)
        let listed = preferred + installed.filter { !preferred.contains($0) }
        let zh = listed.prefix(12).joined(separator: "、") + (listed.count > 12 ? "……" : "")
        let en = listed.prefix(12).joined(separator: ", ") + (listed.count > 12 ? ", …" : "")
        XCTAssertTrue(zh.hasPrefix("Noto Serif CJK SC、Noto Sans CJK SC、LXGW WenKai"), zh)
        XCTAssertEqual(messages, [
            "themes/default/print.yml:3:12: error: 字体“方正楷体不存在”没有安装（fontconfig 找不到）；已安装的中文字体有：\(zh) (font '方正楷体不存在' is not installed; installed Chinese fonts: \(en))",
        ])
        // A face without Chinese would be replaced silently: an error too.
        if let latinOnly = ["DejaVu Sans", "Liberation Sans", "DejaVu Serif"].first(where: { FontCatalogue.has($0) && !FontCatalogue.coversChinese($0) }) {
            let again = try printYMLMessages("book:\n  fonts:\n    body: \(latinOnly)\n")
            XCTAssertEqual(again, ["themes/default/print.yml:3:11: error: 字体“\(latinOnly)”没有中文字形，中文会被别的字体替换；请选中文字体：\(zh) (font '\(latinOnly)' has no Chinese glyphs; installed Chinese fonts: \(en))"])
        }
        let empty = try printYMLMessages("book:\n  fonts:\n    body: \"\"\n")
        XCTAssertEqual(empty, ["themes/default/print.yml:3:11: error: 字体 body 是空的；请写字体名，例如 Noto Serif CJK SC (font 'body' is empty)"])
    }
}

/// The typographic metrics of whole books, measured from their PDFs by
/// scripts/print-metrics.py (character and word boxes): no Latin word or number cut by a gap,
/// no prohibited line start or end, at most 1 % loose lines, at most 2 lone-character last
/// lines per 100 pages.
final class PrintMetricsTests: XCTestCase {
    func metrics(_ pdfs: [URL]) throws -> [[String: Any]] {
        let r = try runCommand("/usr/bin/env", ["python3", Repo.root.appendingPathComponent("scripts/print-metrics.py").path, "--json"] + pdfs.map(\.path))
        XCTAssertEqual(r.status, 0, r.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    }

    func assertTypography(_ m: [String: Any], file: StaticString = #filePath, line: UInt = #line) {
        let name = (m["file"] as? String).map { URL(fileURLWithPath: $0).lastPathComponent } ?? "?"
        func n(_ key: String) -> Int { m[key] as? Int ?? -1 }
        XCTAssertGreaterThan(n("pages"), 0, name, file: file, line: line)
        XCTAssertEqual(n("split_words"), 0, "\(name): Latin words or numbers cut apart", file: file, line: line)
        XCTAssertEqual(n("bad_starts"), 0, "\(name): prohibited line starts", file: file, line: line)
        XCTAssertEqual(n("bad_ends"), 0, "\(name): prohibited line ends", file: file, line: line)
        XCTAssertLessThanOrEqual(Double(n("loose_lines")), Double(n("lines")) * 0.01, "\(name): loose lines", file: file, line: line)
        XCTAssertLessThanOrEqual(Double(n("lone_last_lines")), Double(n("pages")) * 0.02, "\(name): lone last lines", file: file, line: line)
    }

    func testExampleBooks() throws {
        let site = try TempSite(copyingContentFrom: Repo.root.appendingPathComponent("content"))
        let (_, diagnostics) = site.build()
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics)")
        let books = site.output.appendingPathComponent("books")
        let pdfs = try FileManager.default.contentsOfDirectory(at: books, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "pdf" && !$0.lastPathComponent.contains(".print-") }
        XCTAssertGreaterThanOrEqual(pdfs.count, 4)
        let all = try metrics(pdfs)
        XCTAssertEqual(all.count, pdfs.count)
        all.forEach { assertTypography($0) }
    }

    /// About 200 A6 pages of generated Party-document prose (ProseGenerator).
    func testTwoHundredPageBook() throws {
        let site = try TempSite()
        var gen = ProseGenerator(seed: 2026)
        try site.write("content/lessons/基准/_series.yml", "title: 基准专题\n")
        for i in 1...60 { try site.write("content/lessons/基准/第\(i)课.md", gen.lesson(i)) }
        try site.write("content/books/bench.yml", "title: 基准口袋书\npublisher: 基准测试\nsize: a6\ncontents:\n  - series: 基准\n")
        let (_, diagnostics) = site.build()
        XCTAssertFalse(diagnostics.contains { $0.severity == .error }, "\(diagnostics.filter { $0.severity == .error }.prefix(5))")
        let all = try metrics([site.output.appendingPathComponent("books/bench.pdf")])
        let m = try XCTUnwrap(all.first)
        XCTAssertGreaterThanOrEqual(m["pages"] as? Int ?? 0, 150)
        assertTypography(m)
    }
}

final class PaginationTests: XCTestCase {
    func line(keep: Bool = false, lastOfParagraph: Bool = false) -> FlowItem {
        var it = FlowItem(height: 10) { _, _, _, _ in }
        it.keepWithNext = keep
        it.cannotStartPage = lastOfParagraph
        return it
    }

    /// A heading at the foot of a page goes over with the lines it is kept with.
    func testHeadingGoesOverWithItsFirstLines() {
        let items = (0..<18).map { _ in line() } + [line(keep: true), line(keep: true), line(), line(), line()]
        let pages = Paginator.paginate(items, frameHeight: 200)
        XCTAssertEqual(pages[0].count, 18, "the heading and its first line move to the next page")
        XCTAssertEqual(pages[1].count, 5)
    }

    /// A long chain of keeps does not empty the foot of a page: at most four items go over.
    func testLongKeepChainBreaksWhereThePageIsFull() {
        let items = (0..<12).map { _ in line() } + (0..<12).map { _ in line(keep: true) } + [line(), line()]
        let pages = Paginator.paginate(items, frameHeight: 200)
        XCTAssertEqual(pages[0].count, 20, "the page is filled")
        XCTAssertEqual(pages.map(\.count).reduce(0, +), items.count)
    }
}
