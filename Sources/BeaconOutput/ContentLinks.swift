import Foundation
import BeaconModel
import BeaconText

/// Resolves what editors write in Markdown links and pictures, once per build, for every
/// output: lesson and branch files to their pages, `/media/…` and files beside a text to the
/// content files they name. Anything that does not exist, or points outside content/, is
/// reported at the line and column that wrote it. Each output then turns a `LinkTarget` into
/// its own address: `siteURL` for web pages, `printURL` for PDFs, `file` for printed pictures.
public struct ContentLinks: Sendable {
    public let routes: Routes
    /// Every file under content/, relative to content/.
    let files: Set<String>
    /// content-relative .md path → route
    let pages: [String: String]
    /// The absolute path of content/, for printed pictures.
    public let contentFolder: String

    public init(routes: Routes, project: Project) {
        self.routes = routes
        contentFolder = project.root.appendingPathComponent("content").standardizedFileURL.path
        files = Set(FileTree.files(under: contentFolder))
        var pages: [String: String] = [:]
        for l in project.lessons { pages[String(l.path.dropFirst("content/".count))] = routes.lesson(l) }
        for b in project.branches { pages[String(b.path.dropFirst("content/".count))] = routes.branch(b) }
        self.pages = pages
    }

    /// Normalises `a/b/../c` to `a/c`; nil when it climbs out of content/.
    static func normalise(_ parts: [Substring]) -> String? {
        var out: [Substring] = []
        for p in parts {
            if p.isEmpty || p == "." { continue }
            if p == ".." {
                if out.isEmpty { return nil }
                out.removeLast()
            } else {
                out.append(p)
            }
        }
        return out.joined(separator: "/")
    }

    /// Resolves every link of `doc`, written in the file `document` (project-relative), and
    /// reports what does not exist.
    public func resolve(_ doc: inout MDDocument, in document: String, bag: DiagnosticBag) {
        for i in doc.links.indices where doc.links[i].target == .unresolved {
            let (target, message) = resolve(doc.links[i].raw, isImage: doc.links[i].isImage, in: document)
            doc.links[i].target = target
            if let message { bag.error(doc.links[i].location, message) }
        }
    }

    /// The project's links, resolved: the routes of its site and every text's targets.
    public static func resolved(_ project: inout Project, bag: DiagnosticBag) -> ContentLinks {
        let links = ContentLinks(routes: Routes(project: project, slugger: Slugger(mode: project.site.slugs)), project: project)
        links.resolveAll(&project, bag: bag)
        return links
    }

    /// Resolves the links of every parsed text of the project: lessons, branches, boards.
    public func resolveAll(_ project: inout Project, bag: DiagnosticBag) {
        for i in project.lessons.indices {
            resolve(&project.lessons[i].document, in: project.lessons[i].path, bag: bag)
        }
        for i in project.branches.indices {
            resolve(&project.branches[i].document, in: project.branches[i].path, bag: bag)
        }
        for i in project.boards.indices {
            for j in project.boards[i].blocks.indices {
                guard case .text(let source, var doc, let qr) = project.boards[i].blocks[j].content else { continue }
                resolve(&doc, in: project.boards[i].path, bag: bag)
                project.boards[i].blocks[j].content = .text(source, doc, qrLinks: qr)
            }
        }
    }

    /// Resolves one target written outside Markdown (a picture named in front matter).
    public func resolve(_ raw: String, isImage: Bool, in document: String, at location: SourceLocation, bag: DiagnosticBag) -> MDLink {
        let (target, message) = resolve(raw, isImage: isImage, in: document)
        if let message { bag.error(location, message) }
        return MDLink(raw: raw, isImage: isImage, location: location, target: target)
    }

    func resolve(_ raw: String, isImage: Bool, in document: String) -> (LinkTarget, String?) {
        let t = raw.trimmingCharacters(in: .whitespaces)
        if t.isEmpty || t.hasPrefix("#") || t.hasPrefix("//") || URLSafety.scheme(of: t) != nil { return (.external(raw), nil) }
        var pathPart = t
        var suffix = ""
        if let i = pathPart.firstIndex(where: { $0 == "#" || $0 == "?" }) {
            suffix = String(pathPart[i...])
            pathPart = String(pathPart[..<i])
        }
        let decoded = pathPart.removingPercentEncoding ?? pathPart
        let docDir = document.split(separator: "/").dropFirst().dropLast()   // drop "content" and the file
        let parts: [Substring] = decoded.hasPrefix("/")
            ? decoded.split(separator: "/", omittingEmptySubsequences: false)
            : Array(docDir) + decoded.split(separator: "/", omittingEmptySubsequences: false)
        guard let rel = Self.normalise(parts) else {
            return (.missing, "链接 \(raw) 指到了 content/ 之外 (link points outside content/)")
        }
        if rel.hasSuffix(".md") {
            if let route = pages[rel] { return (.page(route: route, suffix: suffix), nil) }
            if files.contains(rel) {
                return (.missing, "链接的 content/\(rel) 不是课程或支部，或者没有生成页面（草稿？） (linked file content/\(rel) has no page)")
            }
            return (.missing, "找不到链接的课程 content/\(rel) (linked lesson not found: content/\(rel))")
        }
        if rel.isEmpty { return (.page(route: Routes.home, suffix: suffix), nil) }
        guard files.contains(rel) else {
            if isImage { return (.missing, "找不到图片 content/\(rel) (image not found: content/\(rel))") }
            return (.missing, "找不到链接的文件 content/\(rel) (linked file not found: content/\(rel))")
        }
        return (.file(path: rel, suffix: suffix), nil)
    }

    // MARK: - Addresses per output

    /// The site route of a content file: `media/…` as it is, anything else copied to `files/…`.
    public static func fileRoute(_ rel: String) -> String { rel.hasPrefix("media/") ? rel : "files/" + rel }

    /// The URL a web page links to.
    public func siteURL(_ link: MDLink) -> String? {
        switch link.target {
        case .unresolved: return link.raw
        case .external(let url): return url
        case .page(let route, let suffix): return routes.url(route) + suffix
        case .file(let path, let suffix): return routes.url(Self.fileRoute(path)) + suffix
        case .dropped, .missing: return nil
        }
    }

    /// The URL a PDF links to: absolute, on the published site.
    public func printURL(_ link: MDLink) -> String? {
        switch link.target {
        case .unresolved, .external: return siteURL(link)
        case .page(let route, let suffix): return routes.absolute(route) + suffix
        case .file(let path, let suffix): return routes.absolute(Self.fileRoute(path)) + suffix
        case .dropped, .missing: return nil
        }
    }

    /// The file on disk of a printed picture.
    public func file(_ link: MDLink) -> String? {
        switch link.target {
        case .file(let path, _): return contentFolder + "/" + path
        case .unresolved where URLSafety.scheme(of: link.raw) == nil: return link.raw
        default: return nil
        }
    }

    /// The file on disk of a picture named outside Markdown (a board's `src:`, a photo), or nil
    /// when it is not a content file (the loader reports those).
    public func file(named raw: String, in document: String) -> String? {
        let (target, _) = resolve(raw, isImage: true, in: document)
        return file(MDLink(raw: raw, isImage: true, location: SourceLocation(path: document), target: target))
    }

    /// The content files outside content/media that `docs` link to (copied to `files/`).
    public static func referencedFiles<S: Sequence>(_ docs: S) -> Set<String> where S.Element == MDDocument {
        var out = Set<String>()
        for d in docs {
            for l in d.links { if case .file(let path, _) = l.target, !path.hasPrefix("media/") { out.insert(path) } }
        }
        return out
    }
}
