import Foundation

/// Lessons in the sentence shapes of Party documents, for print tests that need a long book:
/// bold lead sentences ending in 。 with text straight after, headings numbered 一、（一）,
/// numbers, dates, percentages and Latin words inside Chinese, quotations, lists, tables and
/// footnotes. Deterministic: the same seed gives the same lessons.
struct ProseGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed &* 6364136223846793005 &+ 1442695040888963407 }

    mutating func next(_ n: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(max(n, 1)))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }

    static let subjects = ["支部委员会", "各党小组", "全体党员", "村党总支", "社区党委", "机关党支部", "党员志愿服务队", "驻村第一书记",
                           "组织委员", "宣传委员", "青年党员", "老党员", "网格员", "党建指导员"]
    static let verbs = ["认真落实", "扎实推进", "集中学习", "深入开展", "及时研究", "统筹安排", "带头落实", "细化分解", "跟踪督办", "定期检查"]
    static let objects = ["“三会一课”制度", "主题党日活动", "组织生活会", "民主评议党员工作", "党员积分管理", "“两学一做”学习教育",
                          "党费收缴工作", "发展党员工作", "基层党组织标准化建设", "《中国共产党章程》学习", "党务公开",
                          "谈心谈话", "结对帮扶", "为民办实事项目", "矛盾纠纷排查化解"]
    static let tails = ["确保取得实效", "做到有记录、可检查", "不搞形式主义", "防止走过场", "切实解决群众急难愁盼问题",
                        "形成长效机制", "把工作抓在经常、融入日常", "推动各项任务落地见效", "并在支部内公示", "接受党员和群众监督"]
    static let latin = ["App", "Excel", "PDF", "Word", "U盘", "QQ群", "5G", "WiFi", "Beacon", "H5页面"]

    mutating func number() -> String {
        switch next(6) {
        case 0: return "\(2020 + next(7))年\(1 + next(12))月\(1 + next(28))日"
        case 1: return "\(1 + next(40))名党员"
        case 2: return "\(next(100)).\(next(10))%"
        case 3: return "\(1 + next(9)),\(100 + next(900))多户"
        case 4: return "第\(1 + next(12))季度"
        default: return "\(2 + next(30))个党小组"
        }
    }

    mutating func sentence() -> String {
        var s = "\(pick(Self.subjects))\(pick(Self.verbs))\(pick(Self.objects))"
        if next(3) == 0 { s += "，\(number())参加" }
        if next(4) == 0 { s += "，用\(pick(Self.latin))汇总情况" }
        s += "，\(pick(Self.tails))"
        return s + pick(["。", "。", "。", "；", "！"])
    }

    mutating func paragraph() -> String {
        var p = ""
        if next(3) == 0 { p += "**\(pick(Self.objects))要\(pick(Self.verbs))。**" }
        for _ in 0..<(2 + next(5)) { p += sentence() }
        if p.hasSuffix("；") { p = String(p.dropLast()) + "。" }
        return p
    }

    static let chineseNumbers = ["一", "二", "三", "四", "五", "六"]

    mutating func lesson(_ i: Int) -> String {
        var md = "---\ntitle: 第\(i)课　\(pick(Self.objects).replacingOccurrences(of: "“", with: "").replacingOccurrences(of: "”", with: ""))要点\ndate: 2026-\(String(format: "%02d", 1 + i % 12))-\(String(format: "%02d", 1 + i % 28))\nkind: 党课\n---\n\n"
        md += paragraph() + "\n\n"
        for h in 0..<(2 + next(2)) {
            md += "## \(Self.chineseNumbers[h])、\(pick(Self.objects).replacingOccurrences(of: "“", with: "").replacingOccurrences(of: "”", with: ""))\n\n"
            for k in 0..<(1 + next(2)) {
                md += "### （\(Self.chineseNumbers[k])）\(pick(Self.verbs))\(pick(Self.objects))\n\n"
                md += paragraph() + "\n\n"
            }
            switch next(5) {
            case 0:
                md += "> \(sentence())\(sentence())\n\n"
            case 1:
                for n in 1...(3 + next(3)) { md += "\(n). \(sentence())\n" }
                md += "\n"
            case 2:
                md += "| 序号 | 工作内容 | 责任人 | 完成时限 |\n| ---: | --- | --- | --- |\n"
                for n in 1...(3 + next(6)) {
                    md += "| \(n) | \(pick(Self.verbs))\(pick(Self.objects)) | \(pick(Self.subjects)) | \(number()) |\n"
                }
                md += "\n"
            case 3:
                md += paragraph() + "[^\(h + 1)]\n\n[^\(h + 1)]: 见《\(pick(Self.objects).replacingOccurrences(of: "“", with: "").replacingOccurrences(of: "”", with: "").replacingOccurrences(of: "《", with: "").replacingOccurrences(of: "》", with: ""))工作手册》第\(1 + next(90))页。\n\n"
            default:
                md += paragraph() + "\n\n"
            }
        }
        return md
    }
}
