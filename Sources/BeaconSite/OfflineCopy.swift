import Foundation
import BeaconModel
import BeaconOutput

/// The offline copy (`beacon build --offline`, or `offline: true` in site.yml): the finished
/// site again under `output/offline/`, every link relative and every page link ending in
/// `index.html`, so that it works opened from a folder (a USB stick, a shared drive, a kiosk)
/// over `file://`. Pages are the site's own, rewritten only where a tag's URL attribute
/// starts with the site's path (`/study/…`): `href`, `src`, `srcset`, `action`, `formaction`,
/// `poster`, `cite` and `data-*`; `url(…)` in stylesheets likewise. Absolute URLs (the
/// canonical link, feeds' addresses) are kept. Search reads its index with `fetch`, which
/// browsers refuse on `file://`: there the search page says so in words (search.js).
public enum OfflineCopy {
    public static let folder = "offline/"

    /// Writes `offline/` from the `site/` files of this build.
    public static func write(stage: OutputStage, basePath: String, bag: DiagnosticBag) {
        let files = stage.files.filter { $0.hasPrefix("site/") }.sorted()
        for file in files {
            let inSite = String(file.dropFirst("site/".count))
            let target = folder + inSite
            do {
                if inSite.hasSuffix(".html") || inSite.hasSuffix(".css") {
                    let bytes = try Data(contentsOf: stage.url(file))
                    let dir = inSite.split(separator: "/", omittingEmptySubsequences: false).dropLast().map(String.init)
                    let rewritten = inSite.hasSuffix(".html")
                        ? relativiseHTML(Array(bytes), pageDirectory: dir, basePath: basePath)
                        : relativiseCSS(Array(bytes), fileDirectory: dir, basePath: basePath)
                    try stage.write(target, Data(rewritten))
                } else {
                    try stage.link(from: stage.url(file), to: target)
                }
            } catch {
                bag.error(SourceLocation(path: "output/" + target), "离线副本写不出 (cannot write the offline copy): \(FileProblem.describe(error))")
                return
            }
        }
    }

    /// `url` (starting with `basePath`) as seen from a page in `directory` (the site-relative
    /// folder, each part as on disk): `../../lessons/x/index.html#h`. Anything else unchanged.
    public static func relative(_ url: String, from directory: [String], basePath: String) -> String {
        guard url.hasPrefix(basePath), !url.hasPrefix("//") else { return url }
        let rest = url.dropFirst(basePath.count)
        let cut = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        var path = String(rest[..<cut])
        let suffix = String(rest[cut...])
        if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
        let target = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let here = directory.map { Routes.encodePath($0) }
        var common = 0
        while common < here.count, common < target.count - 1, here[common] == target[common] { common += 1 }
        let up = Array(repeating: "..", count: here.count - common)
        return (up + target[common...]).joined(separator: "/") + suffix
    }

    static let urlAttributes: Set<String> = ["href", "src", "srcset", "action", "formaction", "poster", "cite"]

    /// Rewrites the URL attributes of every tag; comments, text, and the insides of
    /// `<script>` and `<style>` pass untouched.
    public static func relativiseHTML(_ html: [UInt8], pageDirectory: [String], basePath: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(html.count + html.count / 8)
        let n = html.count
        var i = 0
        func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }
        func isSpace(_ b: UInt8) -> Bool { b == 32 || b == 9 || b == 10 || b == 13 || b == 12 }
        func startsWith(_ s: String, at k: Int) -> Bool {
            let u = Array(s.utf8)
            guard k + u.count <= n else { return false }
            for j in 0..<u.count where lower(html[k + j]) != u[j] { return false }
            return true
        }
        while i < n {
            guard html[i] == UInt8(ascii: "<"), i + 1 < n else { out.append(html[i]); i += 1; continue }
            if startsWith("<!--", at: i) {
                // "<!-->" and "<!--->" are whole (empty) comments.
                if startsWith("<!-->", at: i) || startsWith("<!--->", at: i) {
                    let end = startsWith("<!-->", at: i) ? i + 5 : i + 6
                    out += html[i..<end]; i = end; continue
                }
                var end = i + 4
                while end < n, !startsWith("-->", at: end) { end += 1 }
                end = min(n, end + 3)
                out += html[i..<end]; i = end; continue
            }
            let c = lower(html[i + 1])
            guard (c >= 97 && c <= 122) else { out.append(html[i]); i += 1; continue }
            // A start tag: its name, then attributes up to '>'.
            var j = i + 1
            while j < n, !isSpace(html[j]), html[j] != UInt8(ascii: ">"), html[j] != UInt8(ascii: "/") { j += 1 }
            let name = String(decoding: html[(i + 1)..<j].map(lower), as: UTF8.self)
            out += html[i..<j]
            while j < n, html[j] != UInt8(ascii: ">") {
                if isSpace(html[j]) || html[j] == UInt8(ascii: "/") { out.append(html[j]); j += 1; continue }
                let a = j
                while j < n, !isSpace(html[j]), html[j] != UInt8(ascii: "="), html[j] != UInt8(ascii: ">") { j += 1 }
                let attribute = String(decoding: html[a..<j].map(lower), as: UTF8.self)
                out += html[a..<j]
                while j < n, isSpace(html[j]) { out.append(html[j]); j += 1 }
                guard j < n, html[j] == UInt8(ascii: "=") else { continue }
                out.append(html[j]); j += 1
                while j < n, isSpace(html[j]) { out.append(html[j]); j += 1 }
                guard j < n else { break }
                var quote: UInt8? = nil
                if html[j] == UInt8(ascii: "\"") || html[j] == UInt8(ascii: "'") { quote = html[j]; out.append(html[j]); j += 1 }
                let v = j
                if let q = quote { while j < n, html[j] != q { j += 1 } } else { while j < n, !isSpace(html[j]), html[j] != UInt8(ascii: ">") { j += 1 } }
                let isURL = urlAttributes.contains(attribute) || attribute.hasPrefix("data-")
                let value = isURL ? String(validatingUTF8: html[v..<j].map { CChar(bitPattern: $0) } + [0]) : nil
                if let value, value.contains(basePath) {
                    let rewritten = attribute == "srcset"
                        ? value.split(separator: ",", omittingEmptySubsequences: false).map { candidate -> String in
                            let lead = candidate.prefix { $0.isWhitespace }
                            let body = candidate.dropFirst(lead.count)
                            let url = body.prefix { !$0.isWhitespace }
                            return String(lead) + relative(String(url), from: pageDirectory, basePath: basePath) + body.dropFirst(url.count)
                        }.joined(separator: ",")
                        : relative(value, from: pageDirectory, basePath: basePath)
                    out += Array(rewritten.utf8)
                } else {
                    out += html[v..<j]
                }
                if quote != nil, j < n { out.append(html[j]); j += 1 }
            }
            if j < n { out.append(html[j]); j += 1 }
            i = j
            // Raw text elements: copied as they are up to their end tag.
            if name == "script" || name == "style" {
                var end = i
                while end < n, !startsWith("</" + name, at: end) { end += 1 }
                out += html[i..<end]; i = end
            }
        }
        return out
    }

    /// Rewrites `url(…)` references in a stylesheet.
    public static func relativiseCSS(_ css: [UInt8], fileDirectory: [String], basePath: String) -> [UInt8] {
        // A stylesheet not in UTF-8 (a theme's GBK file) is copied as it is.
        guard let text = String(validatingUTF8: css.map { CChar(bitPattern: $0) } + [0]) else { return css }
        var out = ""
        var rest = Substring(text)
        while let r = rest.range(of: "url(") {
            out += rest[..<r.upperBound]
            rest = rest[r.upperBound...]
            let space = rest.prefix { $0 == " " }
            out += space
            rest = rest.dropFirst(space.count)
            let quote = rest.first == "\"" || rest.first == "'" ? String(rest.first!) : ""
            rest = rest.dropFirst(quote.count)
            let end = rest.firstIndex { quote.isEmpty ? $0 == ")" : String($0) == quote } ?? rest.endIndex
            out += quote + relative(String(rest[..<end]), from: fileDirectory, basePath: basePath)
            rest = rest[end...]
        }
        out += rest
        return Array(out.utf8)
    }
}
