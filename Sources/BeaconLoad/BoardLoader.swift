import Foundation
import Yams
import BeaconModel
import BeaconText
import BeaconMarkdown

extension ContentLoader {
    /// The indentation of a YAML block scalar's first line of text (the lines after `line`).
    static func blockIndent(_ file: URL, after line: Int) -> Int {
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return 0 }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var i = line
        while i < lines.count {
            let l = lines[i]
            if !l.allSatisfy({ $0 == " " || $0 == "\r" }) { return l.prefix(while: { $0 == " " }).count }
            i += 1
        }
        return 0
    }

    public static let blockFields: [String: [String]] = [
        "text": ["body", "links"], "flow": ["stages"], "people": ["people", "branch"], "branches": ["where", "slugs", "branch"],
        "stars": ["branch"], "stats": ["items", "branch"], "schedule": ["year"], "qr": ["target", "caption"],
        "image": ["src", "caption"],
    ]

    func loadBoards(slugger: Slugger, lessons: [Lesson], branches: [Branch], media: Set<String>) -> [Board] {
        let dir = content.appendingPathComponent("boards")
        var out: [Board] = []
        let lessonRefs = Set(lessons.map(\.reference))
        let branchSlugs = Set(branches.map(\.slug) + branches.map(\.fileName))
        for (url, _) in children(of: dir) where ["yml", "yaml"].contains(url.pathExtension) {
            guard let (node, path) = readYAMLFile(url),
                  var f = YAMLFields(node, path: path, firstLine: 1, bag: bag, what: "展板定义") else { continue }
            let slug = slugger.nonEmptySlug(url.deletingPathExtension().lastPathComponent)
            if f.value("for_each") != nil, let node {
                out += expandTemplate(node, fields: &f, path: path, slug: slug, branches: branches) { filled, copyBag, branch in
                    guard var cf = YAMLFields(filled, path: path, firstLine: 1, bag: copyBag, what: "展板定义") else { return nil }
                    return self.parseBoard(&cf, path: path, slug: slug, lessonRefs: lessonRefs, branchSlugs: branchSlugs,
                                           branches: branches, media: media, bag: copyBag, checkKeys: false)
                }
                continue
            }
            if let board = parseBoard(&f, path: path, slug: slug, lessonRefs: lessonRefs, branchSlugs: branchSlugs,
                                      branches: branches, media: media, bag: bag, checkKeys: true) {
                out.append(board)
            }
        }
        checkCollisions(out.filter { $0.copy == nil }.map { ($0.slug, SourceLocation(path: $0.path)) }, what: "展板 (board)")
        return out
    }

    /// One board from its fields (a board file, or a template's copy for one branch).
    func parseBoard(_ f: inout YAMLFields, path: String, slug: String, lessonRefs: Set<String>, branchSlugs: Set<String>,
                    branches: [Branch], media: Set<String>, bag: DiagnosticBag, checkKeys: Bool) -> Board? {
        let title = f.string("title", required: "展板标题")
        var sizeName = "exhibition-landscape"
        var size = Board.presets[0].size
        var bleedMM = Board.presets[0].bleed
        if let node = f.value("size") {
            if let name = node.string {
                if let p = Board.presets.first(where: { $0.name == name.lowercased() }) {
                    sizeName = p.name; size = p.size; bleedMM = p.bleed
                } else {
                    let names = Board.presets.map(\.name)
                    let hint = TextMeasures.suggestion(for: name, among: names).map { "，是不是 \($0)？" } ?? "；"
                    f.error(f.location(of: node), "未知的展板尺寸 \(name)\(hint)可选：\(names.joined(separator: "、"))，或写 { width: 1200mm, height: 900mm } (unknown size '\(name)')")
                }
            } else if let m = node.mapping {
                var s = YAMLFields(mapping: m, path: path, firstLine: 1, bag: bag)
                // A PDF page is at most 14,400 units (200 inches) a side: 5,000 mm leaves room for bleed.
                func side(_ key: String, _ label: String) -> Double? {
                    guard let v = s.string(key, required: label) else { return nil }
                    guard let l = PaperSize.length(v) else {
                        s.error(s.valueLocation(key), "\(label)度 \(v) 看不懂，请写成 1200mm 这样的正数长度 ('\(key)' must be a positive length such as 1200mm)")
                        return nil
                    }
                    guard l >= 50 * PaperSize.pointsPerMM, l <= 5000 * PaperSize.pointsPerMM else {
                        s.error(s.valueLocation(key), String(format: "\(label)度 %@ 超出范围：展板每边 50 mm 到 5000 mm（PDF 页面最大 5080 mm） ('\(key)' must be 50–5000 mm)", v))
                        return nil
                    }
                    return l
                }
                let w = side("width", "宽"), h = side("height", "高")
                s.rejectUnknown(known: ["width", "height"])
                if let w, let h {
                    size = PaperSize(width: w, height: h)
                    sizeName = String(format: "%.0f×%.0f mm", size.widthMM, size.heightMM)
                    bleedMM = max(size.widthMM, size.heightMM) > 600 ? 10 : 5
                } else {
                    f.markFailed()
                }
            } else {
                f.error(f.location(of: node), "size 写成预设名（如 a4）或 { width: 1200mm, height: 900mm } (size must be a preset name or a width and height)")
            }
        }
        if let b = f.string("bleed") {
            if let l = PaperSize.length(b), l <= 30 * PaperSize.pointsPerMM { bleedMM = l / PaperSize.pointsPerMM }
            else { f.error(f.valueLocation("bleed"), "出血 \(b) 看不懂，请写成 5mm (bleed must be a length such as 5mm, at most 30mm)") }
        }
        let columns = f.int("columns", range: 1...12, label: "栏数") ?? 3
        let emblem = f.string("emblem")
        if let e = emblem { checkFile(e, at: f.valueLocation("emblem"), from: path, media: media, fields: &f, what: "标志图片") }
        var blocks: [BoardBlock] = []
        if let node = f.value("blocks") {
            if let seq = node.sequence {
                for item in seq {
                    if let b = boardBlock(item, columns: columns, fields: &f, lessonRefs: lessonRefs, branchSlugs: branchSlugs, branches: branches, media: media, boardPath: path, bag: bag) {
                        blocks.append(b)
                    }
                }
            } else { f.error(f.location(of: node), "blocks 应当是列表 (blocks must be a list)") }
        } else { f.missing("blocks", "版块") }
        let board = Board(path: path, slug: slug, title: title ?? "",
                          subtitle: f.string("subtitle"), sizeName: sizeName, size: size, bleed: bleedMM * PaperSize.pointsPerMM,
                          columns: columns, footer: f.string("footer"), emblem: emblem, blocks: blocks)
        if checkKeys { f.rejectUnknown(known: Self.boardKeys) }
        guard title != nil, !f.failed else { return nil }
        return board
    }

    /// A picture an editor names: `/media/…` or relative to the board file; it must exist.
    func checkFile(_ src: String, at loc: SourceLocation, from path: String, media: Set<String>, fields f: inout YAMLFields, what: String) {
        if src.hasPrefix("/media/") {
            if !media.contains(String(src.dropFirst("/media/".count))) {
                f.error(loc, "找不到\(what) \(src)（应在 content\(src)） (\(what == "照片" ? "photo" : "image") not found: content\(src))")
            }
        } else if !src.contains("://") {
            // `path` is relative to the site folder (never to the working directory).
            let base = (path as NSString).deletingLastPathComponent
            let full = root.appendingPathComponent(base).appendingPathComponent(src).standardizedFileURL.path
            if !FileManager.default.fileExists(atPath: full) {
                f.error(loc, "找不到\(what) \(src) (image not found: \(src))")
            }
        }
    }

    /// A list of people (`name`, `photo`, `role`, `deed`), in a people block or a branch profile.
    func peopleList(_ node: Node, fields b: inout YAMLFields, from path: String, media: Set<String>, bag: DiagnosticBag) -> [BoardPerson] {
        guard let seq = node.sequence else {
            b.error(b.location(of: node), "people 应当是列表，每人写 name、photo、role、deed (people must be a list)")
            return []
        }
        var people: [BoardPerson] = []
        for p in seq {
            guard let pm = p.mapping else {
                b.error(b.location(of: p), "people 的每一项写成 { name: 姓名, role: 职务, deed: 事迹, photo: 照片 } (each person is a mapping)")
                continue
            }
            var pf = YAMLFields(mapping: pm, path: b.path, firstLine: b.firstLine, bag: bag)
            let name = pf.string("name", required: "姓名") ?? ""
            let photo = pf.string("photo")
            if let photo { checkFile(photo, at: pf.valueLocation("photo"), from: path, media: media, fields: &pf, what: "照片") }
            people.append(BoardPerson(name: name, photo: photo, role: pf.string("role"), deed: pf.string("deed")))
            pf.rejectUnknown(known: ["name", "photo", "role", "deed"])
            if pf.failed { b.markFailed() }
        }
        return people
    }

    /// A list of figures (`label`, `value`, `unit`), in a stats block or a branch profile.
    func statList(_ node: Node, fields b: inout YAMLFields, bag: DiagnosticBag) -> [BoardStat] {
        guard let seq = node.sequence else {
            b.error(b.location(of: node), "stats 应当是列表，每项写 label、value、unit (stats must be a list)")
            return []
        }
        var items: [BoardStat] = []
        for s in seq {
            guard let sm = s.mapping else {
                b.error(b.location(of: s), "每个数据写成 { label: 名称, value: 数值, unit: 单位 } (each figure is a mapping)")
                continue
            }
            var sf = YAMLFields(mapping: sm, path: b.path, firstLine: b.firstLine, bag: bag)
            let label = sf.string("label", required: "名称") ?? ""
            let value = sf.string("value", required: "数值") ?? ""
            items.append(BoardStat(label: label, value: value, unit: sf.string("unit")))
            sf.rejectUnknown(known: ["label", "value", "unit"])
            if sf.failed { b.markFailed() }
        }
        return items
    }

    /// A `where:` filter of branches (`stars`, `domain`, `tags`).
    func branchFilter(_ node: Node, fields b: inout YAMLFields) -> BranchFilter {
        var filter = BranchFilter()
        guard let w = node.mapping else {
            b.error(b.location(of: node), "where 写成“条件: 值”，例如 where: { domain: 农村, stars: 5 } (where maps stars, domain or tags to values)")
            return filter
        }
        for (k, v) in w {
            switch k.string ?? "" {
            case "stars":
                if let n = v.int, (1...5).contains(n) { filter.stars = n } else { b.error(b.location(of: v), "stars 应当是 1 到 5 的整数 (stars must be 1 to 5)") }
            case "domain":
                if let d = v.string.flatMap(Domain.init(rawValue:)) { filter.domain = d } else { b.error(b.location(of: v), unknownDomain(v.string ?? "")) }
            case "tags": filter.tags = v.sequence.map { $0.compactMap(\.string) } ?? v.string.map { [$0] } ?? []
            default:
                let name = k.string ?? ""
                let hint = TextMeasures.suggestion(for: name, among: Self.branchFilterKeys).map { "，是不是 \($0)？" } ?? ""
                b.error(b.location(of: k), "未知的筛选条件 \(name)\(hint)可用：stars、domain、tags (unknown filter key '\(name)')")
            }
        }
        return filter
    }

    /// The branch a block names with `branch:`, or an error at the field.
    func namedBranch(_ b: inout YAMLFields, branches: [Branch]) -> Branch? {
        guard let slug = b.string("branch") else { return nil }
        if let found = branches.first(where: { $0.slug == slug || $0.fileName == slug }) { return found }
        let hint = TextMeasures.suggestion(for: slug, among: branches.map(\.slug).sorted()).map { "，是不是 \($0)？" } ?? ""
        b.error(b.valueLocation("branch"), "找不到支部 \(slug)（content/branches/\(slug).md）\(hint) (unknown branch '\(slug)')")
        return nil
    }

    func boardBlock(_ node: Node, columns: Int, fields f: inout YAMLFields, lessonRefs: Set<String>, branchSlugs: Set<String>,
                    branches: [Branch], media: Set<String>, boardPath: String, bag: DiagnosticBag) -> BoardBlock? {
        guard let m = node.mapping else {
            f.error(f.location(of: node), "每个版块写成“type: 类型”加各字段 (each block is a mapping with a type)")
            return nil
        }
        var b = YAMLFields(mapping: m, path: f.path, firstLine: 1, bag: bag)
        let loc = f.location(of: node)
        guard let type = b.string("type", required: "版块类型") else { f.error(loc, "版块缺少 type (block without a type)"); return nil }
        guard let allowed = Self.blockFields[type] else {
            let names = Self.blockFields.keys.sorted()
            let hint = TextMeasures.suggestion(for: type, among: names).map { "，是不是 \($0)？" } ?? ""
            f.error(b.valueLocation("type"), "未知的版块类型 \(type)\(hint)可选：\(names.joined(separator: "、")) (unknown block type '\(type)')")
            return nil
        }
        let title = b.string("title")
        let span = b.int("span", range: 1...columns, label: "跨栏数") ?? 1
        // Unknown fields of a block are errors: a misspelt field would silently drop content.
        for (k, _) in m {
            guard let name = k.string, !(["type", "title", "span"] + allowed).contains(name) else { continue }
            let hint = TextMeasures.suggestion(for: name, among: ["title", "span"] + allowed).map { "，是不是 \($0)？" } ?? ""
            f.error(b.location(of: k), "\(type) 版块没有字段 \(name)\(hint)可用：\((["title", "span"] + allowed).joined(separator: "、")) (unknown field '\(name)' in a \(type) block)")
        }
        var content: BoardBlockContent?
        switch type {
        case "text":
            if let body = b.value("body"), let text = body.string {
                let line = (body.mark?.line ?? 1)
                let isBlock = body.scalar?.style == .literal || body.scalar?.style == .folded
                // Messages point into the YAML file: past the block's indentation, or to where
                // a one-line value starts (after its quote).
                var column = 0
                if isBlock {
                    column = Self.blockIndent(root.appendingPathComponent(f.path), after: line)
                } else if let mark = body.mark {
                    column = mark.column - 1 + (body.scalar?.style == .plain ? 0 : 1)
                }
                let source = MarkdownSource(text: text, lineOffset: isBlock ? line : line - 1, columnOffset: column)
                var qr = false
                if let mode = b.string("links") {
                    switch mode {
                    case "text": qr = false
                    case "qr", "二维码": qr = true
                    default: b.error(b.valueLocation("links"), "links 只能是 text（链接显示为文字）或 qr（另印二维码） (links must be text or qr)")
                    }
                }
                // No board holds a text this long; setting one would take minutes.
                if text.count > PrintLimits.longestBoardText {
                    b.error(b.valueLocation("body"), "正文长达 \(text.count) 字，任何展板都放不下（上限 \(PrintLimits.longestBoardText) 字）；请删减或放进学习资料 (a board text of \(text.count) characters is over the \(PrintLimits.longestBoardText)-character limit)")
                } else {
                    let doc = markdown.parse(source, path: f.path, bag: bag)
                    let longest = doc.longestText
                    if longest.length > PrintLimits.longestParagraph {
                        b.error(b.valueLocation("body"), "正文有一段长达 \(longest.length) 字（开头：“\(longest.opening)…”），超过展板一段 \(PrintLimits.longestParagraph) 字的上限；请分段 (a paragraph of \(longest.length) characters is over the \(PrintLimits.longestParagraph)-character limit for print; split it)")
                    } else {
                        content = .text(source, doc, qrLinks: qr)
                    }
                }
            } else { b.missing("body", "正文") }
        case "flow":
            var stages: [FlowStage] = []
            if let seq = b.value("stages")?.sequence {
                for s in seq {
                    guard let sm = s.mapping else { continue }
                    var sf = YAMLFields(mapping: sm, path: f.path, firstLine: 1, bag: bag)
                    let t = sf.string("title", required: "阶段名称") ?? ""
                    let steps = sf.strings("steps")
                    sf.rejectUnknown(known: ["title", "steps"])
                    stages.append(FlowStage(title: t, steps: steps))
                }
            }
            if stages.isEmpty { b.error(loc, "flow 版块需要 stages，每个阶段写 title 和 steps (a flow block needs stages)") } else { content = .flow(stages) }
        case "people" where b.value("branch") != nil:
            if let branch = namedBranch(&b, branches: branches) {
                if branch.people.isEmpty {
                    b.error(b.valueLocation("branch"), "支部“\(branch.name)”的资料（\(branch.path)）没有 people，people 版块无从填写 (the branch profile has no people)")
                } else { content = .people(branch.people) }
            }
        case "stats" where b.value("branch") != nil:
            if let branch = namedBranch(&b, branches: branches) {
                if branch.stats.isEmpty {
                    b.error(b.valueLocation("branch"), "支部“\(branch.name)”的资料（\(branch.path)）没有 stats，stats 版块无从填写 (the branch profile has no stats)")
                } else { content = .stats(branch.stats) }
            }
        case "people":
            let people = b.value("people").map { peopleList($0, fields: &b, from: boardPath, media: media, bag: bag) } ?? []
            if people.isEmpty { b.error(loc, "people 版块需要 people 列表 (a people block needs people)") } else { content = .people(people) }
        case "branches":
            var filter = BranchFilter()
            if let w = b.value("where") { filter = branchFilter(w, fields: &b) }
            var slugs = b.strings("slugs")
            if let one = namedBranch(&b, branches: branches) { slugs.append(one.slug) }
            for s in slugs where !branchSlugs.contains(s) {
                b.error(b.valueLocation("slugs"), "找不到支部 \(s)（content/branches/\(s).md） (unknown branch '\(s)')")
            }
            filter.slugs = slugs
            content = .branches(filter)
        case "stars":
            if let slug = b.string("branch", required: "支部") {
                if branchSlugs.contains(slug) { content = .stars(branch: slug) } else {
                    let hint = TextMeasures.suggestion(for: slug, among: branchSlugs.sorted()).map { "，是不是 \($0)？" } ?? ""
                    b.error(b.valueLocation("branch"), "找不到支部 \(slug)（content/branches/\(slug).md）\(hint) (unknown branch '\(slug)')")
                }
            }
        case "stats":
            let items = b.value("items").map { statList($0, fields: &b, bag: bag) } ?? []
            if items.isEmpty { b.error(loc, "stats 版块需要 items (a stats block needs items)") } else { content = .stats(items) }
        case "schedule":
            content = .schedule(year: b.int("year", range: 2000...2100, label: "年份") ?? BuildClock.today().year)
        case "qr":
            if let target = b.string("target", required: "二维码目标") {
                if target.hasPrefix("lessons/") {
                    let ref = String(target.dropFirst("lessons/".count))
                    if !lessonRefs.contains(ref) { b.error(b.valueLocation("target"), "找不到课程 \(ref)（content/lessons/\(ref).md） (unknown lesson '\(ref)')") }
                } else if target.hasPrefix("branches/") {
                    let s = String(target.dropFirst("branches/".count))
                    if !branchSlugs.contains(s) { b.error(b.valueLocation("target"), "找不到支部 \(s) (unknown branch '\(s)')") }
                } else if target.contains("://") && target.utf8.count > 300 {
                    // Past this a printed code grows too dense to scan from a wall.
                    b.error(b.valueLocation("target"), "二维码网址太长（\(target.utf8.count) 字节），印出来难以扫码；最多 300 字节，请换用短网址 (qr target URL too long: \(target.utf8.count) bytes, at most 300)")
                } else if !target.hasPrefix("boards/") && !target.contains("://") {
                    b.error(b.valueLocation("target"), "二维码目标应是 lessons/专题/文件、branches/支部、boards/展板 或完整网址 (qr target must be lessons/…, branches/…, boards/… or a URL)")
                }
                content = .qr(target: target, caption: b.string("caption"))
            }
        case "image":
            if let src = b.string("src", required: "图片") {
                checkFile(src, at: b.valueLocation("src"), from: boardPath, media: media, fields: &b, what: "图片")
                content = .image(src: src, caption: b.string("caption"))
            }
        default: break
        }
        if b.failed { f.markFailed() }
        guard let content, !b.failed else { return nil }
        return BoardBlock(type: type, title: title, span: span, content: content, location: loc)
    }
}
