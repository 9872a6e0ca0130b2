import Foundation
import BeaconOutput
import BeaconModel
import BeaconText
import BeaconMarkdown

extension SiteBuilder {
    // MARK: - Branches

    func renderBranches() {
        let branches = project.branches
        let copies = copiesByBranch
        DispatchQueue.concurrentPerform(iterations: branches.count) { i in
            let b = branches[i]
            var item = branchItem(b)
            item["content"] = html.render(b.document).html
            if let s = b.shortName, s != b.name { item["shortName"] = s }
            if let f = b.founded { item["founded"] = f }
            if let a = b.address { item["address"] = a }
            if let photo = b.photo {
                let link = links.resolve(photo, isImage: true, in: b.path, at: b.photoLocation ?? SourceLocation(path: b.path), bag: bag)
                if let url = links.siteURL(link) { item["photo"] = url }
            }
            do {
                item["honors"] = b.honors.map { h -> [String: Any] in
                    var d: [String: Any] = ["title": h.title]
                    if let y = h.year { d["year"] = y }
                    return d
                }
            }
            do {
                item["practices"] = b.practices.map { p -> [String: Any] in
                    var d: [String: Any] = ["title": p.title]
                    if let s = p.summary { d["summary"] = s }
                    return d
                }
            }
            item["commitments"] = b.commitments
            item["tags"] = b.tags
            item["people"] = b.people.map { p -> [String: Any] in
                var d: [String: Any] = ["name": p.name]
                if let r = p.role { d["role"] = r }
                if let x = p.deed { d["deed"] = x }
                return d
            }
            item["stats"] = b.stats.map { ["label": $0.label, "value": $0.value, "unit": $0.unit ?? ""] }
            // The boards made for this branch from template boards.
            item["boards"] = (copies[b.slug] ?? []).map { boardItem($0) }
            let description = TextMeasures.summary(b.document.firstParagraph.isEmpty ? b.name : b.document.firstParagraph)
            renderPage("branch", route: routes.branch(b), title: b.name, description: description,
                       section: "branches", extra: ["branch": item])
        }
        // The directory, grouped by domain in the fixed order of the eight domains.
        var groups: [[String: Any]] = []
        for d in Domain.allCases {
            let mine = branches.filter { $0.domain == d }
                .sorted { ($1.stars ?? 0, $0.name) < ($0.stars ?? 0, $1.name) }
            if mine.isEmpty { continue }
            groups.append(["domain": d.rawValue, "count": mine.count, "branches": mine.map(branchItem)])
        }
        renderPage("branches", route: Routes.branches, title: t("title.branches"), section: "branches",
                                    extra: ["groups": groups, "count": branches.count])
    }

    // MARK: - Series

    func renderSeries(only folder: String? = nil) {
        if folder == nil {
            renderPage("lessons", route: Routes.lessons, title: t("title.lessons"), section: "lessons",
                                       extra: ["series": seriesOrder.map(seriesItem)])
        }
        for s in seriesOrder where folder == nil || s.folder == folder {
            let list = seriesLessons[s.folder] ?? []
            var item = seriesItem(s)
            item["lessons"] = lessonList(list)
            renderPage("series", route: routes.series(s.folder), title: s.title,
                                                description: s.summary, section: "lessons", extra: ["series": item])
        }
    }

    // MARK: - Tags

    func renderTags(only selected: Set<String>? = nil) {
        var byTag: [String: [Lesson]] = [:]
        for l in latest { for t in l.tags where selected?.contains(t) ?? true { byTag[t, default: []].append(l) } }
        let names = byTag.keys.sorted { (byTag[$1]!.count, $0) < (byTag[$0]!.count, $1) }
        let items = names.map { t -> [String: Any] in
            var d = tagItem(t)
            d["count"] = byTag[t]!.count
            return d
        }
        if selected == nil {
            renderPage("tags", route: Routes.tags, title: t("title.tags"), section: "tags", extra: ["tags": items])
        }
        let all = Array(byTag)
        DispatchQueue.concurrentPerform(iterations: all.count) { i in
            let (t, list) = all[i]
            var d = tagItem(t)
            d["count"] = list.count
            d["lessons"] = lessonList(list)
            renderPage("tag", route: routes.tag(t), title: self.t("title.tag", ["tag": t]), section: "tags", extra: ["tag": d])
        }
    }

    // MARK: - Archive

    func renderArchive(year only: Int? = nil) {
        var byYear: [Int: [Lesson]] = [:]
        for l in latest { byYear[l.date.year, default: []].append(l) }
        let years = byYear.keys.sorted(by: >)
        let items = years.map { y -> [String: Any] in ["year": y, "count": byYear[y]!.count, "url": routes.url(routes.year(y))] }
        if only == nil {
            renderPage("archive", route: Routes.archive, title: t("title.archive"), section: "archive",
                                       extra: ["years": items, "count": latest.count])
        }
        DispatchQueue.concurrentPerform(iterations: years.count) { i in
            let y = years[i]
            if let only, only != y { return }
            var months: [[String: Any]] = []
            var current: (Int, [Lesson])?
            for l in byYear[y]! {
                if current?.0 != l.date.month {
                    if let c = current { months.append(["month": "\(c.0)月", "lessons": lessonList(c.1)]) }
                    current = (l.date.month, [])
                }
                current!.1.append(l)
            }
            if let c = current { months.append(["month": "\(c.0)月", "lessons": lessonList(c.1)]) }
            var nav: [String: Any] = [:]
            if let idx = years.firstIndex(of: y) {
                if idx + 1 < years.count { nav["older"] = ["year": years[idx + 1], "url": routes.url(routes.year(years[idx + 1]))] }
                if idx > 0 { nav["newer"] = ["year": years[idx - 1], "url": routes.url(routes.year(years[idx - 1]))] }
            }
            renderPage("archive-year", route: routes.year(y), title: t("title.year", ["year": "\(y)"]), section: "archive",
                                       extra: ["year": y, "count": byYear[y]!.count, "months": months, "nav": nav])
        }
    }

    // MARK: - Boards and books

    func renderPrintIndexes() {
        let single = project.boards.filter { $0.copy == nil }
        renderPage("boards", route: Routes.boards, title: t("title.boards"), section: "boards",
                                  extra: ["boards": single.map { boardItem($0) }, "count": project.boards.count,
                                          "single": single.count, "templateSets": boardTemplates.count,
                                          "copies": project.boards.count - single.count,
                                          "templates": boardTemplates.map { templateItem($0) }])
        renderPage("books", route: Routes.books, title: t("title.books"), section: "books",
                                 extra: ["books": project.books.map { bookItem($0) }, "count": project.books.count])
    }

    // MARK: - Home and 404

    static let homeLessons = 8
    static let homeBranches = 6

    func renderHome() {
        let branches = project.branches.sorted { ($1.stars ?? 0, $0.name) < ($0.stars ?? 0, $1.name) }
        var ctx: [String: Any] = [
            "latest": lessonList(latest.prefix(Self.homeLessons)),
            "series": seriesOrder.map(seriesItem),
            "branches": branches.prefix(Self.homeBranches).map(branchItem),
            "lessonCount": project.lessons.count,
            "branchCount": project.branches.count,
            "allLessons": routes.url(Routes.archive),
            "allBranches": routes.url(Routes.branches),
        ]
        if !project.boards.isEmpty { ctx["boardCount"] = project.boards.count; ctx["boardsURL"] = routes.url(Routes.boards) }
        if let next = nextPartyDay(from: BuildClock.today()) {
            ctx["nextPartyDay"] = ["date": next.day.chinese, "datetime": next.day.description, "lessons": lessonList(next.lessons),
                                   "url": routes.url(Self.calendarRoute(next.day.year))] as [String: Any]
        }
        if !project.books.isEmpty { ctx["bookCount"] = project.books.count; ctx["booksURL"] = routes.url(Routes.books) }
        renderPage("home", route: Routes.home, title: nil, section: "home", extra: ctx)
    }

    func renderNotFound() {
        renderPage("404", route: Routes.notFound, title: t("title.not_found"), section: "", extra: [:])
    }

    // MARK: - Feed and sitemap

    /// Text for the feed and the sitemap: the one HTML escaper's entities (XML knows them all,
    /// `&#39;` included), without the control characters XML 1.0 forbids.
    static func xmlEscape(_ s: String) -> String {
        var s = s
        if s.utf8.contains(where: { $0 < 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }) {
            s.unicodeScalars.removeAll { $0.value < 0x20 && $0 != "\n" && $0 != "\t" && $0 != "\r" }
        }
        return HTMLEscape.escape(s)
    }

    func writeFeed() {
        let e = Self.xmlEscape
        let entries = latest.prefix(Self.feedSize)
        let updated = entries.first?.date.rfc3339 ?? Day(year: 2026, month: 1, day: 1).rfc3339
        var x = """
        <?xml version="1.0" encoding="utf-8"?>
        <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="\(e(project.site.language))" xml:base="\(e(project.site.baseURL))">
        <title>\(e(project.site.title))</title>
        <id>\(e(routes.absolute(Routes.home)))</id>
        <link rel="alternate" type="text/html" href="\(e(routes.absolute(Routes.home)))"/>
        <link rel="self" type="application/atom+xml" href="\(e(routes.absolute(Routes.feed)))"/>
        <updated>\(updated)</updated>
        <author><name>\(e(project.site.organisation ?? project.site.title))</name></author>

        """
        for l in entries {
            let f: LessonFacts? = facts[l.id]
            let url = routes.absolute(routes.lesson(l))
            x += "<entry>\n<title>\(e(l.title))</title>\n<id>\(e(url))</id>\n<link rel=\"alternate\" type=\"text/html\" href=\"\(e(url))\"/>\n"
            x += "<updated>\(l.date.rfc3339)</updated>\n<published>\(l.date.rfc3339)</published>\n"
            if let a = l.author { x += "<author><name>\(e(a))</name></author>\n" }
            if let s = seriesByFolder[l.seriesFolder] { x += "<category term=\"\(e(s.title))\"/>\n" }
            for t in l.tags { x += "<category term=\"\(e(t))\"/>\n" }
            if let f {
                x += "<summary>\(e(f.summary))</summary>\n<content type=\"html\">\(e(f.html))</content>\n"
            }
            x += "</entry>\n"
        }
        x += "</feed>\n"
        writeFile(Routes.feed, x)
        writeJSONFeed(entries: Array(entries))
    }

    /// The same entries as a JSON Feed (version 1.1), beside the Atom feed.
    func writeJSONFeed(entries: [Lesson]) {
        var items: [[String: Any]] = []
        for l in entries {
            let url = routes.absolute(routes.lesson(l))
            var item: [String: Any] = ["id": url, "url": url, "title": l.title, "date_published": l.date.rfc3339]
            if let f = facts.indices.contains(l.id) ? facts[l.id] : nil {
                item["summary"] = f.summary
                item["content_html"] = f.html
            }
            if !l.tags.isEmpty { item["tags"] = l.tags }
            if let a = l.author { item["authors"] = [["name": a]] }
            items.append(item)
        }
        var feed: [String: Any] = [
            "version": "https://jsonfeed.org/version/1.1", "title": project.site.title, "language": project.site.language,
            "home_page_url": routes.absolute(Routes.home), "feed_url": routes.absolute(Routes.jsonFeed), "items": items,
        ]
        if let d = project.site.description { feed["description"] = d }
        if let data = try? JSONSerialization.data(withJSONObject: feed, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]) {
            writeFile(Routes.jsonFeed, String(decoding: data, as: UTF8.self) + "\n")
        }
    }

    func writeSitemap() {
        var urls: [(String, Day?)] = [(Routes.home, latest.first?.date), (Routes.lessons, nil), (Routes.branches, nil),
                                      (Routes.tags, nil), (Routes.archive, nil), (Routes.boards, nil), (Routes.books, nil)]
        for s in seriesOrder { urls.append((routes.series(s.folder), seriesLessons[s.folder]?.map(\.date).max())) }
        for l in latest { urls.append((routes.lesson(l), l.date)) }
        for b in project.branches { urls.append((routes.branch(b), nil)) }
        for t in boardTemplates { urls.append((templateRoute(t.slug), nil)) }
        for b in project.boards { urls.append((boardRoute(b), nil)) }
        for t in Set(project.lessons.flatMap(\.tags)).sorted() { urls.append((routes.tag(t), nil)) }
        for y in Set(project.lessons.map(\.date.year)).sorted() { urls.append((routes.year(y), nil)) }
        if !calendarYears.isEmpty { urls.append(("calendar/", nil)) }
        for y in calendarYears { urls.append((Self.calendarRoute(y), nil)) }
        urls.append((Routes.search, nil))
        if hant != nil { urls += urls.map { (HantEdition.folder + $0.0, $0.1) } }
        var x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
        for (route, day) in urls {
            x += "<url><loc>\(Self.xmlEscape(routes.absolute(route)))</loc>"
            if let day { x += "<lastmod>\(day.description)</lastmod>" }
            x += "</url>\n"
        }
        x += "</urlset>\n"
        writeFile(Routes.sitemap, x)
    }

    // MARK: - Assets and media

    func copyAssets() {
        let fm = FileManager.default
        /// A path as the editor reads it: relative to the project.
        func relativePath(_ url: URL) -> String {
            let full = url.standardizedFileURL.path, root = project.root.standardizedFileURL.path + "/"
            return full.hasPrefix(root) ? String(full.dropFirst(root.count)) : full
        }
        /// One file published: its bytes (an SVG cleaned of script), or an error naming it.
        func publish(_ source: URL, to target: String, within root: URL, shownAs: String) {
            let svg = source.pathExtension.lowercased() == "svg"
            do {
                try stage.copy(from: source, to: target, within: root, transform: svg ? { try SVGSanitizer.clean($0) } : nil)
            } catch let refusal as OutputStage.CopyRefusal {
                bag.error(SourceLocation(path: shownAs), refusal.description)
            } catch let refusal as SVGSanitizer.Refusal {
                bag.error(SourceLocation(path: shownAs, line: refusal.line, column: refusal.column), refusal.description)
            } catch {
                bag.error(SourceLocation(path: shownAs), "无法复制到 output/\(target) (cannot copy): \(FileProblem.describe(error))")
            }
        }
        func copyTree(_ from: URL, to prefixPath: String, only: Set<String>? = nil) {
            for rel in FileTree.files(under: from.standardizedFileURL.path) {
                if let only, !only.contains(rel) { continue }
                let source = from.appendingPathComponent(rel)
                publish(source, to: prefixPath + rel, within: from, shownAs: relativePath(source))
            }
        }
        // The site's logo and brand colours.
        if let logo = project.site.brand.logo {
            let content = project.root.appendingPathComponent("content")
            publish(content.appendingPathComponent(logo), to: prefix + "assets/" + Self.logoFile(logo), within: content, shownAs: "content/" + logo)
        }
        if let css = brandCSS() {
            do { try stage.write(prefix + "assets/brand.css", css) } catch {
                bag.error(SourceLocation(path: "output/site/assets/brand.css"), "无法写入 (cannot write): \(FileProblem.describe(error))")
            }
        }
        // The theme's static files: the site's own copied, the built-in ones written out.
        for path in theme.files.paths(under: "static") {
            let target = prefix + "assets/" + path.dropFirst("static/".count)
            if theme.files.isLocal(path) {
                publish(theme.files.folder.appendingPathComponent(path), to: target, within: theme.files.folder, shownAs: theme.files.display(path))
            } else if let data = theme.files.builtin(path) {
                do { try stage.write(target, data) } catch {
                    bag.error(SourceLocation(path: "output/" + target), "无法写入 (cannot write): \(FileProblem.describe(error))")
                }
            }
        }
        let content = project.root.appendingPathComponent("content")
        let media = content.appendingPathComponent("media")
        if fm.fileExists(atPath: media.path) { copyTree(media, to: prefix + "media/") }
        for rel in linkedFiles.sorted() {
            publish(content.appendingPathComponent(rel), to: prefix + "files/" + rel, within: content, shownAs: "content/" + rel)
        }
    }
}

