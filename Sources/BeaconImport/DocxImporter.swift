import Foundation
import CLibXML2
import BeaconModel
import BeaconText

/// A Word or WPS document (.docx) as a lesson: Markdown with its front-matter values, the
/// pictures it holds, and a report of what could not be carried over.
public struct ImportedLesson: Sendable {
    public var title: String
    public var date: String?
    public var author: String?
    /// The body, after the copy rules' mechanical fixes.
    public var markdown: String
    /// Pictures: file name (under the lesson's media folder) and bytes.
    public var pictures: [(name: String, data: Data)]
    /// What could not be carried over, each with where it was ("第 12 段").
    public var notCarried: [String]
    /// The copy rules' fixes applied, as "rule × count".
    public var fixes: [String]
}

public enum DocxImporter {
    /// Reads `url`. `mediaURL` is the site path the pictures will be published under
    /// (`/media/lessons/<lesson>/`).
    public static func read(_ url: URL, mediaURL: String) throws(ImportError) -> ImportedLesson {
        let package = try DocxPackage(url: url)
        guard let document = try package.xml("word/document.xml"), let root = document.root,
              let body = root.child("body") else { throw .missingPart("word/document.xml") }
        var c = Converter(package: package, mediaURL: mediaURL)
        try c.loadSupport()
        try c.convert(body)
        let text = c.output()
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { throw .noText }
        // The copy rules' mechanical fixes (half-width marks between Chinese characters, …).
        let review = CopyRules.review(text, enabled: Set(CopyRules.all), settle: true)
        var counts: [String: Int] = [:]
        for f in CopyRules.review(text, enabled: Set(CopyRules.all), settle: false).findings where f.replacement != nil { counts[f.rule, default: 0] += 1 }
        // The title through the copy rules too (as a title: a space between two phrases stays).
        let written = c.title ?? c.core.title ?? c.firstHeading ?? url.deletingPathExtension().lastPathComponent
        let titleReview = CopyRules.review(written, enabled: Set(CopyRules.all), title: true, settle: true)
        let title = titleReview.fixed
        for f in CopyRules.review(written, enabled: Set(CopyRules.all), title: true, settle: false).findings where f.replacement != nil {
            counts[f.rule, default: 0] += 1
        }
        let fixes = counts.keys.sorted().map { "\($0) × \(counts[$0]!)" }
        return ImportedLesson(title: title, date: c.core.date, author: c.core.author, markdown: review.fixed,
                              pictures: c.pictures, notCarried: c.notes, fixes: fixes)
    }
}

/// The walk from WordprocessingML to Markdown.
struct Converter {
    let package: DocxPackage
    let mediaURL: String
    /// Style id → (heading level, or 0 for a title; nil for body text).
    var headingOf: [String: Int] = [:]
    /// Style id → display name (to name list styles and report).
    var styleNames: [String: String] = [:]
    /// A numbering level: its format (decimal, chineseCounting, bullet …), its text with
    /// %1…%9 for the counters, and where it starts.
    struct Level { var format: String; var text: String; var start: Int }
    /// numId → its levels.
    var numbering: [String: [Int: Level]] = [:]
    /// numId → the counters of its levels, as the document has reached them.
    var counters: [String: [Int: Int]] = [:]
    /// Style id → the numbering a style gives its paragraphs (List Number, List Bullet …).
    var styleNumbering: [String: (numId: String, level: Int)] = [:]
    /// The list being written: the numId that opened it, the marker width of each open level,
    /// and whether its ordered items use ")" (so that it does not join the list before it).
    var list: (numId: String, widths: [Int], paren: Bool, ordered: Bool)?
    /// The kind of the list last ended (two lists of one kind in a row need other markers).
    var lastListOrdered: Bool?
    /// Whether the last block written is a list (a list right after it needs other markers).
    var lastWasList = false
    var alternate = false
    var relationships: [String: (target: String, external: Bool)] = [:]
    var footnoteText: [String: String] = [:]
    var core = (title: String?.none, author: String?.none, date: String?.none)

    var blocks: [String] = []
    var footnotes: [(String, String)] = []   // (label, text) in reference order
    var pictures: [(name: String, data: Data)] = []
    var notes: [String] = []
    var title: String?
    var firstHeading: String?
    var paragraphNumber = 0
    /// The description of the last picture (a caption under it that repeats it is dropped).
    var lastPictureAlt: String?
    var tableNumber = 0

    init(package: DocxPackage, mediaURL: String) {
        self.package = package
        self.mediaURL = mediaURL
    }

    // MARK: - Styles, numbering, relationships, footnotes, properties

    mutating func loadSupport() throws(ImportError) {
        if let styles = try package.xml("word/styles.xml"), let root = styles.root {
            for s in root.children where s.name == "style" {
                guard let id = s.attribute("styleId") else { continue }
                let name = s.child("name")?.attribute("val") ?? id
                styleNames[id] = name
                if let num = s.child("pPr")?.child("numPr"), let numId = num.child("numId")?.attribute("val") {
                    styleNumbering[id] = (numId, Int(num.child("ilvl")?.attribute("val") ?? "0") ?? 0)
                }
                if let level = Self.headingLevel(styleName: name) { headingOf[id] = level }
                else if let o = s.child("pPr")?.child("outlineLvl")?.attribute("val"), let n = Int(o), n < 9 { headingOf[id] = n + 1 }
            }
        }
        if let part = try package.xml("word/numbering.xml"), let root = part.root {
            func levels(_ node: xmlNodePtr) -> [Int: Level] {
                var out: [Int: Level] = [:]
                for l in node.children where l.name == "lvl" {
                    let ilvl = Int(l.attribute("ilvl") ?? "0") ?? 0
                    out[ilvl] = Level(format: l.child("numFmt")?.attribute("val") ?? "bullet",
                                      text: l.child("lvlText")?.attribute("val") ?? "%\(ilvl + 1).",
                                      start: Int(l.child("start")?.attribute("val") ?? "1") ?? 1)
                }
                return out
            }
            var abstract: [String: [Int: Level]] = [:]
            for a in root.children where a.name == "abstractNum" {
                if let id = a.attribute("abstractNumId") { abstract[id] = levels(a) }
            }
            for n in root.children where n.name == "num" {
                guard let id = n.attribute("numId"), let a = n.child("abstractNumId")?.attribute("val") else { continue }
                var lv = abstract[a] ?? [:]
                for o in n.children where o.name == "lvlOverride" {
                    let ilvl = Int(o.attribute("ilvl") ?? "0") ?? 0
                    if let start = o.child("startOverride")?.attribute("val").flatMap({ Int($0) }) { lv[ilvl]?.start = start }
                    for (k, v) in levels(o) { lv[k] = v }
                }
                numbering[id] = lv
            }
        }
        if let rels = try package.xml("word/_rels/document.xml.rels"), let root = rels.root {
            for r in root.children where r.name == "Relationship" {
                guard let id = r.attribute("Id"), let target = r.attribute("Target") else { continue }
                relationships[id] = (target, r.attribute("TargetMode") == "External")
            }
        }
        if let fn = try package.xml("word/footnotes.xml"), let root = fn.root {
            for f in root.children where f.name == "footnote" {
                guard let id = f.attribute("id"), f.attribute("type") == nil else { continue }
                var sub = Converter(package: package, mediaURL: mediaURL)
                sub.headingOf = headingOf
                sub.relationships = relationships
                let text = f.children.filter { $0.name == "p" }.map { sub.inline($0).trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }.joined(separator: " ")
                footnoteText[id] = text
            }
        }
        if let props = try package.xml("docProps/core.xml"), let root = props.root {
            for e in root.children {
                let v = e.text.trimmingCharacters(in: .whitespacesAndNewlines)
                guard !v.isEmpty else { continue }
                switch e.name {
                case "title": core.title = v
                case "creator": core.author = v
                case "created":
                    // Stored in UTC: the day it was in Beijing.
                    if let d = ISO8601DateFormatter().date(from: v) {
                        var cal = Calendar(identifier: .gregorian)
                        cal.timeZone = BuildClock.zone
                        let c = cal.dateComponents([.year, .month, .day], from: d)
                        core.date = Day(year: c.year!, month: c.month!, day: c.day!).description
                    } else if let d = Day.parse(String(v.prefix(10))) { core.date = d.description }
                default: break
                }
            }
        }
    }

    /// Heading levels from the built-in style names Word and WPS write, in English and Chinese.
    static func headingLevel(styleName: String) -> Int? {
        let n = styleName.lowercased().replacingOccurrences(of: " ", with: "")
        if n == "title" || n == "标题" { return 0 }
        for prefix in ["heading", "标题"] where n.hasPrefix(prefix) {
            if let d = Int(n.dropFirst(prefix.count)), (1...9).contains(d) { return d }
        }
        return nil
    }

    // MARK: - Blocks

    mutating func convert(_ body: xmlNodePtr) throws(ImportError) {
        for node in body.children {
            switch node.name {
            case "p":
                paragraphNumber += 1
                let pPr = node.child("pPr")
                let style = pPr?.child("pStyle")?.attribute("val")
                var numbered: (numId: String, level: Int)? = style.flatMap { styleNumbering[$0] }
                if let numPr = pPr?.child("numPr"), let numId = numPr.child("numId")?.attribute("val") {
                    numbered = (numId, Int(numPr.child("ilvl")?.attribute("val") ?? "0") ?? numbered?.level ?? 0)
                }
                if let n = numbered, n.numId == "0" { numbered = nil }
                let isHeading = style.flatMap { headingOf[$0] } != nil || pPr?.child("outlineLvl") != nil
                if let n = numbered, !isHeading {
                    listItem(node, numId: n.numId, level: n.level)
                    continue
                }
                // A heading numbered by Word (一、 （一）): its number written as text.
                let label = numbered.map { count($0.numId, $0.level) }
                endList()
                paragraph(node, label: label)
            case "tbl":
                endList()
                table(node)
                lastWasList = false
            case "sdt":
                // A content control (a cover page, a table of contents): its paragraphs.
                if let content = node.child("sdtContent") { try convert(content) }
            default:
                break
            }
        }
    }

    /// Advances the counter of `level` in list `numId` and gives the number as the document
    /// shows it ("3.", "一、", "（2）", "•").
    mutating func count(_ numId: String, _ level: Int) -> String {
        let levels = numbering[numId] ?? [:]
        var c = counters[numId] ?? [:]
        c[level] = (c[level] ?? ((levels[level]?.start ?? 1) - 1)) + 1
        for deeper in c.keys where deeper > level { c[deeper] = nil }
        counters[numId] = c
        guard let lv = levels[level] else { return "\(c[level]!)." }
        if lv.format == "bullet" { return lv.text }
        if lv.format == "none" { return "" }
        var text = lv.text
        for k in (0...8).reversed() where text.contains("%\(k + 1)") {
            let value = c[k] ?? (levels[k]?.start ?? 1)
            text = text.replacingOccurrences(of: "%\(k + 1)", with: Self.format(value, levels[k]?.format ?? "decimal"))
        }
        return text
    }

    /// A counter in a numbering format: 3, 三, 叁, ③, c, C, iii, III.
    static func format(_ n: Int, _ format: String) -> String {
        switch format {
        case "chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting", "taiwaneseCountingThousand":
            return chinese(n)
        case "chineseLegalSimplified": return chinese(n, digits: Array("零壹贰叁肆伍陆柒捌玖"), ten: "拾")
        case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
            return (1...20).contains(n) ? String(UnicodeScalar(0x2460 + n - 1)!) : "\(n)"
        case "lowerLetter", "upperLetter":
            var v = n, s = ""
            while v > 0 { v -= 1; s = String(UnicodeScalar(UInt8(97 + v % 26))) + s; v /= 26 }
            return format == "upperLetter" ? s.uppercased() : s
        case "lowerRoman", "upperRoman":
            var v = n, s = ""
            for (value, numeral) in [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")] {
                while v >= value { s += numeral; v -= value }
            }
            return format == "upperRoman" ? s.uppercased() : s
        default: return "\(n)"
        }
    }

    /// 1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五.
    static func chinese(_ n: Int, digits: [Character] = Array("〇一二三四五六七八九"), ten: String = "十") -> String {
        guard n > 0, n < 10_000 else { return "\(n)" }
        let d = digits.map(String.init)
        if n < 10 { return d[n] }
        if n < 20 { return ten + (n % 10 == 0 ? "" : d[n % 10]) }
        if n < 100 { return d[n / 10] + ten + (n % 10 == 0 ? "" : d[n % 10]) }
        if n < 1000 { return d[n / 100] + "百" + (n % 100 == 0 ? "" : (n % 100 < 10 ? d[0] : "") + (n % 100 < 20 && n % 100 >= 10 ? d[1] + chinese(n % 100, digits: digits, ten: ten) : chinese(n % 100, digits: digits, ten: ten))) }
        return d[n / 1000] + "千" + (n % 1000 == 0 ? "" : (n % 1000 < 100 ? d[0] : "") + chinese(n % 1000, digits: digits, ten: ten))
    }

    /// A numbered or bulleted paragraph. Bullets and plain "1." numbering become a Markdown
    /// list (tight, nested, numbered as the document numbers it); other numbering (一、
    /// （1） ①) is written as text at the start of its own paragraph, as the document shows it.
    mutating func listItem(_ node: xmlNodePtr, numId: String, level: Int) {
        let text = inline(node).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return }
        let label = count(numId, level)
        let lv = numbering[numId]?[level]
        let isBullet = lv == nil || lv?.format == "bullet"
        let isPlainNumber = lv?.format == "decimal" && lv?.text == "%\(level + 1)."
        guard isBullet || isPlainNumber else {
            endList()
            blocks.append(Self.protectLineStart(label + text))
            return
        }
        let level = min(level, 8)
        if list == nil || (level == 0 && list!.numId != numId && list!.widths.count <= 1) {
            // A new list; right after another one it takes other markers, or Markdown would
            // read the two as one.
            let follows = list != nil || lastWasList
            let sameKind = (list?.ordered ?? lastListOrdered) == !isBullet
            endList()
            if follows && sameKind { alternate.toggle() } else { alternate = false }
            list = (numId, [], alternate, !isBullet)
            blocks.append("")
        }
        var widths = list!.widths
        if widths.count > level { widths.removeLast(widths.count - level) }
        while widths.count < level { widths.append(widths.last ?? 2) }
        let marker: String
        if isBullet { marker = list!.paren ? "* " : "- " }
        else {
            let n = counters[numId]?[level] ?? 1
            marker = "\(n)" + (list!.paren ? ") " : ". ")
        }
        let item = String(repeating: " ", count: widths.reduce(0, +)) + marker + text
        widths.append(marker.count)
        list!.widths = widths
        let last = blocks.removeLast()
        blocks.append(last.isEmpty ? item : last + "\n" + item)
    }

    mutating func endList() {
        lastWasList = list != nil
        if let list { lastListOrdered = list.ordered }
        list = nil
    }

    mutating func paragraph(_ p: xmlNodePtr, label: String? = nil) {
        let style = p.child("pPr")?.child("pStyle")?.attribute("val")
        var level = style.flatMap { headingOf[$0] }
        if level == nil, let o = p.child("pPr")?.child("outlineLvl")?.attribute("val"), let n = Int(o), n < 9 { level = n + 1 }
        var text = inline(p).trimmingCharacters(in: .whitespaces)
        guard !text.isEmpty else { return }   // empty paragraphs (spacing) are dropped
        lastWasList = false
        // Pandoc and some templates put the author and the date in styled paragraphs under the
        // title: they go to the front matter. A caption paragraph that repeats the picture's
        // description above it is the caption the page shows already.
        let styleName = style.flatMap { styleNames[$0] }?.lowercased().replacingOccurrences(of: " ", with: "") ?? ""
        if styleName == "author" || styleName == "作者" {
            core.author = Self.rawText(p)   // the document says it in so many words
            return
        }
        if styleName == "date" || styleName == "日期", let d = Day.parse(Self.rawText(p)) {
            core.date = d.description   // more telling than the file's creation time
            return
        }
        if ["caption", "imagecaption", "题注", "图片标题"].contains(styleName), let alt = lastPictureAlt,
           blocks.last?.hasPrefix("![") == true, Self.rawText(p) == alt {
            return
        }
        if let label, !label.isEmpty {
            text = Self.numbered(label, text)
        }
        if let level {
            if level == 0 && title == nil { title = Self.rawText(p); return }
            let plain = Self.plain(text)
            if level == 0 {
                blocks.append("## " + plain)
                return
            }
            let raw = Self.numbered(label ?? "", Self.rawText(p))
            if firstHeading == nil { firstHeading = raw }
            headings.append((blocks.count, level, plain, raw))
            blocks.append("")   // written in output(), once every level is known
            return
        }
        blocks.append(Self.protectLineStart(text))
    }

    mutating func table(_ t: xmlNodePtr) {
        tableNumber += 1
        var rows: [[String]] = []
        var merged = false
        var joinedCells = false
        for tr in t.children where tr.name == "tr" {
            var row: [String] = []
            for tc in tr.children where tc.name == "tc" {
                let props = tc.child("tcPr")
                let span = Int(props?.child("gridSpan")?.attribute("val") ?? "1") ?? 1
                if span > 1 || props?.child("vMerge") != nil { merged = true }
                // Paragraphs of a cell: a Markdown table cell holds one line. They are joined
                // as they are after a closing mark (。；！？), else with "；" (reported).
                let paragraphs = tc.children.filter { $0.name == "p" }.map { inline($0).trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty }
                let text = paragraphs.dropFirst().reduce(paragraphs.first ?? "") { joined, next in
                    if let last = joined.last, "。；！？：…".contains(last) { return joined + next }
                    joinedCells = true
                    let wide = { (c: Character?) in c?.unicodeScalars.first.map { CJK.isWide($0) } ?? false }
                    return joined + (wide(joined.last) || wide(next.first) ? "；" : "; ") + next
                }
                row.append(text.replacingOccurrences(of: "|", with: "\\|"))
                for _ in 1..<max(1, min(span, 64)) { row.append("") }
            }
            if !row.isEmpty { rows.append(row) }
        }
        guard let header = rows.first else { return }
        if merged { notes.append("第 \(tableNumber) 个表格有合并的单元格，已拆开，合并处留空 (table \(tableNumber): merged cells split)") }
        if joinedCells { notes.append("第 \(tableNumber) 个表格有单元格分了几段，已用“；”连成一段 (table \(tableNumber): paragraphs in a cell joined with ；)") }
        let width = rows.map(\.count).max() ?? header.count
        func line(_ r: [String]) -> String { "| " + (r + Array(repeating: "", count: width - r.count)).joined(separator: " | ") + " |" }
        var out = [line(header), "|" + Array(repeating: "---|", count: width).joined()]
        out += rows.dropFirst().map(line)
        blocks.append(out.joined(separator: "\n"))
    }

    // MARK: - Runs

    /// The Markdown of a paragraph's runs: bold and italic as emphasis (merged across runs),
    /// links, pictures, footnote marks; soft line breaks joined (without a space between
    /// Chinese characters); page breaks dropped.
    mutating func inline(_ p: xmlNodePtr) -> String {
        var pieces: [(text: String, bold: Bool, italic: Bool, raw: Bool)] = []
        func add(_ s: String, _ bold: Bool, _ italic: Bool, raw: Bool = false) {
            if !raw, let last = pieces.last, !last.raw, last.bold == bold, last.italic == italic {
                pieces[pieces.count - 1].text += s
            } else { pieces.append((s, bold, italic, raw)) }
        }
        func runs(_ parent: xmlNodePtr, link: String?) {
            for n in parent.children {
                switch n.name {
                case "r":
                    let rPr = n.child("rPr")
                    let bold = Self.on(rPr?.child("b")), italic = Self.on(rPr?.child("i"))
                    for part in n.children {
                        switch part.name {
                        case "t":
                            let t = Self.escape(part.text)
                            if let link { add("[\(t)](\(link))", bold, italic, raw: true) } else { add(t, bold, italic) }
                        case "tab": add(" ", bold, italic)
                        case "br", "cr":
                            if part.attribute("type") == "page" || part.attribute("type") == "column" { continue }
                            add("\u{2028}", bold, italic)    // joined below
                        case "drawing", "pict":
                            picture(part, add: { add($0, false, false, raw: true) })
                        case "footnoteReference":
                            if let id = part.attribute("id"), let text = footnoteText[id] {
                                let label = "\(footnotes.count + 1)"
                                footnotes.append((label, text))
                                add("[^\(label)]", false, false, raw: true)
                            }
                        case "commentReference":
                            notes.append("第 \(paragraphNumber) 段有批注，未导入 (a comment was not imported)")
                        case "instrText":
                            notes.append("第 \(paragraphNumber) 段有域（目录、页码、公式等），只保留了它显示的文字 (a field kept as its shown text)")
                        default: break
                        }
                    }
                case "hyperlink":
                    var target: String?
                    if let id = n.attribute("id"), let r = relationships[id], r.external { target = r.target }
                    else if let anchor = n.attribute("anchor") { target = "#" + anchor }
                    runs(n, link: target.map(Self.escapeURL))
                case "ins":
                    notes.append("第 \(paragraphNumber) 段有修订（插入），已按接受修订导入 (tracked insertion accepted)")
                    runs(n, link: link)
                case "del":
                    notes.append("第 \(paragraphNumber) 段有修订（删除），已按接受修订导入 (tracked deletion accepted)")
                case "smartTag", "customXml", "fldSimple":
                    if n.name == "fldSimple" { notes.append("第 \(paragraphNumber) 段有域，只保留了它显示的文字 (a field kept as its shown text)") }
                    runs(n, link: link)
                case "sdt":
                    if let c = n.child("sdtContent") { runs(c, link: link) }
                default: break
                }
            }
        }
        runs(p, link: nil)
        if p.descendants.contains(where: { $0.name == "txbxContent" }) {
            notes.append("第 \(paragraphNumber) 段有文本框，其中文字未导入 (text in a text box was not imported)")
        }
        var out = ""
        for piece in pieces {
            if piece.raw || (!piece.bold && !piece.italic) { out += piece.text; continue }
            // Spaces stay outside the marks, so that the emphasis is recognised.
            let core = piece.text.trimmingCharacters(in: .whitespaces)
            guard !core.isEmpty else { out += piece.text; continue }
            let lead = piece.text.prefix { $0 == " " }, trail = String(piece.text.reversed().prefix { $0 == " " })
            let mark = piece.bold && piece.italic ? "***" : piece.bold ? "**" : "*"
            out += lead + mark + core + mark + trail
        }
        return Self.joinBreaks(out)
    }

    mutating func picture(_ node: xmlNodePtr, add: (String) -> Void) {
        let all = node.descendants
        if all.contains(where: { $0.name == "chart" }) {
            notes.append("第 \(paragraphNumber) 段有图表，未导入；请另存为图片后插入 (a chart was not imported)")
            return
        }
        guard let blip = all.first(where: { $0.name == "blip" }), let id = blip.attribute("embed"),
              let rel = relationships[id], !rel.external else {
            if all.contains(where: { $0.name == "txbxContent" }) { return }   // a text box: reported by the paragraph
            notes.append("第 \(paragraphNumber) 段有图形，未导入 (a drawing was not imported)")
            return
        }
        let path = rel.target.hasPrefix("/") ? String(rel.target.dropFirst()) : "word/" + rel.target
        guard let data = try? package.data(path) else {
            notes.append("第 \(paragraphNumber) 段的图片 \(rel.target) 在文档里找不到 (a picture is missing from the document)")
            return
        }
        // The file's own extension when it is a plain one (png, jpeg, gif, emf …).
        let ext = (rel.target as NSString).pathExtension.lowercased()
        let plain = !ext.isEmpty && ext.count <= 5 && ext.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        let name = "图\(pictures.count + 1).\(plain ? ext : "png")"
        pictures.append((name, data))
        let docPr = all.first { $0.name == "docPr" }
        let alt = [docPr?.attribute("descr"), docPr?.attribute("title")].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        lastPictureAlt = alt
        add("![\(Self.escape(alt))](\(mediaURL)\(name))")
    }

    /// Headings: (block index, level, text).
    var headings: [(index: Int, level: Int, text: String, raw: String)] = []

    /// The Markdown. Without a Title paragraph, a document that opens with a heading takes it
    /// as its title. The lesson's title is the page's h1, so the highest heading level left
    /// becomes `##` and the others follow it (up to `######`).
    mutating func output() -> String {
        var parts = blocks
        var dropped: Int?
        if title == nil, let first = headings.first, first.index == 0 {
            title = first.raw
            dropped = first.index
        }
        let kept = headings.filter { $0.index != dropped }
        let top = kept.map(\.level).min() ?? 1
        for h in kept { parts[h.index] = String(repeating: "#", count: min(6, 2 + h.level - top)) + " " + h.text }
        if let dropped { parts.remove(at: dropped) }
        if !footnotes.isEmpty { parts.append(footnotes.map { "[^\($0.0)]: \($0.1)" }.joined(separator: "\n")) }
        return parts.joined(separator: "\n\n") + "\n"
    }

    // MARK: - Text

    /// `<w:b/>` is on; `<w:b w:val="0"/>` or `false` is off.
    static func on(_ e: xmlNodePtr?) -> Bool {
        guard let e else { return false }
        let v = e.attribute("val")
        return v == nil || !(v == "0" || v == "false" || v == "none")
    }

    /// Characters Markdown would read as markup, escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "\\`*_[]<".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    static func escapeURL(_ s: String) -> String {
        s.replacingOccurrences(of: " ", with: "%20").replacingOccurrences(of: "(", with: "%28").replacingOccurrences(of: ")", with: "%29")
    }

    /// A paragraph that begins like Markdown block syntax (typed numbering "1." or "1)", a
    /// "#", "-", "+", ">") keeps it as text.
    static func protectLineStart(_ s: String) -> String {
        var lines: [String] = []
        for line in s.split(separator: "\n", omittingEmptySubsequences: false) {
            var l = String(line)
            let digits = l.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, digits.count <= 9 {
                let rest = l.dropFirst(digits.count)
                if let c = rest.first, c == "." || c == ")", rest.dropFirst().first == " " || rest.count == 1 {
                    l = digits + "\\" + rest
                }
            } else if let c = l.first, "#-+>=".contains(c) {
                l = "\\" + l
            }
            lines.append(l)
        }
        return lines.joined(separator: "\n")
    }

    /// Soft line breaks (U+2028 here): between two Chinese characters or marks they go; else a
    /// space, or a Markdown hard break where Latin text ends a line.
    static func joinBreaks(_ s: String) -> String {
        guard s.contains("\u{2028}") else { return s }
        let chars = Array(s)
        var out = ""
        for (i, c) in chars.enumerated() {
            guard c == "\u{2028}" else { out.append(c); continue }
            let before = i > 0 ? chars[i - 1] : " ", after = i + 1 < chars.count ? chars[i + 1] : " "
            let wide = { (c: Character) in c.unicodeScalars.first.map { CJK.isWide($0) } ?? false }
            if wide(before) || wide(after) { continue }
            if !out.hasSuffix(" ") && after != " " { out.append(" ") }
        }
        return out.trimmingCharacters(in: .whitespaces)
    }

    /// A paragraph's text as the document shows it, without Markdown (for the title).
    static func rawText(_ p: xmlNodePtr) -> String {
        var out = ""
        for n in p.descendants {
            switch n.name {
            case "t": out += n.text
            case "tab": out += " "
            case "br", "cr": if n.attribute("type") != "page" { out += "\u{2028}" }
            default: break
            }
        }
        return joinBreaks(out).trimmingCharacters(in: .whitespaces)
    }

    /// A number Word writes before a paragraph, and the paragraph: "一、党建" but "1. Party".
    static func numbered(_ label: String, _ text: String) -> String {
        guard let last = label.last else { return text }
        return label + (last.isASCII && !last.isWhitespace ? " " : "") + text
    }

    static func plain(_ s: String) -> String {
        s.replacingOccurrences(of: "***", with: "").replacingOccurrences(of: "**", with: "")
    }
}
