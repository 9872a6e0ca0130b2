import Foundation
import Yams
import BeaconModel
import BeaconText
import BeaconMarkdown
import BeaconOutput

/// `content/` → `Project`: reads every file, validates it, and reports every problem
/// through the diagnostic bag. Returns nil only when nothing useful can be built
/// (no content/ folder or no usable site.yml); otherwise returns what could be read,
/// and the caller decides from `bag.hasErrors`.
public struct ContentLoader {
    public let root: URL
    public private(set) var bag: DiagnosticBag
    public var includeDrafts: Bool
    /// Parses every Markdown text once, as it is read (raw HTML kept only if site.yml allows it).
    var markdown = MarkdownParser(allowRawHTML: false)
    /// The texts of every YAML value read, for the copy rules.
    var texts = EditorTexts.Sink()

    public init(root: URL, bag: DiagnosticBag, includeDrafts: Bool = false) {
        self.root = root.standardizedFileURL
        self.bag = bag
        self.includeDrafts = includeDrafts
        content = self.root.appendingPathComponent("content")
    }

    let content: URL

    public static let siteKeys = ["title", "organisation", "description", "base_url", "language", "theme",
                                  "editions", "zh_hant_phrases", "party_day", "slugs", "raw_html", "copy_rules",
                                  "logo", "colors", "footer", "icp", "police_filing", "copyright", "offline", "wechat"]
    public static let seriesKeys = ["title", "summary", "weight", "slug"]
    public static let lessonKeys = ["title", "date", "kind", "author", "summary", "tags", "audience",
                                    "party_day", "slug", "weight", "draft", "wechat_url"]
    /// Hexo and Hugo keys a lesson may use, read as Beacon's: `description` (summary),
    /// `published: false` (draft: true), `authors` (author).
    public static let lessonAliases = ["description", "published", "authors"]
    public static let branchKeys = ["name", "short_name", "domain", "stars", "secretary", "members", "founded",
                                    "address", "photo", "honors", "practices", "commitments", "tags", "slug", "people", "stats"]
    public static let boardKeys = ["title", "name", "subtitle", "size", "bleed", "columns", "footer", "emblem", "blocks", "for_each", "where", "defaults"]
    public static let bookKeys = ["title", "subtitle", "publisher", "date", "size", "contents", "qr", "print", "edition"]

    public func load() -> Project? {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: content.path, isDirectory: &isDir), isDir.boolValue else {
            bag.error(SourceLocation(path: "content"), "找不到 content/ 文件夹；请在站点根目录运行 beacon (no content/ folder here; run beacon in the site's folder)")
            return nil
        }
        guard let site = Timings.measure("load: site.yml", { loadSite() }) else { return nil }
        var loader = self
        loader.markdown = MarkdownParser(allowRawHTML: site.rawHTML)
        return loader.loadContent(site: site)
    }

    func loadContent(site: SiteConfig) -> Project? {
        let slugger = Slugger(mode: site.slugs)
        if site.slugs == .pinyin { Timings.measure("load: pinyin") { PinyinMemo.load(root: root) } }
        defer { if site.slugs == .pinyin { Timings.measure("load: pinyin record") { PinyinMemo.save(root: root) } } }
        let media = Timings.measure("load: media") { listFiles(under: content.appendingPathComponent("media")) }
        let (series, lessons) = Timings.measure("load: lessons") { loadLessons(slugger: slugger) }
        let branches = Timings.measure("load: branches") { loadBranches(slugger: slugger, media: media) }
        let boards = Timings.measure("load: boards") { loadBoards(slugger: slugger, lessons: lessons, branches: branches, media: media) }
        let books = Timings.measure("load: books") { loadBooks(slugger: slugger, series: series, lessons: lessons) }
        var project = Project(root: root, site: site, series: series, lessons: lessons, branches: branches,
                              boards: boards, books: books, media: media)
        project.texts = texts.all
        // The trees of the lessons read from the cache's records, for the stages that render them.
        let parser = markdown
        project.documents = DocumentStore(parse: { body, path in parser.parse(body, path: path, bag: DiagnosticBag()) })
        return project
    }

    // MARK: - Files

    func relative(_ url: URL) -> String {
        let full = url.standardizedFileURL.path
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return full.hasPrefix(base) ? String(full.dropFirst(base.count)) : full
    }

    /// The visible entries of a folder, sorted by name. A symbolic link to a folder is
    /// followed only when it ends inside content/ (and not at a folder it sits in);
    /// otherwise it is an error and skipped. (Files are checked as they are read.)
    func children(of dir: URL) -> [(url: URL, isDirectory: Bool)] {
        FileTree.entries(of: dir.path).filter { !$0.name.hasPrefix(".") }.compactMap { e in
            let url = dir.appendingPathComponent(e.name, isDirectory: e.isDirectory)
            guard linkedFolderStaysInside(e, url: url, in: dir) else { return nil }
            return (url, e.isDirectory)
        }
    }

    /// A symbolic link to a folder is followed only when it ends inside content/ and not at
    /// a folder it sits in; otherwise it is an error (and false).
    func linkedFolderStaysInside(_ e: FileTree.Entry, url: URL, in dir: URL) -> Bool {
        guard e.isLink && e.isDirectory else { return true }
        let real = url.resolvingSymlinksInPath().path
        let base = content.resolvingSymlinksInPath().path
        let here = dir.resolvingSymlinksInPath().path
        guard real.hasPrefix(base + "/"), !(here + "/").hasPrefix(real + "/") else {
            bag.error(SourceLocation(path: relative(url)), "符号链接指到了 content 文件夹之外（或指回它所在的文件夹），不会读取 (symbolic link leads outside content/ or back up; not read)")
            return false
        }
        return true
    }

    /// Every regular file under `dir`, as paths relative to `dir`.
    func listFiles(under dir: URL) -> Set<String> {
        Set(FileTree.files(under: dir.standardizedFileURL.path))
    }

    func readYAMLFile(_ url: URL) -> (Node?, String)? {
        let path = relative(url)
        do {
            let text = try TextFile.read(url, displayPath: path, within: content)
            let node = try YAMLText.compose(text, path: path, firstLine: 1)
            texts.add(EditorTexts.collect(node, yaml: text, path: path, firstLine: 1))
            return (node, path)
        } catch {
            bag.report(error)
            return nil
        }
    }

    /// Reads a Markdown file with front matter. Reports and returns nil on any failure.
    func readFrontMatterFile(_ url: URL, what: String) -> (YAMLFields, MarkdownSource)? {
        let path = relative(url)
        do {
            return try frontMatter(TextFile.read(url, displayPath: path, within: content), path: path)
        } catch {
            bag.report(error)
            return nil
        }
    }

    /// The front matter and body of a file's text. Reports and returns nil on any failure.
    func frontMatter(_ text: String, path: String) -> (YAMLFields, MarkdownSource)? {
        do {
            guard let file = try FrontMatterFile.split(text, path: path) else {
                bag.error(SourceLocation(path: path), "文件开头缺少 --- 包起来的头信息（front matter） (missing front matter: the file must open with a --- line, its fields, and a closing ---)")
                return nil
            }
            let node = try YAMLText.compose(file.yaml, path: path, firstLine: file.yamlFirstLine)
            texts.add(EditorTexts.collect(node, yaml: file.yaml, path: path, firstLine: file.yamlFirstLine))
            guard let fields = YAMLFields(node, path: path, firstLine: file.yamlFirstLine, bag: bag, what: "头信息") else {
                return nil
            }
            return (fields, file.body)
        } catch {
            bag.report(error)
            return nil
        }
    }

    // MARK: - site.yml

    /// Reads content/site.yml alone.
    public func loadSite() -> SiteConfig? {
        let url = content.appendingPathComponent("site.yml")
        guard FileManager.default.fileExists(atPath: url.path) else {
            bag.error(SourceLocation(path: "content/site.yml"), "缺少站点配置文件 content/site.yml (missing content/site.yml)")
            return nil
        }
        guard let (node, path) = readYAMLFile(url),
              var f = YAMLFields(node, path: path, firstLine: 1, bag: bag, what: "site.yml") else { return nil }
        let title = f.string("title", required: "站点名称")
        let baseURL = f.string("base_url", required: "网站地址")
        if let b = baseURL {
            let u = URL(string: b)
            if u == nil || !(u!.scheme == "http" || u!.scheme == "https") || (u!.host ?? "").isEmpty {
                f.error(f.valueLocation("base_url"), "base_url 应当是完整的网址，例如 https://example.org/study/ (base_url must be an absolute http(s) URL)")
            }
        }
        let language = f.string("language") ?? "zh-CN"
        let theme = f.string("theme") ?? "default"
        var editions = f.strings("editions")
        if editions.isEmpty { editions = ["zh-Hans"] }
        for e in editions where !["zh-Hans", "zh-Hant"].contains(e) {
            f.error(f.valueLocation("editions"), "未知版本 \(e)；可选 zh-Hans、zh-Hant (unknown edition '\(e)')")
        }
        var hantPhrases: [String: String] = [:]
        if let node = f.value("zh_hant_phrases") {
            if let m = node.mapping {
                for (k, v) in m {
                    guard let from = k.string, !from.isEmpty, let to = v.string, !to.isEmpty else {
                        f.error(f.location(of: v), "zh_hant_phrases 的每一项写成“简体词: 繁體詞”，例如 台账: 臺賬 (each entry maps a Simplified phrase to its Traditional text)")
                        continue
                    }
                    // Phrases are replaced inside the pages' HTML: markup characters could inject it.
                    if let bad = (from + to).first(where: { "<>&\"'".contains($0) }) {
                        f.error(f.location(of: from.contains(bad) ? k : v), "zh_hant_phrases 的词语里不能有 \(bad)（< > & \" ' 会被当成网页代码） (phrases must not contain HTML markup characters)")
                        continue
                    }
                    hantPhrases[from] = to
                }
            } else {
                f.error(f.location(of: node), "zh_hant_phrases 写成“简体词: 繁體詞”的列表，例如 zh_hant_phrases: { 台账: 臺賬 } (zh_hant_phrases maps Simplified phrases to Traditional text)")
            }
        }
        var partyDay: PartyDayRule?
        if let node = f.value("party_day") {
            if let n = node.int, (1...31).contains(n) {
                partyDay = .dayOfMonth(n)
            } else if node.string == "first-monday" {
                partyDay = .firstMonday
            } else {
                f.error(f.location(of: node), "party_day 应当是 1–31 的日期或 first-monday (party_day must be a day 1–31 or first-monday)")
            }
        }
        var slugs = SlugMode.pinyin
        if let s = f.string("slugs") {
            if let m = SlugMode(rawValue: s) { slugs = m } else {
                f.error(f.valueLocation("slugs"), "slugs 只能是 pinyin 或 keep (slugs must be pinyin or keep)")
            }
        }
        let rawHTML = f.bool("raw_html") ?? false
        let offline = f.bool("offline") ?? false
        let wechat = f.bool("wechat") ?? false
        var copyOff: Set<String> = []
        if let node = f.value("copy_rules") {
            if let m = node.mapping {
                for (k, v) in m {
                    let id = k.string ?? ""
                    guard CopyRules.all.contains(id) else {
                        let hint = TextMeasures.suggestion(for: id, among: CopyRules.all).map { "，是不是 \($0)？" } ?? ""
                        bag.warning(f.location(of: k), "未知的校对规则 \(id)\(hint)可用：\(CopyRules.all.joined(separator: "、")) (unknown copy rule '\(id)')")
                        continue
                    }
                    if YAMLFields.boolValue(v) == false || v.string == "off" { copyOff.insert(id) }
                }
            } else {
                f.error(f.location(of: node), "copy_rules 写成“规则: off”的列表，例如 copy_rules: { space-between-chinese: off } (copy_rules maps rule ids to on/off)")
            }
        }
        let organisation = f.string("organisation")
        let description = f.string("description")
        let brand = loadBrand(&f)
        f.rejectUnknown(known: Self.siteKeys)
        guard let title, let baseURL, !f.failed else { return nil }
        var site = SiteConfig(title: title, organisation: organisation, description: description, baseURL: baseURL,
                              language: language, theme: theme, editions: editions, partyDay: partyDay,
                              slugs: slugs, rawHTML: rawHTML, location: SourceLocation(path: path))
        site.copyRulesOff = copyOff
        site.offline = offline
        site.wechat = wechat
        site.hantPhrases = hantPhrases
        site.brand = brand
        return site
    }

    /// The brand keys: `logo` (an SVG or PNG under content/), `colors` (`primary`, `accent`,
    /// every text/ground pair the theme derives from them held to WCAG AA), `footer` lines,
    /// `icp`, `police_filing`, `copyright`.
    func loadBrand(_ f: inout YAMLFields) -> Brand {
        var brand = Brand()
        if let logo = f.string("logo") {
            let rel = logo.hasPrefix("content/") ? String(logo.dropFirst("content/".count)) : logo
            let url = content.appendingPathComponent(rel).standardizedFileURL
            let ext = url.pathExtension.lowercased()
            var st = stat()
            if rel.hasPrefix("/") || rel.split(separator: "/").contains("..") || !url.path.hasPrefix(content.standardizedFileURL.path + "/") {
                f.error(f.valueLocation("logo"), "logo 应当是 content/ 里的文件，例如 media/logo.svg (logo must be a file under content/)")
            } else if lstat(url.path, &st) != 0 || (st.st_mode & S_IFMT) != S_IFREG {
                f.error(f.valueLocation("logo"), "找不到标志文件 content/\(rel) (logo file content/\(rel) not found)")
            } else if !["svg", "png"].contains(ext) {
                f.error(f.valueLocation("logo"), "标志只能是 SVG 或 PNG 文件，这里是 .\(ext) (the logo must be an SVG or PNG file)")
            } else {
                brand.logo = rel
            }
        }
        if let node = f.value("colors") {
            if let m = node.mapping {
                let colours = YAMLFields(mapping: m, path: f.path, firstLine: f.firstLine, bag: bag)
                var c = colours
                for (k, _) in m where !["primary", "accent"].contains(k.string ?? "") {
                    let name = k.string ?? ""
                    let hint = TextMeasures.suggestion(for: name, among: ["primary", "accent"])
                    c.error(c.location(of: k), "colors 中没有 \(name) 这一项\(hint.map { "，是不是 \($0)？" } ?? "；可用的有 primary、accent") (unknown key '\(name)' in colors)")
                }
                for key in ["primary", "accent"] {
                    guard let v = c.string(key) else { continue }
                    if Palette.RGB.written(v) != nil {
                        if key == "primary" { brand.primary = v } else { brand.accent = v }
                    } else {
                        c.error(c.valueLocation(key), "颜色 \(key) 的值“\(v)”应写成 #a81c1c 的形式 (colour '\(key)' must be written as #rrggbb)")
                    }
                }
                if brand.hasColours {
                    let palette = Palette(primary: Palette.RGB(hex: brand.primary ?? "#a81c1c")!, accent: Palette.RGB(hex: brand.accent ?? "#c9a227")!)
                    for pair in palette.textPairs where pair.text.contrast(pair.ground) < Palette.minimumContrast {
                        let ratio = String(format: "%.2f", pair.text.contrast(pair.ground))
                        c.error(c.valueLocation(brand.primary != nil ? "primary" : "accent"),
                                "配色对比度不够：\(pair.name) 只有 \(ratio):1（\(pair.text.hex) / \(pair.ground.hex)），WCAG AA 要求至少 4.5:1；请换深一些的主色 (contrast \(ratio):1 is below WCAG AA 4.5:1)")
                    }
                    // The accent is drawn on the main colour in large type: the series on WeChat
                    // covers and share pictures, the edition band and rules of book covers.
                    let onMain = palette.accent.contrast(palette.primary)
                    if onMain < Palette.largeTextContrast {
                        let ratio = String(format: "%.2f", onMain)
                        c.error(c.valueLocation(brand.accent != nil ? "accent" : "primary"),
                                "配色对比度不够：强调色在主色上 (accent on primary: 封面上的系列名、金色色带) 只有 \(ratio):1（\(palette.accent.hex) / \(palette.primary.hex)），大字至少要 3:1；请换更亮或更暗的强调色 (contrast \(ratio):1 is below 3:1 for large text)")
                    }
                }
                if c.failed { f.markFailed() }
            } else {
                f.error(f.location(of: node), "colors 写成 { primary: \"#a81c1c\", accent: \"#c9a227\" } (colors maps primary and accent to #rrggbb)")
            }
        }
        if let node = f.value("footer") {
            let items: [Node] = node.sequence.map(Array.init) ?? [node]
            for item in items {
                if let text = item.string, !text.isEmpty {
                    brand.footer.append(Brand.FooterLine(text: text))
                } else if let m = item.mapping {
                    var line = YAMLFields(mapping: m, path: f.path, firstLine: f.firstLine, bag: bag)
                    let text = line.string("text", required: "页脚文字")
                    var link = line.string("link")
                    if let l = link, URLSafety.isUnsafe(l) {
                        line.error(line.valueLocation("link"), "页脚链接 \(l) 不安全，已拒绝 (unsafe footer link refused)")
                        link = nil
                    }
                    line.rejectUnknown(known: ["text", "link"])
                    if line.failed { f.markFailed() }
                    if let text { brand.footer.append(Brand.FooterLine(text: text, link: link)) }
                } else {
                    f.error(f.location(of: item), "footer 的每一行写成文字，或 { text: 文字, link: 网址 } (each footer line is text or { text, link })")
                }
            }
        }
        brand.icp = f.string("icp")
        brand.policeFiling = f.string("police_filing")
        brand.copyright = f.string("copyright")
        return brand
    }

    // MARK: - Lessons

    func loadLessons(slugger: Slugger) -> ([Series], [Lesson]) {
        let listed = Timings.start()
        let lessonsDir = content.appendingPathComponent("lessons")
        var series: [Series] = []
        var files: [(folder: String, dir: URL, name: String)] = []
        for (dir, isDirectory) in children(of: lessonsDir) {
            guard isDirectory else {
                if dir.pathExtension == "md" {
                    bag.warning(SourceLocation(path: relative(dir)), "课程要放在某个专题文件夹里，此文件已忽略 (a lesson must sit in a series folder; file ignored)")
                }
                continue
            }
            let folder = dir.lastPathComponent
            var title = folder, summary: String?, weight: Int?, slug: String?
            var location = SourceLocation(path: relative(dir))
            let meta = dir.appendingPathComponent("_series.yml")
            if FileManager.default.fileExists(atPath: meta.path) {
                location = SourceLocation(path: relative(meta))
                if let (node, path) = readYAMLFile(meta), var f = YAMLFields(node, path: path, firstLine: 1, bag: bag, what: "_series.yml") {
                    title = f.string("title", required: "专题名称") ?? folder
                    summary = f.string("summary")
                    weight = f.int("weight", label: "排序")
                    if let s = f.string("slug") {
                        slug = Slugger.fitted(slugger.slug(s))
                        if slug!.isEmpty { f.error(f.valueLocation("slug"), "slug 不能为空 (slug spells nothing)") ; slug = nil }
                    }
                    f.rejectUnknown(known: Self.seriesKeys)
                }
            }
            series.append(Series(folder: folder, slug: slug ?? slugger.nonEmptySlug(folder), title: title,
                                 summary: summary, weight: weight, location: location))
            // Names only: a URL per file was a tenth of a rebuild's reading.
            for e in FileTree.entries(of: dir.path) where e.name.hasSuffix(".md") && !e.name.hasPrefix(".") && !e.name.hasPrefix("_") {
                guard linkedFolderStaysInside(e, url: dir.appendingPathComponent(e.name, isDirectory: true), in: dir) else { continue }
                files.append((folder, dir, e.name))
            }
        }
        Timings.end("load: lessons: files", listed)
        checkCollisions(series.map { ($0.slug, $0.location) }, what: "专题 (series)")
        // Lessons are independent of each other: read on every core. A file the build cache
        // knows comes from its record; the others are parsed after every name they need is
        // spelt in one ICU call (an ICU transliterator is costly to open; one per lesson was a
        // tenth of a build, and a build where every file is known opens none).
        var results = [Lesson?](repeating: nil, count: files.count)
        let memo = Timings.measure("load: lessons: records") { ShardedMemo(folder: root.appendingPathComponent(LessonMemo.folder), name: "lessons") }
        let reading = Timings.start()
        var unknown = [(data: Data, key: String)?](repeating: nil, count: files.count)
        let folderPaths = Dictionary(series.map { ($0.folder, relative(lessonsDir.appendingPathComponent($0.folder))) }, uniquingKeysWith: { a, _ in a })
        results.withUnsafeMutableBufferPointer { out in
          unknown.withUnsafeMutableBufferPointer { rest in
            let buffer = out, pending = rest
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                let f = files[i]
                let path = folderPaths[f.folder]! + "/" + f.name
                switch cachedLesson(name: f.name, path: path, folder: f.folder, slugger: slugger, memo: memo) {
                case .known(let l): buffer[i] = l
                case .unknown(let data, let key): pending[i] = (data, key)
                }
            }
          }
        }
        Timings.end("load: lessons: known", reading)
        let toRead = unknown.indices.filter { unknown[$0] != nil }
        if slugger.mode == .pinyin && !toRead.isEmpty { slugger.prefetch(toRead.map { files[$0].name }.joined()) }
        results.withUnsafeMutableBufferPointer { out in
            let buffer = out
            DispatchQueue.concurrentPerform(iterations: toRead.count) { j in
                let i = toRead[j], f = files[i]
                let (data, key) = unknown[i]!
                buffer[i] = readLesson(data, key: key, url: f.dir.appendingPathComponent(f.name), path: folderPaths[f.folder]! + "/" + f.name,
                                       folder: f.folder, slugger: slugger, memo: memo)
            }
        }
        Timings.measure("load: lessons: save records") { memo.save() }
        var lessons = results.compactMap { $0 }
        if !includeDrafts { lessons.removeAll { $0.draft } }
        for i in lessons.indices { lessons[i].id = i }
        var bySeries: [BytePath: [(String, SourceLocation)]] = [:]
        for l in lessons { bySeries[BytePath(l.seriesFolder), default: []].append((l.slug, SourceLocation(path: l.path))) }
        for s in series { checkCollisions(bySeries[BytePath(s.folder)] ?? [], what: "课程 (lesson)") }
        return (series, lessons)
    }

    /// Reads one lesson file again (for `beacon serve`), keeping its place in the project.
    public func reloadLesson(_ old: Lesson, site: SiteConfig) -> Lesson? {
        var loader = self
        loader.markdown = MarkdownParser(allowRawHTML: site.rawHTML)
        let url = root.appendingPathComponent(old.path)
        let text: String
        do { text = try TextFile.read(url, displayPath: old.path, within: content) } catch {
            bag.report(error)
            return nil
        }
        guard var l = loader.readLesson(text, url: url, folder: old.seriesFolder, slugger: Slugger(mode: site.slugs)) else { return nil }
        l.id = old.id
        return l
    }

    enum CachedLesson {
        /// Read (from the build cache's record), or nil after an error was reported.
        case known(Lesson?)
        /// The file's bytes and their fingerprint, to be parsed.
        case unknown(Data, String)
    }

    /// A lesson file, from the build cache's record when `memo` has one for its bytes.
    func cachedLesson(name: String, path: String, folder: String, slugger: Slugger, memo: ShardedMemo) -> CachedLesson {
        let data: Data
        do { data = try TextFile.readData(path: root.path + "/" + path, displayPath: path, within: content) } catch {
            bag.report(error)
            return .known(nil)
        }
        let key = LessonMemo.key(data, path: path, folder: folder, slugs: slugger.mode, rawHTML: markdown.allowRawHTML,
                                 includeDrafts: includeDrafts)
        let fileName = name.hasSuffix(".md") ? String(name.dropLast(3)) : (name as NSString).deletingPathExtension
        if let record = memo.bytes(key), let file = (try? FrontMatterFile.split(TextFile.decodeKnown(data), path: path)) ?? nil,
           let decoded = LessonMemo.decode(record, path: path, folder: folder, fileName: fileName, body: file.body) {
            let (lesson, diagnostics, texts) = decoded
            var l = lesson
            l.sourceKey = key
            bag.append(contentsOf: diagnostics)
            self.texts.add(texts)
            return .known(l)
        }
        return .unknown(data, key)
    }

    /// A lesson file the build cache does not know: parsed, and recorded when it gave no error.
    func readLesson(_ data: Data, key: String, url: URL, path: String, folder: String, slugger: Slugger, memo: ShardedMemo) -> Lesson? {
        // With a bag and a sink of its own, to know what to record.
        var reader = self
        reader.bag = DiagnosticBag()
        reader.texts = EditorTexts.Sink()
        var lesson: Lesson?
        do {
            lesson = try reader.readLesson(TextFile.decode(data, displayPath: path), url: url, path: path, folder: folder, slugger: slugger)
        } catch {
            reader.bag.report(error)
        }
        let diagnostics = reader.bag.all
        bag.append(contentsOf: diagnostics)
        texts.add(reader.texts.all)
        lesson?.sourceKey = key
        if let lesson, !reader.bag.hasErrors { memo.store(key, LessonMemo.encode(lesson, diagnostics: diagnostics, texts: reader.texts.all)) }
        return lesson
    }

    /// `path`: the file's path from the site folder, when the caller has it already.
    func readLesson(_ text: String, url: URL, path known: String? = nil, folder: String, slugger: Slugger) -> Lesson? {
        guard let loaded = frontMatter(text, path: known ?? relative(url)) else { return nil }
        var f = loaded.0
        let body = loaded.1
        let path = f.path
        let name = url.lastPathComponent
        let fileName = name.hasSuffix(".md") ? String(name.dropLast(3)) : url.deletingPathExtension().lastPathComponent
        let title = f.string("title", required: "标题")
        let date = f.day("date", required: "日期")
        var kind = LessonKind.学习资料
        if let k = f.string("kind") {
            if let v = LessonKind(rawValue: k) { kind = v } else {
                let all = LessonKind.allCases.map(\.rawValue)
                let hint = TextMeasures.suggestion(for: k, among: all).map { "，是不是 \($0)？" } ?? ""
                f.error(f.valueLocation("kind"), "未知的类别 \(k)\(hint)可选：\(all.joined(separator: "、")) (unknown kind '\(k)')")
            }
        }
        // Keys editors bring from Hexo and Hugo that mean what a Beacon key means.
        var author = f.string("author")
        if let list = f.entry("authors") {
            let names = f.strings("authors")
            if author != nil {
                f.error(f.location(of: list.key), "authors 与 author 重复；Beacon 只用 author，写成 author: 甲、乙 (both 'authors' and 'author'; Beacon uses 'author')")
            } else if !names.isEmpty { author = names.joined(separator: "、") }
        }
        var summary = f.string("summary")
        if let d = f.entry("description") {
            let text = f.string("description")
            if summary != nil {
                f.error(f.location(of: d.key), "description 与 summary 重复；Beacon 用 summary 作摘要 (both 'description' and 'summary'; Beacon uses 'summary')")
            } else { summary = text }
        }
        let tags = f.strings("tags")
        let audience = domains(&f, key: "audience")
        let partyDay = f.day("party_day")
        var slug = slugger.nonEmptySlug(fileName)
        if let s = f.string("slug") {
            let clean = Slugger.fitted(slugger.slug(s))
            if clean.isEmpty {
                f.error(f.valueLocation("slug"), "slug “\(s)”拼不出网址，请用字母、数字和连字符 (slug spells nothing; use letters, digits and hyphens)")
            } else { slug = clean }
        }
        let weight = f.int("weight", label: "排序")
        var draft = f.bool("draft") ?? false
        if f.entry("published") != nil, let published = f.bool("published") {
            if f.entry("draft") != nil {
                f.error(f.keyLocation("published"), "published 与 draft 重复；Beacon 用 draft: true 表示草稿 (both 'published' and 'draft'; Beacon uses 'draft')")
            } else if !published { draft = true }
        }
        var wechatURL: String?
        if let u = f.string("wechat_url") {
            let t = u.trimmingCharacters(in: .whitespaces)
            // An address as a browser writes it: printable ASCII only (no spaces, no direction marks).
            if !(t.hasPrefix("https://") || t.hasPrefix("http://")) || URLSafety.isUnsafe(t)
                || !t.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F && $0 != "\"" && $0 != "<" && $0 != ">" }) {
                f.error(f.valueLocation("wechat_url"), "wechat_url 应当是公众号文章的网址，例如 https://mp.weixin.qq.com/s/… (wechat_url must be the article's web address)")
            } else {
                if URL(string: t)?.host?.lowercased() != "mp.weixin.qq.com" || !t.hasPrefix("https://") {
                    bag.warning(f.valueLocation("wechat_url"), "wechat_url 不是公众号文章的网址（https://mp.weixin.qq.com/…），公众号里不能点开 (wechat_url is not a WeChat article address)")
                }
                wechatURL = t
            }
        }
        f.rejectUnknown(known: Self.lessonKeys + Self.lessonAliases)
        guard let title, let date, !f.failed else { return nil }
        var lesson = Lesson(path: path, seriesFolder: folder, fileName: fileName, slug: slug, title: title, date: date,
                            kind: kind, author: author, summary: summary, tags: tags, audience: audience,
                            partyDay: partyDay, weight: weight, draft: draft, body: body)
        lesson.wechatURL = wechatURL
        if !draft || includeDrafts { lesson.document = markdown.parse(body, path: path, bag: bag) }
        return lesson
    }

    func domains(_ f: inout YAMLFields, key: String) -> [Domain] {
        let loc = f.valueLocation(key)
        var out: [Domain] = []
        for name in f.strings(key) {
            if let d = Domain(rawValue: name) { out.append(d) } else { f.error(loc, unknownDomain(name)) }
        }
        return out
    }

    func unknownDomain(_ name: String) -> String {
        let all = Domain.allCases.map(\.rawValue)
        let hint = TextMeasures.suggestion(for: name, among: all).map { "，是不是 \($0)？" } ?? "；"
        return "未知的领域 \(name)\(hint)可选：\(all.joined(separator: "、")) (unknown domain '\(name)')"
    }

    /// Reports every slug used by more than one file, naming both files.
    func checkCollisions(_ items: [(String, SourceLocation)], what: String) {
        var seen: [String: SourceLocation] = [:]
        for (slug, loc) in items.sorted(by: { $0.1 < $1.1 }) {
            if let first = seen[slug] {
                bag.error(loc, "\(what)网址 \(slug) 与 \(first.path) 重复；请改文件名或在头信息里写 slug: (duplicate slug '\(slug)', also used by \(first.path))")
            } else {
                seen[slug] = loc
            }
        }
    }

    // MARK: - Branches

    func loadBranches(slugger: Slugger, media: Set<String>) -> [Branch] {
        let dir = content.appendingPathComponent("branches")
        let files = children(of: dir).map(\.url).filter { $0.pathExtension == "md" && !$0.lastPathComponent.hasPrefix("_") }
        // Branches are independent of each other, as lessons are: read on every core, after
        // their names are spelt in one ICU call.
        if slugger.mode == .pinyin { slugger.prefetch(files.map(\.lastPathComponent).joined()) }
        var loaded = [Branch?](repeating: nil, count: files.count)
        loaded.withUnsafeMutableBufferPointer { out in
            let buffer = out
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                buffer[i] = loadBranch(files[i], slugger: slugger, media: media)
            }
        }
        let out = loaded.compactMap { $0 }
        checkCollisions(out.map { ($0.slug, SourceLocation(path: $0.path)) }, what: "支部 (branch)")
        return out
    }

    func loadBranch(_ url: URL, slugger: Slugger, media: Set<String>) -> Branch? {
        guard let loaded = readFrontMatterFile(url, what: "头信息") else { return nil }
        var f = loaded.0
        let body = loaded.1
        let fileName = url.deletingPathExtension().lastPathComponent
        let name = f.string("name", required: "支部名称")
        var domain: Domain?
        if let d = f.string("domain", required: "领域") {
            domain = Domain(rawValue: d)
            if domain == nil { f.error(f.valueLocation("domain"), unknownDomain(d)) }
        }
        let stars = f.int("stars", range: 1...5, label: "星级")
        let members = f.int("members", range: 0...1_000_000, label: "党员人数")
        let founded = f.int("founded", range: 1921...2100, label: "成立年份")
        var photo: String?
        var photoLoc: SourceLocation?
        if let p = f.string("photo") {
            photo = p
            photoLoc = f.valueLocation("photo")
        }
        var honors: [Honor] = []
        if let node = f.value("honors") {
            for item in node.sequence.map(Array.init) ?? [] {
                if let s = item.string { honors.append(Honor(year: nil, title: s)); continue }
                guard let m = item.mapping else { continue }
                var h = YAMLFields(mapping: m, path: f.path, firstLine: f.firstLine, bag: bag)
                let year = h.int("year", range: 1921...2100, label: "年份")
                if let t = h.string("title", required: "荣誉名称") { honors.append(Honor(year: year, title: t)) }
                h.rejectUnknown(known: ["year", "title"])
            }
            if node.sequence == nil { f.error(f.location(of: node), "honors 应当是列表 (honors must be a list)") }
        }
        var practices: [Practice] = []
        if let node = f.value("practices") {
            for item in node.sequence.map(Array.init) ?? [] {
                if let s = item.string { practices.append(Practice(title: s, summary: nil)); continue }
                guard let m = item.mapping else { continue }
                var p = YAMLFields(mapping: m, path: f.path, firstLine: f.firstLine, bag: bag)
                let summary = p.string("summary")
                if let t = p.string("title", required: "特色工作名称") { practices.append(Practice(title: t, summary: summary)) }
                p.rejectUnknown(known: ["title", "summary"])
            }
            if node.sequence == nil { f.error(f.location(of: node), "practices 应当是列表 (practices must be a list)") }
        }
        let people = f.value("people").map { peopleList($0, fields: &f, from: f.path, media: media, bag: bag) } ?? []
        let stats = f.value("stats").map { statList($0, fields: &f, bag: bag) } ?? []
        var slug = slugger.nonEmptySlug(fileName)
        if let s = f.string("slug") {
            let clean = Slugger.fitted(slugger.slug(s))
            if clean.isEmpty { f.error(f.valueLocation("slug"), "slug “\(s)”拼不出网址 (slug spells nothing)") } else { slug = clean }
        }
        var branch = Branch(path: f.path, fileName: fileName, slug: slug, name: name ?? "",
                            shortName: f.string("short_name"), domain: domain ?? .农村, stars: stars,
                            secretary: f.string("secretary"), members: members, founded: founded,
                            address: f.string("address"), photo: photo, photoLocation: photoLoc,
                            honors: honors, practices: practices, commitments: f.strings("commitments"),
                            tags: f.strings("tags"), body: body)
        branch.people = people
        branch.stats = stats
        branch.document = markdown.parse(body, path: f.path, bag: bag)
        f.rejectUnknown(known: Self.branchKeys)
        guard name != nil, domain != nil, !f.failed else { return nil }
        return branch
    }

}
