import Foundation
import BeaconModel
import BeaconLoad
import BeaconText
import BeaconOutput
import BeaconPrint
import BeaconSite
import BeaconBooks
import BeaconBoards
import BeaconWeChat

public struct BuildOptions: Sendable {
    public var root: URL
    public var output: URL
    public var force: Bool
    public var includeDrafts: Bool
    /// Run every stage but write nothing to output/ (beacon check).
    public var dryRun = false
    /// Run the Chinese copy rules (warnings) over every text: `build` reports what `check`
    /// reports, and `--strict` fails on them. `check --fix` runs them itself.
    public var copyRules = true
    /// `--boards-for`: only these branches' copies of template boards (a branch slug, or a
    /// filter such as `domain=农村,stars=5`).
    public var boardsFor: String?
    /// `--offline`: also write the offline copy (`output/offline/`), as `offline: true` does.
    public var offline = false

    public init(root: URL, output: URL? = nil, force: Bool = false, includeDrafts: Bool = false) {
        self.root = root.standardizedFileURL
        self.output = (output ?? root.appendingPathComponent("output")).standardizedFileURL
        self.force = force
        self.includeDrafts = includeDrafts
    }
}

public struct BuildReport: Sendable {
    public var succeeded: Bool
    public var pages: Int
    public var lessons: Int
    public var branches: Int
    public var boards: Int
    public var books: Int
    public var errors: Int
    public var warnings: Int
    public var seconds: Double
}

/// The whole build as named stages: load → theme → site → commit. A failure in any stage
/// stops before `output/` is touched.
public enum Builder {
    /// The build cache's folders under `.beacon/cache/`.
    static let cacheParts = ["pages", "wechat", "boards", "zips"]

    /// The branches `--boards-for` names: a branch's slug (or file name), or `key=value`
    /// filters joined with commas (`domain=农村,stars=5`, `tags=…`).
    /// The print pack's file name part: the slug, or the filter with `=` and `,` as `-`.
    public static func packName(_ selection: String) -> String {
        let slugger = Slugger()
        let s = Slugger.fitted(slugger.slug(selection.replacingOccurrences(of: "=", with: "-").replacingOccurrences(of: ",", with: "-")))
        return s.isEmpty ? Slugger.fallback(for: selection) : s
    }

    static func boardSelection(_ text: String, project: Project, bag: DiagnosticBag) -> Set<String>? {
        let here = SourceLocation(path: "--boards-for")
        var matching: [Branch]
        if text.contains("=") {
            var filter = BranchFilter()
            for part in text.split(separator: ",") {
                let kv = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard kv.count == 2 else { bag.error(here, "看不懂 \(part)，请写成 domain=农村 或 stars=5 (write key=value)"); return nil }
                switch kv[0] {
                case "domain":
                    guard let d = Domain(rawValue: kv[1]) else {
                        bag.error(here, "未知领域 \(kv[1])；可选：\(Domain.allCases.map(\.rawValue).joined(separator: "、")) (unknown domain)"); return nil
                    }
                    filter.domain = d
                case "stars":
                    guard let n = Int(kv[1]), (1...5).contains(n) else { bag.error(here, "stars 应当是 1 到 5 (stars must be 1 to 5)"); return nil }
                    filter.stars = n
                case "tags", "tag": filter.tags = [kv[1]]
                default:
                    bag.error(here, "未知的筛选条件 \(kv[0])；可用：domain、stars、tags (unknown filter key)"); return nil
                }
            }
            matching = project.branches.filter(filter.matches)
        } else {
            matching = project.branches.filter { $0.slug == text || $0.fileName == text }
            if matching.isEmpty {
                bag.error(here, "找不到支部 \(text)；请写支部的网址名（content/branches/ 下的文件名拼音），或 domain=农村 这样的条件 (no branch '\(text)')")
                return nil
            }
        }
        let slugs = Set(matching.map(\.slug))
        if !project.boards.contains(where: { b in b.copy.map { slugs.contains($0.branch) } ?? false }) {
            bag.error(here, "没有为 \(text) 生成的统一版面展板 (no template board copy for '\(text)')")
            return nil
        }
        return slugs
    }

    public static func build(_ options: BuildOptions, bag: DiagnosticBag) -> BuildReport {
        run(options, bag: bag).report
    }

    /// The build, also handing back the site stage (with every lesson's facts) when it
    /// succeeded, for `beacon serve` to update single pages in place.
    public static func run(_ options: BuildOptions, bag: DiagnosticBag) -> (report: BuildReport, site: SiteBuilder?) {
        var builtSite: SiteBuilder?
        let report = runStages(options, bag: bag, keep: { builtSite = $0 })
        return (report, report.succeeded ? builtSite : nil)
    }

    static func runStages(_ options: BuildOptions, bag: DiagnosticBag, keep: (SiteBuilder) -> Void) -> BuildReport {
        let start = Date()
        var report = BuildReport(succeeded: false, pages: 0, lessons: 0, branches: 0, boards: 0, books: 0,
                                 errors: 0, warnings: 0, seconds: 0)
        // The copy rules only add warnings: they run beside the later stages, on what the
        // loader read, and every way out of the build waits for them first.
        let copyRules = DispatchGroup(), copyRulesBag = DiagnosticBag()
        var copyRulesJoined = false, copyRulesMark = 0
        func joinCopyRules() {
            guard !copyRulesJoined else { return }
            copyRules.wait()
            bag.merge(copyRulesBag, at: copyRulesMark)
            copyRulesJoined = true
        }
        func finish() -> BuildReport {
            joinCopyRules()
            Progress.clear()
            report.errors = bag.errorCount
            report.warnings = bag.warningCount
            report.seconds = Date().timeIntervalSince(start)
            return report
        }
        let loader = ContentLoader(root: options.root, bag: bag, includeDrafts: options.includeDrafts)
        Progress.show("读取 content/")
        guard var project = Timings.measure("load", { loader.load() }) else { return finish() }
        if let selection = options.boardsFor {
            guard let keep = boardSelection(selection, project: project, bag: bag) else { return finish() }
            // A print pack: only these copies; nothing else is built or touched.
            project.boards = project.boards.filter { b in b.copy.map { keep.contains($0.branch) } ?? false }
        }
        // Every link of every parsed text, resolved once for all outputs.
        let links = Timings.measure("links") { ContentLinks.resolved(&project, bag: bag) }
        if options.copyRules {
            let checked = project
            copyRulesMark = bag.mark
            DispatchQueue.global().async(group: copyRules) {
                _ = Timings.measure("copy rules (beside the stages below)") { CopyCheck.run(project: checked, bag: copyRulesBag, fix: false) }
            }
        }
        report.lessons = project.lessons.count
        report.branches = project.branches.count
        report.boards = project.boards.count
        report.books = project.books.count
        guard let theme = Timings.measure("theme", { Theme.load(root: options.root, name: project.site.theme, bag: bag,
                                                                location: project.site.location) }) else { return finish() }
        // A mistake in one file does not stop the stages that do not need that file: every
        // independent problem is reported in one run, and nothing is committed at the end.
        var printStyle = BookStyle(PrintSettingsLoader.load(theme: theme.files, bag: bag), bag: bag)
        // The site's brand: its colours and logo on book covers, colophons and boards.
        let brand = project.site.brand
        if let p = brand.primary, let c = Colour(hex: p) { printStyle.accent = c }
        if let a = brand.accent, let c = Colour(hex: a) { printStyle.gold = c }
        if let logo = brand.logo { printStyle.logo = options.root.appendingPathComponent("content").appendingPathComponent(logo).path }

        let stage: OutputStage
        let stageStart = Timings.start()
        do { stage = try OutputStage(output: options.output) } catch {
            bag.report(error)
            return finish()
        }
        // Refuse early, before any work, if output/ is not ours.
        do { try stage.checkTarget(force: options.force) } catch {
            bag.report(error)
            stage.discard()
            return finish()
        }
        Timings.end("output stage", stageStart)
        // A cache folder that is a link (or not a folder) is not used: said once, not per file.
        let cacheRoot = options.root.appendingPathComponent(".beacon/cache")
        if let unsafe = ([""] + Self.cacheParts).first(where: { !BuildCacheFolder.isSafe(cacheRoot.appendingPathComponent($0).path) }) {
            bag.warning(SourceLocation(path: ".beacon/cache" + (unsafe.isEmpty ? "" : "/" + unsafe)),
                        "构建缓存的文件夹是符号链接或不是文件夹，本次构建不读、不写、不清理它；可以删掉 .beacon/cache (the build cache folder is a symbolic link or not a folder: not used; .beacon/cache is safe to delete)")
        }
        if let selection = options.boardsFor {
            Progress.show("排版展板（\(project.boards.count) 块）")
            _ = Timings.measure("boards") {
                BoardStage.run(project: project, style: printStyle, links: links, stage: stage, bag: bag, printPack: Builder.packName(selection))
            }
            if bag.hasErrors || options.dryRun {
                stage.discard()
                report.succeeded = !bag.hasErrors
                return finish()
            }
            do { try stage.commitInto(force: options.force) } catch {
                bag.report(error)
                stage.discard()
                return finish()
            }
            report.succeeded = true
            return finish()
        }
        Progress.show("排版口袋书（\(project.books.count) 本）")
        let bookFiles = Timings.measure("books") { BookStage.run(project: project, style: printStyle, links: links, stage: stage, bag: bag) }
        Progress.show("排版展板（\(project.boards.count) 块）")
        let boardFiles = Timings.measure("boards") { BoardStage.run(project: project, style: printStyle, links: links, stage: stage, bag: bag) }
        // The WeChat copies run beside the site's list pages and search index (after its lesson
        // pages, whose trees they take over), on the loader's copy of the project.
        var wechat: (() -> Void)?
        let wechatBag = DiagnosticBag()
        nonisolated(unsafe) var wechatPrune: (() -> Void)?   // set by the copies' queue, read after it is waited for
        if project.site.wechat {
            let styles = WeChatStyleLoader.load(theme: theme.files, bag: bag)
            // What the 公众号 editor will not keep as the web page shows it is advice for
            // `beacon check`; the build writes the article in the form that survives.
            if options.dryRun { WeChatStage.review(project, bag: bag) }
            if !options.dryRun && !bag.hasErrors {
                let hex = { (c: Colour) in Palette.RGB(r: c.r, g: c.g, b: c.b).hex }
                let wechatBrand = WeChatStage.Brand(primary: hex(printStyle.accent), accent: hex(printStyle.gold),
                                                    text: hex(printStyle.text), muted: hex(printStyle.muted), logo: printStyle.logo)
                let fonts = (printStyle.headingFont, printStyle.bodyFont)
                var wechatProject = project
                // What the copies read of an outline: its links and opening paragraph; not the
                // plain text of every lesson, held twice while the site runs beside.
                for i in wechatProject.lessons.indices where wechatProject.lessons[i].document.isOutline {
                    if !wechatProject.lessons[i].document.firstParagraph.isEmpty { wechatProject.lessons[i].document.plainText = "" }
                    wechatProject.lessons[i].document.landmarks = []
                }
                let copies = wechatProject
                wechat = {
                    // Its own bag, merged once it is done (see `DiagnosticBag.merge`).
                    Timings.measure("wechat (beside the site's lists)") {
                        wechatPrune = WeChatStage.run(project: copies, links: links, styles: styles, brand: wechatBrand,
                                                      fonts: fonts, stage: stage, bag: wechatBag).prune
                    }
                }
            }
        }
        // The site stage takes the project over (and lets each lesson's tree go once its page
        // is written), so the build holds no second copy of the trees.
        let lessonCount = project.lessons.count
        let offlineSite = project.site.offline, basePath = project.site.basePath
        let site = Timings.measure("site: start") { SiteBuilder(project: project, theme: theme, links: links, stage: stage, bag: bag) }
        project.lessons = []
        site.bookFiles = bookFiles
        site.boardFiles = boardFiles
        let wechatDone = DispatchGroup(), wechatMark = bag.mark
        // Once the lesson pages (most of the cache's new files) are made, the disk starts on
        // them while the lists, the search index and the rest are made; the `syncfs` at the
        // end then waits for less.
        let cacheFolder = options.root.appendingPathComponent(".beacon/cache")
        site.afterLessons = { CacheDurability.start(cacheFolder) }
        if let wechat {
            // The lesson pages keep the trees they parse for the copies, which take them.
            site.keepDocuments = true
            site.afterLessons = {
                CacheDurability.start(cacheFolder)
                DispatchQueue.global().async(group: wechatDone, execute: wechat)
            }
        }
        Progress.show(wechat == nil ? "生成网站（\(lessonCount) 篇课程）" : "生成网站和公众号版（\(lessonCount) 篇课程）")
        site.build()
        wechatDone.wait()
        bag.merge(wechatBag, at: wechatMark)
        // The copies' cache keeps only what this build used, once the whole build is sound.
        if !bag.hasErrors { wechatPrune?() }
        wechatPrune = nil
        project.documents?.clear()
        site.afterLessons = nil
        wechat = nil
        keep(site)
        // What ICU spelt for the site (headings, tags), kept for the next build.
        if project.site.slugs == .pinyin { Timings.measure("pinyin record") { PinyinMemo.save(root: options.root) } }
        if (options.offline || offlineSite) && !bag.hasErrors {
            Progress.show("写离线副本")
            Timings.measure("offline copy") { OfflineCopy.write(stage: stage, basePath: basePath, bag: bag) }
        }
        Progress.show("写入 output/")
        report.pages = site.pageCount
        joinCopyRules()
        if bag.hasErrors {
            stage.discard()
            return finish()
        }
        if options.dryRun {
            stage.discard()
            report.succeeded = !bag.hasErrors
            return finish()
        }
        do { try Timings.measure("commit") { try stage.commit(force: options.force) } } catch {
            bag.report(error as? Diagnostic ?? .error(SourceLocation(path: "output"), "\(error)"))
            stage.discard()
            return finish()
        }
        Timings.measure("cache to disk") { CacheDurability.settle(options.root.appendingPathComponent(".beacon/cache")) }
        report.succeeded = true
        return finish()
    }
}
