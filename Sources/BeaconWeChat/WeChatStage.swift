import Foundation
import BeaconModel
import BeaconText
import BeaconMarkdown
import BeaconOutput
import BeaconPrint

/// The WeChat copy of every lesson (`wechat: true` in site.yml), in `output/wechat/`, not part
/// of the published site: for each lesson an article whose every style is written on its
/// element (the 公众号 editor keeps nothing else), rendered from the same tree as the web page;
/// a page that shows it as a phone does with a 复制到公众号 button; a 900×383 cover and a
/// 500×500 share picture drawn by the print engine, inside that page; and the summary cut to WeChat's 120
/// characters. Pictures wider than 1080 pixels get a smaller copy under `site/wechat/`, since
/// the editor fetches pictures from the published site when the article is pasted.
public enum WeChatStage {
    public static let maxPictureWidth = 1080
    public static let cover = (width: 900, height: 383)
    public static let share = (width: 500, height: 500)
    /// The 摘要 field of the 公众号 editor takes 120 characters, its title 64, its author 8.
    public static let summaryLimit = 120, titleLimit = 64, authorLimit = 8
    /// A phone's text column in em of the article's type (375 px less the editor's margins).
    public static let phoneWidth = 22.0

    /// The brand the article and its pictures are drawn in.
    public struct Brand: Sendable {
        public var primary: String
        public var accent: String
        public var text: String
        public var muted: String
        public var logo: String?
        public init(primary: String, accent: String, text: String, muted: String, logo: String?) {
            self.primary = primary; self.accent = accent; self.text = text; self.muted = muted; self.logo = logo
        }
        var colours: [String: String] { ["primary": primary, "accent": accent, "text": text, "muted": muted] }
    }

    /// Where a lesson's copy goes under output/: `wechat/<series>/<slug>`, which names its one
    /// file, `<slug>.html`, with the cover and share picture inside it. A series has one folder
    /// and a lesson none of its own: a folder per lesson cost a first build into an emptied
    /// output/ as much as the site's own lesson folders (each new folder is a new inode), and
    /// each file more a directory entry (the pictures as files of their own were two thirds of
    /// what the copies added to a build into an emptied output/).
    public static func base(_ lessonRoute: String) -> String {
        var rest = lessonRoute.hasPrefix(Routes.lessons) ? String(lessonRoute.dropFirst(Routes.lessons.count)) : lessonRoute
        if rest.hasSuffix("/") { rest.removeLast() }
        return "wechat/" + rest
    }

    /// The name a lesson's copy adds to its base, and the names its pictures are downloaded as.
    public static let pageSuffix = ".html", coverSuffix = "-cover.png", shareSuffix = "-share.png"
    /// The longest slug in a picture's download name, in bytes (`Slugger.fitted`).
    public static let longestSaveName = 120

    /// A cover or share picture that could not be drawn, and why in words.
    struct PictureFailure {
        let name: String
        let error: any Error
        var reason: String {
            if let f = error as? FileBytes.Failure { return f.description }
            if let p = error as? PrintError {
                // A picture is drawn into a temporary file of the build cache.
                if case .cannotWrite = p { return "无法写入 (cannot write) .beacon/cache/wechat/" }
                return "\(p)"
            }
            return FileProblem.describe(error)
        }
    }

    /// The pictures of one copy that could not be drawn.
    struct PictureFailures: Error { let list: [PictureFailure] }


    /// The summary for the 摘要 field: the lesson's own or its opening, at most 120 characters.
    public static func summary(_ l: Lesson) -> String {
        // An editor's own summary that fits is taken as written.
        if let own = l.summary, own.count <= summaryLimit { return TextMeasures.summary(own, limit: summaryLimit) }
        // `summary` adds "……" (two characters) when it cuts.
        return TextMeasures.summary(l.summary ?? l.document.opening, limit: summaryLimit - 2)
    }

    /// Where a lesson's front matter holds `value` (its line and column), else the file.
    static func location(of value: String, in l: Lesson, _ project: Project) -> SourceLocation {
        // A folded block (`summary: >`) is recorded as its lines; its value is them joined.
        project.texts.first { $0.path == l.path && ($0.text == value || ($0.text.contains("\n") && CJK.folded(lines: $0.text) == value)) }.map { SourceLocation(path: $0.path, line: $0.line, column: $0.column) }
            ?? SourceLocation(path: l.path, line: 1)
    }

    /// What will not survive the 公众号 editor, said at the line that wrote it.
    public static func review(_ project: Project, bag: DiagnosticBag) {
        for l in project.lessons {
            for m in l.document.landmarks {
                switch m.kind {
                case .table(let width) where width > phoneWidth:
                    bag.warning(m.location, String(format: "这个表格在手机上至少要 %.0f 个字宽，公众号里一屏只有 %.0f 个字，读者要左右滑动；可以减少列数或改成列表 (table needs %.0f em, a phone shows %.0f)", width, phoneWidth, width, phoneWidth))
                case .table:
                    break
                case .footnote:
                    bag.warning(m.location, "公众号文章里注释不能点击跳转，会按“[注1]”写在文末 (footnotes become plain notes at the end of the WeChat article)")
                case .rawHTML(let block) where block:
                    bag.warning(m.location, "公众号版不保留 Markdown 里的 HTML，这一段不会出现在公众号文章里 (raw HTML is left out of the WeChat article)")
                case .rawHTML:
                    bag.warning(m.location, "公众号版不保留这个 HTML 标记：其中的文字留下，标记带来的样式和结构没有 (the tag is left out of the WeChat article; its text stays)")
                }
            }
            // The 公众号 editor takes a title of 64 characters and an author of 8.
            for (value, limit, what) in [(l.title, titleLimit, "标题"), (l.author ?? "", authorLimit, "作者")] where value.count > limit {
                bag.warning(location(of: value, in: l, project), "\(what)有 \(value.count) 个字，公众号的\(what)最多 \(limit) 个字，粘贴时要删短 (the WeChat editor takes at most \(limit) characters here)")
            }
            // An editor's own summary longer than the 摘要 field is cut in the copy: said here,
            // where it can be shortened, not found out in the 公众号 editor.
            if let own = l.summary, own.count > summaryLimit {
                bag.warning(location(of: own, in: l, project), "摘要有 \(own.count) 个字，公众号的摘要最多 \(summaryLimit) 个字，公众号版会截断为“\(summary(l).suffix(12))”；请删短 (the WeChat summary takes at most \(summaryLimit) characters; the copy cuts it)")
            }
            for link in l.document.links where link.isImage {
                if case .external(let url) = link.target {
                    bag.warning(link.location, "图片 \(url.prefix(60)) 不在 content/ 里；公众号编辑器不一定取得到外站图片，请把图片放进 content/media/ (picture outside content/ may not reach the WeChat editor)")
                }
            }
        }
    }

    /// Writes the copies into the stage. Returns the number of articles written, and what
    /// prunes the copies' cache of what this build did not use: for the caller to run once the
    /// whole build has no errors (the copies run beside other stages).
    @discardableResult
    public static func run(project: Project, links: ContentLinks, styles: [String: String], brand: Brand,
                           fonts: (heading: String, body: String), stage: OutputStage, bag: DiagnosticBag) -> (articles: Int, prune: () -> Void) {
        let routes = links.routes
        let inline = InlineStyles(WeChatStyleColours.resolve(styles, colours: brand.colours))
        let lessons = project.lessons.sorted { ($0.date, $1.path) > ($1.date, $0.path) }
        // Links to other lessons go to their 公众号 article when the lesson names one.
        var wechatURL: [String: String] = [:]
        for l in project.lessons { if let u = l.wechatURL { wechatURL[routes.lesson(l)] = u } }
        let cache = CachedFiles(root: project.root, part: "wechat")
        let pictures = PictureCopies(links: links, stage: stage, cache: cache, bag: bag)
        let seriesTitle = Dictionary(project.series.map { ($0.folder, $0.title) }, uniquingKeysWith: { a, _ in a })
        let siteName = project.site.organisation ?? project.site.title
        let logoDigest = brand.logo.flatMap { FileManager.default.contents(atPath: $0) }.map { d -> String in
            let f = Fingerprint(); f.add(d); return f.hex
        } ?? ""
        let slugger = Slugger(mode: project.site.slugs)
        // The font files the pictures are drawn with: another font installed draws them again.
        let faces = FontCatalogue.stamp([fonts.heading, fonts.body])
        var entries = [WeChatPage.Entry?](repeating: nil, count: lessons.count)
        // What every page shares: the styles, the brand and the site's facts.
        let pageBase: String = {
            let f = Fingerprint()
            for (k, v) in inline.css.sorted(by: { $0.key < $1.key }) { f.add(k); f.add(v) }
            for v in [brand.primary, brand.accent, brand.text, brand.muted, project.site.title, project.site.organisation ?? "\u{0}",
                      routes.absolute(""), project.site.rawHTML ? "raw" : "plain"] { f.add(v) }
            return f.hex
        }()
        let lock = NSLock()
        // Lanes over the lessons in series order (the list is by date): the two cores link
        // their copies into different series folders.
        let sizes = ImageSizeCache()
        let bySeries = lessons.indices.sorted { (lessons[$0].seriesFolder, $0) < (lessons[$1].seriesFolder, $1) }
        Lanes.perWorker(count: lessons.count) { _ in
            let painter = CoverPainter(brand: brand, fonts: fonts, siteName: siteName)
            var renderer = HTMLRenderer(slugger: slugger, url: { link in
                switch link.target {
                case .page(let r, let suffix): return wechatURL[r] ?? routes.absolute(r) + suffix
                case .file(let path, let suffix):
                    if link.isImage { return pictures.url(for: path, at: link.location) }
                    return routes.absolute(ContentLinks.fileRoute(path)) + suffix
                default: return links.printURL(link)
                }
            }, imageSize: { link in
                // A picture wider than 1080 pixels is shown as its copy, 1080 wide.
                links.file(link).flatMap { sizes.size(of: $0) }.map { size in
                    size.width <= maxPictureWidth ? size
                        : (width: maxPictureWidth, height: max(1, Int((Double(size.height) * Double(maxPictureWidth) / Double(size.width)).rounded())))
                }
            })
            renderer.inlineStyles = inline
            return { k in
                let i = bySeries[k]
                let l = lessons[i]
                let route = routes.lesson(l)
                let base = base(route)
                let series = seriesTitle[l.seriesFolder] ?? l.seriesFolder
                // The cover and the share picture go into the page itself (PNG as `data:`
                // addresses): a lesson's copy is one file, which a clean build links from the
                // cache in one call instead of three. The cache keeps the pictures by what they
                // are drawn from, for when the page is made again.
                let keys = [(cover, "cover.png"), (share, "share.png")].map { size, name in
                    (size, name, CoverPainter.key(name: name, title: l.title, series: series, siteName: siteName, brand: brand, logo: logoDigest, fonts: fonts, faces: faces))
                }
                var entry = WeChatPage.Entry(title: l.title, series: series, date: l.date, author: l.author, base: base,
                                             summary: "", webURL: routes.absolute(route), article: "")
                // The page from the cache when nothing it is made from changed: the lesson's
                // text, its facts, the address of everything it links to, the pictures, the
                // styles, the site.
                let f = Fingerprint()
                f.add("beacon wechat page 4"); f.add(Fingerprint.program); f.add(pageBase)
                // The file's fingerprint stands for its text when the loader gave one.
                f.add(l.sourceKey.map { "file " + $0 } ?? l.body.text); f.add(l.summary ?? "\u{0}"); f.add(l.title); f.add(l.date.description); f.add(l.author ?? "\u{0}")
                f.add(series); f.add(base); f.add(entry.webURL)
                for (_, _, key) in keys { f.add(key) }
                for link in l.document.links {
                    f.add(renderer.url(link) ?? "\u{0}")
                    if link.isImage, let size = renderer.imageSize(link) { f.add("\(size.width)x\(size.height)") } else { f.add("") }
                }
                var made = true
                do {
                    try cache.file(key: f.hex, ext: "html", into: base + pageSuffix, stage: stage) { path in
                        var pictures: [[UInt8]] = [], failures: [PictureFailure] = []
                        for (size, name, key) in keys {
                            do {
                                pictures.append(try cache.bytes(key: key, ext: "png", whole: PNGFile.isWhole) { out in
                                    try painter.paint(size: size, title: l.title, series: series, to: out)
                                })
                            } catch {
                                failures.append(PictureFailure(name: name, error: error))
                            }
                        }
                        if !failures.isEmpty { throw PictureFailures(list: failures) }
                        entry.summary = summary(l)
                        entry.article = WeChatPage.article(renderer.render(project.document(of: l, keep: false)), styles: inline)
                        try writeNewFile(path, WeChatPage.page(entry, cover: pictures[0], share: pictures[1], site: project.site, baseURL: routes.absolute("")))
                    }
                } catch let failures as PictureFailures {
                    for failure in failures.list {
                        bag.error(SourceLocation(path: l.path), "公众号\(failure.name == "cover.png" ? "封面" : "分享图")画不出来 (cannot draw the WeChat \(failure.name)): \(failure.reason)")
                    }
                    made = false
                } catch {
                    bag.error(SourceLocation(path: "output/" + base + pageSuffix), "无法写入 (cannot write): \(FileProblem.describe(error))")
                    made = false
                }
                // The pictures stay in the cache while their page uses them.
                for (_, _, key) in keys { cache.keep(key: key, ext: "png") }
                if made { lock.lock(); entries[i] = entry; lock.unlock() }
            }
        }
        let written = entries.compactMap { $0 }
        do {
            try stage.write("wechat/index.html", WeChatPage.list(written, site: project.site))
            try stage.write("wechat/assets/wechat.css", WeChatPage.css)
            try stage.write("wechat/assets/wechat.js", WeChatPage.script)
        } catch {
            bag.error(SourceLocation(path: "output/wechat/"), "无法写入 (cannot write): \(FileProblem.describe(error))")
        }
        return (written.count, { cache.prune() })
    }
}

/// The brand colours in a theme's wechat.yml styles (`{primary}` and the rest).
enum WeChatStyleColours {
    static func resolve(_ styles: [String: String], colours: [String: String]) -> [String: String] {
        styles.mapValues { css in
            var out = css
            for (name, value) in colours { out = out.replacingOccurrences(of: "{\(name)}", with: value) }
            return out
        }
    }
}

/// Pictures as the article names them: the published address of the picture, or of a copy
/// the 公众号 editor takes: 1080 pixels wide when the picture is wider, and PNG for SVG (the
/// editor takes no SVG), written to `site/wechat/…`.
final class PictureCopies: @unchecked Sendable {
    let links: ContentLinks
    let stage: OutputStage
    let cache: CachedFiles
    let bag: DiagnosticBag
    /// Held while a copy is made, so that two articles with one picture make it once.
    private let lock = NSLock()
    private var made: [String: String] = [:]

    init(links: ContentLinks, stage: OutputStage, cache: CachedFiles, bag: DiagnosticBag) {
        self.links = links; self.stage = stage; self.cache = cache; self.bag = bag
    }

    /// The real path of content/, for pictures that are links.
    private lazy var contentReal = URL(fileURLWithPath: links.contentFolder).resolvingSymlinksInPath().path + "/"

    func url(for path: String, at location: SourceLocation) -> String {
        lock.lock(); defer { lock.unlock() }
        if let known = made[path] { return known }
        let routes = links.routes
        let route = ContentLinks.fileRoute(path)
        var url = routes.absolute(route)
        let file = links.contentFolder + "/" + path
        // Only pictures that are content's own files are read (never through a link out of it).
        guard URL(fileURLWithPath: file).resolvingSymlinksInPath().path.hasPrefix(contentReal) else {
            bag.warning(location, "图片 \(path) 链接到了 content/ 之外，公众号版不读取它 (picture links outside content/; not read for the WeChat copy)")
            made[path] = url
            return url
        }
        let ext = (path as NSString).pathExtension.lowercased()
        // The cache names its copy with letters and digits only (`x.jpg~` is kept as `.jpg`).
        let cacheExt = String(ext.unicodeScalars.filter { ("a"..."z").contains($0) || ("0"..."9").contains($0) }.map(Character.init))
        let max = WeChatStage.maxPictureWidth
        do {
            if ext == "svg" {
                var copyRoute = "wechat/" + route + ".png"
                // A picture named so beside the SVG (`x.svg` and `x.svg.png`) has its own copy
                // there when it is wide: the SVG's takes a name with a hash of its path.
                var beside = stat()
                if lstat(file + ".png", &beside) == 0 {
                    let f = Fingerprint(); f.add(path)
                    copyRoute = "wechat/" + route + "." + f.hex.prefix(8) + ".png"
                }
                try cache.file(key: key("svg", file), ext: "png", into: "site/" + copyRoute, stage: stage) { out in
                    let img = try PrintImage.load(file)
                    // Twice its own size (sharp on a phone), at most 1080 wide and 8000 high.
                    var w = img.pixelWidth >= Double(max) / 2 ? Double(max) : img.pixelWidth * 2
                    var h = w * img.pixelHeight / Swift.max(1, img.pixelWidth)
                    if h > 8000 { w *= 8000 / h; h = 8000 }
                    let width = Swift.max(1, Int(w.rounded())), height = Swift.max(1, Int(h.rounded()))
                    try DrawnPicture.png(width: width, height: height, to: out) { cr in
                        Canvas(cr).fill(0, 0, Double(width), Double(height), .white)
                        img.draw(cr, x: 0, y: 0, width: Double(width), height: Double(height))
                    }
                }
                url = routes.absolute(copyRoute)
            } else if let size = ImageSize.read(file), size.width > max {
                let copyRoute = "wechat/" + route
                try cache.file(key: key("\(max)", file), ext: cacheExt, into: "site/" + copyRoute, stage: stage) { out in
                    // nil: no wider than 1080 once turned upright; the picture as it is.
                    let data = try PictureCopy.scaled(file, maxWidth: max)?.data ?? Data(contentsOf: URL(fileURLWithPath: file))
                    try data.write(to: URL(fileURLWithPath: out))
                }
                url = routes.absolute(copyRoute)
            }
        } catch {
            bag.warning(location, "公众号用的图片副本做不出来，用原图 (cannot make the WeChat copy of content/\(path)): \((error as? PrintImage.LoadError)?.description ?? FileProblem.describe(error))")
        }
        made[path] = url
        return url
    }

    private func key(_ kind: String, _ file: String) throws -> String {
        let f = Fingerprint()
        f.add("beacon wechat picture 2"); f.add(Fingerprint.program); f.add(kind)
        f.add(try Data(contentsOf: URL(fileURLWithPath: file)))
        return f.hex
    }
}
