import Foundation
import ArgumentParser
import BeaconModel

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case human, github, json
}

/// Prints diagnostics as a person, GitHub Actions or a program wants them.
struct Reporter {
    var format: OutputFormat
    var root: URL

    /// Each quoted file's lines, read once however many messages quote it (a build of 10,000
    /// lessons may say thousands of things about a few hundred files).
    private let files = QuotedFiles()

    func sourceLine(_ d: Diagnostic) -> String? {
        guard let lines = files.lines(d.location.path, root: root), d.location.line >= 1, d.location.line <= lines.count else { return nil }
        var line = String(decoding: lines.line(d.location.line - 1), as: UTF8.self)
        if line.hasSuffix("\r") { line.removeLast() }
        return line
    }

    static func escapeGitHub(_ s: String, property: Bool = false) -> String {
        var out = s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
        if property { out = out.replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C") }
        return out
    }

    func render(_ diagnostics: [Diagnostic]) -> String {
        switch format {
        case .human:
            files.prefetch(Set(diagnostics.map(\.location.path)), root: root)
            var out = ""
            for d in diagnostics {
                out += d.description + "\n"
                if let line = sourceLine(d) {
                    out += "    " + line + "\n"
                    // The caret under the column; wide characters take two cells.
                    let before = line.unicodeScalars.prefix(d.location.column - 1)
                    let cells = before.reduce(0) { $0 + (CJKWidth.isWide($1) ? 2 : 1) }
                    out += "    " + String(repeating: " ", count: cells) + "^\n"
                }
            }
            return out
        case .github:
            return diagnostics.map { d in
                "::\(d.severity == .error ? "error" : "warning") file=\(Self.escapeGitHub(d.location.path, property: true)),line=\(d.location.line),col=\(d.location.column)::\(Self.escapeGitHub(d.message))"
            }.joined(separator: "\n") + (diagnostics.isEmpty ? "" : "\n")
        case .json:
            let items = diagnostics.map { d -> [String: Any] in
                ["path": d.location.path, "line": d.location.line, "column": d.location.column,
                 "severity": d.severity.rawValue, "message": d.message]
            }
            let data = (try? JSONSerialization.data(withJSONObject: items, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }
}

enum CJKWidth {
    static func isWide(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

/// The lines of the files messages quote, read once each.
final class QuotedFiles {
    /// A file's bytes (no BOM) and where each of its lines starts.
    struct Lines {
        var bytes: [UInt8]
        var starts: [Int]
        var count: Int { starts.count }
        func line(_ i: Int) -> ArraySlice<UInt8> {
            let end = i + 1 < starts.count ? starts[i + 1] - 1 : bytes.count
            return bytes[starts[i]..<end]
        }
    }
    private var known: [String: Lines?] = [:]

    /// Folders with their symbolic links resolved, each found once.
    private var realFolders: [String: String] = [:]

    /// Reads these files on every core (a build of 10,000 lessons may quote 3,000 of them).
    func prefetch(_ paths: Set<String>, root: URL) {
        let list = paths.filter { known[$0] == nil }.sorted()
        let rootReal = URL(fileURLWithPath: root.path).resolvingSymlinksInPath().path
        realFolders[root.path] = rootReal
        // The folders' real places first, once each (they are shared by many files).
        var folders = Set<String>()
        for p in list {
            let full = root.path + "/" + p
            if let slash = full.utf8.lastIndex(of: UInt8(ascii: "/")) { folders.insert(String(full[..<slash])) }
        }
        for f in folders where realFolders[f] == nil { realFolders[f] = URL(fileURLWithPath: f).resolvingSymlinksInPath().path }
        let real = realFolders
        var read = [Lines?](repeating: nil, count: list.count)
        read.withUnsafeMutableBufferPointer { out in
            let o = out
            DispatchQueue.concurrentPerform(iterations: list.count) { i in
                o[i] = Self.read(list[i], root: root) { real[$0] ?? URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            }
        }
        for (p, r) in zip(list, read) { known[p] = r }
    }

    func lines(_ path: String, root: URL) -> Lines? {
        if let k = known[path] { return k }
        let read = Self.read(path, root: root) { folder in
            if let known = realFolders[folder] { return known }
            let real = URL(fileURLWithPath: folder).resolvingSymlinksInPath().path
            realFolders[folder] = real
            return real
        }
        known[path] = read
        return read
    }

    static func read(_ path: String, root: URL, realFolder: (String) -> String = { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }) -> Lines? {
        // Only the editor's own files are quoted (never output/, never through a symbolic link
        // out of the project, never a special file or a huge one).
        guard path.hasPrefix("content/") || path.hasPrefix("themes/") else { return nil }
        let full = root.path + "/" + path
        guard let slash = full.utf8.lastIndex(of: UInt8(ascii: "/")) else { return nil }
        let folder = String(full[..<slash])
        let base = realFolder(root.path) + "/"
        guard (realFolder(folder) + "/").hasPrefix(base) else { return nil }
        // O_NOFOLLOW: the file itself is no link, so where it really is is its folder's real
        // place; O_NONBLOCK: a pipe put in its place does not hold the report up.
        let fd = open(full, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG, st.st_size < 16_000_000 else { return nil }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            got += n
        }
        bytes.removeSubrange(got...)
        guard String(validating: bytes, as: UTF8.self) != nil else { return nil }   // not UTF-8: nothing to quote
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var starts = [0]
        bytes.withUnsafeBufferPointer { b in
            for i in b.indices where b[i] == 10 { starts.append(i + 1) }
        }
        return Lines(bytes: bytes, starts: starts)
    }
}
