import Foundation
import ArgumentParser
import BeaconModel
import BeaconText
import BeaconImport

/// `beacon import FILE.docx|FOLDER`: Word and WPS documents as lessons, with their pictures.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "把 Word 或 WPS 文档（.docx）导入为学习资料，图片一并取出 (import .docx documents as lessons, with their pictures).")

    @Argument(help: "一个 .docx 文件，或放着 .docx 文件的文件夹 (a .docx file, or a folder of them).") var path: String
    @Option(help: "放进哪个专题（content/lessons/ 下的文件夹），没有就新建 (the series folder).") var series: String = "导入的文档"
    @Option(help: "类别：党课、微党课、学习资料或案例 (the kind).") var kind: String = "学习资料"
    @Flag(help: "覆盖已有的同名学习资料 (overwrite a lesson of the same name).") var force = false
    @OptionGroup var site: SiteRoot

    func validate() throws { try NewFile.checkLesson(series: series, kind: kind) }

    func run() throws {
        let source = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: source.path, isDirectory: &isDir) else {
            say(.error(SourceLocation(path: path), "找不到这个文件 (no such file)"))
            throw ExitCode(1)
        }
        let files: [URL]
        if isDir.boolValue {
            files = ((try? FileManager.default.contentsOfDirectory(at: source, includingPropertiesForKeys: nil)) ?? [])
                .filter { ["docx", "doc"].contains($0.pathExtension.lowercased()) && !$0.lastPathComponent.hasPrefix("~$") }
                .sorted { $0.lastPathComponent < $1.lastPathComponent }
            if files.isEmpty {
                say(.error(SourceLocation(path: path), "文件夹里没有 .docx 文档 (no .docx files in the folder)"))
                throw ExitCode(1)
            }
        } else {
            files = [source]
        }
        var failed = 0
        for file in files where !importOne(file) { failed += 1 }
        if files.count > 1 {
            FileHandle.standardError.write(Data("beacon：导入 \(files.count - failed) 篇，失败 \(failed) 篇 (imported \(files.count - failed), failed \(failed))\n".utf8))
        }
        if failed > 0 { throw ExitCode(1) }
    }

    /// Pictures' address until the lesson's name is known (inside `![…](…)`, which the copy
    /// rules leave alone).
    static let mediaPlaceholder = "/media/lessons/-beacon-import-/"

    func say(_ d: Diagnostic) {
        FileHandle.standardError.write(Data((d.description + "\n").utf8))
    }

    /// Imports one document; false (and the reason said) when nothing was written.
    func importOne(_ file: URL) -> Bool {
        let shown = file.path.hasPrefix(FileManager.default.currentDirectoryPath + "/")
            ? String(file.path.dropFirst(FileManager.default.currentDirectoryPath.count + 1)) : file.path
        // The lesson's name comes from the document's title, known only once it is read: read
        // with a placeholder address for pictures, then set it.
        let lesson: ImportedLesson
        do { lesson = try DocxImporter.read(file, mediaURL: Self.mediaPlaceholder) } catch {
            say(.error(SourceLocation(path: shown), "\(error)"))
            return false
        }
        let name = NewFile.fileName(lesson.title)
        let relative = "content/lessons/\(series)/\(name).md"
        // Pictures under the series and the lesson: two lessons of one title in two series
        // never share (or overwrite) a picture folder.
        let media = "content/media/lessons/\(series)/\(name)/"
        let target = site.url.appendingPathComponent(relative)
        if FileManager.default.fileExists(atPath: target.path) && !force {
            say(.error(SourceLocation(path: relative), "已有同名的学习资料，没有导入；要覆盖请加 --force (a lesson of this name exists; add --force to overwrite)"))
            return false
        }
        if !force, let taken = lesson.pictures.first(where: { FileManager.default.fileExists(atPath: site.url.appendingPathComponent(media + $0.name).path) }) {
            say(.error(SourceLocation(path: media + taken.name), "这里已有同名的图片，没有导入；要覆盖请加 --force (a picture of this name exists; add --force to overwrite)"))
            return false
        }
        guard FileManager.default.fileExists(atPath: site.url.appendingPathComponent("content").path) else {
            say(.error(SourceLocation(path: "content"), "这里没有 content/ 文件夹；请在站点文件夹里运行，或用 --root 指明 (no content/ folder here)"))
            return false
        }
        // Only ever inside content/: no folder on the way may lead out (a link to elsewhere).
        for (folder, file) in [("content/lessons", relative), ("content/media", media + "x")] where !NewFile.insideContent(file, root: site.url) {
            say(.error(SourceLocation(path: folder), "这个文件夹是指向 content/ 之外的链接，Beacon 不会往里写 (the folder leads outside content/; nothing written)"))
            return false
        }
        var text = "---\ntitle: \(NewFile.yaml(lesson.title))\ndate: \(lesson.date ?? NewFile.today())\nkind: \(kind)\n"
        if let author = lesson.author { text += "author: \(NewFile.yaml(author))\n" }
        text += "---\n" + lesson.markdown.replacingOccurrences(of: Self.mediaPlaceholder, with: "/" + media.dropFirst("content/".count))
        do {
            let fm = FileManager.default
            let seriesFolder = site.url.appendingPathComponent("content/lessons/\(series)")
            if !fm.fileExists(atPath: seriesFolder.path) {
                try fm.createDirectory(at: seriesFolder, withIntermediateDirectories: true)
                try Data("title: \(NewFile.yaml(series))\nsummary: \n".utf8).write(to: seriesFolder.appendingPathComponent("_series.yml"))
            }
            if !lesson.pictures.isEmpty {
                let folder = site.url.appendingPathComponent(media)
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
                for p in lesson.pictures { try p.data.write(to: folder.appendingPathComponent(p.name), options: .atomic) }
            }
            try Data(text.utf8).write(to: target, options: .atomic)
        } catch {
            say(.error(SourceLocation(path: relative), "写不进去：\(FileProblem.describe(error)) (cannot write)"))
            return false
        }
        var report = "\(relative)：由 \(shown) 导入，\(lesson.pictures.count) 张图片"
        if !lesson.pictures.isEmpty { report += "（\(media)）" }
        if !lesson.fixes.isEmpty { report += "；校对规则已改：\(lesson.fixes.joined(separator: "，"))" }
        FileHandle.standardError.write(Data((report + " (imported)\n").utf8))
        for note in lesson.notCarried { say(.warning(SourceLocation(path: shown), note)) }
        return true
    }
}
