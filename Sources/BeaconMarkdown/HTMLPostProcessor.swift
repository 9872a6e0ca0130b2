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

/// Walks the HTML that cmark-gfm rendered and finishes it: stable unique heading ids and the
/// table of contents, HTML5 alignment for table cells, scrollable table wrappers, lazy images,
/// Chinese labels for footnotes, and no script URLs even in allowed raw HTML.
struct HTMLPostProcessor {
    let slugger: Slugger
    static let reservedIDs: Set<String> = ["top", "main", "toc", "content", "footnotes", "site-header", "site-footer", "search"]

    func process(_ fragment: String) -> (html: String, toc: [TOCEntry]) {
        if fragment.isEmpty { return ("", []) }
        let wrapped = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><div id=\"beacon-root\">" + fragment + "</div></body></html>"
        guard let doc = HTMLDocument(html: wrapped),
              let container = doc.elements(under: doc.root).first(where: { $0.attribute("id") == "beacon-root" }) else {
            return (fragment, [])
        }
        var used = Self.reservedIDs
        var toc: [TOCEntry] = []
        let all = doc.elements(under: container)
        // Ids that cmark-gfm gave (footnotes) stay as they are.
        for el in all { if let id = el.attribute("id") { used.insert(id) } }
        used.remove("beacon-root")

        var removals: [xmlNodePtr] = []
        for el in all where el != container {
            let name = el.name
            switch name {
            case "h1", "h2", "h3", "h4", "h5", "h6":
                let text = el.textContent.trimmingCharacters(in: .whitespacesAndNewlines)
                var id: String
                if let given = el.attribute("id"), !given.isEmpty { id = given } else {
                    let base = slugger.slug(text)
                    id = base.isEmpty ? "section" : base
                    if id.first?.isNumber == true { id = "s-" + id }
                    var n = 2
                    let stem = id
                    while used.contains(id) { id = "\(stem)-\(n)"; n += 1 }
                    used.insert(id)
                    el.setAttribute("id", id)
                }
                let level = Int(String(name.last!))!
                if level == 2 || level == 3 {
                    toc.append(TOCEntry(level: level, id: id, title: text))
                }
            case "th", "td":
                if let align = el.attribute("align") {
                    el.removeAttribute("align")
                    if ["left", "center", "right"].contains(align) {
                        el.setAttribute("class", "align-\(align)")
                    }
                }
            case "table":
                if el.pointee.parent.map({ $0.name == "div" && $0.attribute("class") == "table-wrap" }) != true {
                    let wrap = xmlNewDocNode(doc.doc, nil, "div", nil)!
                    wrap.setAttribute("class", "table-wrap")
                    xmlReplaceNode(el, wrap)
                    xmlAddChild(wrap, el)
                }
            case "img":
                el.setAttribute("loading", "lazy")
                el.setAttribute("decoding", "async")
            case "a":
                if let href = el.attribute("href") {
                    let h = href.lowercased().filter { !$0.isWhitespace }
                    if h.hasPrefix("javascript:") || h.hasPrefix("vbscript:") || (h.hasPrefix("data:") && !h.hasPrefix("data:image/")) {
                        el.removeAttribute("href")
                    }
                }
                if el.attribute("data-footnote-backref") != nil {
                    el.setAttribute("aria-label", "返回正文")
                }
            case "section":
                if el.attribute("class") == "footnotes" {
                    let h = xmlNewDocNode(doc.doc, nil, "h2", "注释")!
                    h.setAttribute("class", "footnotes-title")
                    if let first = el.pointee.children { xmlAddPrevSibling(first, h) } else { xmlAddChild(el, h) }
                    el.setAttribute("aria-label", "注释")
                }
            case "script", "style", "iframe", "object", "embed":
                // tagfilter already escapes these; never let one through a raw-HTML site either.
                var ancestor = el.pointee.parent
                var inside = false
                while let a = ancestor { if removals.contains(a) { inside = true; break }; ancestor = a.pointee.parent }
                if !inside { removals.append(el) }
            default:
                break
            }
        }
        for el in removals {
            xmlUnlinkNode(el)
            xmlFreeNode(el)
        }
        return (doc.innerHTML(container), toc)
    }
}
