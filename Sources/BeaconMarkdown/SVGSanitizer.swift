import Foundation
import CLibXML2

/// An SVG picture made safe to publish: opened directly from the site it must not run
/// script or load anything. Parsed with libxml2 (no network, no entity substitution); a DTD
/// is refused outright, since it can only declare entities; scripts, `foreignObject`,
/// animation that sets attributes and every event handler are removed, and every reference
/// (`href`, `xlink:href`, `url(…)` in styles) must point inside the picture (`#id`) or be a
/// data: picture.
public enum SVGSanitizer {
    public struct Refusal: Error, CustomStringConvertible {
        public var description: String
        /// Where in the file (1-based), when known.
        public var line = 1, column = 1
    }

    static let removed: Set<String> = ["script", "foreignObject", "animate", "set", "animateMotion", "animateTransform", "discard", "handler", "listener", "iframe", "embed", "object"]

    /// The cleaned SVG, or why it cannot be published.
    public static func clean(_ data: Data) throws(Refusal) -> Data {
        LibXML.ensureInitialised()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue | XML_PARSE_NOCDATA.rawValue)
        let parsed: xmlDocPtr? = data.withUnsafeBytes { raw in
            xmlReadMemory(raw.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(clamping: raw.count), nil, nil, options)
        }
        guard let doc = parsed else {
            let error = xmlGetLastError()
            let detail = error?.pointee.message.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            throw Refusal(description: "SVG 图片不是格式正确的 XML，不会发布；请用绘图软件重新导出 (the SVG is not well-formed XML: \(detail); not published)",
                          line: max(1, Int(error?.pointee.line ?? 1)), column: max(1, Int(error?.pointee.int2 ?? 1)))
        }
        defer { xmlFreeDoc(doc) }
        if doc.pointee.intSubset != nil || doc.pointee.extSubset != nil {
            let text = String(decoding: data.prefix(65536), as: UTF8.self)
            let line = text.components(separatedBy: "\n").firstIndex { $0.contains("<!DOCTYPE") }.map { $0 + 1 } ?? 1
            throw Refusal(description: "SVG 图片里有 DTD（<!DOCTYPE … [ ]>），可能藏有实体，不会发布；请删去 DOCTYPE 一行再用 (the SVG has a DTD; not published)", line: line)
        }
        guard let root = xmlDocGetRootElement(doc), root.name == "svg" else {
            throw Refusal(description: "这个文件的根元素不是 <svg>，不会发布 (the file's root element is not <svg>; not published)")
        }
        var removals: [xmlNodePtr] = []
        func visit(_ node: xmlNodePtr) {
            var child = node.pointee.children
            while let c = child {
                child = c.pointee.next
                switch c.pointee.type {
                case XML_ELEMENT_NODE:
                    if removed.contains(c.name) { removals.append(c); continue }
                    if c.name == "style", unsafeCSS(c.textContent) { removals.append(c); continue }
                    dropped += clean(attributesOf: c)
                    visit(c)
                case XML_PI_NODE, XML_ENTITY_REF_NODE, XML_ENTITY_NODE, XML_XINCLUDE_START, XML_XINCLUDE_END:
                    removals.append(c)
                default:
                    break
                }
            }
        }
        var dropped = clean(attributesOf: root)
        visit(root)
        // Processing instructions before the root (an xml-stylesheet) go too.
        var top = doc.pointee.children
        while let t = top { top = t.pointee.next; if t != root && t.pointee.type == XML_PI_NODE { removals.append(t) } }
        // Nothing to take out: the file as the editor made it.
        if removals.isEmpty && dropped == 0 { return data }
        for n in removals { xmlUnlinkNode(n); xmlFreeNode(n) }
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemoryEnc(doc, &buffer, &size, "UTF-8")
        guard let buffer else { throw Refusal(description: "SVG 图片无法写出 (the SVG could not be written)") }
        defer { xmlFree(buffer) }
        return Data(bytes: buffer, count: Int(size))
    }

    /// Removes the attributes that may not stay; returns how many.
    @discardableResult
    static func clean(attributesOf el: xmlNodePtr) -> Int {
        var attr = el.pointee.properties
        var drop: [xmlAttrPtr] = []
        while let a = attr {
            attr = a.pointee.next
            let name = a.pointee.name.map { String(cString: $0) } ?? ""
            let value: String = {
                guard let v = xmlNodeListGetString(el.pointee.doc, a.pointee.children, 1) else { return "" }
                defer { xmlFree(v) }
                return String(cString: v)
            }()
            let lower = name.lowercased()
            if lower.hasPrefix("on") { drop.append(a); continue }
            if lower == "href" || lower == "src" {   // href and xlink:href (the namespace is apart)
                if !localReference(value) { drop.append(a) }
                continue
            }
            if lower == "style" && unsafeCSS(value) { drop.append(a); continue }
            if value.lowercased().contains("url(") && !value.lowercased().filter({ !$0.isWhitespace }).allSatisfyURLsLocal { drop.append(a) }
        }
        for a in drop { xmlRemoveProp(a) }
        return drop.count
    }

    /// `#id` inside the picture, or a data: picture that is not itself SVG.
    static func localReference(_ value: String) -> Bool {
        let v = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if v.hasPrefix("#") { return true }
        let lower = v.lowercased().filter { !$0.isWhitespace }
        return lower.hasPrefix("data:image/") && !lower.hasPrefix("data:image/svg")
    }

    static func unsafeCSS(_ css: String) -> Bool {
        // A CSS escape (`@\69mport`, `u\72l(`) could spell anything: refused.
        if css.contains("\\") { return true }
        let v = css.lowercased().filter { !$0.isWhitespace }
        if v.contains("@import") || v.contains("image-set(") || v.contains("javascript:") || v.contains("expression(") || v.contains("-moz-binding") { return true }
        return !v.allSatisfyURLsLocal
    }
}

extension String {
    /// Whether every `url(…)` in this (lower-cased, spaceless) CSS points inside the picture.
    var allSatisfyURLsLocal: Bool {
        var rest = Substring(self)
        while let r = rest.range(of: "url(") {
            let after = rest[r.upperBound...].drop { $0 == "\"" || $0 == "'" }
            if !after.hasPrefix("#") && !(after.hasPrefix("data:image/") && !after.hasPrefix("data:image/svg")) { return false }
            rest = rest[r.upperBound...]
        }
        return true
    }
}
