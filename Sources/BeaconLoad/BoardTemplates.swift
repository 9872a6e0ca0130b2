import Foundation
import Yams
import BeaconTemplate
import BeaconModel
import BeaconText

/// Template boards: a board file with `for_each: branches` is laid out once per matching
/// branch, its text filled from the branch's profile with the themes' Mustache syntax
/// (`{{name}}`, `{{#practices}}{{title}}{{/practices}}`), and its `stars`, `people`, `stats`
/// and `branches` blocks may take their data from the branch (`branch: this`).
extension ContentLoader {
    public static let templateKeys = ["for_each", "where", "defaults"]

    /// The branch fields a template may use, with their Chinese names for messages.
    public static let templateFields: [(key: String, label: String)] = [
        ("name", "支部名称"), ("short_name", "简称"), ("slug", "网址名"), ("domain", "领域"), ("stars", "星级"),
        ("stars_text", "星级（★）"), ("secretary", "支部书记"), ("members", "党员人数"), ("founded", "成立年份"),
        ("address", "地址"), ("photo", "照片"), ("honors", "荣誉"), ("practices", "特色工作"),
        ("commitments", "承诺"), ("tags", "标签"), ("people", "先进典型"), ("stats", "支部概况数据"),
    ]

    /// The Mustache context of a branch.
    public static func templateValues(_ b: Branch) -> [String: Any] {
        var d: [String: Any] = ["name": b.name, "slug": b.slug, "domain": b.domain.rawValue]
        if let v = b.shortName { d["short_name"] = v }
        if let v = b.stars { d["stars"] = v; d["stars_text"] = String(repeating: "★", count: v) + String(repeating: "☆", count: 5 - v) }
        if let v = b.secretary { d["secretary"] = v }
        if let v = b.members { d["members"] = v }
        if let v = b.founded { d["founded"] = v }
        if let v = b.address { d["address"] = v }
        if let v = b.photo { d["photo"] = v }
        if !b.honors.isEmpty { d["honors"] = b.honors.map { h -> [String: Any] in h.year.map { ["title": h.title, "year": $0] } ?? ["title": h.title] } }
        if !b.practices.isEmpty { d["practices"] = b.practices.map { p -> [String: Any] in p.summary.map { ["title": p.title, "summary": $0] } ?? ["title": p.title] } }
        if !b.commitments.isEmpty { d["commitments"] = b.commitments }
        if !b.tags.isEmpty { d["tags"] = b.tags }
        if !b.people.isEmpty { d["people"] = b.people.map(\.name) }
        if !b.stats.isEmpty { d["stats"] = b.stats.map { ["label": $0.label, "value": $0.value, "unit": $0.unit ?? ""] } }
        return d
    }

    /// A Mustache syntax error in words an editor can act on.
    static func describe(_ error: TemplateError) -> String {
        switch error.kind {
        case .unclosedSection: return "{{#…}} 开头的一段没有用 {{/…}} 结束"
        case .closeMismatch: return "{{/…}} 的名字和前面的 {{#…}} 不一致"
        case .unfinishedTag: return "{{ 没有写完，字段写成 {{字段名}}"
        case .nestedTooDeep: return "{{#…}} 一层套一层，套得太深"
        default: return "模板写法有误"
        }
    }

    static func hasField(_ b: Branch, _ key: String) -> Bool {
        switch key {
        case "name", "slug", "domain": return true
        case "short_name": return b.shortName?.isEmpty == false
        case "stars", "stars_text": return b.stars != nil
        case "secretary": return b.secretary?.isEmpty == false
        case "members": return b.members != nil
        case "founded": return b.founded != nil
        case "address": return b.address?.isEmpty == false
        case "photo": return b.photo?.isEmpty == false
        case "honors": return !b.honors.isEmpty
        case "practices": return !b.practices.isEmpty
        case "commitments": return !b.commitments.isEmpty
        case "tags": return !b.tags.isEmpty
        case "people": return !b.people.isEmpty
        case "stats": return !b.stats.isEmpty
        default: return false
        }
    }

    /// Expands a template board file into one board per matching branch, or reports why not.
    func expandTemplate(_ node: Node, fields f: inout YAMLFields, path: String, slug: String, branches: [Branch],
                        parse: (Node, DiagnosticBag, Branch) -> Board?) -> [Board] {
        if f.string("for_each") != "branches" {
            f.error(f.valueLocation("for_each"), "for_each 目前只能是 branches（每个支部一份） (for_each must be 'branches')")
        }
        var filter = BranchFilter()
        if let w = f.value("where") { filter = branchFilter(w, fields: &f) }
        var defaults: [String: String] = [:]
        if let d = f.value("defaults") {
            if let m = d.mapping {
                for (k, v) in m {
                    guard let key = k.string else { continue }
                    if !Self.templateFields.contains(where: { $0.key == key }) {
                        let hint = TextMeasures.suggestion(for: key, among: Self.templateFields.map(\.key)).map { "，是不是 \($0)？" } ?? ""
                        f.error(f.location(of: k), "defaults 里的 \(key) 不是支部字段\(hint) (unknown branch field '\(key)')")
                    }
                    defaults[key] = v.string ?? ""
                }
            } else {
                f.error(f.location(of: d), "defaults 写成“字段: 默认值”，例如 defaults: { secretary: 待定 } (defaults maps fields to values)")
            }
        }
        // The template's own name (gallery, messages): `name:`, or its title when that is
        // plain text. A title made of fields says nothing about the set: it needs a name.
        let written = f.string("title", required: "展板标题") ?? ""
        var title = f.string("name") ?? written
        if title.contains("{{") {
            f.error(f.valueLocation("title"), "模板展板的标题“\(written)”随支部而变，请用 name: 写出这套展板的名称，例如 name: 支部亮牌（展板页和列表用它） (a template whose title uses fields needs a name:)")
            title = written
        }
        let matching = branches.filter(filter.matches).sorted { $0.slug < $1.slug }

        // Every text of the file, compiled once; the fields they use, checked against every branch.
        var compiled: [String: Template] = [:]
        var uses: [(name: String, location: SourceLocation)] = []
        func visit(_ n: Node, key: String?, blockType: String?) {
            switch n {
            case .scalar(let s):
                if key == "branch" && s.string == "this" {
                    switch blockType {
                    case "stars": uses.append(("stars", f.location(of: n)))
                    case "people": uses.append(("people", f.location(of: n)))
                    case "stats": uses.append(("stats", f.location(of: n)))
                    default: break
                    }
                }
                guard s.string.contains("{{"), compiled[s.string] == nil else { return }
                do {
                    // Board text, not a web page: nothing is HTML-escaped.
                    let t = try Template(s.string, escaping: false)
                    compiled[s.string] = t
                    for name in t.topLevelNames { uses.append((name, f.location(of: n))) }
                } catch {
                    let at = error.line == 1 ? error.column : s.string.split(separator: "\n", omittingEmptySubsequences: false)
                        .prefix(error.line - 1).reduce(error.column) { $0 + $1.count + 1 }
                    f.error(f.location(of: n), "\(Self.describe(error))（这段文字第 \(at) 个字附近） (template syntax error)")
                }
            case .mapping(let m):
                let type = m.first { $0.key.string == "type" }?.value.string ?? blockType
                for (k, v) in m where !Self.templateKeys.contains(k.string ?? "") { visit(v, key: k.string, blockType: type) }
            case .sequence(let seq):
                for v in seq { visit(v, key: key, blockType: blockType) }
            default: break
            }
        }
        visit(node, key: nil, blockType: nil)

        var reported = Set<String>()
        for (name, loc) in uses where !reported.contains(name) {
            reported.insert(name)
            guard let field = Self.templateFields.first(where: { $0.key == name }) else {
                let hint = TextMeasures.suggestion(for: name, among: Self.templateFields.map(\.key)).map { "，是不是 \($0)？" } ?? ""
                bag.error(loc, "展板模板用到的 \(name) 不是支部字段\(hint)可用：\(Self.templateFields.map(\.key).joined(separator: "、")) (unknown branch field '\(name)')")
                f.markFailed()
                continue
            }
            guard defaults[name] == nil else { continue }
            let lacking = matching.filter { !Self.hasField($0, name) }
            guard !lacking.isEmpty else { continue }
            let list = lacking.map { "\($0.name)（\($0.path)）" }.joined(separator: "、")
            bag.error(loc, "展板模板“\(title)”用到字段 \(name)（\(field.label)），这 \(lacking.count) 个支部没有：\(list)。请在支部资料里补上，或在展板里写 defaults: { \(name): … } (board template '\(title)' uses '\(name)', which \(lacking.count) branch(es) lack)")
            f.markFailed()
        }
        f.rejectUnknown(known: Self.boardKeys + Self.templateKeys)
        guard !f.failed else { return [] }
        if matching.isEmpty {
            bag.warning(f.location(of: node), "展板模板“\(title)”没有符合条件的支部，不会生成任何展板 (no branch matches this board template)")
            return []
        }

        // One board per branch: every text filled in, `branch: this` pointed at the branch.
        var out: [Board] = []
        // Messages about copies, each once with every branch it concerns.
        var copyMessages: [Diagnostic: [String]] = [:]
        var messageOrder: [Diagnostic] = []
        // The copies are independent of each other: filled and read on every core, then
        // taken in branch order.
        var made = [(board: Board?, messages: [Diagnostic], failed: Bool)?](repeating: nil, count: matching.count)
        made.withUnsafeMutableBufferPointer { buffer in
            let results = buffer
            DispatchQueue.concurrentPerform(iterations: matching.count) { i in
                let b = matching[i]
                var values = Self.templateValues(b)
                for (k, v) in defaults where values[k] == nil { values[k] = v }
                func fill(_ n: Node, key: String?) -> Node {
                    switch n {
                    case .scalar(var s):
                        if key == "branch" && s.string == "this" { s.string = b.slug; return .scalar(s) }
                        if let t = compiled[s.string] {
                            s.string = t.render(TemplateValue(values))
                            return .scalar(s)
                        }
                        return n
                    case .mapping(let m):
                        return .mapping(Node.Mapping(m.map { (k, v) in (k, fill(v, key: k.string)) }, m.tag, m.style, m.mark))
                    case .sequence(let seq):
                        return .sequence(Node.Sequence(seq.map { fill($0, key: key) }, seq.tag, seq.style, seq.mark))
                    default:
                        return n
                    }
                }
                let copyBag = DiagnosticBag()
                let board = parse(fill(node, key: nil), copyBag, b)
                results[i] = (board, copyBag.all, copyBag.hasErrors)
            }
        }
        for (b, result) in zip(matching, made) {
            guard let result else { continue }
            // A message about one copy names its branch.
            for d in result.messages {
                if copyMessages[d] == nil { messageOrder.append(d) }
                copyMessages[d, default: []].append("\(b.name)（\(b.path)）")
            }
            guard var board = result.board, !result.failed else { continue }
            board.slug = slug + "/" + b.slug
            board.copy = BoardCopy(template: slug, templateTitle: title, templatePath: path, branch: b.slug, branchName: b.name, domain: b.domain)
            out.append(board)
        }
        for d in messageOrder {
            let names = copyMessages[d] ?? []
            bag.report(Diagnostic(d.severity, d.location, "\(d.message)（支部：\(names.joined(separator: "、"))）"))
        }
        return out
    }
}
