import Foundation
import ArgumentParser
import FlyingFox
import BeaconModel
import BeaconBuild
import BeaconLoad
import BeaconSite

/// `beacon serve`: builds, serves output/site, watches content/ and themes/, rebuilds on a
/// change and reloads open pages; a build error shows in the terminal and over the page until
/// the file is fixed. An edit to a lesson's text rewrites its page at once and then, in the
/// background, the books that print it.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "生成并在本机预览网站，改动后自动重新生成并刷新页面 (build, serve output/site and rebuild on every change).")

    @Option(name: .shortAndLong, help: "站点文件夹，里面有 content/（和 themes/） (the site folder).")
    var root: String = "."

    @Option(help: "端口，1–65535 (the port).")
    var port: Int = 8000

    @Option(help: "监听的地址；写 0.0.0.0 可以在同一网络的手机上打开，会打印局域网地址和二维码 (the address to listen on; 0.0.0.0 lets a phone on the same network open the site).")
    var host: String = "127.0.0.1"

    @Flag(help: "生成后在浏览器里打开 (open the site in the browser).")
    var open = false

    @Flag(help: "也生成标了 draft: true 的草稿 (include drafts).")
    var drafts = false

    func validate() throws {
        guard (1...65535).contains(port) else {
            throw ValidationError("端口应在 1 到 65535 之间，现在是 \(port) (the port must be 1–65535, got \(port))")
        }
        var address = in_addr()
        guard inet_pton(AF_INET, host, &address) == 1 else {
            throw ValidationError("--host 应当是 IPv4 地址，例如 127.0.0.1 或 0.0.0.0，现在是“\(host)” (--host must be an IPv4 address)")
        }
    }

    func run() async throws {
        let rootURL = URL(fileURLWithPath: root, isDirectory: true).standardizedFileURL
        // A port another program holds is said before the build, not after it.
        if let problem = LocalNetwork.portProblem(host: host, port: port) {
            FileHandle.standardError.write(Data("beacon serve: \(problem)\n".utf8))
            throw ExitCode(1)
        }
        let state = ServeState(root: rootURL, drafts: drafts)
        state.rebuild()
        guard let basePath = state.basePath else {
            FileHandle.standardError.write(Data("beacon serve: 第一次构建失败，修好上面的错误后再运行 (the first build failed; fix the errors above and run again)\n".utf8))
            throw ExitCode(1)
        }
        let server = HTTPServer(address: try .inet(ip4: host, port: UInt16(port)), timeout: 30,
                                logger: .disabled, handler: SiteHandler(state: state))
        // What this computer opens: loopback when listening there or everywhere, else the address itself.
        let local = host == "0.0.0.0" || host.hasPrefix("127.") ? "http://127.0.0.1:\(port)\(basePath)" : "http://\(host):\(port)\(basePath)"
        var message = "beacon serve: \(host == "127.0.0.1" ? local : "http://\(host):\(port)\(basePath)")（按 Ctrl-C 停止 / Ctrl-C stops）\n"
        if host == "0.0.0.0" || !host.hasPrefix("127.") {
            let addresses = host == "0.0.0.0" ? LocalNetwork.addresses() : [host]
            let urls = addresses.map { "http://\($0):\(port)\(basePath)" }
            if let first = urls.first {
                message = host == "0.0.0.0" ? "beacon serve: 本机 (this computer) \(local)\n" : ""
                message += urls.map { "beacon serve: 局域网 (on the network) \($0)\n" }.joined()
                message += "用手机扫码打开（手机和电脑要在同一网络；同一网络的人都能看到这个预览） (scan with a phone on the same network; anyone on it can see this preview):\n"
                message += LocalNetwork.terminalQR(first) + "按 Ctrl-C 停止 (Ctrl-C stops)\n"
            } else {
                message += "beacon serve: 没有找到局域网地址（没有连接网络？） (no network address found)\n"
            }
        }
        FileHandle.standardError.write(Data(message.utf8))
        if open { LocalNetwork.openInBrowser(local) }
        let watcher = Task.detached {
            var last = state.snapshot()
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 250_000_000)
                let now = state.snapshot()
                if now != last {
                    let before = last
                    state.work.async { state.changed(from: before, to: now) }
                    last = now
                }
            }
        }
        defer { watcher.cancel() }
        try await server.run()
    }
}

/// What the server knows: the site folder, the build's version and its problems.
final class ServeState: @unchecked Sendable {
    let root: URL
    let drafts: Bool
    private let lock = NSLock()
    private(set) var version = 0
    private(set) var problems: [String] = []
    private(set) var basePath: String?
    /// The site stage of the last full build, kept to update single lessons in place.
    private var site: SiteBuilder?
    /// Every build and update runs here, one after another.
    let work = DispatchQueue(label: "beacon.serve.work")
    /// A full build asked for after a page was updated in place (for the books printing it).
    private var printPending = false

    init(root: URL, drafts: Bool) {
        self.root = root
        self.drafts = drafts
    }

    var siteFolder: URL { root.appendingPathComponent("output/site") }

    /// Every file of content/ and themes/ with its modification time.
    func snapshot() -> [String: Double] {
        var out: [String: Double] = [:]
        for dir in ["content", "themes"] {
            let base = root.appendingPathComponent(dir).path
            for rel in FileTree.files(under: base) {
                var st = stat()
                if stat(base + "/" + rel, &st) == 0 {
                    out[dir + "/" + rel] = Double(st.st_mtim.tv_sec) + Double(st.st_mtim.tv_nsec) / 1e9 + Double(st.st_size) * 1e-12
                }
            }
        }
        return out
    }

    /// What changed decides the work: edits to the text of known lessons re-render those
    /// pages (and the lists showing them when their summary changed); anything else is a
    /// full build.
    func changed(from old: [String: Double], to new: [String: Double]) {
        let modified = new.keys.filter { old[$0] != nil && old[$0] != new[$0] }
        let addedOrRemoved = Set(new.keys).symmetricDifference(old.keys)
        guard addedOrRemoved.isEmpty, let site, !modified.isEmpty,
              modified.allSatisfy({ p in site.project.lessons.contains { $0.path == p } }) else {
            rebuild()
            return
        }
        let start = Date()
        let bag = DiagnosticBag()
        let loader = ContentLoader(root: root, bag: bag, includeDrafts: drafts)
        var updated: [Lesson] = []
        for path in modified.sorted() {
            guard let old = site.project.lessons.first(where: { $0.path == path }) else { continue }
            guard let lesson = loader.reloadLesson(old, site: site.project.site) else { continue }
            // A change to what lists show (title, date, tags …) needs the whole site.
            if !Self.sameForLists(old, lesson) {
                rebuild()
                return
            }
            updated.append(lesson)
        }
        site.bag = bag
        if !bag.hasErrors { for l in updated { site.updateLesson(l) } }
        report(bag, succeeded: !bag.hasErrors, start: start, what: "updated \(updated.map(\.path).joined(separator: ", "))")
        // The page first; then, in the background, the books that print the lesson.
        if !bag.hasErrors, updated.contains(where: { Self.printed($0, in: site.project) }) {
            printPending = true
            work.async {
                guard self.printPending else { return }
                self.printPending = false
                self.rebuild(what: "books rebuilt")
            }
        }
    }

    /// Whether a book prints the lesson (a series it takes or the lesson itself).
    static func printed(_ lesson: Lesson, in project: Project) -> Bool {
        project.books.contains { book in
            book.contents.contains {
                switch $0 {
                case .series(let s): return s == lesson.seriesFolder
                case .lesson(let l): return l == lesson.seriesFolder + "/" + lesson.fileName
                case .branches: return false
                }
            }
        }
    }

    /// Whether two versions of a lesson show the same in lists and neighbouring pages.
    static func sameForLists(_ a: Lesson, _ b: Lesson) -> Bool {
        guard a.title == b.title, a.date == b.date, a.kind == b.kind, a.tags == b.tags else { return false }
        guard a.summary == b.summary, a.slug == b.slug, a.weight == b.weight, a.draft == b.draft else { return false }
        return a.author == b.author && a.audience == b.audience && a.partyDay == b.partyDay
    }

    func report(_ bag: DiagnosticBag, succeeded: Bool, start: Date, what: String) {
        for d in bag.all { FileHandle.standardError.write(Data((d.description + "\n").utf8)) }
        lock.lock()
        problems = bag.all.filter { $0.severity == .error }.map(\.description)
        if succeeded { version += 1 }
        let v = version
        lock.unlock()
        let status = succeeded ? "\(what) (version \(v))" : "build failed; the page shows the errors"
        FileHandle.standardError.write(Data(String(format: "beacon serve: %@ in %.3f s\n", status, Date().timeIntervalSince(start)).utf8))
    }

    func rebuild(what: String = "rebuilt") {
        printPending = false
        let bag = DiagnosticBag()
        let start = Date()
        // A search index rewrite still running must not land after the new build.
        site?.waitForSearchIndex()
        let (report, builtSite) = Builder.run(BuildOptions(root: root, includeDrafts: drafts), bag: bag)
        if let builtSite {
            builtSite.directOutput = siteFolder
            site = builtSite
        }
        let lines = bag.all.map(\.description)
        for l in lines { FileHandle.standardError.write(Data((l + "\n").utf8)) }
        // Only site.yml: loading every lesson again (as `load` does) would also rewrite the
        // build cache's records of them.
        let site = builtSite?.project.site ?? ContentLoader(root: root, bag: DiagnosticBag()).loadSite()
        lock.lock()
        if let site { basePath = site.basePath }
        problems = bag.all.filter { $0.severity == .error }.map(\.description)
        if report.succeeded { version += 1 }
        let v = version
        lock.unlock()
        let status = report.succeeded ? "\(what) (version \(v))" : "build failed; the page shows the errors"
        FileHandle.standardError.write(Data(String(format: "beacon serve: %@ in %.2f s\n", status, Date().timeIntervalSince(start)).utf8))
    }

    func status() -> (Int, [String], String) {
        lock.lock(); defer { lock.unlock() }
        return (version, problems, basePath ?? "/")
    }
}

/// Serves files of output/site only: the base path is stripped, `.` and `..` segments
/// (encoded or not) are refused, and a path that resolves outside the folder is refused.
struct SiteHandler: HTTPHandler {
    let state: ServeState

    static let reloadScript = """
    <script>(function(){var v=null;function show(e){var o=document.getElementById('beacon-errors');if(!e.length){if(o)o.remove();return;}if(!o){o=document.createElement('pre');o.id='beacon-errors';o.style.cssText='position:fixed;left:0;right:0;bottom:0;max-height:50%;overflow:auto;margin:0;padding:12px;background:#7d1212;color:#fff;font:13px/1.5 monospace;white-space:pre-wrap;z-index:99999';document.body.appendChild(o);}o.textContent='构建失败 (build failed):\\n'+e.join('\\n');}function poll(){fetch('/_beacon/status',{cache:'no-store'}).then(function(r){return r.json();}).then(function(s){if(v===null)v=s.version;else if(s.version!==v){location.reload();return;}show(s.errors);}).catch(function(){}).then(function(){setTimeout(poll,500);});}poll();})();</script>
    """

    static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "js": return "text/javascript; charset=utf-8"
        case "xml": return "application/xml; charset=utf-8"
        case "json": return "application/json"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "pdf": return "application/pdf"
        default: return "application/octet-stream"
        }
    }

    func text(_ code: HTTPStatusCode, _ body: String) -> HTTPResponse {
        HTTPResponse(statusCode: code, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(body.utf8))
    }

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        let (version, problems, basePath) = state.status()
        if request.path == "/_beacon/status" {
            let body = try JSONSerialization.data(withJSONObject: ["version": version, "errors": problems], options: [.sortedKeys])
            return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json", HTTPHeader("Cache-Control"): "no-store"], body: body)
        }
        // Decode until stable, so that %252e%252e is caught as well as %2e%2e.
        var path = request.path
        for _ in 0..<3 { path = path.removingPercentEncoding ?? path }
        if path.contains("\0") || path.contains("\\") { return text(.badRequest, "bad request") }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        if parts.contains(where: { $0 == ".." || $0 == "." }) { return text(.forbidden, "403 forbidden") }
        guard path.hasPrefix(basePath) || path + "/" == basePath else {
            if path == "/" { return HTTPResponse(statusCode: .movedPermanently, headers: [.location: basePath]) }
            return notFound()
        }
        var rel = String(path.dropFirst(min(path.count, basePath.count)))
        if rel.isEmpty || rel.hasSuffix("/") { rel += "index.html" }
        let site = state.siteFolder.resolvingSymlinksInPath().path
        var file = URL(fileURLWithPath: site).appendingPathComponent(rel).resolvingSymlinksInPath().path
        guard file == site || file.hasPrefix(site + "/") else { return text(.forbidden, "403 forbidden") }
        var isDir: ObjCBool = false
        if FileManager.default.fileExists(atPath: file, isDirectory: &isDir), isDir.boolValue {
            // The server hands over paths without their trailing slash: a folder means its page.
            file += "/index.html"
        }
        guard let data = FileManager.default.contents(atPath: file) else { return notFound() }
        file = (file as NSString).pathExtension
        return respond(data, ext: file)
    }

    func respond(_ data: Data, ext: String, status: HTTPStatusCode = .ok) -> HTTPResponse {
        var body = data
        if ext == "html", var html = String(data: data, encoding: .utf8) {
            if let r = html.range(of: "</body>", options: .backwards) { html.insert(contentsOf: Self.reloadScript, at: r.lowerBound) } else { html += Self.reloadScript }
            body = Data(html.utf8)
        }
        return HTTPResponse(statusCode: status, headers: [.contentType: Self.contentType(ext), HTTPHeader("Cache-Control"): "no-store"], body: body)
    }

    func notFound() -> HTTPResponse {
        if let data = FileManager.default.contents(atPath: state.siteFolder.appendingPathComponent("404.html").path) {
            return respond(data, ext: "html", status: .notFound)
        }
        return text(.notFound, "404 not found")
    }
}
