import Foundation
import CLibXML2
import BeaconText

/// libxml2, set up once: no network, no external entities.
public enum LibXML {
    private static let initialised: Bool = {
        xmlInitParser()
        return true
    }()

    public static func ensureInitialised() { _ = initialised }

    /// Options for every HTML parse: no network access, no error spew, no entity expansion
    /// from outside.
    public static let htmlOptions = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NOERROR.rawValue |
                                          HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_RECOVER.rawValue)
}

/// A parsed HTML document, freed on deinit.
public final class HTMLDocument {
    public let doc: htmlDocPtr

    public init?(html: String) {
        LibXML.ensureInitialised()
        let parsed: htmlDocPtr? = html.utf8CString.withUnsafeBufferPointer { buf in
            htmlReadMemory(buf.baseAddress, Int32(buf.count - 1), nil, "UTF-8", LibXML.htmlOptions)
        }
        guard let parsed else { return nil }
        doc = parsed
    }

    deinit { xmlFreeDoc(doc) }

    public var root: xmlNodePtr? { xmlDocGetRootElement(doc) }

    /// Every element under `node` (inclusive) in document order.
    public func elements(under node: xmlNodePtr?) -> [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        func walk(_ n: xmlNodePtr?) {
            var cur = n
            while let c = cur {
                if c.pointee.type == XML_ELEMENT_NODE {
                    out.append(c)
                    walk(c.pointee.children)
                }
                cur = c.pointee.next
            }
        }
        if let node {
            out.append(node)
            walk(node.pointee.children)
        }
        return out
    }

    public func element(named name: String, under node: xmlNodePtr?) -> xmlNodePtr? {
        elements(under: node).first { $0.name == name }
    }

    /// HTML of the children of `node`.
    public func innerHTML(_ node: xmlNodePtr) -> String {
        guard let buf = xmlBufferCreate() else { return "" }
        defer { xmlBufferFree(buf) }
        var child = node.pointee.children
        while let c = child {
            htmlNodeDump(buf, doc, c)
            child = c.pointee.next
        }
        guard let content = xmlBufferContent(buf) else { return "" }
        return String(cString: content)
    }
}

extension UnsafeMutablePointer where Pointee == xmlNode {
    public var name: String { pointee.name.map { String(cString: $0) } ?? "" }

    public func attribute(_ name: String) -> String? {
        guard let v = xmlGetProp(self, name) else { return nil }
        defer { free(v) }
        return String(cString: v)
    }

    public func setAttribute(_ name: String, _ value: String) {
        xmlSetProp(self, name, value)
    }

    public func removeAttribute(_ name: String) {
        xmlUnsetProp(self, name)
    }

    public var textContent: String {
        guard let v = xmlNodeGetContent(self) else { return "" }
        defer { free(v) }
        return String(cString: v)
    }
}

/// The HTML of a document that holds raw HTML (only when the site allows it), parsed with
/// libxml2 and cleaned against an allow-list: only the elements and attributes named below
/// stay; script, style, frames, plug-ins, forms and page-level elements go with their content;
/// any other element is unwrapped (its text kept); no event handler, no URL that `URLSafety`
/// refuses, no picture, video or sound from another host.
public enum RawHTMLSanitizer {
    /// Elements kept, each with the attributes it may carry (beside `globalAttributes`).
    public static let allowed: [String: Set<String>] = [
        "a": ["href", "name", "target", "rel"], "abbr": [], "b": [], "bdi": [], "bdo": [], "blockquote": ["cite"], "br": [],
        "caption": [], "center": [], "cite": [], "code": [], "col": ["span", "width"], "colgroup": ["span", "width"],
        "dd": [], "del": ["cite", "datetime"], "details": ["open"], "dfn": [], "div": [], "dl": [], "dt": [], "em": [],
        "figcaption": [], "figure": [], "h1": [], "h2": [], "h3": [], "h4": [], "h5": [], "h6": [], "hr": [], "i": [],
        "img": ["src", "alt", "width", "height", "loading", "decoding"], "input": ["type", "checked", "disabled"], "ins": ["cite", "datetime"], "kbd": [], "li": ["value"],
        "mark": [], "ol": ["start", "type", "reversed"], "p": [], "pre": [], "q": ["cite"], "rp": [], "rt": [], "ruby": [],
        "s": [], "samp": [], "section": [], "small": [], "span": [], "strong": [], "sub": [], "summary": [], "sup": [],
        "table": [], "tbody": [], "td": ["colspan", "rowspan", "headers"], "tfoot": [], "th": ["colspan", "rowspan", "scope", "headers"],
        "thead": [], "time": ["datetime"], "tr": [], "u": [], "ul": [], "var": [], "wbr": [],
        "audio": ["src", "controls", "loop", "muted", "preload"], "video": ["src", "controls", "loop", "muted", "preload", "poster", "width", "height"],
        "source": ["src", "type"], "track": ["src", "kind", "srclang", "label", "default"],
    ]
    /// Attributes any kept element may carry.
    public static let globalAttributes: Set<String> = ["id", "class", "title", "lang", "dir", "style", "align", "aria-label", "aria-hidden", "role"]
    /// Elements removed with everything inside them: script, style, frames, plug-ins,
    /// forms, page-level elements, the elements whose content a browser reads as raw text
    /// where libxml2 reads markup (GFM's tag filter list and `noscript`). Inline SVG and
    /// MathML are unwrapped like any other element: their text stays, their drawing goes.
    public static let removedElements: Set<String> = ["script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "link",
                                                      "form", "button", "select", "option", "textarea", "title", "xmp", "noembed", "noframes",
                                                      "plaintext", "noscript", "template", "head", "param", "portal", "slot", "dialog", "canvas"]
    /// Attributes holding a URL: checked by `URLSafety`; those that load something
    /// (`src`, `poster`) must also stay on this site.
    static let urlAttributes: Set<String> = ["href", "src", "cite", "poster"]
    static let loadingAttributes: Set<String> = ["src", "poster"]
    /// Elements that hold nothing: content libxml2 hangs under one (it does not know all of
    /// them as empty) is what followed it, and is kept in place.
    static let voidElements: Set<String> = ["embed", "param", "source", "track", "wbr", "base", "meta", "link", "area", "col", "img", "br", "hr", "input", "keygen"]
    /// The raw-text elements: left open, a browser reads everything after as their text.
    public static let rawTextElements = ["script", "style", "iframe", "textarea", "title", "xmp", "plaintext", "noscript", "noembed", "noframes"]

    /// The first raw-text element `html` opens without closing, if any.
    public static func unclosedRawText(_ html: String) -> String? {
        let lower = html.lowercased()
        for tag in rawTextElements where lower.contains("<" + tag) {
            if tag == "plaintext" || !lower.contains("</" + tag) { return tag }
        }
        return nil
    }

    /// A style attribute that could load or run anything, or lay itself over the page.
    static func unsafeStyle(_ value: String) -> Bool {
        // A CSS escape (`u\72l(`) could spell any of these: a style with one is refused.
        if value.contains("\\") || value.contains("&") { return true }
        let v = value.lowercased().filter { !$0.isWhitespace }
        return ["javascript:", "vbscript:", "expression(", "-moz-binding", "behavior:", "url(", "image-set(", "@import", "position:fixed", "position:absolute", "position:sticky"].contains { v.contains($0) }
    }

    /// Whether a URL in `attribute` may stay: a safe scheme, and for what a page loads by
    /// itself, a path on this site (no scheme, no `//host`) or a data: picture.
    static func allowedURL(_ value: String, attribute: String) -> Bool {
        if URLSafety.isUnsafe(value) { return false }
        guard loadingAttributes.contains(attribute) else { return true }
        let trimmed = value.drop { $0.isWhitespace || $0 == "\\" }
        if trimmed.hasPrefix("//") || trimmed.hasPrefix("\\\\") { return false }
        let scheme = URLSafety.scheme(of: value)
        return scheme == nil || scheme == "data"
    }

    public static func sanitize(_ fragment: String) -> String {
        var ignored: [String] = []
        return sanitize(fragment, removed: &ignored)
    }

    /// What the sanitizer takes out of one piece of an editor's HTML, as the editor would
    /// name it (`<script>`, `onclick`, `href="javascript:…"`), for a warning at its line.
    public static func removals(in fragment: String) -> [String] {
        var removed: [String] = []
        _ = sanitize(fragment, removed: &removed)
        var seen = Set<String>()
        return removed.filter { seen.insert($0).inserted }
    }

    static func sanitize(_ fragment: String, removed: inout [String]) -> String {
        if fragment.isEmpty { return "" }
        let wrapped = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><div id=\"beacon-root\">" + fragment + "</div></body></html>"
        guard let doc = HTMLDocument(html: wrapped),
              let container = doc.elements(under: doc.root).first(where: { $0.attribute("id") == "beacon-root" }) else {
            return HTMLEscape.escape(fragment)
        }
        // Content hung under an empty element moves out after it.
        for el in doc.elements(under: container) where el != container && voidElements.contains(el.name.lowercased()) {
            while let last = el.pointee.last {
                xmlUnlinkNode(last)
                xmlAddNextSibling(el, last)
            }
        }
        // Comments, processing instructions and CDATA go: a browser and libxml2 disagree on
        // where `<!-->` ends, and what one takes for a comment the other runs.
        var hidden: [xmlNodePtr] = []
        func collectHidden(_ n: xmlNodePtr?) {
            var cur = n
            while let c = cur {
                if c.pointee.type == XML_COMMENT_NODE || c.pointee.type == XML_PI_NODE || c.pointee.type == XML_CDATA_SECTION_NODE { hidden.append(c) }
                else if c.pointee.type == XML_ELEMENT_NODE { collectHidden(c.pointee.children) }
                cur = c.pointee.next
            }
        }
        collectHidden(container.pointee.children)
        for n in hidden { xmlUnlinkNode(n); xmlFreeNode(n) }
        // Whole subtrees first (nothing inside them is looked at again), then the rest.
        var removals: [xmlNodePtr] = []
        for el in doc.elements(under: container) where el != container && removedElements.contains(el.name.lowercased()) {
            var ancestor = el.pointee.parent
            var inside = false
            while let a = ancestor { if removals.contains(a) { inside = true; break }; ancestor = a.pointee.parent }
            if !inside { removals.append(el); removed.append("<\(el.name.lowercased())>") }
        }
        for el in removals {
            xmlUnlinkNode(el)
            xmlFreeNode(el)
        }
        var unwrap: [xmlNodePtr] = []
        for el in doc.elements(under: container) where el != container {
            let name = el.name.lowercased()
            guard let own = allowed[name] else {
                // Kept as text: only elements that did something are worth a word.
                if !["html", "body", "p"].contains(name) { removed.append("<\(name)>") }
                unwrap.append(el); continue
            }
            // Only a task list's box: a checkbox nobody can tick.
            if name == "input" {
                if (el.attribute("type") ?? "").lowercased() != "checkbox" { removed.append("<input>"); unwrap.append(el); continue }
                el.setAttribute("disabled", "")
            }
            var names: [String] = []
            var attr = el.pointee.properties
            while let a = attr {
                if let n = a.pointee.name { names.append(String(cString: n)) }
                attr = a.pointee.next
            }
            for attribute in names {
                let lower = attribute.lowercased()
                var keep = own.contains(lower) || globalAttributes.contains(lower)
                if keep && urlAttributes.contains(lower) { keep = allowedURL(el.attribute(attribute) ?? "", attribute: lower) }
                if keep && lower == "style" { keep = !unsafeStyle(el.attribute(attribute) ?? "") }
                if keep && lower == "target" { keep = (el.attribute(attribute) ?? "") == "_blank" }
                if !keep {
                    let value = el.attribute(attribute) ?? ""
                    removed.append(urlAttributes.contains(lower) || lower == "style" ? "\(lower)=\"\(value.prefix(30))\"" : lower)
                    el.removeAttribute(attribute)
                }
            }
            // A link that opens a new tab cannot reach back into this one.
            if name == "a", el.attribute("target") != nil { el.setAttribute("rel", "noopener noreferrer") }
        }
        // Other elements give way to their content, innermost first.
        for el in unwrap.reversed() {
            while let first = el.pointee.children {
                xmlUnlinkNode(first)
                xmlAddPrevSibling(el, first)
            }
            xmlUnlinkNode(el)
            xmlFreeNode(el)
        }
        return doc.innerHTML(container)
    }
}
