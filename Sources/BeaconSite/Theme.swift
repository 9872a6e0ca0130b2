import Foundation
import BeaconOutput
import BeaconTemplate
import Yams
import BeaconModel
import BeaconLoad

/// A theme: `theme.yml`, `templates/*.mustache` (web pages, edited without recompiling
/// Beacon) and `static/` (copied to the site's `assets/`), read through `ThemeFiles`: the
/// site's own files over the built-in theme's.
public struct Theme: Sendable {
    public let name: String
    public let files: ThemeFiles
    public let library: TemplateLibrary
    /// The words of the interface (strings.yml).
    public let strings: UIStrings
    /// Every template's name and text (with Beacon itself): what a page's rendering depends on
    /// besides its context, for the build cache.
    public var fingerprint = ""

    /// Templates every theme must have, one per page kind.
    public static let required = ["home", "lessons", "series", "lesson", "tags", "tag", "archive", "archive-year",
                                  "branches", "branch", "boards", "board", "board-template", "books", "calendar", "calendar-year", "search", "404"]

    public static func load(root: URL, name: String, bag: DiagnosticBag, location: SourceLocation) -> Theme? {
        guard let files = ThemeFiles.resolve(root: root, name: name, bag: bag, location: location) else { return nil }
        return load(files, bag: bag)
    }

    public static func load(_ files: ThemeFiles, bag: DiagnosticBag) -> Theme? {
        let library = TemplateLibrary()
        var ok = true
        var broken: Set<String> = []
        let print = Fingerprint()
        print.add("beacon templates 2"); print.add(Fingerprint.program)
        for path in files.paths(under: "templates").sorted() where path.hasSuffix(".mustache") {
            let display = files.display(path)
            let templateName = String(path.dropFirst("templates/".count).dropLast(".mustache".count))
            do {
                guard let text = try files.text(path) else { continue }
                print.add(templateName); print.add(text)
                try library.register(text, named: templateName)
            } catch let d as Diagnostic {
                bag.report(d); ok = false
            } catch let e as TemplateError {
                bag.error(SourceLocation(path: display, line: e.line, column: e.column), "模板语法错误 (template error): \(e)")
                broken.insert(templateName)
                ok = false
            } catch {
                bag.error(SourceLocation(path: display), "模板语法错误 (template error): \(error)")
                ok = false
            }
        }
        for t in required where library.template(named: t) == nil && !broken.contains(t) {
            bag.error(SourceLocation(path: "themes/\(files.name)/templates/\(t).mustache"), "主题缺少模板 \(t).mustache (theme is missing template '\(t)')")
            ok = false
        }
        let strings = UIStrings.load(theme: files, bag: bag)
        guard ok else { return nil }
        var theme = Theme(name: files.name, files: files, library: library, strings: strings)
        theme.fingerprint = print.hex
        return theme
    }

    public func render(_ template: String, _ context: [String: Any]) -> String {
        library.render(template, TemplateValue(context)) ?? ""
    }

    public func render(_ template: String, _ context: TemplateValue) -> String {
        library.render(template, context) ?? ""
    }
}
