import Foundation
import BeaconModel
import BeaconMarkdown

/// Resolves what editors write in Markdown links and images to site URLs: lesson and branch
/// files to their pages, `/media/…` and files beside a lesson to copied files. Anything that
/// does not exist is reported. Used from several threads at once.
public final class ContentLinks: LinkResolver, @unchecked Sendable {
    /// `site`: links become URL paths of the site. `print`: links become absolute URLs (for
    /// PDFs) and pictures become paths of files on disk.
    public enum Mode: Sendable { case site, print(contentFolder: String) }
    let mode: Mode
    let routes: Routes
    /// Every file under content/, relative to content/.
    let files: Set<String>
    /// content-relative .md path → route
    let pages: [String: String]
    private var copies: Set<String> = []
    private let lock = NSLock()

    public init(routes: Routes, files: Set<String>, project: Project, mode: Mode = .site) {
        self.mode = mode
        self.routes = routes
        self.files = files
        var pages: [String: String] = [:]
        for l in project.lessons { pages[String(l.path.dropFirst("content/".count))] = routes.lesson(l) }
        for b in project.branches { pages[String(b.path.dropFirst("content/".count))] = routes.branch(b) }
        self.pages = pages
    }

    /// Content files outside content/media that pages refer to; copied to `files/<path>`.
    var referencedFiles: Set<String> {
        lock.lock(); defer { lock.unlock() }
        return copies
    }

    static func hasScheme(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":") else { return false }
        let scheme = s[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
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

    public func resolve(_ target: String, isImage: Bool, in document: String) -> LinkResolution {
        let t = target.trimmingCharacters(in: .whitespaces)
        if t.isEmpty || t.hasPrefix("#") || t.hasPrefix("//") || Self.hasScheme(t) { return .keep }
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
            return .missing("链接 \(target) 指到了 content/ 之外 (link points outside content/)")
        }
        if rel.hasSuffix(".md") {
            if let route = pages[rel] {
                if case .print = mode { return .rewrite(routes.absolute(route) + suffix) }
                return .rewrite(routes.url(route) + suffix)
            }
            if files.contains(rel) {
                return .missing("链接的 content/\(rel) 不是课程或支部，或者没有生成页面（草稿？） (linked file content/\(rel) has no page)")
            }
            return .missing("找不到链接的课程 content/\(rel) (linked lesson not found: content/\(rel))")
        }
        if rel.isEmpty { return .rewrite(routes.url(Routes.home) + suffix) }
        guard files.contains(rel) else {
            if isImage {
                return .missing("找不到图片 content/\(rel) (image not found: content/\(rel))")
            }
            return .missing("找不到链接的文件 content/\(rel) (linked file not found: content/\(rel))")
        }
        if case .print(let folder) = mode { return .rewrite(folder + "/" + rel) }
        if rel.hasPrefix("media/") { return .rewrite(routes.url(rel) + suffix) }
        lock.lock()
        copies.insert(rel)
        lock.unlock()
        return .rewrite(routes.url("files/" + rel) + suffix)
    }
}
