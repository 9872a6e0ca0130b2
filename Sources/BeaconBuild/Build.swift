import Foundation
import BeaconModel
import BeaconLoad
import BeaconSite
import BeaconBooks
import BeaconBoards

public struct BuildOptions: Sendable {
    public var root: URL
    public var output: URL
    public var force: Bool
    public var includeDrafts: Bool
    /// Run every stage but write nothing to output/ (beacon check).
    public var dryRun = false

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
        func finish() -> BuildReport {
            Progress.clear()
            report.errors = bag.errorCount
            report.warnings = bag.warningCount
            report.seconds = Date().timeIntervalSince(start)
            return report
        }
        let loader = ContentLoader(root: options.root, bag: bag, includeDrafts: options.includeDrafts)
        Progress.show("读取 content/")
        guard let project = Timings.measure("load", { loader.load() }) else { return finish() }
        report.lessons = project.lessons.count
        report.branches = project.branches.count
        report.boards = project.boards.count
        report.books = project.books.count
        guard let theme = Theme.load(root: options.root, name: project.site.theme, bag: bag,
                                     location: project.site.location) else { return finish() }
        if bag.hasErrors { return finish() }

        let stage: OutputStage
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
        Progress.show("排版口袋书（\(project.books.count) 本）")
        let bookFiles = Timings.measure("books") { BookStage.run(project: project, theme: theme, stage: stage, bag: bag) }
        if bag.hasErrors {
            stage.discard()
            return finish()
        }
        Progress.show("排版展板（\(project.boards.count) 块）")
        let boardFiles = Timings.measure("boards") { BoardStage.run(project: project, theme: theme, stage: stage, bag: bag) }
        if bag.hasErrors {
            stage.discard()
            return finish()
        }
        let site = SiteBuilder(project: project, theme: theme, stage: stage, bag: bag)
        site.bookFiles = bookFiles
        site.boardFiles = boardFiles
        Progress.show("生成网站（\(project.lessons.count) 篇课程）")
        site.build()
        keep(site)
        Progress.show("写入 output/")
        report.pages = site.pageCount
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
        report.succeeded = true
        return finish()
    }
}
