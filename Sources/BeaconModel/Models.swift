import Foundation

/// A calendar date as editors write it (`2026-03-01`), with no time zone games.
public struct Day: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// `2026-03-01`
    public var description: String {
        func two(_ n: Int) -> String { n < 10 && n >= 0 ? "0\(n)" : "\(n)" }
        let y = year >= 1000 || year < 0 ? "\(year)" : String(repeating: "0", count: 4 - "\(year)".count) + "\(year)"
        return "\(y)-\(two(month))-\(two(day))"
    }

    /// `2026年3月1日`
    public var chinese: String { "\(year)年\(month)月\(day)日" }

    /// Whether the day exists in the Gregorian calendar.
    public var isValid: Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        return day <= Day.daysIn(month: month, year: year)
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Parses `YYYY-MM-DD`, optionally followed by a time (`T10:30`, ` 10:30:00+08:00`), which is ignored.
    /// Returns nil when the text is not of that shape or the day does not exist.
    public static func parse(_ text: String) -> Day? {
        let s = text.trimmingSpace(newlines: false)
        let parts = s.prefix(10).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        if s.count > 10 {
            let rest = s.dropFirst(10)
            guard let first = rest.first, first == "T" || first == " " else { return nil }
            let time = rest.dropFirst()
            guard time.count >= 5, time.prefix(5).allSatisfy({ $0.isNumber || $0 == ":" }) else { return nil }
        }
        let day = Day(year: y, month: m, day: d)
        return day.isValid ? day : nil
    }

    /// RFC 3339 timestamp at midnight China Standard Time, for feeds.
    public var rfc3339: String { "\(description)T00:00:00+08:00" }
}

/// The eight domains (领域) of Party organisations.
public enum Domain: String, CaseIterable, Sendable, Hashable {
    case 农村, 社区, 机关, 事业单位, 国有企业, 非公企业, 社会组织, 学校

    /// The order in which domains are listed everywhere.
    public var order: Int { Domain.allCases.firstIndex(of: self)! }
}

/// What kind of lesson this is.
public enum LessonKind: String, CaseIterable, Sendable {
    case 党课, 微党课, 学习资料, 案例
}

public enum SlugMode: String, Sendable, CaseIterable {
    case pinyin, keep
}

public enum PartyDayRule: Hashable, Sendable {
    case dayOfMonth(Int)
    case firstMonday
}

public struct SiteConfig: Sendable {
    public var title: String
    public var organisation: String?
    public var description: String?
    public var baseURL: String            // always ends with "/"
    public var language: String
    public var theme: String
    public var editions: [String]
    public var partyDay: PartyDayRule?
    public var slugs: SlugMode
    public var rawHTML: Bool
    /// `offline: true`: every build also writes the offline copy (`output/offline/`).
    public var offline = false
    /// `wechat: true`: every build also writes a WeChat copy of each lesson (`output/wechat/`).
    public var wechat = false
    /// Copy rules (beacon check) turned off in site.yml.
    public var copyRulesOff: Set<String> = []
    /// Corrections to ICU's Hans-Hant conversion for the zh-Hant edition: Simplified phrase
    /// to the Traditional text to print for it.
    public var hantPhrases: [String: String] = [:]
    /// Logo, colours and footer lines (site.yml's brand keys).
    public var brand = Brand()
    public var location: SourceLocation

    public init(title: String, organisation: String? = nil, description: String? = nil,
                baseURL: String, language: String = "zh-CN", theme: String = "default",
                editions: [String] = ["zh-Hans"], partyDay: PartyDayRule? = nil,
                slugs: SlugMode = .pinyin, rawHTML: Bool = false,
                location: SourceLocation) {
        self.title = title
        self.organisation = organisation
        self.description = description
        self.baseURL = baseURL.hasSuffix("/") ? baseURL : baseURL + "/"
        self.language = language
        self.theme = theme
        self.editions = editions
        self.partyDay = partyDay
        self.slugs = slugs
        self.rawHTML = rawHTML
        self.location = location
    }

    /// The path part of the base URL: `/study/` for `https://example.org/study/`.
    public var basePath: String {
        guard let url = URL(string: baseURL) else { return "/" }
        var p = url.path
        if p.isEmpty { p = "/" }
        if !p.hasSuffix("/") { p += "/" }
        return p
    }
}

public struct Series: Sendable {
    public var folder: String          // the folder name under content/lessons
    public var slug: String
    public var title: String
    public var summary: String?
    public var weight: Int?
    public var location: SourceLocation // _series.yml, or the folder itself

    public init(folder: String, slug: String, title: String, summary: String? = nil,
                weight: Int? = nil, location: SourceLocation) {
        self.folder = folder
        self.slug = slug
        self.title = title
        self.summary = summary
        self.weight = weight
        self.location = location
    }
}

/// The Markdown body of a document and where it starts in its file.
public struct MarkdownSource: Sendable {
    public var text: String
    /// Number of file lines before the body (front matter and its fences).
    public var lineOffset: Int
    /// Columns before each line of the text in the file (a YAML block's indentation).
    public var columnOffset: Int

    public init(text: String, lineOffset: Int, columnOffset: Int = 0) {
        self.text = text
        self.lineOffset = lineOffset
        self.columnOffset = columnOffset
    }
}

/// A lesson. Its fields live in one shared box, copied only when a copy is changed: the
/// build passes lessons around by the ten thousand (lists, series, tags, sitemap), and a
/// copy of twenty fields was twenty reference counts to raise and lower, 5 % of a clean
/// build's CPU time.
public struct Lesson: Sendable {
    final class Storage: @unchecked Sendable {
        var id: Int = 0
        var path: String
        var seriesFolder: String
        var fileName: String
        var slug: String
        var title: String
        var date: Day
        var kind: LessonKind
        var author: String? = nil
        var summary: String? = nil
        var tags: [String]
        var audience: [Domain]
        var partyDay: Day? = nil
        var weight: Int? = nil
        var draft: Bool
        var wechatURL: String? = nil
        var body: MarkdownSource
        var document: MDDocument = .empty
        var sourceKey: String? = nil

        init(path: String, seriesFolder: String, fileName: String, slug: String, title: String, date: Day, kind: LessonKind,
             author: String?, summary: String?, tags: [String], audience: [Domain], partyDay: Day?, weight: Int?,
             draft: Bool, body: MarkdownSource) {
            self.path = path; self.seriesFolder = seriesFolder; self.fileName = fileName; self.slug = slug
            self.title = title; self.date = date; self.kind = kind; self.author = author; self.summary = summary
            self.tags = tags; self.audience = audience; self.partyDay = partyDay; self.weight = weight
            self.draft = draft; self.body = body
        }

        func copy() -> Storage {
            let c = Storage(path: path, seriesFolder: seriesFolder, fileName: fileName, slug: slug, title: title, date: date,
                            kind: kind, author: author, summary: summary, tags: tags, audience: audience, partyDay: partyDay,
                            weight: weight, draft: draft, body: body)
            c.id = id; c.wechatURL = wechatURL; c.document = document; c.sourceKey = sourceKey
            return c
        }
    }

    private var storage: Storage

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// Position in `Project.lessons`; stages keep per-lesson data in arrays indexed by it.
    public var id: Int {
        get { storage.id }
        set { unique(); storage.id = newValue }
    }
    /// Relative to the project root: content/lessons/…/x.md.
    public var path: String {
        get { storage.path }
        set { unique(); storage.path = newValue }
    }
    public var seriesFolder: String {
        get { storage.seriesFolder }
        set { unique(); storage.seriesFolder = newValue }
    }
    /// Without .md.
    public var fileName: String {
        get { storage.fileName }
        set { unique(); storage.fileName = newValue }
    }
    public var slug: String {
        get { storage.slug }
        set { unique(); storage.slug = newValue }
    }
    public var title: String {
        get { storage.title }
        set { unique(); storage.title = newValue }
    }
    public var date: Day {
        get { storage.date }
        set { unique(); storage.date = newValue }
    }
    public var kind: LessonKind {
        get { storage.kind }
        set { unique(); storage.kind = newValue }
    }
    public var author: String? {
        get { storage.author }
        set { unique(); storage.author = newValue }
    }
    public var summary: String? {
        get { storage.summary }
        set { unique(); storage.summary = newValue }
    }
    public var tags: [String] {
        get { storage.tags }
        set { unique(); storage.tags = newValue }
    }
    public var audience: [Domain] {
        get { storage.audience }
        set { unique(); storage.audience = newValue }
    }
    public var partyDay: Day? {
        get { storage.partyDay }
        set { unique(); storage.partyDay = newValue }
    }
    public var weight: Int? {
        get { storage.weight }
        set { unique(); storage.weight = newValue }
    }
    public var draft: Bool {
        get { storage.draft }
        set { unique(); storage.draft = newValue }
    }
    /// `wechat_url`: the lesson as published on the WeChat account; WeChat copies of other
    /// lessons refer to it instead of the web page.
    public var wechatURL: String? {
        get { storage.wechatURL }
        set { unique(); storage.wechatURL = newValue }
    }
    public var body: MarkdownSource {
        get { storage.body }
        set { unique(); storage.body = newValue }
    }
    /// The body parsed (once per build, by the loader); its links resolved by the build. An
    /// outline when the build cache knew the file (`Project.document(of:)` gives the tree).
    public var document: MDDocument {
        get { storage.document }
        set { unique(); storage.document = newValue }
    }
    /// The fingerprint of the file's bytes and of the settings it was read with, when it was
    /// read from a file: what the build cache keys this lesson's results by.
    public var sourceKey: String? {
        get { storage.sourceKey }
        set { unique(); storage.sourceKey = newValue }
    }

    public init(path: String, seriesFolder: String, fileName: String, slug: String, title: String,
                date: Day, kind: LessonKind = .学习资料, author: String? = nil, summary: String? = nil,
                tags: [String] = [], audience: [Domain] = [], partyDay: Day? = nil, weight: Int? = nil,
                draft: Bool = false, body: MarkdownSource) {
        storage = Storage(path: path, seriesFolder: seriesFolder, fileName: fileName, slug: slug, title: title, date: date,
                          kind: kind, author: author, summary: summary, tags: tags, audience: audience, partyDay: partyDay,
                          weight: weight, draft: draft, body: body)
    }

    /// How boards and books name a lesson: `<series folder>/<file name>`.
    public var reference: String { "\(seriesFolder)/\(fileName)" }
}

public struct Honor: Sendable {
    public var year: Int?
    public var title: String
    public init(year: Int?, title: String) { self.year = year; self.title = title }
}

public struct Practice: Sendable {
    public var title: String
    public var summary: String?
    public init(title: String, summary: String?) { self.title = title; self.summary = summary }
}

public struct Branch: Sendable {
    public var path: String
    public var fileName: String
    public var slug: String
    public var name: String
    public var shortName: String?
    public var domain: Domain
    public var stars: Int?
    public var secretary: String?
    public var members: Int?
    public var founded: Int?
    public var address: String?
    public var photo: String?
    public var photoLocation: SourceLocation?
    public var honors: [Honor]
    public var practices: [Practice]
    public var commitments: [String]
    public var tags: [String]
    public var body: MarkdownSource
    /// The body parsed (once per build, by the loader); its links resolved by the build.
    public var document: MDDocument = .empty
    /// 先进典型 of the branch, for boards (`people` blocks with `branch:`).
    public var people: [BoardPerson] = []
    /// 支部概况 figures, for boards (`stats` blocks with `branch:`).
    public var stats: [BoardStat] = []

    public init(path: String, fileName: String, slug: String, name: String, shortName: String? = nil,
                domain: Domain, stars: Int? = nil, secretary: String? = nil, members: Int? = nil,
                founded: Int? = nil, address: String? = nil, photo: String? = nil,
                photoLocation: SourceLocation? = nil, honors: [Honor] = [], practices: [Practice] = [],
                commitments: [String] = [], tags: [String] = [], body: MarkdownSource) {
        self.path = path
        self.fileName = fileName
        self.slug = slug
        self.name = name
        self.shortName = shortName
        self.domain = domain
        self.stars = stars
        self.secretary = secretary
        self.members = members
        self.founded = founded
        self.address = address
        self.photo = photo
        self.photoLocation = photoLocation
        self.honors = honors
        self.practices = practices
        self.commitments = commitments
        self.tags = tags
        self.body = body
    }

    public var displayName: String { shortName ?? name }
}

/// A board or book definition as far as the website needs it now: its file, slug and title.
/// The full layout models come with the print modules.
public struct PrintDefinition: Sendable {
    public enum Kind: String, Sendable { case board, book }
    public var kind: Kind
    public var path: String
    public var slug: String
    public var title: String
    public var subtitle: String?
    public var size: String?

    public init(kind: Kind, path: String, slug: String, title: String, subtitle: String? = nil, size: String? = nil) {
        self.kind = kind
        self.path = path
        self.slug = slug
        self.title = title
        self.subtitle = subtitle
        self.size = size
    }
}

/// Everything loaded from `content/`.
public struct Project: Sendable {
    public var root: URL
    public var site: SiteConfig
    public var series: [Series]
    public var lessons: [Lesson]
    public var branches: [Branch]
    public var boards: [Board]
    public var books: [Book]
    /// Files under content/media, relative to content/media.
    public var media: Set<String>
    /// The texts editors wrote in YAML values (front matter, boards, books, site.yml), for
    /// the copy rules.
    public var texts: [EditorText] = []
    /// Parses the lessons the loader gave as outlines, for the stages that render them.
    public var documents: DocumentStore?

    public init(root: URL, site: SiteConfig, series: [Series], lessons: [Lesson], branches: [Branch],
                boards: [Board], books: [Book], media: Set<String>) {
        self.root = root
        self.site = site
        self.series = series
        self.lessons = lessons
        self.branches = branches
        self.boards = boards
        self.books = books
        self.media = media
    }

    /// The whole tree of a lesson's text (parsed now when the loader gave an outline). `keep`
    /// holds it for a later stage; the last stage to render the text takes it.
    public func document(of l: Lesson, keep: Bool = true) -> MDDocument {
        guard l.document.isOutline, let documents else { return l.document }
        return documents.document(of: l.document, body: l.body, path: l.path, keep: keep)
    }
}

/// The 主题党日 of a month under the site's rule.
public enum PartyDay {
    public static func date(year: Int, month: Int, rule: PartyDayRule) -> Day {
        switch rule {
        case .dayOfMonth(let d):
            return Day(year: year, month: month, day: min(d, Day.daysIn(month: month, year: year)))
        case .firstMonday:
            // Zeller-style weekday of the 1st (0 = Monday).
            var y = year, m = month
            if m < 3 { m += 12; y -= 1 }
            let k = y % 100, j = y / 100
            let h = (1 + 13 * (m + 1) / 5 + k + k / 4 + j / 4 + 5 * j) % 7   // 0 = Saturday
            let weekdayFromMonday = (h + 5) % 7
            let day = weekdayFromMonday == 0 ? 1 : 8 - weekdayFromMonday
            return Day(year: year, month: month, day: day)
        }
    }
}

/// A site's own look, from site.yml: its logo, colours and the lines its footer must carry.
public struct Brand: Sendable {
    public struct FooterLine: Sendable, Equatable {
        public var text: String
        public var link: String?
        public init(text: String, link: String? = nil) { self.text = text; self.link = link }
    }
    /// The logo file, relative to content/ (`media/logo.svg`).
    public var logo: String?
    /// `#rrggbb`: the main colour (header, links, headings) and the accent (rules, stars).
    public var primary: String?
    public var accent: String?
    public var footer: [FooterLine] = []
    /// ICP filing number (ICP备案号), linked to the MIIT filing site.
    public var icp: String?
    /// Public-security filing number (公安机关备案号), linked to its filing record.
    public var policeFiling: String?
    public var copyright: String?

    public init() {}

    public var hasColours: Bool { primary != nil || accent != nil }

    /// Where the law says a filing number links.
    public static let icpURL = "https://beian.miit.gov.cn/"
    public static func policeURL(_ filing: String) -> String {
        let digits = filing.unicodeScalars.filter { ("0"..."9").contains($0) }
        return "https://beian.mps.gov.cn/#/query/webSearch?code=" + String(String.UnicodeScalarView(digits))
    }
}

/// A text an editor wrote in a YAML value (a title, a board's body, a branch's practice),
/// with where it stands in its file, for the copy rules: line `i` of `text` is file line
/// `line + i`, starting at `column` (1-based, in Unicode scalars).
public struct EditorText: Sendable {
    public var path: String
    public var text: String
    public var line: Int
    public var column: Int
    /// A title field: one space between two Chinese phrases is deliberate.
    public var title: Bool
    /// Whether `text` is the file's own characters at that place, so a fix can be written
    /// back; otherwise (an escaped or folded value) problems are reported at the value's start.
    public var exact: Bool
    /// A plain (unquoted, one-line) YAML value: what its first character and its whole
    /// text mean to YAML matters (`#` starts a comment, `null` is no text).
    public var plainScalar = false

    public init(path: String, text: String, line: Int, column: Int, title: Bool, exact: Bool) {
        self.path = path
        self.text = text
        self.line = line
        self.column = column
        self.title = title
        self.exact = exact
    }
}
