import Foundation
import BeaconModel
import BeaconText

/// Where every page of the site lives. A route is a path relative to the site root, ending
/// in `/` for a page (written as `<route>index.html`) or naming a file (`feed.xml`).
public struct Routes: Sendable {
    public let basePath: String        // "/study/"
    public let baseURL: String         // "https://example.org/study/"
    public let seriesSlug: [String: String]          // folder → slug
    public let lessonRoute: [String]                 // by lesson id
    public let branchRoute: [String: String]         // branch path → route
    public let tagSlug: [String: String]             // tag → slug

    public init(project: Project, slugger: Slugger) {
        basePath = project.site.basePath
        baseURL = project.site.baseURL
        var series: [String: String] = [:]
        for s in project.series { series[s.folder] = s.slug }
        seriesSlug = series
        lessonRoute = project.lessons.map { l in
            "lessons/\(series[l.seriesFolder] ?? slugger.nonEmptySlug(l.seriesFolder))/\(l.slug)/"
        }
        var branches: [String: String] = [:]
        for b in project.branches { branches[b.path] = "branches/\(b.slug)/" }
        branchRoute = branches
        // Tags: pinyin slugs; two tags that spell the same get -2, -3 in name order.
        var tags: [String: String] = [:]
        var used: Set<String> = []
        let allTags = Set(project.lessons.flatMap(\.tags)).sorted()
        for t in allTags {
            let base = slugger.nonEmptySlug(t)
            var s = base, n = 2
            while used.contains(s) { s = "\(base)-\(n)"; n += 1 }
            used.insert(s)
            tags[t] = s
        }
        tagSlug = tags
    }

    public static let home = ""
    public static let lessons = "lessons/"
    public static let tags = "tags/"
    public static let archive = "archive/"
    public static let branches = "branches/"
    public static let boards = "boards/"
    public static let books = "books/"
    public static let feed = "feed.xml"
    public static let jsonFeed = "feed.json"
    public static let search = "search/"
    public static let sitemap = "sitemap.xml"
    public static let notFound = "404.html"

    public func series(_ folder: String) -> String { "lessons/\(seriesSlug[folder] ?? folder)/" }
    public func lesson(_ l: Lesson) -> String { lessonRoute[l.id] }
    public func branch(_ b: Branch) -> String { branchRoute[b.path]! }
    public func tag(_ t: String) -> String { "tags/\(tagSlug[t] ?? t)/" }
    public func year(_ y: Int) -> String { "archive/\(y)/" }

    /// The URL path of a route, as links in pages use it: `/study/lessons/x/`.
    public func url(_ route: String) -> String { basePath + Routes.encodePath(route) }
    /// The absolute URL, for feeds, sitemaps and QR codes.
    public func absolute(_ route: String) -> String { baseURL + Routes.encodePath(route) }

    /// Percent-encodes what a URL path cannot hold (Han characters in kept slugs, spaces).
    public static func encodePath(_ path: String) -> String {
        func safe(_ b: UInt8) -> Bool {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"):
                return true
            default:
                return "-._~/!$&'()*+,;=:@".utf8.contains(b)
            }
        }
        if path.utf8.allSatisfy(safe) { return path }
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(path.utf8.count * 3)
        for b in path.utf8 {
            if safe(b) { out.append(b) } else {
                out.append(UInt8(ascii: "%")); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The output file of a route, relative to the site folder.
    public static func file(_ route: String) -> String {
        route.isEmpty || route.hasSuffix("/") ? route + "index.html" : route
    }
}
