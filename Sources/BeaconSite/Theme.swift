import Foundation
import BeaconOutput
import Mustache
import Yams
import BeaconModel
import BeaconLoad

/// A theme folder: `theme.yml`, `templates/*.mustache` (web pages, edited without
/// recompiling Beacon) and `static/` (copied to the site's `assets/`).
public struct Theme: Sendable {
    public let name: String
    public let folder: URL
    public let library: MustacheLibrary

    /// Templates every theme must have, one per page kind.
    public static let required = ["home", "lessons", "series", "lesson", "tags", "tag", "archive", "archive-year",
                                  "branches", "branch", "boards", "board", "board-template", "books", "calendar", "calendar-year", "search", "404"]

    public static func load(root: URL, name: String, bag: DiagnosticBag, location: SourceLocation) -> Theme? {
        let folder = root.appendingPathComponent("themes").appendingPathComponent(name)
        let templatesDir = folder.appendingPathComponent("templates")
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: templatesDir.path, isDirectory: &isDir), isDir.boolValue else {
            bag.error(location, "找不到主题 themes/\(name)/templates/ (theme '\(name)' not found)")
            return nil
        }
        _ = FastHTMLContentType.registered
        var library = MustacheLibrary()
        let files = (FileManager.default.enumerator(atPath: templatesDir.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".mustache") }.sorted()
        var ok = true
        var broken: Set<String> = []
        for file in files {
            let display = "themes/\(name)/templates/\(file)"
            let templateName = String(file.dropLast(".mustache".count))
            do {
                let text = try TextFile.read(templatesDir.appendingPathComponent(file), displayPath: display)
                try library.register(text, named: templateName)
            } catch let d as Diagnostic {
                bag.report(d); ok = false
            } catch let e as MustacheTemplate.ParserError {
                bag.error(SourceLocation(path: display, line: e.context.lineNumber, column: e.context.columnNumber + 1),
                          "模板语法错误 (template error): \(e.error)")
                broken.insert(templateName)
                ok = false
            } catch {
                bag.error(SourceLocation(path: display), "模板语法错误 (template error): \(error)")
                ok = false
            }
        }
        for t in required where library.getTemplate(named: t) == nil && !broken.contains(t) {
            bag.error(SourceLocation(path: "themes/\(name)/templates/\(t).mustache"), "主题缺少模板 \(t).mustache (theme is missing template '\(t)')")
            ok = false
        }
        return ok ? Theme(name: name, folder: folder, library: library) : nil
    }

    public var staticFolder: URL { folder.appendingPathComponent("static") }

    public func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(context, withTemplate: template) ?? ""
    }
}
