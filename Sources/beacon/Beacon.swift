import Foundation
import ArgumentParser
import BeaconModel
import BeaconBuild

@main
struct Beacon: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beacon",
        abstract: "把一个文件夹的党建学习资料生成网站、口袋书和展板 (builds a site, pocket books and boards from content/).",
        version: "0.1.0",
        subcommands: [Build.self],
        defaultSubcommand: Build.self)
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build content/ into output/ (site, books, boards).")

    @Option(name: .shortAndLong, help: "The site folder, holding content/ and themes/.")
    var root: String = "."

    @Option(name: .shortAndLong, help: "Where to write; default <root>/output.")
    var output: String?

    @Flag(help: "Write into an output folder that Beacon did not create, and overwrite files it did not write.")
    var force = false

    @Flag(help: "Include lessons marked draft: true.")
    var drafts = false

    @Flag(name: .shortAndLong, help: "Print only errors and warnings.")
    var quiet = false

    func run() throws {
        let rootURL = URL(fileURLWithPath: root, isDirectory: true)
        let outURL = output.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let bag = DiagnosticBag()
        let report = Builder.build(BuildOptions(root: rootURL, output: outURL, force: force, includeDrafts: drafts), bag: bag)
        for d in bag.all {
            FileHandle.standardError.write(Data((d.description + "\n").utf8))
        }
        if !quiet || !report.succeeded {
            let status = report.succeeded ? "built" : "failed"
            let line = String(format: "beacon: %@: %d pages, %d lessons, %d branches, %d boards, %d books; %d errors, %d warnings; %.2f s",
                              status, report.pages, report.lessons, report.branches, report.boards, report.books,
                              report.errors, report.warnings, report.seconds)
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
        if !report.succeeded { throw ExitCode(1) }
    }
}
