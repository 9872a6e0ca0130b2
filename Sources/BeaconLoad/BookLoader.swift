import Foundation
import Yams
import BeaconModel
import BeaconText

extension ContentLoader {
    public static let bookContentKeys = ["series", "lesson", "branches"]
    public static let branchFilterKeys = ["stars", "domain", "tags", "slugs"]
    public static let printTargets = ["a4-booklet"]

    func loadBooks(slugger: Slugger, series: [Series], lessons: [Lesson]) -> [Book] {
        let dir = content.appendingPathComponent("books")
        let seriesFolders = series.map(\.folder)
        let lessonRefs = Set(lessons.map(\.reference))
        var out: [Book] = []
        for (url, _) in children(of: dir) where ["yml", "yaml"].contains(url.pathExtension) {
            guard let (node, path) = readYAMLFile(url),
                  var f = YAMLFields(node, path: path, firstLine: 1, bag: bag, what: "口袋书定义") else { continue }
            let title = f.string("title", required: "书名")
            var sizeName = "a6"
            var size = PaperSize.bookPresets[0].size
            if let node = f.value("size") {
                if let name = node.string {
                    if let preset = PaperSize.bookPresets.first(where: { $0.name == name.lowercased() }) {
                        sizeName = preset.name
                        size = preset.size
                    } else {
                        let names = PaperSize.bookPresets.map(\.name)
                        let hint = TextMeasures.suggestion(for: name, among: names).map { "，是不是 \($0)？" } ?? "；"
                        f.error(f.location(of: node), "未知的开本 \(name)\(hint)可选：\(names.joined(separator: "、"))，或写 { width: 90mm, height: 130mm } (unknown size '\(name)')")
                    }
                } else if let m = node.mapping {
                    var s = YAMLFields(mapping: m, path: path, firstLine: 1, bag: bag)
                    let w = s.string("width", required: "宽").flatMap { v -> Double? in
                        let l = PaperSize.length(v)
                        if l == nil { s.error(s.valueLocation("width"), "宽度 \(v) 看不懂，请写成 90mm (width must be a length such as 90mm)") }
                        return l
                    }
                    let h = s.string("height", required: "高").flatMap { v -> Double? in
                        let l = PaperSize.length(v)
                        if l == nil { s.error(s.valueLocation("height"), "高度 \(v) 看不懂，请写成 130mm (height must be a length such as 130mm)") }
                        return l
                    }
                    s.rejectUnknown(known: ["width", "height"])
                    if let w, let h {
                        size = PaperSize(width: w, height: h)
                        sizeName = String(format: "%.0f×%.0f mm", size.widthMM, size.heightMM)
                        if size.widthMM < 50 || size.heightMM < 70 || size.widthMM > 297 || size.heightMM > 420 {
                            f.error(f.location(of: node), "开本 \(sizeName) 超出范围（50×70 mm 到 297×420 mm） (book size out of range)")
                        }
                    } else { f.error(f.location(of: node), "自定义开本需要 width 和 height (a custom size needs width and height)") }
                } else {
                    f.error(f.location(of: node), "size 应当是开本名称或 { width, height } (size must be a preset name or { width, height })")
                }
            }
            var contents: [BookContent] = []
            if let node = f.value("contents") {
                if let seq = node.sequence {
                    for item in seq {
                        if let c = bookContent(item, fields: &f, seriesFolders: seriesFolders, lessonRefs: lessonRefs) { contents.append(c) }
                    }
                } else {
                    f.error(f.location(of: node), "contents 应当是列表，每项写 series、lesson 或 branches (contents must be a list)")
                }
            } else {
                f.missing("contents", "内容")
            }
            let print = f.strings("print")
            for p in print where !Self.printTargets.contains(p) {
                f.error(f.valueLocation("print"), "未知的印制方式 \(p)；可选：\(Self.printTargets.joined(separator: "、")) (unknown print target '\(p)')")
            }
            let book = Book(path: path, slug: slugger.nonEmptySlug(url.deletingPathExtension().lastPathComponent),
                            title: title ?? "", subtitle: f.string("subtitle"), publisher: f.string("publisher"),
                            date: f.string("date"), sizeName: sizeName, size: size, contents: contents,
                            qr: f.bool("qr") ?? false, print: print)
            // Editions: one book per domain, each its own PDF (and booklet).
            var editions: [BookEdition] = []
            if let node = f.value("edition") {
                let items = node.sequence.map(Array.init) ?? [node]
                for item in items {
                    guard let m = item.mapping else {
                        f.error(f.location(of: item), "edition 写成 { audience: 农村, name: 农村党员版 }，多个版本写成列表 (an edition is { audience, name })")
                        continue
                    }
                    var e = YAMLFields(mapping: m, path: path, firstLine: 1, bag: bag)
                    if let d = e.string("audience", required: "面向的领域") {
                        if let domain = Domain(rawValue: d) {
                            if editions.contains(where: { $0.audience == domain }) {
                                e.error(e.valueLocation("audience"), "版本 \(d) 写了两次 (edition '\(d)' is listed twice)")
                            }
                            editions.append(BookEdition(name: e.string("name") ?? "\(d)党员版", audience: domain))
                        } else {
                            e.error(e.valueLocation("audience"), unknownDomain(d))
                        }
                    }
                    e.rejectUnknown(known: ["audience", "name"])
                    if e.failed { f.markFailed() }
                }
            }
            f.rejectUnknown(known: Self.bookKeys)
            guard title != nil, !f.failed else { continue }
            if editions.isEmpty {
                out.append(book)
            } else {
                for e in editions {
                    var copy = book
                    copy.slug = Slugger.fitted(book.slug + "-" + slugger.nonEmptySlug(e.audience.rawValue))
                    copy.edition = e
                    out.append(copy)
                }
            }
        }
        checkCollisions(out.map { ($0.slug, SourceLocation(path: $0.path)) }, what: "口袋书 (book)")
        return out
    }

    func bookContent(_ item: Node, fields f: inout YAMLFields, seriesFolders: [String], lessonRefs: Set<String>) -> BookContent? {
        guard let m = item.mapping, m.count == 1, let entry = m.first, let key = entry.key.string else {
            f.error(f.location(of: item), "contents 的每一项写一个 series、lesson 或 branches，例如 - series: 两学一做 (each contents item names one series, lesson or branches)")
            return nil
        }
        let at = f.location(of: entry.value)
        switch key {
        case "series":
            guard let name = entry.value.string, !name.isEmpty else {
                f.error(at, "series 后面写专题文件夹名 (series needs a folder name)"); return nil
            }
            guard seriesFolders.contains(name) else {
                let hint = TextMeasures.suggestion(for: name, among: seriesFolders).map { "，是不是 \($0)？" } ?? ""
                f.error(at, "找不到专题 \(name)（content/lessons/\(name)/）\(hint) (unknown series '\(name)')")
                return nil
            }
            return .series(name)
        case "lesson":
            guard let ref = entry.value.string, !ref.isEmpty else {
                f.error(at, "lesson 后面写 专题文件夹/文件名 (lesson needs <series folder>/<file name>)"); return nil
            }
            let clean = ref.hasSuffix(".md") ? String(ref.dropLast(3)) : ref
            guard lessonRefs.contains(clean) else {
                let hint = TextMeasures.suggestion(for: clean, among: lessonRefs.sorted()).map { "，是不是 \($0)？" } ?? ""
                f.error(at, "找不到课程 \(ref)（content/lessons/\(clean).md）\(hint) (unknown lesson '\(ref)')")
                return nil
            }
            return .lesson(clean)
        case "branches":
            guard let fm = entry.value.mapping else {
                f.error(at, "branches 后面写筛选条件，例如 { stars: 5 } (branches needs a filter such as { stars: 5 })"); return nil
            }
            var filter = BranchFilter()
            var ok = true
            for (k, v) in fm {
                let name = k.string ?? ""
                let loc = f.location(of: v)
                switch name {
                case "stars":
                    guard let n = v.int, (1...5).contains(n) else { f.error(loc, "stars 应在 1 到 5 之间 (stars must be 1–5)"); ok = false; continue }
                    filter.stars = n
                case "domain":
                    guard let d = v.string.flatMap(Domain.init(rawValue:)) else { f.error(loc, unknownDomain(v.string ?? "")); ok = false; continue }
                    filter.domain = d
                case "tags":
                    filter.tags = v.sequence.map { $0.compactMap(\.string) } ?? v.string.map { [$0] } ?? []
                case "slugs":
                    filter.slugs = v.sequence.map { $0.compactMap(\.string) } ?? v.string.map { [$0] } ?? []
                default:
                    let hint = TextMeasures.suggestion(for: name, among: Self.branchFilterKeys).map { "，是不是 \($0)？" } ?? ""
                    f.error(f.location(of: k), "未知的筛选条件 \(name)\(hint)可用：\(Self.branchFilterKeys.joined(separator: "、")) (unknown filter key '\(name)')")
                    ok = false
                }
            }
            return ok ? .branches(filter) : nil
        default:
            let hint = TextMeasures.suggestion(for: key, among: Self.bookContentKeys).map { "，是不是 \($0)？" } ?? ""
            f.error(f.location(of: entry.key), "未知的内容类型 \(key)\(hint)可用：series、lesson、branches (unknown contents key '\(key)')")
            return nil
        }
    }
}
