import Foundation
import ArgumentParser
import BeaconModel
import BeaconBuild
import BeaconLoad
import CGlibcExtras

/// Beacon's version; `beacon --version` prints it with the commit (written at build time by
/// the BuildInfo plugin). scripts/release names the tarball after both.
let beaconVersion = "0.2.0"

@main
struct Beacon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beacon",
        abstract: "把一个文件夹的党建学习资料生成网站、口袋书和展板 (builds a site, pocket books and boards from content/).",
        version: "\(beaconVersion) (\(beaconCommit))",
        subcommands: [Build.self, Check.self, New.self, Import.self, Init.self, Serve.self, ThemeCommand.self],
        defaultSubcommand: Build.self)

    /// For `build` and `check` (not `serve`, which lives on): glibc's allocator gives memory back to the system as soon as the top of a thread's heap
    /// is free, and takes it again a moment later: a rebuild of 10,000 lessons made 15,000
    /// `mprotect` calls doing so. Heaps that grow in larger steps and are trimmed only past
    /// 128 MiB make none (about 5 % of such a build).
    static func tuneMalloc() {
        _ = mallopt(M_TRIM_THRESHOLD, 128 << 20)
        _ = mallopt(M_TOP_PAD, 64 << 20)
        _ = mallopt(M_MMAP_THRESHOLD, 4 << 20)
    }
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "把 content/ 生成到 output/：网站、口袋书、展板 (build content/ into output/: site, books, boards).")

    @Option(name: .shortAndLong, help: "站点文件夹，里面有 content/（和 themes/） (the site folder).")
    var root: String = "."

    @Option(name: .shortAndLong, help: "写到哪里，默认 <站点>/output (where to write; default <root>/output).")
    var output: String?

    @Flag(help: "写进不是 Beacon 建的输出文件夹，并覆盖不是它写的文件 (write into a folder Beacon did not make).")
    var force = false

    @Flag(help: "也生成标了 draft: true 的草稿 (include drafts).")
    var drafts = false

    @Flag(name: .shortAndLong, help: "只显示错误和警告 (print only errors and warnings).")
    var quiet = false

    @Option(help: "问题的输出格式：human、github（CI 注释）或 json (how to print problems).")
    var format: OutputFormat = .human

    @Flag(help: "警告也算错误 (treat warnings as errors).")
    var strict = false

    @Flag(help: "另写一份离线副本 output/offline/：链接全用相对路径，可从 U 盘或文件夹直接打开 (also write an offline copy that works from a folder).")
    var offline = false

    @Option(name: .customLong("boards-for"), help: "只出这些支部的统一版面展板（印刷包）：一个支部的 slug，或 domain=农村,stars=5 这样的条件 (only these branches' template boards: a print pack).")
    var boardsFor: String?

    func run() throws {
        let rootURL = URL(fileURLWithPath: root, isDirectory: true)
        let outURL = output.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let bag = DiagnosticBag()
        var options = BuildOptions(root: rootURL, output: outURL, force: force, includeDrafts: drafts)
        options.boardsFor = boardsFor
        options.offline = offline
        if strict { options.dryRun = true }
        Progress.enabled = isatty(STDERR_FILENO) != 0 && !quiet && format == .human
        Beacon.tuneMalloc()
        /// The last build of the process: its site stage (which holds every lesson) is left
        /// for the system to take back when the process ends, rather than freed value by
        /// value (20 ms at 10,000 lessons).
        func lastBuild(_ options: BuildOptions, bag: DiagnosticBag) -> BuildReport {
            let (report, site) = Builder.run(options, bag: bag)
            if let site { _ = Unmanaged.passRetained(site) }
            return report
        }
        var report: BuildReport
        if strict {
            // Warnings fail the build: check everything first, write only when clean.
            report = Timings.measure("build") { Builder.build(options, bag: bag) }
            if report.succeeded && bag.warningCount == 0 {
                options.dryRun = false
                report = lastBuild(options, bag: DiagnosticBag())
            } else {
                report.succeeded = false
            }
        } else {
            report = Timings.measure("build") { lastBuild(options, bag: bag) }
        }
        Timings.measure("report") { emit(Reporter(format: format, root: rootURL).render(bag.all), json: format == .json) }
        if (!quiet || !report.succeeded) && format != .json {
            // Chinese first, the English in brackets, as every message.
            let status = report.succeeded ? ("生成完毕", "built") : ("生成失败", "failed")
            let line = boardsFor != nil && report.succeeded
                ? String(format: "beacon：印刷包 %d 块展板 → output/boards/print-pack-%@.zip；%d 个警告；%.2f 秒 (print pack: %d boards → output/boards/print-pack-%@.zip; %d warnings)",
                         report.boards, Builder.packName(boardsFor!), report.warnings, report.seconds,
                         report.boards, Builder.packName(boardsFor!), report.warnings)
                : String(format: "beacon：%@，%d 页，%d 篇学习资料，%d 个支部，%d 块展板，%d 本口袋书；%d 个错误，%d 个警告；%.2f 秒 (%@: %d pages, %d lessons, %d branches, %d boards, %d books; %d errors, %d warnings)",
                         status.0, report.pages, report.lessons, report.branches, report.boards, report.books,
                         report.errors, report.warnings, report.seconds,
                         status.1, report.pages, report.lessons, report.branches, report.boards, report.books,
                         report.errors, report.warnings)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if !report.succeeded { throw ExitCode(1) }
    }
}

func emit(_ text: String, json: Bool) {
    guard !text.isEmpty else { return }
    // JSON goes to standard output for programs; the rest to standard error.
    (json ? FileHandle.standardOutput : FileHandle.standardError).write(Data(text.utf8))
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "检查全部内容（头信息、链接、图片、口袋书、展板、中文校对规则），不写 output/ (check everything without writing output/).")

    @Option(name: .shortAndLong, help: "站点文件夹，里面有 content/（和 themes/） (the site folder).")
    var root: String = "."

    @Option(help: "问题的输出格式：human、github（CI 注释）或 json (how to print problems).")
    var format: OutputFormat = .human

    @Flag(help: "警告也算错误 (treat warnings as errors).")
    var strict = false

    @Flag(help: "直接改正能机械改正的校对问题，并列出改了哪里 (fix the mechanical copy-rule cases in place).")
    var fix = false

    @Flag(help: "也生成标了 draft: true 的草稿 (include drafts).")
    var drafts = false

    func run() throws {
        Beacon.tuneMalloc()
        let rootURL = URL(fileURLWithPath: root, isDirectory: true)
        let bag = DiagnosticBag()
        var options = BuildOptions(root: rootURL, includeDrafts: drafts)
        options.dryRun = true
        // The build runs the copy rules; with --fix they run here instead, rewriting files.
        options.copyRules = !fix
        let report = Builder.build(options, bag: bag)
        var fixed: [String] = []
        if fix, let project = ContentLoader(root: rootURL, bag: DiagnosticBag(), includeDrafts: drafts).load() {
            fixed = CopyCheck.run(project: project, bag: bag, fix: true)
        }
        emit(Reporter(format: format, root: rootURL).render(bag.all), json: format == .json)
        if !fixed.isEmpty && format != .json { print(fixed.joined(separator: "\n")) }
        let failed = bag.hasErrors || (strict && bag.warningCount > 0) || (report.errors > 0)
        if format != .json {
            let line = String(format: "beacon check：%d 个错误，%d 个警告%@ (%d errors, %d warnings%@)", bag.errorCount, bag.warningCount,
                              fixed.isEmpty ? "" : "，已改正 \(fixed.count) 处", bag.errorCount, bag.warningCount,
                              fixed.isEmpty ? "" : ", \(fixed.count) fixed")
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if failed { throw ExitCode(1) }
    }
}
