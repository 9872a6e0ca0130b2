import Foundation
import BeaconModel

/// Reads editors' text files: UTF-8 with or without a byte-order mark, LF or CRLF.
/// Anything else is refused with the path and how to re-save it; bytes are never replaced.
public enum TextFile {
    static let resaveHint = "请用记事本打开此文件，选择“另存为”，编码选“UTF-8”后保存 (re-save the file as UTF-8)"

    /// The text of an editor's file. Only a regular file is opened (a pipe would wait for a
    /// writer, a device never ends); a symbolic link is followed only when it ends inside
    /// `within` (content/ or the theme's folder), so no file from elsewhere is ever read.
    public static func read(_ url: URL, displayPath: String, within: URL? = nil) throws(Diagnostic) -> String {
        try decode(readData(url, displayPath: displayPath, within: within), displayPath: displayPath)
    }

    /// The bytes of an editor's file, under the same rules as `read`.
    public static func readData(_ url: URL, displayPath: String, within: URL? = nil) throws(Diagnostic) -> Data {
        try readData(path: url.path, displayPath: displayPath, within: within)
    }

    /// The same for a path, read with plain system calls (a build reads thousands of files).
    public static func readData(path: String, displayPath: String, within: URL? = nil) throws(Diagnostic) -> Data {
        func cannotRead(_ why: String) -> Diagnostic {
            .error(SourceLocation(path: displayPath), "无法读取文件 (cannot read file): \(why)")
        }
        let notRegular = Diagnostic.error(SourceLocation(path: displayPath), "不是普通文件（文件夹、管道、设备或套接字），不会读取 (not a regular file; not read)")
        // Read without following a link and without waiting on a pipe: one open and one
        // fstat for an ordinary file (a build reads thousands).
        switch FileBytes.read(path) {
        case .success(let bytes): return Data(bytes)
        case .failure(.notRegular): throw notRegular
        case .failure(.system(ELOOP)):
            // A symbolic link: followed only when it ends inside `within` (or its own folder).
            let url = URL(fileURLWithPath: path)
            let real = url.resolvingSymlinksInPath().path
            let base = (within ?? url.deletingLastPathComponent()).resolvingSymlinksInPath().path + "/"
            var st = stat()
            guard real.hasPrefix(base), lstat(real, &st) == 0, (st.st_mode & S_IFMT) != S_IFLNK else {
                throw .error(SourceLocation(path: displayPath), "符号链接指到了\(within.map { " " + $0.lastPathComponent + " 文件夹" } ?? "所在文件夹")之外（或绕成了圈），不会读取 (symbolic link leads outside its folder or round in a loop; not read)")
            }
            switch FileBytes.read(real) {
            case .success(let bytes): return Data(bytes)
            case .failure(.notRegular): throw notRegular
            case .failure(let failure): throw cannotRead(failure.description)
            }
        case .failure(let failure): throw cannotRead(failure.description)
        }
    }

    /// Characters that are no text: control characters other than tab and line ends, and
    /// Unicode noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF …), which end a run of text in
    /// Pango and would end a book there. Refused at their line and column.
    static func refuseUnprintable(_ text: String, displayPath: String) throws(Diagnostic) {
        // Most files hold none of these: a look at the bytes says so without decoding. A
        // control character is one byte; a noncharacter starts EF B7 or EF BF (U+FDD0–FDEF,
        // U+FFFE, U+FFFF) or is a 4-byte sequence. Anything that might be one is read again
        // scalar by scalar below.
        var suspect = false
        text.utf8.withContiguousStorageIfAvailable { b in
            var i = 0
            let n = b.count
            while i < n {
                let c = b[i]
                if c < 0x20 {
                    if c != 0x09 && c != 0x0A && c != 0x0D { suspect = true; return }
                } else if c == 0x7F || c >= 0xF0 {
                    suspect = true; return
                } else if c == 0xEF, i + 1 < n, b[i + 1] == 0xB7 || b[i + 1] == 0xBF {
                    suspect = true; return
                }
                i += 1
            }
        } ?? { suspect = true }()
        guard suspect else { return }
        var line = 1, column = 1
        for s in text.unicodeScalars {
            let v = s.value
            let control = (v < 0x20 && v != 0x09 && v != 0x0A && v != 0x0D) || v == 0x7F
            let nonCharacter = (0xFDD0...0xFDEF).contains(v) || (v & 0xFFFE) == 0xFFFE
            if control || nonCharacter {
                let code = String(format: "U+%04X", v)
                throw .error(SourceLocation(path: displayPath, line: line, column: column),
                             "这里有一个不能显示的字符 \(code)（\(control ? "控制字符" : "非字符")），印刷时会截断后面的内容；请删去它 (unprintable character \(code); delete it)")
            }
            if v == 0x0A { line += 1; column = 1 } else if v != 0x0D { column += 1 }
        }
    }

    public static func decode(_ data: Data, displayPath: String) throws(Diagnostic) -> String {
        var bytes = [UInt8](data)
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            throw .error(SourceLocation(path: displayPath),
                         "文件是 UTF-16 编码，Beacon 只读 UTF-8 (file is UTF-16; only UTF-8 is read)；\(resaveHint)")
        }
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            bytes.removeFirst(3)
        }
        // UTF-16 without a byte-order mark: every other byte of ASCII text is zero.
        let sample = bytes.prefix(512)
        if sample.count >= 4 && sample.filter({ $0 == 0 }).count * 4 >= sample.count {
            throw .error(SourceLocation(path: displayPath),
                         "文件像是 UTF-16 编码，Beacon 只读 UTF-8 (file looks like UTF-16; only UTF-8 is read)；\(resaveHint)")
        }
        guard var text = String(validating: bytes, as: UTF8.self) else {
            let bad = firstInvalidUTF8(bytes) ?? 0
            let (line, column) = position(of: bad, in: bytes)
            let surrogate = bad + 1 < bytes.count && bytes[bad] == 0xED && bytes[bad + 1] >= 0xA0
            let kind = surrogate ? "不是有效的 UTF-8：含有 UTF-16 代理项（U+D800–U+DFFF）的编码 (not valid UTF-8: an encoded surrogate)"
                : looksLikeGB(bytes, from: bad) ? "像是 GBK/GB18030 编码 (looks like GBK/GB18030)" : "不是有效的 UTF-8 (not valid UTF-8)"
            throw .error(SourceLocation(path: displayPath, line: line, column: column),
                         "文件\(kind)；\(resaveHint)")
        }
        try refuseUnprintable(text, displayPath: displayPath)
        if bytes.contains(0x0D) { text = withLineFeeds(bytes) }
        return text
    }

    /// The text of bytes `decode` accepted before (a file the build cache's record names by
    /// its fingerprint): the same text, without looking for what it refuses.
    public static func decodeKnown(_ data: Data) -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        return bytes.contains(0x0D) ? withLineFeeds(bytes) : String(decoding: bytes, as: UTF8.self)
    }

    /// CRLF and lone CR line ends as LF.
    static func withLineFeeds(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D {
                out.append(0x0A)
                if i + 1 < bytes.count && bytes[i + 1] == 0x0A { i += 1 }
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8(_ b: [UInt8]) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            var need = 0
            var min: UInt32 = 0
            var cp: UInt32 = 0
            if c & 0xE0 == 0xC0 { need = 1; cp = UInt32(c & 0x1F); min = 0x80 }
            else if c & 0xF0 == 0xE0 { need = 2; cp = UInt32(c & 0x0F); min = 0x800 }
            else if c & 0xF8 == 0xF0 { need = 3; cp = UInt32(c & 0x07); min = 0x10000 }
            else { return i }
            for k in 1...need {
                guard i + k < n, b[i + k] & 0xC0 == 0x80 else { return i }
                cp = (cp << 6) | UInt32(b[i + k] & 0x3F)
            }
            if cp < min || cp > 0x10FFFF || (0xD800...0xDFFF).contains(cp) { return i }
            i += need + 1
        }
        return nil
    }

    /// GBK/GB18030 double-byte pattern: lead 0x81–0xFE, trail 0x40–0xFE (not 0x7F).
    static func looksLikeGB(_ b: [UInt8], from start: Int) -> Bool {
        var i = start, pairs = 0, misses = 0
        while i < b.count && pairs + misses < 64 {
            let c = b[i]
            if c < 0x80 { i += 1; continue }
            if (0x81...0xFE).contains(c), i + 1 < b.count, (0x40...0xFE).contains(b[i + 1]), b[i + 1] != 0x7F {
                pairs += 1; i += 2
            } else {
                misses += 1; i += 1
            }
        }
        return pairs > 0 && misses * 4 <= pairs
    }

    /// 1-based line and column (in characters of the valid text before it) of a byte offset.
    static func position(of offset: Int, in b: [UInt8]) -> (Int, Int) {
        var line = 1, lineStart = 0
        for i in 0..<offset where b[i] == 0x0A { line += 1; lineStart = i + 1 }
        let prefix = String(decoding: b[lineStart..<offset], as: UTF8.self)
        return (line, prefix.unicodeScalars.count + 1)
    }
}

/// A Markdown file split into its YAML front matter and its body.
public struct FrontMatterFile {
    public var yaml: String
    /// File line of the first YAML line (2 when the file opens with `---`).
    public var yamlFirstLine: Int
    public var body: MarkdownSource

    /// Splits `text`. A file that does not open with `---` has no front matter: nil.
    /// An opening `---` that is never closed is an error at line 1.
    /// A line that is `mark` with nothing but spaces or tabs around it.
    static func isFence(_ line: Substring, _ mark: String) -> Bool {
        let blank: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 }
        let bytes = line.utf8
        guard let first = bytes.firstIndex(where: { !blank($0) }),
              let last = bytes.lastIndex(where: { !blank($0) }) else { return false }
        return bytes[first...last].elementsEqual(mark.utf8)
    }

    public static func split(_ text: String, path: String) throws(Diagnostic) -> FrontMatterFile? {
        // Walk the lines only as far as the closing fence; the body is sliced once.
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var lineNumber = 0
        var yamlStart: String.Index?
        while lineStart < utf8.endIndex {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            let line = text[lineStart..<lineEnd]
            lineNumber += 1
            let next = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : lineEnd
            let fence = Self.isFence(line, "---")
            if yamlStart == nil {
                guard fence else { return nil }
                yamlStart = next
            } else if fence || Self.isFence(line, "...") {
                let yaml = String(text[yamlStart!..<lineStart].dropLast(lineStart > yamlStart! ? 1 : 0))
                let body = String(text[next...])
                return FrontMatterFile(yaml: yaml, yamlFirstLine: 2,
                                       body: MarkdownSource(text: body, lineOffset: lineNumber))
            }
            if lineEnd == utf8.endIndex { break }
            lineStart = next
        }
        guard yamlStart != nil else { return nil }
        throw .error(SourceLocation(path: path, line: 1, column: 1),
                     "开头的 --- 没有对应的结束行；请在最后一个字段之后加一行 --- (front matter is never closed; add a line --- after its last field)")
    }
}
