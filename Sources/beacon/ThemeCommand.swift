import Foundation
import ArgumentParser
import BeaconModel
import BeaconLoad
import BeaconThemes
import BeaconText

/// `beacon theme`: the built-in themes and a site's own changes to them.
struct ThemeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "theme",
        abstract: "内置主题：列出文件、复制出来修改、查看本站改了什么 (the built-in themes: list, eject, diff).",
        subcommands: [ThemeList.self, ThemeEject.self, ThemeDiff.self],
        defaultSubcommand: ThemeList.self)
}

/// The site's theme as site.yml names it (default when there is no site.yml or no theme key).
func siteThemeName(root: URL) -> String {
    guard let text = try? String(contentsOf: root.appendingPathComponent("content/site.yml"), encoding: .utf8) else { return "default" }
    for line in text.split(separator: "\n") where line.hasPrefix("theme:") {
        let v = line.dropFirst("theme:".count).split(separator: "#").first?.trimmingCharacters(in: .whitespaces) ?? ""
        if !v.isEmpty { return v }
    }
    return "default"
}

struct ThemeList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "列出内置主题和它们的文件 (the built-in themes and their files).")

    func run() throws {
        for name in BuiltinThemes.names {
            print("\(name)（内置主题 built-in）")
            for f in BuiltinThemes.files(of: name) { print("  \(f)") }
        }
    }
}

struct ThemeEject: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eject",
        abstract: "把内置主题的文件复制到 themes/<主题>/ 以便修改，不写文件名就复制全部 (copy built-in theme files out to change them).")

    @Option(name: .shortAndLong, help: "站点文件夹 (the site folder).") var root: String = "."
    @Argument(help: "主题里的文件，写法同 beacon theme list，如 templates/lesson.mustache (files of the theme).") var files: [String] = []
    @Flag(help: "覆盖站点里已有的文件 (overwrite a file the site already has).") var force = false

    func run() throws {
        let site = URL(fileURLWithPath: root, isDirectory: true)
        let name = siteThemeName(root: site)
        let bag = DiagnosticBag()
        guard let theme = ThemeFiles.resolve(root: site, name: name, bag: bag, location: SourceLocation(path: "content/site.yml")),
              let base = theme.base else {
            for d in bag.all { FileHandle.standardError.write(Data("\(d)\n".utf8)) }
            if bag.all.isEmpty {
                FileHandle.standardError.write(Data("themes/\(name):1:1: error: 主题 \(name) 不是内置主题，也没有 extends，没有可复制的文件 (theme '\(name)' has no built-in theme to copy from)\n".utf8))
            }
            throw ExitCode(1)
        }
        let everything = Set(theme.chain.flatMap { BuiltinThemes.files(of: $0) }).sorted()
        let wanted = files.isEmpty ? everything.filter { $0 != "theme.yml" } : files
        var failed = false
        for file in wanted {
            guard let data = theme.builtin(file) else {
                let hint = TextMeasures.suggestion(for: file, among: everything)
                FileHandle.standardError.write(Data("\(file):1:1: error: 内置主题 \(base) 没有这个文件\(hint.map { "，是不是 \($0)？" } ?? "") (built-in theme '\(base)' has no such file)\n".utf8))
                failed = true
                continue
            }
            let target = theme.folder.appendingPathComponent(file)
            if FileManager.default.fileExists(atPath: target.path) && !force {
                print("themes/\(name)/\(file): 已存在，未覆盖 (exists, kept; --force to overwrite)")
                continue
            }
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: target)
            print("themes/\(name)/\(file)")
        }
        // A theme that is not the built-in one by name says which it changes.
        let yml = theme.folder.appendingPathComponent("theme.yml")
        if name != base && !FileManager.default.fileExists(atPath: yml.path) {
            try Data("extends: \(base)\n".utf8).write(to: yml)
        }
        if failed { throw ExitCode(1) }
    }
}

struct ThemeDiff: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "列出本站主题与内置主题的不同 (how the site's theme differs from the built-in one).")

    @Option(name: .shortAndLong, help: "站点文件夹 (the site folder).") var root: String = "."

    func run() throws {
        let site = URL(fileURLWithPath: root, isDirectory: true)
        let name = siteThemeName(root: site)
        let bag = DiagnosticBag()
        guard let theme = ThemeFiles.resolve(root: site, name: name, bag: bag, location: SourceLocation(path: "content/site.yml")) else {
            for d in bag.all { FileHandle.standardError.write(Data("\(d)\n".utf8)) }
            throw ExitCode(1)
        }
        guard let base = theme.base else {
            print("themes/\(name)/ 是独立主题，不继承内置主题 (a theme of its own; nothing to compare)")
            return
        }
        if theme.local.isEmpty { print("主题 \(name) 就是内置主题 \(base)，没有改动 (the built-in theme, unchanged)") }
        for path in theme.local.sorted() {
            let mine = (try? Data(contentsOf: theme.folder.appendingPathComponent(path))) ?? Data()
            guard let builtin = theme.builtin(path) else {
                print("新增 added    themes/\(name)/\(path)")
                continue
            }
            if mine == builtin {
                print("相同 same     themes/\(name)/\(path)（与内置相同，可以删除 / identical to the built-in file; it can be removed）")
            } else {
                let a = String(decoding: builtin, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let b = String(decoding: mine, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let (removed, added) = LineDiff.counts(a.map(String.init), b.map(String.init))
                print("改动 changed  themes/\(name)/\(path)（-\(removed) +\(added) 行 lines）")
            }
        }
    }
}

/// Lines removed and added between two texts (longest common subsequence).
enum LineDiff {
    static func counts(_ a: [String], _ b: [String]) -> (removed: Int, added: Int) {
        guard !a.isEmpty, !b.isEmpty else { return (a.count, b.count) }
        // Texts of a theme are small; the table is at most a few thousand lines square.
        guard a.count * b.count <= 25_000_000 else { return (a.count, b.count) }
        var prev = [Int](repeating: 0, count: b.count + 1)
        var cur = prev
        for i in 1...a.count {
            for j in 1...b.count {
                cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : max(prev[j], cur[j - 1])
            }
            swap(&prev, &cur)
        }
        let common = prev[b.count]
        return (a.count - common, b.count - common)
    }
}
