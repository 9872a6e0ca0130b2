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
/// libxml2 and cleaned: no script, style, frame or plug-in element, no event handler
/// attribute, no URL that `URLSafety` refuses in any URL attribute.
public enum RawHTMLSanitizer {
    /// Script, frames and plug-ins, page-level elements, and the elements whose content a
    /// browser reads as raw text where libxml2 reads markup (GFM's tag filter list and
    /// `noscript`): markup hidden in them would reach the page.
    static let removedElements: Set<String> = ["script", "style", "iframe", "frame", "frameset", "object", "embed", "base", "meta", "link", "form",
                                               "title", "textarea", "xmp", "noembed", "noframes", "plaintext", "noscript", "template",
                                               // SVG animation can set an href to a script URL when clicked.
                                               "animate", "set", "animatemotion", "animatetransform", "discard", "handler", "listener"]
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

    /// A style attribute that could load or run anything.
    static func unsafeStyle(_ value: String) -> Bool {
        let v = value.lowercased().filter { !$0.isWhitespace && $0 != "\\" }
        return ["javascript:", "vbscript:", "expression(", "-moz-binding", "behavior:", "url(", "@import"].contains { v.contains($0) }
    }
    static let urlAttributes: Set<String> = ["href", "src", "action", "formaction", "xlink:href", "poster", "srcset", "data", "background", "cite"]

    public static func sanitize(_ fragment: String) -> String {
        if fragment.isEmpty { return "" }
        let wrapped = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><div id=\"beacon-root\">" + fragment + "</div></body></html>"
        guard let doc = HTMLDocument(html: wrapped),
              let container = doc.elements(under: doc.root).first(where: { $0.attribute("id") == "beacon-root" }) else {
            return HTMLEscape.escape(fragment)
        }
        var removals: [xmlNodePtr] = []
        // Content hung under an empty element moves out after it.
        for el in doc.elements(under: container) where el != container && voidElements.contains(el.name.lowercased()) {
            while let last = el.pointee.last {
                xmlUnlinkNode(last)
                xmlAddNextSibling(el, last)
            }
        }
        for el in doc.elements(under: container) where el != container {
            if removedElements.contains(el.name.lowercased()) {
                var ancestor = el.pointee.parent
                var inside = false
                while let a = ancestor { if removals.contains(a) { inside = true; break }; ancestor = a.pointee.parent }
                if !inside { removals.append(el) }
                continue
            }
            var names: [String] = []
            var attr = el.pointee.properties
            while let a = attr {
                if let n = a.pointee.name { names.append(String(cString: n)) }
                attr = a.pointee.next
            }
            for name in names {
                let lower = name.lowercased()
                if lower.hasPrefix("on") || (urlAttributes.contains(lower) && URLSafety.isUnsafe(el.attribute(name) ?? ""))
                    || (lower == "style" && unsafeStyle(el.attribute(name) ?? "")) {
                    el.removeAttribute(name)
                }
            }
        }
        for el in removals {
            xmlUnlinkNode(el)
            xmlFreeNode(el)
        }
        return doc.innerHTML(container)
    }
}
