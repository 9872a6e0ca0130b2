import Foundation
import CLibXML2
import ZIPFoundation
import BeaconMarkdown

/// Why a file could not be imported (said in words, exit 1, nothing written).
public enum ImportError: Error, CustomStringConvertible, Equatable {
    case oldWordFormat, encrypted, notADocx(String), missingPart(String), tooLarge(String), noText

    public var description: String {
        switch self {
        case .oldWordFormat:
            return "这是旧版 Word 格式（.doc），Beacon 只读 .docx；请在 Word 或 WPS 中“另存为”.docx 后再导入 (an old binary .doc file; save it as .docx first)"
        case .encrypted:
            return "文档设置了打开密码，Beacon 无法读取；请在 Word 或 WPS 中取消密码后再导入 (the document is password-protected)"
        case .notADocx(let why):
            return "不是能读的 .docx 文档（\(why)）；文件可能已损坏，请在 Word 或 WPS 中打开后重新保存 (not a readable .docx: \(why))"
        case .missingPart(let part):
            return "文档缺少 \(part)，可能已损坏；请在 Word 或 WPS 中打开后重新保存 (the document has no \(part); it may be damaged)"
        case .tooLarge(let part):
            return "文档中的 \(part) 解压后超过 200 MB，不予读取 (\(part) expands past 200 MB)"
        case .noText:
            return "文档里没有文字，没有可导入的内容 (the document holds no text)"
        }
    }
}

/// A .docx opened: its XML parts parsed (libxml2, no network, no entities from outside) and
/// its pictures by relationship id.
final class DocxPackage {
    let archive: Archive
    /// Unpacked sizes are checked before reading: a ZIP bomb is refused, never inflated.
    static let partLimit = 200 << 20

    init(url: URL) throws(ImportError) {
        let head: Data
        do {
            let h = try FileHandle(forReadingFrom: url)
            defer { try? h.close() }
            head = try h.read(upToCount: 8) ?? Data()
        } catch { throw .notADocx("读不出文件") }
        if head.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            // An OLE compound file: an old .doc, or a .docx with a password (Office keeps
            // encrypted documents in an OLE file holding an "EncryptedPackage" stream).
            let data = (try? Data(contentsOf: url, options: .mappedIfSafe)) ?? Data()
            let marker = Data("EncryptedPackage".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
            throw data.range(of: marker) != nil ? .encrypted : .oldWordFormat
        }
        guard head.starts(with: [0x50, 0x4B]) else { throw .notADocx("不是 ZIP 压缩包") }
        do { archive = try Archive(url: url, accessMode: .read) } catch { throw .notADocx("压缩包无法打开") }
    }

    func has(_ path: String) -> Bool { archive[path] != nil }

    func data(_ path: String) throws(ImportError) -> Data? {
        guard let entry = archive[path] else { return nil }
        guard entry.uncompressedSize <= UInt64(Self.partLimit) else { throw .tooLarge(path) }
        var out = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                out.append(chunk)
                if out.count > Self.partLimit { throw ImportError.tooLarge(path) }
            }
        } catch let e as ImportError { throw e } catch { throw .notADocx("\(path) 解压失败") }
        return out
    }

    func xml(_ path: String) throws(ImportError) -> XMLPart? {
        guard let d = try data(path) else { return nil }
        guard let part = XMLPart(d) else { throw .notADocx("\(path) 不是完好的 XML，或带有 Word 从不写的 DTD") }
        return part
    }
}

/// One parsed XML part, freed on deinit.
final class XMLPart {
    let doc: xmlDocPtr

    init?(_ data: Data) {
        LibXML.ensureInitialised()
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed: xmlDocPtr? = data.withUnsafeBytes { raw in
            raw.bindMemory(to: CChar.self).baseAddress.flatMap { xmlReadMemory($0, Int32(raw.count), nil, "UTF-8", options) }
        }
        guard let parsed else { return nil }
        // Word and WPS never write a DTD; one in a document can only declare entities, and
        // reading text through nested entity references grows without bound (a "billion
        // laughs"): refused.
        if parsed.pointee.intSubset != nil || parsed.pointee.extSubset != nil {
            xmlFreeDoc(parsed)
            return nil
        }
        doc = parsed
    }
    deinit { xmlFreeDoc(doc) }

    var root: xmlNodePtr? { xmlDocGetRootElement(doc) }
}

/// Element helpers: names without their namespace prefix, attributes likewise.
extension UnsafeMutablePointer where Pointee == xmlNode {
    var name: String { pointee.name.map { String(cString: $0) } ?? "" }
    var isElement: Bool { pointee.type == XML_ELEMENT_NODE }

    var children: [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var c = pointee.children
        while let n = c {
            if n.isElement { out.append(n) }
            c = n.pointee.next
        }
        return out
    }

    func child(_ name: String) -> xmlNodePtr? { children.first { $0.name == name } }

    /// The attribute `name` in any namespace (`w:val`, `r:id`).
    func attribute(_ name: String) -> String? {
        var a = pointee.properties
        while let p = a {
            if let n = p.pointee.name, String(cString: n) == name {
                guard let v = xmlNodeGetContent(UnsafeMutablePointer<xmlNode>(OpaquePointer(p))) else { return "" }
                defer { xmlFree(v) }
                return String(cString: v)
            }
            a = p.pointee.next
        }
        return nil
    }

    /// The text of the node and everything under it.
    var text: String {
        guard let v = xmlNodeGetContent(self) else { return "" }
        defer { xmlFree(v) }
        return String(cString: v)
    }

    /// Every element under this one (not itself), in document order, without recursion.
    var descendants: [xmlNodePtr] {
        var out: [xmlNodePtr] = []
        var stack = children.reversed() as [xmlNodePtr]
        while let n = stack.popLast() {
            out.append(n)
            stack.append(contentsOf: n.children.reversed())
        }
        return out
    }
}
