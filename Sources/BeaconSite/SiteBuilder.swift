import Foundation
import BeaconModel
import BeaconText
import BeaconMarkdown
import BeaconTemplate
import BeaconOutput
import BeaconLoad

/// What the site stage learnt about one lesson while rendering it.
struct LessonFacts: Sendable {
    var summary: String
    var minutes: Int
    /// The rendered Markdown; kept only for the lessons in the feed.
    var html: String
    /// The theme's `lesson-item` partial for this lesson, rendered once and reused by every
    /// list it appears in.
    var itemHTML: String
    /// The fingerprint of the entry's context, which decides `itemHTML` and every field a
    /// list shows of the lesson: a list page's key holds it for the lesson.
    var itemKey: String?
    /// The lesson's search tokens; kept so that `serve` can rewrite the index after an edit.
    var search = SearchDoc()
    /// The same, of the zh-Hant edition's text.
    var searchHant: SearchDoc?
}

/// A lesson as list templates see it. Fields are computed when a template asks for them,
/// so a list of thousands of lessons costs only what its template uses.
final class LessonContext: TemplateObject, @unchecked Sendable {
    /// The lesson's id (its place in the project's lessons): a list of thousands holds no
    /// copies of the lessons themselves.
    let id: Int
    unowned let builder: SiteBuilder

    init(_ id: Int, builder: SiteBuilder) {
        self.id = id
        self.builder = builder
    }

    func value(named name: String) -> TemplateValue? {
        if name == "html" { return .string(builder.facts[id].itemHTML) }
        return builder.lessonItem(builder.project.lessons[id], facts: builder.facts[id])[name]
    }
}

/// Renders the website of a loaded project into `site/` of an output stage.
public final class SiteBuilder: @unchecked Sendable {
    public private(set) var project: Project
    let theme: Theme
    let stage: OutputStage
    public var bag: DiagnosticBag
    let slugger: Slugger
    let routes: Routes
    /// Markdown trees to HTML, with this site's URLs and picture sizes.
    let html: HTMLRenderer
    let links: ContentLinks
    /// Pixel sizes of content pictures, read once each.
    let imageSizes = ImageSizeCache()
    let prefix = "site/"
    /// The number of search shards, fixed by the full build so that `serve` can rewrite some.
    var searchShards = 0
    var searchShardsHant = 0
    /// Where `serve` rewrites the search index after an edit, one rewrite after another.
    let searchQueue = DispatchQueue(label: "beacon.search-index")

    /// Waits until the search index has caught up with every edit so far.
    public func waitForSearchIndex() { searchQueue.sync {} }
    /// The Traditional Chinese edition, when `editions` lists zh-Hant.
    let hant: HantEdition?

    /// Lessons newest first; each series' lessons in reading order.
    let latest: [Lesson]
    let seriesOrder: [Series]
    let seriesLessons: [String: [Lesson]]
    let seriesByFolder: [String: Series]
    let branchBySlug: [String: Branch]
    /// By lesson id: its index in its series' reading order.
    let seriesPosition: [Int]
    /// By lesson id; filled by `renderLessons`.
    var facts: [LessonFacts] = []
    /// The lessons' parsed bodies, by lesson id, each let go once its page is written: the
    /// site is the last stage to read them (a build of 10,000 lessons would otherwise hold
    /// every tree to the end).
    private var lessonDocuments: [MDDocument] = []
    /// Content files outside content/media that any text links to or shows (copied to files/).
    private(set) var linkedFiles: Set<String> = []
    /// What templates see as `site`: the same on every page, made once.
    let siteContext: TemplateValue
    /// The build cache's pages (`.beacon/cache/pages/`), see PageCache.swift.
    let pageCache: CachedFiles
    let itemMemo: ShardedMemo
    /// Each lesson's summary, reading time and search tokens, under its file's fingerprint
    /// (`lessonFacts`, SearchIndex.swift).
    let factsMemo: ShardedMemo
    /// Fingerprints of `siteContext` and of the zh-Hant edition's conversion.
    private(set) var siteKey = ""
    private(set) var hantKey = ""
    /// The navigation of each section, built once.
    private(set) var navBySection: [String: TemplateValue] = [:]
    /// `siteContext` and `navBySection` for each rendering thread (see `PerThread`).
    private(set) var shared = PerThread<(site: TemplateValue, nav: [String: TemplateValue])> { (.null, [:]) }
    /// The fingerprint of each section's navigation, for page keys.
    private(set) var navKeys: [String: String] = [:]
    public internal(set) var pageCount = 0
    let countLock = NSLock()

    /// The files the book stage wrote, by book slug; routes are relative to the site.
    public var bookFiles: [String: BookFiles] = [:]

    public var boardFiles: [String: BoardFiles] = [:]

    public init(project: Project, theme: Theme, links: ContentLinks, stage: OutputStage, bag: DiagnosticBag) {
        var project = project
        lessonDocuments = project.lessons.map(\.document)
        let boardDocs = project.boards.flatMap { board in
            board.blocks.compactMap { block -> MDDocument? in
                if case .text(_, let doc, _) = block.content { return doc }
                return nil
            }
        }
        linkedFiles = ContentLinks.referencedFiles(lessonDocuments + project.branches.map(\.document) + boardDocs)
        for i in project.lessons.indices {
            project.lessons[i].document = .empty
            // An outline's text is parsed when its page is made.
            if !lessonDocuments[i].isOutline { project.lessons[i].body = MarkdownSource(text: "", lineOffset: 0) }
        }
        self.project = project
        self.theme = theme
        self.stage = stage
        self.bag = bag
        slugger = Slugger(mode: project.site.slugs)
        if slugger.mode == .pinyin {
            // Titles, tags and headings spelt in one ICU call (heading ids, search pinyin).
            var text = ""
            for (l, doc) in zip(project.lessons, lessonDocuments) where !doc.isOutline {
                text += l.title
                text += l.tags.joined()
                for case .heading(_, let h) in doc.blocks { text += h.plainText }
            }
            slugger.prefetch(text)
        }
        routes = links.routes
        self.links = links
        let sizes = imageSizes
        html = HTMLRenderer(slugger: slugger, url: links.siteURL, imageSize: { link in
            guard let file = links.file(link) else { return nil }
            return sizes.size(of: file)
        })
        hant = project.site.editions.contains(HantEdition.language)
            ? HantEdition(converter: HantConverter(phrases: Self.hantPhrases(theme.strings, site: project.site.hantPhrases)), basePath: routes.basePath,
                          baseURL: routes.absolute(""), sourceLanguage: project.site.language)
            : nil
        latest = project.lessons.sorted { ($0.date, $1.id) > ($1.date, $0.id) }
        seriesOrder = project.series.sorted { ($0.weight ?? Int.max, $0.folder) < ($1.weight ?? Int.max, $1.folder) }
        var bySeries: [String: [Lesson]] = [:]
        for l in project.lessons { bySeries[l.seriesFolder, default: []].append(l) }
        for (k, v) in bySeries {
            bySeries[k] = v.sorted { ($0.weight ?? Int.max, $0.date, $0.fileName) < ($1.weight ?? Int.max, $1.date, $1.fileName) }
        }
        seriesLessons = bySeries
        var position = [Int](repeating: 0, count: project.lessons.count)
        for list in bySeries.values { for (i, l) in list.enumerated() { position[l.id] = i } }
        seriesPosition = position
        seriesByFolder = Dictionary(uniqueKeysWithValues: project.series.map { ($0.folder, $0) })
        branchBySlug = Dictionary(project.branches.map { ($0.slug, $0) }, uniquingKeysWith: { a, _ in a })
        var site: [String: Any] = [
            "title": project.site.title,
            "base": routes.basePath,
            "lang": project.site.language,
            "assets": routes.url("assets/"),
            "feed": routes.url(Routes.feed),
            "jsonFeed": routes.url(Routes.jsonFeed),
            "home": routes.url(Routes.home),
            "year": BuildClock.today().year,
        ]
        if let o = project.site.organisation { site["organisation"] = o }
        if let d = project.site.description { site["description"] = d }
        let brand = project.site.brand
        if let logo = brand.logo {
            site["logo"] = routes.url("assets/" + Self.logoFile(logo))
            if let size = ImageSize.read(project.root.appendingPathComponent("content").appendingPathComponent(logo).path), size.height > 0 {
                site["logoWidth"] = Int((Double(size.width) * 40 / Double(size.height)).rounded())
            }
        }
        if brand.hasColours { site["brandCSS"] = routes.url("assets/brand.css") }
        let routesNow = routes
        let sheets = theme.files.stylesheets.map { routesNow.url("assets/" + $0) }
        if !sheets.isEmpty { site["themeCSS"] = sheets }
        let footer: [[String: Any]] = brand.footer.map { line in
            var d: [String: Any] = ["text": line.text]
            if let l = line.link { d["link"] = l }
            return d
        }
        if !footer.isEmpty { site["footerLines"] = footer }
        if let icp = brand.icp { site["icp"] = ["text": icp, "url": Brand.icpURL] }
        if let p = brand.policeFiling { site["police"] = ["text": p, "url": Brand.policeURL(p)] }
        if let c = brand.copyright { site["copyright"] = c }
        siteContext = TemplateValue(site)
        pageCache = CachedFiles(root: project.root, part: "pages")
        itemMemo = ShardedMemo(folder: pageCache.dir, name: "lesson-items")
        factsMemo = ShardedMemo(folder: pageCache.dir, name: "lesson-facts")
        // The single files these were before (Beacon's own, in its cache).
        for old in ["lesson-items.txt", "lesson-facts.memo"] { unlink(pageCache.dir.appendingPathComponent(old).path) }
        for section in ["home", "lessons", "branches", "boards", "books", "calendar", "archive", "tags", "search", ""] {
            navBySection[section] = TemplateValue(nav(current: section))
        }
        siteKey = Self.siteKey(siteContext, builder: self)
        shared = PerThread { [siteContext, navBySection] in (siteContext.ownCopy, navBySection.mapValues(\.ownCopy)) }
        for (section, items) in navBySection {
            let f = Fingerprint()
            f.add("nav")
            add(items, to: f)
            navKeys[section] = f.hex
        }
        let h = Fingerprint()
        h.add("zh-Hant 1")
        if hant != nil {
            for (a, b) in Self.hantPhrases(theme.strings, site: project.site.hantPhrases).sorted(by: { $0.key < $1.key }) { h.add(a); h.add(b) }
            h.add(routes.basePath); h.add(routes.absolute("")); h.add(project.site.language)
        }
        hantKey = h.hex
    }

    /// A word of the interface, from the theme's strings.yml.
    func t(_ key: String, _ fields: [String: String] = [:]) -> String { theme.strings.text(key, fields) }

    /// The zh-Hant edition's phrase corrections: the theme's own zh-Hant strings, then the site's.
    static func hantPhrases(_ strings: UIStrings, site: [String: String]) -> [String: String] {
        var out: [String: String] = [:]
        // Replaced inside the pages' HTML: a string with markup characters is no phrase.
        func plain(_ s: String) -> Bool { !s.contains { "<>&\"'".contains($0) } }
        for (key, hant) in strings.hant { if let hans = strings.hans[key], plain(hans), plain(hant) { out[hans] = hant } }
        out.merge(site) { _, s in s }
        return out
    }

    /// The name the site's logo is published under, in assets/.
    static func logoFile(_ logo: String) -> String {
        "brand-logo." + (logo.split(separator: ".").last.map { $0.lowercased() } ?? "svg")
    }

    /// The theme's colours for the site's brand colours (assets/brand.css).
    func brandCSS() -> String? {
        let brand = project.site.brand
        guard brand.hasColours else { return nil }
        let p = Palette(primary: Palette.RGB(hex: brand.primary ?? "#a81c1c")!, accent: Palette.RGB(hex: brand.accent ?? "#c9a227")!)
        return """
        /* The site's brand colours (content/site.yml colors), over the theme's. */
        :root { --red: \(p.primary.hex); --red-dark: \(p.primaryDark.hex); --footer: \(p.footer.hex); --gold: \(p.accent.hex); --gold-text: \(p.accentText.hex); --tint: \(p.tint.hex); }

        """
    }

    // MARK: - Pipeline

    public func build() {
        let steps: [(String, () -> Void)] = [
            ("lessons", renderLessons), ("branches", renderBranches), ("series", { self.renderSeries() }), ("tags", { self.renderTags() }),
            ("archive", { self.renderArchive() }), ("boards and books", renderPrintIndexes), ("calendar", renderCalendar), ("search", writeSearchIndex), ("board pages", renderBoardPages), ("home", renderHome),
            ("404", renderNotFound), ("feed", writeFeed), ("sitemap", writeSitemap), ("assets", copyAssets),
        ]
        for (name, step) in steps {
            Timings.measure("site: \(name)", step)
            if name == "lessons" { afterLessons?() }
        }
        if let name = theme.library.takeTooDeep() {
            bag.error(SourceLocation(path: theme.files.display("templates/\(name).mustache"), line: 1, column: 1),
                      "模板里的 {{>…}} 或 {{<…}} 嵌套超过 \(TemplateLibrary.depthLimit) 层，多半是一个模板引用了它自己 (templates nest deeper than \(TemplateLibrary.depthLimit): a partial includes itself)")
        }
        if !bag.hasErrors {
            Timings.measure("site: cache records") {
                itemMemo.save()
                factsMemo.save()
                pageCache.prune()
            }
        }
        templateTime.report()
        writeTime.report()
    }

    /// Run once the lesson pages are made (the build starts the WeChat copies there).
    public var afterLessons: (() -> Void)?
    /// Whether a lesson's tree parsed for its page is kept for a later stage (the WeChat
    /// copies, which take it) instead of let go at once.
    public var keepDocuments = false

    /// When set (by `beacon serve` after a full build), pages are written straight into this
    /// site folder, each file replaced atomically, instead of into the staging folder.
    public var directOutput: URL?

    /// A file that is not a page (feed, sitemap), through the same two ways as pages.
    func writeFile(_ name: String, _ text: String) {
        if directOutput != nil { write(name, text); return }
        do { try stage.write(prefix + name, text) } catch {
            bag.error(SourceLocation(path: "output/site/" + name), "无法写入 (cannot write): \(FileProblem.describe(error))")
        }
    }

    /// A file that is not text (the search index's JSON, built as bytes).
    func writeData(_ name: String, _ data: Data) {
        if let dir = directOutput {
            let url = dir.appendingPathComponent(name)
            do {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url, options: .atomic)
            } catch {
                bag.error(SourceLocation(path: "output/site/" + name), "无法写入 (cannot write): \(FileProblem.describe(error))")
            }
            return
        }
        do { try stage.write(prefix + name, data) } catch {
            bag.error(SourceLocation(path: "output/site/" + name), "无法写入 (cannot write): \(FileProblem.describe(error))")
        }
    }

    /// Writes a page, and its zh-Hant copy when the site has that edition. `replacements`
    /// apply to the copy only (a QR code to the copy's own address).
    func write(_ route: String, _ html: String, hantReplacements: [(String, String)] = []) {
        writeTime.add { writeOne(route, html) }
        if let hant { writeOne(HantEdition.folder + route, hant.convertPage(html, replacements: hantReplacements)) }
    }

    private func writeOne(_ route: String, _ html: String) {
        if let dir = directOutput {
            let url = dir.appendingPathComponent(Routes.file(route))
            let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).beacon-tmp")
            do {
                try Data(html.utf8).write(to: tmp)
                if rename(tmp.path, url.path) != 0 { throw POSIXError(.EIO) }
            } catch {
                bag.error(SourceLocation(path: "output/site/" + Routes.file(route)), "无法写入 (cannot write): \(FileProblem.describe(error))")
            }
            return
        }
        let file = prefix + Routes.file(route)
        do {
            try stage.write(file, html)
            countLock.lock(); pageCount += 1; countLock.unlock()
        } catch {
            bag.error(SourceLocation(path: "output/" + file), "无法写入 (cannot write): \(FileProblem.describe(error))")
        }
    }

    /// Time in page templates and page writes over the whole site stage (BEACON_TIMINGS).
    let templateTime = TimingTotal("site: templates")
    let writeTime = TimingTotal("site: writing pages")

    func page(_ template: String, route: String, title: String?, description: String? = nil,
              section: String, extra: [String: Any]) -> String {
        let ctx = pageContext(route: route, title: title, description: description, section: section, extra: extra)
        return templateTime.add { theme.render(template, ctx) }
    }

    func pageContext(route: String, title: String?, description: String?, section: String, extra: [String: Any]) -> [String: Any] {
        var ctx = extra
        let own = shared.value
        ctx["site"] = own.site
        ctx["nav"] = own.nav[section] ?? TemplateValue(nav(current: section))
        var p: [String: Any] = ["url": routes.url(route), "canonical": routes.absolute(route)]
        if hant != nil {
            p["hasEditions"] = true
            p["editions"] = [
                ["label": theme.strings.text("edition.hans"), "lang": "zh-Hans", "url": routes.url(route), "absolute": routes.absolute(route), "current": true],
                ["label": theme.strings.text("edition.hant"), "lang": HantEdition.language, "url": routes.url(HantEdition.folder + route),
                 "absolute": routes.absolute(HantEdition.folder + route)],
            ]
        }
        if let title { p["title"] = title }
        p["description"] = description ?? project.site.description ?? project.site.title
        ctx["page"] = p
        return ctx
    }

    func nav(current: String) -> [[String: Any]] {
        var items: [(String, String, String)] = [
            ("home", t("nav.home"), Routes.home), ("lessons", t("nav.lessons"), Routes.lessons), ("branches", t("nav.branches"), Routes.branches),
        ]
        if !project.boards.isEmpty { items.append(("boards", t("nav.boards"), Routes.boards)) }
        if !project.books.isEmpty { items.append(("books", t("nav.books"), Routes.books)) }
        if project.site.partyDay != nil { items.append(("calendar", t("nav.calendar"), "calendar/")) }
        items += [("archive", t("nav.archive"), Routes.archive), ("tags", t("nav.tags"), Routes.tags), ("search", t("nav.search"), Routes.search)]
        return items.map { key, label, route in
            var d: [String: Any] = ["label": label, "url": routes.url(route)]
            if key == current { d["current"] = true }
            return d
        }
    }

    // MARK: - Contexts

    /// Lessons as list templates take them.
    func lessonList(_ lessons: some Sequence<Lesson>) -> TemplateValue {
        .list(lessons.map { .object(LessonContext($0.id, builder: self)) })
    }

    /// A lesson as every template sees it (a list's entry, and the start of its own page).
    func lessonItem(_ l: Lesson, facts: LessonFacts?) -> [String: TemplateValue] {
        var d: [String: TemplateValue] = [
            "title": .string(l.title), "url": .string(routes.url(routes.lesson(l))), "date": .string(l.date.chinese),
            "datetime": .string(l.date.description), "kind": .string(l.kind.rawValue),
        ]
        if let s = seriesByFolder[l.seriesFolder] {
            d["series"] = .string(s.title)
            d["seriesURL"] = .string(routes.url(routes.series(s.folder)))
        }
        if let f = facts {
            d["summary"] = .string(f.summary)
            d["minutes"] = .int(f.minutes)
        }
        d["tags"] = .list(l.tags.map { .map(["name": .string($0), "url": .string(routes.url(routes.tag($0)))]) })
        return d
    }

    func tagItem(_ t: String) -> [String: Any] { ["name": t, "url": routes.url(routes.tag(t))] }

    func seriesItem(_ s: Series) -> [String: Any] {
        let list = seriesLessons[s.folder] ?? []
        var d: [String: Any] = ["title": s.title, "url": routes.url(routes.series(s.folder)), "count": list.count]
        if let sum = s.summary { d["summary"] = sum }
        return d
    }

    func stars(_ n: Int?) -> [String: Any]? {
        guard let n else { return nil }
        return ["count": n, "filled": String(repeating: "★", count: n), "unfilled": String(repeating: "☆", count: 5 - n),
                "label": "\(n)星级"]
    }

    func branchItem(_ b: Branch) -> [String: Any] {
        var d: [String: Any] = ["name": b.name, "displayName": b.displayName, "url": routes.url(routes.branch(b)),
                                "domain": b.domain.rawValue]
        if let s = stars(b.stars) { d["stars"] = s }
        if let s = b.secretary { d["secretary"] = s }
        if let m = b.members { d["members"] = m }
        return d
    }

    func bookItem(_ b: Book) -> [String: Any] {
        var d = printItem(b.definition)
        if !b.sizeName.contains("×") { d["size"] = b.sizeName.uppercased() }
        if let p = b.publisher { d["publisher"] = p }
        if let date = b.chineseDate { d["date"] = date }
        if let e = b.edition { d["edition"] = e.name }
        if let out = bookFiles[b.slug] {
            d["pdf"] = routes.url(out.pdf)
            d["pdfSize"] = out.pdfSizeText
            if let p = out.printPDF { d["printPDF"] = routes.url(p) }
            if let c = out.cover { d["cover"] = routes.url(c) }
            d["pages"] = out.pages
        }
        return d
    }

    func printItem(_ p: PrintDefinition) -> [String: Any] {
        var d: [String: Any] = ["title": p.title, "source": p.path]
        if let s = p.subtitle { d["subtitle"] = s }
        if let s = p.size { d["size"] = s }
        return d
    }

    // MARK: - Lessons

    /// Lessons whose full text goes into the feed.
    static let feedSize = 20

    func renderLessons() {
        let lessons = project.lessons
        let inFeed = Set(latest.prefix(Self.feedSize).map(\.id))
        var results = [LessonFacts?](repeating: nil, count: lessons.count)
        let tokenTime = TimingTotal("site: lessons: facts and search tokens")
        let htmlTime = TimingTotal("site: lessons: Markdown to HTML")
        let store = project.documents
        // Each lesson: its facts, then its page, written at once; on every core. A page the
        // build cache holds is linked without its Markdown being rendered (or, when the loader
        // gave an outline, parsed).
        results.withUnsafeMutableBufferPointer { out in
          lessonDocuments.withUnsafeMutableBufferPointer { docs in
            let buffer = out, documents = docs
            // Lanes: the two cores make their lesson folders in different series folders.
            Lanes.run(count: lessons.count) { i in
                let l = lessons[i]
                let doc = documents[i]
                documents[i] = .empty
                var rendered: RenderedHTML?
                func body() -> RenderedHTML {
                    if let rendered { return rendered }
                    let full = store?.document(of: doc, body: l.body, path: l.path, keep: keepDocuments) ?? doc
                    let r = htmlTime.add { html.render(full) }
                    rendered = r
                    return r
                }
                var f = tokenTime.add { lessonFacts(l, doc) }
                var item = lessonItem(l, facts: f)
                item["site"] = shared.value.site
                let itemValue = TemplateValue.map(item)
                f.itemKey = contextKey("lesson-item", itemValue)
                f.itemHTML = itemMemo.text(f.itemKey) { templateTime.add { theme.render("lesson-item", itemValue) } }
                let key = bodyKey(l, doc)
                renderLessonPage(l, facts: f, bodyKey: key, body: body)
                if inFeed.contains(l.id) {
                    // The feed carries the whole text of the newest lessons.
                    let feedKey = key.map { k -> String in let h = Fingerprint(); h.add("feed body"); h.add(k); return h.hex }
                    f.html = itemMemo.text(feedKey) { body().html }
                }
                buffer[i] = f
            }
          }
        }
        // Trees kept for a later stage (the WeChat copies) are that stage's to take.
        if !keepDocuments { store?.clear() }
        tokenTime.report()
        htmlTime.report()
        facts = results.map { $0! }
    }

    /// The fingerprint of a lesson's text as its page shows it: the file it was read from and
    /// the address (and picture size) of everything it links to. nil for a lesson not read
    /// from a file.
    func bodyKey(_ l: Lesson, _ doc: MDDocument) -> String? {
        guard let source = l.sourceKey else { return nil }
        let f = Fingerprint()
        f.add("lesson body 1"); f.add(source)
        for link in doc.links {
            f.add(html.url(link) ?? "\u{0}")
            if link.isImage, let size = html.imageSize(link) { f.add("\(size.width)x\(size.height)") } else { f.add("") }
        }
        return f.hex
    }

    /// Re-renders one lesson whose list-relevant fields (title, date, kind, series, tags,
    /// summary, slug, weight) are unchanged: its page, and the list pages that show it when
    /// its summary or reading time changed. Returns the routes written.
    @discardableResult
    public func updateLesson(_ edited: Lesson) -> [String] {
        var l = edited
        links.resolve(&l.document, in: l.path, bag: bag)
        if bag.hasErrors { return [] }
        let doc = l.document
        let r = html.render(doc)
        var f = lessonFacts(l, doc)
        f.html = r.html
        var item = lessonItem(l, facts: f)
        item["site"] = siteContext
        f.itemHTML = theme.render("lesson-item", .map(item))
        project.lessons[l.id] = l
        renderLessonPage(l, facts: f, bodyKey: nil, body: { r })
        var written = [routes.lesson(l)]
        let old = facts[l.id]
        let inFeed = latest.prefix(Self.feedSize).contains { $0.id == l.id }
        if !inFeed { f.html = "" }
        facts[l.id] = f
        if f.search.codes != old.search.codes || f.search.words != old.search.words {
            // A lesson's words reach nearly every shard, so the index is rewritten after the
            // page, on its own queue, from a snapshot of the lessons' tokens: the edited page is
            // served at once and the search finds the new words a moment later.
            let hant = f.searchHant.map { ($0).union(old.searchHant ?? SearchDoc()) }
            let changed = (f.search.union(old.search), hant)
            let snapshot = facts
            searchQueue.async { self.writeSearchIndex(changed: changed, facts: snapshot) }
        }
        guard old.itemHTML != f.itemHTML || inFeed else { return written }
        // The lists that show this lesson's summary or reading time.
        renderSeries(only: l.seriesFolder)
        written.append(routes.series(l.seriesFolder))
        renderTags(only: Set(l.tags))
        written += l.tags.map(routes.tag)
        renderArchive(year: l.date.year)
        written.append(routes.year(l.date.year))
        if latest.prefix(Self.homeLessons).contains(where: { $0.id == l.id }) { renderHome(); written.append(Routes.home) }
        if inFeed { writeFeed() }
        return written
    }

    /// A lesson's page. With `bodyKey`, the page is keyed by it in place of the rendered text,
    /// and `body` is called only when the build cache does not hold the page.
    func renderLessonPage(_ l: Lesson, facts f: LessonFacts, bodyKey: String?, body: @escaping () -> RenderedHTML) {
        var item = lessonItem(l, facts: f)
        if let a = l.author { item["author"] = .string(a) }
        func entry(_ e: TOCEntry) -> TemplateValue {
            // Always set: a missing key would make Mustache show the parent entry's number.
            ["id": .string(e.id), "title": .string(e.title), "children": .list(e.children.map(entry)),
             "number": e.number.map(TemplateValue.string) ?? false]
        }
        func fill(_ item: inout [String: TemplateValue], _ r: RenderedHTML) {
            item["content"] = .string(r.html)
            item["toc"] = .list(r.toc.map(entry))
        }
        func fill(_ item: inout TemplateValue, _ r: RenderedHTML) {
            item["content"] = .string(r.html)
            item["toc"] = .list(r.toc.map(entry))
        }
        if bodyKey == nil { fill(&item, body()) }
        let list = seriesLessons[l.seriesFolder] ?? []
        do {
            let i = seriesPosition[l.id]
            if i > 0 { item["prev"] = ["title": .string(list[i - 1].title), "url": .string(routes.url(routes.lesson(list[i - 1])))] }
            if i + 1 < list.count { item["next"] = ["title": .string(list[i + 1].title), "url": .string(routes.url(routes.lesson(list[i + 1])))] }
            item["position"] = .int(i + 1)
            item["seriesCount"] = .int(list.count)
        }
        // A QR code to this page, for sharing from a screen to a phone (and the zh-Hant copy's
        // to its own address). Made only when the page is, since its address decides it.
        let address = routes.absolute(routes.lesson(l))
        let hantAddress = routes.absolute(HantEdition.folder + routes.lesson(l))
        var codes: (svg: String, hant: String?)??
        func qr() -> (svg: String, hant: String?)? {
            if let codes { return codes }
            let made = QRCode.web(address).map { code in
                (code.svg(pixels: 3), hant == nil ? nil : QRCode.web(hantAddress)?.svg(pixels: 3))
            }
            codes = made
            return made
        }
        func replacements() -> [(String, String)] {
            guard let q = qr(), let other = q.hant else { return [] }
            return [(q.svg, other)]
        }
        guard let bodyKey else {
            if let q = qr() { item["qr"] = .string(q.svg) }
            renderPage("lesson", route: routes.lesson(l), title: l.title, description: f.summary, section: "lessons",
                       extra: ["lesson": TemplateValue.map(item)], hantReplacements: replacements)
            return
        }
        // The key holds stand-ins for the text and the QR code, which its address decides.
        item["content"] = .string("\u{0}body " + bodyKey)
        item["qr"] = .string("\u{0}qr " + address)
        renderPage("lesson", route: routes.lesson(l), title: l.title, description: f.summary, section: "lessons",
                   extra: ["lesson": TemplateValue.map(item)], hantReplacements: replacements, hantReplacementsKey: "qr " + hantAddress,
                   complete: { ctx in
                       var lesson = ctx["lesson"] ?? .map([:])
                       fill(&lesson, body())
                       lesson["qr"] = qr().map { .string($0.svg) }
                       ctx["lesson"] = lesson
                   })
    }
}

