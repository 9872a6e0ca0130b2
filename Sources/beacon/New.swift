import Foundation
import ArgumentParser
import BeaconModel
import BeaconText

/// `beacon new …`: a new file with valid front matter, a Chinese file name and today's date.
/// Never overwrites.
struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "新建一篇学习资料、一个支部、一块展板或一本口袋书，字段齐全，不覆盖已有文件 (write a new lesson, branch, board or book; never overwrites).",
        subcommands: [NewLesson.self, NewSeries.self, NewBranch.self, NewBoard.self, NewBook.self])
}

enum NewFile {
    static func today() -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return Day(year: c.year!, month: c.month!, day: c.day!).description
    }

    /// The file name for a title: the title itself (the docs and editors name files in
    /// Chinese; the web address is still made from it, in pinyin, as site.yml's `slugs` says),
    /// with the characters Windows and the shell forbid or dislike made into "-".
    static func fileName(_ title: String) -> String {
        var out = ""
        for s in title.unicodeScalars {
            let bad = "/\\:*?\"<>|#%&{}$!'`@+=".unicodeScalars.contains(s) || s.properties.generalCategory == .control
                || s.properties.isWhitespace
            if bad { if !out.hasSuffix("-") { out += "-" } } else { out.unicodeScalars.append(s) }
        }
        while out.hasPrefix("-") || out.hasPrefix(".") { out.removeFirst() }
        while out.hasSuffix("-") || out.hasSuffix(".") { out.removeLast() }
        if out.count > 40 { out = String(out.prefix(40)) }
        return out.isEmpty ? Slugger(mode: .pinyin).nonEmptySlug(title) : out
    }

    /// The organisation site.yml names, for a new board's footer.
    static func organisation(_ root: URL) -> String? {
        guard let text = try? String(contentsOf: root.appendingPathComponent("content/site.yml"), encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("organisation:") {
            let v = line.dropFirst("organisation:".count).split(separator: "#").first?.trimmingCharacters(in: .whitespaces) ?? ""
            if !v.isEmpty { return v }
        }
        return nil
    }

    /// YAML text for a value an editor typed: quoted when it would not read back as itself.
    static func yaml(_ s: String) -> String {
        let special = ":#[]{},&*!|>'\"%@`"
        if s.isEmpty || s.contains(where: { special.contains($0) }) || s.first == " " || s.last == " " || s.first == "-" {
            return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        return s
    }

    /// The series folder and the kind a new or imported lesson is given.
    static func checkLesson(series: String, kind: String) throws {
        try checkFolderName(series)
        guard LessonKind(rawValue: kind) != nil else {
            throw ValidationError("kind 只能是 \(LessonKind.allCases.map(\.rawValue).joined(separator: "、"))")
        }
    }

    /// A series folder is one folder name under content/lessons/.
    static func checkFolderName(_ name: String) throws {
        if name.isEmpty || name == "." || name == ".." || name.hasPrefix(".") || name.contains("/") || name.contains("\\")
            || name.unicodeScalars.contains(where: { $0.value < 0x20 }) {
            throw ValidationError("专题文件夹名“\(name)”不行：只写一个文件夹名，不能有 / 或 ..，不能以 . 开头 (the series must be one folder name under content/lessons/)")
        }
    }

    /// Writes `text` to `relative` under the site, refusing to replace anything.
    /// Whether a file at `relative` stays inside content/: no ".." on the way, and no folder
    /// on the way that is a link leading out (`beacon new` and `beacon import` write only there).
    static func insideContent(_ relative: String, root: URL) -> Bool {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        let content = root.appendingPathComponent("content").resolvingSymlinksInPath().path + "/"
        var existing = root.appendingPathComponent(relative).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path.count > 1 { existing = existing.deletingLastPathComponent() }
        return parts.first == "content" && !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
            && (existing.resolvingSymlinksInPath().path + "/").hasPrefix(content)
    }

    static func write(_ text: String, to relative: String, root: URL) throws {
        let url = root.appendingPathComponent(relative)
        guard insideContent(relative, root: root) else {
            FileHandle.standardError.write(Data("\(relative):1:1: error: 只能在 content/ 里新建文件 (beacon new writes only inside content/)\n".utf8))
            throw ExitCode(1)
        }
        if FileManager.default.fileExists(atPath: url.path) {
            let d = Diagnostic.error(SourceLocation(path: relative), "文件已经存在，Beacon 不会覆盖它；换一个标题或先改名 (file exists; Beacon will not overwrite it)")
            FileHandle.standardError.write(Data((d.description + "\n").utf8))
            throw ExitCode(1)
        }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // O_EXCL: even a file created a moment ago is not replaced.
        let fd = open(url.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            FileHandle.standardError.write(Data("\(relative):1:1: error: 无法创建文件 (cannot create the file)\n".utf8))
            throw ExitCode(1)
        }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
        close(fd)
        print(relative)
    }
}

struct SiteRoot: ParsableArguments {
    @Option(name: .shortAndLong, help: "站点文件夹，里面有 content/ (the site folder).")
    var root: String = "."
    var url: URL { URL(fileURLWithPath: root, isDirectory: true) }
}

struct NewLesson: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "lesson", abstract: "专题文件夹里的一篇学习资料 (a lesson in a series folder).")
    @Argument(help: "content/lessons/ 下的专题文件夹，没有就新建 (the series folder).") var series: String
    @Argument(help: "标题 (the title).") var title: String
    @Option(help: "类别：党课、微党课、学习资料或案例 (the kind).") var kind: String = "学习资料"
    @Option(help: "作者 (the author).") var author: String?
    @OptionGroup var site: SiteRoot

    func validate() throws { try NewFile.checkLesson(series: series, kind: kind) }

    func run() throws {
        let folder = "content/lessons/\(series)"
        if !FileManager.default.fileExists(atPath: site.url.appendingPathComponent(folder).path) {
            try NewFile.write("title: \(NewFile.yaml(series))\nsummary: \n", to: "\(folder)/_series.yml", root: site.url)
        }
        var text = "---\ntitle: \(NewFile.yaml(title))\ndate: \(NewFile.today())\nkind: \(kind)\n"
        if let author { text += "author: \(NewFile.yaml(author))\n" }
        text += "tags: []\n---\n在这里写正文。一段话可以分几行写，汉字之间的换行不会变成空格。\n"
        try NewFile.write(text, to: "\(folder)/\(NewFile.fileName(title)).md", root: site.url)
    }
}

struct NewSeries: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "series", abstract: "一个专题（content/lessons/ 下的文件夹） (a series: a folder under content/lessons/).")
    @Argument(help: "专题名称，也是文件夹名 (the series title, also its folder name).") var title: String
    @Option(help: "一句话介绍专题 (one sentence about the series).") var summary: String?
    @OptionGroup var site: SiteRoot

    func run() throws {
        let folder = "content/lessons/\(NewFile.fileName(title))"
        let text = "title: \(NewFile.yaml(title))\nsummary: \(NewFile.yaml(summary ?? "一句话介绍这个专题"))\n"
        try NewFile.write(text, to: "\(folder)/_series.yml", root: site.url)
    }
}

struct NewBranch: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "branch", abstract: "一个示范支部的资料 (a model-branch profile).")
    @Argument(help: "支部全称 (the branch's full name).") var name: String
    @Option(help: "领域：农村、社区、机关、事业单位、国有企业、非公企业、社会组织或学校 (the domain).") var domain: String
    @Option(help: "星级 1–5 (stars).") var stars: Int?
    @OptionGroup var site: SiteRoot

    func validate() throws {
        guard Domain(rawValue: domain) != nil else {
            throw ValidationError("domain 只能是 \(Domain.allCases.map(\.rawValue).joined(separator: "、"))")
        }
        if let stars, !(1...5).contains(stars) { throw ValidationError("stars 应在 1 到 5 之间") }
    }

    func run() throws {
        var text = "---\nname: \(NewFile.yaml(name))\ndomain: \(domain)\n"
        if let stars { text += "stars: \(stars)\n" }
        // Every field has a value that builds (a template board may need the secretary); the
        // comments say what to fill in.
        var short = name
        if short.hasPrefix("中共") { short.removeFirst(2) }
        for suffix in ["委员会", "总支部", "支部"] where short.hasSuffix(suffix) && short.count > suffix.count { short.removeLast(suffix.count); break }
        text += "short_name: \(NewFile.yaml(short))   # 简称，展板和列表用\n"
        text += "secretary: 待填写        # 支部书记的姓名\nmembers: 1               # 党员人数\n"
        text += "practices:               # 特色工作，每项一行\n  - { title: 待填写, summary: 一句话说明这项工作 }\n"
        text += "commitments: [待填写]    # 承诺事项\n"
        text += "honors:                  # 荣誉，每项一行\n  - { year: \(NewFile.today().prefix(4)), title: 待填写 }\n"
        text += "stats:                   # 概况数据（展板上的大数字）\n  - { label: 党员, value: \"1\", unit: 名 }\n"
        text += "people:                  # 先进典型\n  - { name: 待填写, role: 党员, deed: 一句话写事迹 }\n"
        text += "---\n在这里写支部的故事。\n"
        try NewFile.write(text, to: "content/branches/\(NewFile.fileName(name)).md", root: site.url)
    }
}

struct NewBoard: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "board", abstract: "一块展板 (a display board).")
    @Argument(help: "展板标题 (the board's title).") var title: String
    @Option(help: "尺寸：exhibition-landscape、exhibition-portrait、rollup、x-stand、a0–a4 (a size preset).") var size: String = "exhibition-landscape"
    @OptionGroup var site: SiteRoot

    func validate() throws {
        guard Board.presets.contains(where: { $0.name == size }) else {
            throw ValidationError("size 只能是 \(Board.presets.map(\.name).joined(separator: "、"))")
        }
    }

    func run() throws {
        let footer = NewFile.organisation(site.url).map { "\($0) · \(NewFile.today().prefix(4))年" } ?? "制作单位 · \(NewFile.today().prefix(4))年"
        let text = "title: \(NewFile.yaml(title))\nsize: \(size)\ncolumns: 3\nfooter: \(NewFile.yaml(footer))   # 展板底部的一行：制作单位和年份\nblocks:\n  - type: text\n    title: 第一部分\n    body: |\n      在这里写展板的文字。\n"
        try NewFile.write(text, to: "content/boards/\(NewFile.fileName(title)).yml", root: site.url)
    }
}

struct NewBook: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "book", abstract: "一本口袋书 (a pocket book).")
    @Argument(help: "书名 (the book's title).") var title: String
    @Option(help: "收入书中的专题文件夹 (a series to put in the book).") var series: String
    @Option(help: "开本：a6、b6、a5、64k 或 32k (the size).") var size: String = "a6"
    @OptionGroup var site: SiteRoot

    func validate() throws {
        guard PaperSize.bookPresets.contains(where: { $0.name == size }) else {
            throw ValidationError("size 只能是 \(PaperSize.bookPresets.map(\.name).joined(separator: "、"))")
        }
    }

    func run() throws {
        let month = String(NewFile.today().prefix(7))
        let text = "title: \(NewFile.yaml(title))\nsize: \(size)\ndate: \(month)\ncontents:\n  - series: \(NewFile.yaml(series))\nqr: true\nprint: [a4-booklet]\n"
        try NewFile.write(text, to: "content/books/\(NewFile.fileName(title)).yml", root: site.url)
    }
}
