import Foundation
import BeaconModel
import BeaconText
import BeaconLoad
import BeaconOutput

/// The Chinese copy rules over everything an editor wrote (lesson and branch bodies, and
/// every text in front matter, boards, books and site.yml), and `--fix`.
public enum CopyCheck {
    /// Reports the findings as warnings `[rule-id] message`. With `fix`, rewrites the
    /// mechanical cases in place (temp file + rename, BOM and line ends kept) in files that
    /// have no errors, and returns one line per change.
    public static func run(project: Project, bag: DiagnosticBag, fix: Bool) -> [String] {
        let enabled = Set(CopyRules.all).subtracting(project.site.copyRulesOff)
        let lessonPaths = Set(project.lessons.map { BytePath($0.path) })
        var sources: [EditorText] = []
        for l in project.lessons { sources.append(body(l.path, l.body)) }
        for b in project.branches { sources.append(body(b.path, b.body)) }
        // Drafts left out of the build are left out here too.
        sources += project.texts.filter { !$0.path.hasPrefix("content/lessons/") || $0.path.hasSuffix(".yml") || lessonPaths.contains(BytePath($0.path)) }
        let erroneous = Set(bag.all.filter { $0.severity == .error }.map(\.location.path))
        // The rules read each text on its own: on every core, then reported in file order.
        var all = [CopyRules.Review?](repeating: nil, count: sources.count)
        // A report (not --fix) of a text the rules read before comes from the build cache.
        let memo = fix ? nil : MemoFile(project.root.appendingPathComponent(".beacon/cache/copy-rules.txt"))
        let rules = enabled.sorted().joined(separator: ",")
        // A text of a lesson file is known by the file's fingerprint and its place in it (the
        // same bytes give the same texts): no need to read the text through to key it.
        var sourceKeys: [BytePath: String] = [:]
        for l in project.lessons { if let k = l.sourceKey { sourceKeys[BytePath(l.path)] = k } }
        let bodies = project.lessons.count
        all.withUnsafeMutableBufferPointer { out in
            let buffer = out
            DispatchQueue.concurrentPerform(iterations: sources.count) { i in
                let t = sources[i]
                let r: CopyRules.Review
                if let memo {
                    let f = Fingerprint()
                    f.add("beacon copy rules 2"); f.add(Fingerprint.program); f.add(rules); f.add(t.title ? "title" : "text")
                    if let source = sourceKeys[BytePath(t.path)] {
                        f.add(source); f.add(i < bodies ? "body" : "yaml"); f.add("\(t.line):\(t.column):\(t.exact)")
                    } else {
                        f.add(t.text)
                    }
                    let kept = memo.text(f.hex) { FindingCoding.encode(CopyRules.review(t.text, enabled: enabled, title: t.title, settle: false).findings) }
                    r = CopyRules.Review(findings: FindingCoding.decode(kept) ?? CopyRules.review(t.text, enabled: enabled, title: t.title, settle: false).findings,
                                         fixed: t.text, changedLines: [:])
                } else {
                    r = CopyRules.review(t.text, enabled: enabled, title: t.title, settle: fix)
                }
                buffer[i] = r.findings.isEmpty ? nil : r
            }
        }
        memo?.save()
        var log: [(SourceLocation, String)] = []
        // One rewrite per file, with every text of it that has something to fix.
        var byFile: [String: [(EditorText, CopyRules.Review)]] = [:]
        var order: [String] = []
        for (i, review) in all.enumerated() {
            guard let review else { continue }
            let t = sources[i]
            if byFile[t.path] == nil { order.append(t.path) }
            byFile[t.path, default: []].append((t, review))
        }
        for path in order {
            let texts = byFile[path]!
            let fixable = texts.filter { $0.0.exact && !$0.1.changedLines.isEmpty && (!$0.0.plainScalar || safeInYAML($0.0, $0.1)) }
            if fix && !fixable.isEmpty && !erroneous.contains(path),
               rewrite(project.root.appendingPathComponent(path), texts: fixable) {
                for (t, r) in fixable {
                    for f in r.findings where f.replacement != nil {
                        let at = location(f, in: t)
                        log.append((at, "\(at.path):\(at.line):\(at.column): fixed [\(f.rule)]"))
                    }
                }
                let written = Set(fixable.map { "\($0.0.line):\($0.0.column)" })
                for (t, r) in texts {
                    let fixed = written.contains("\(t.line):\(t.column)")
                    for f in r.findings where !(fixed && f.replacement != nil) { bag.warning(location(f, in: t), "[\(f.rule)] \(f.message)") }
                }
                continue
            }
            for (t, r) in texts {
                for f in r.findings { bag.warning(location(f, in: t), "[\(f.rule)] \(f.message)") }
            }
        }
        return log.sorted { $0.0 < $1.0 }.map(\.1)
    }

    /// A YAML value whose fixed form YAML would read as something else (a comment, a list,
    /// an anchor, null, a number, true) is reported, not fixed.
    static func safeInYAML(_ t: EditorText, _ r: CopyRules.Review) -> Bool {
        let fixed = r.fixed.trimmingCharacters(in: .whitespaces)
        if let first = fixed.first, "-?:,[]{}#&*!|>'\"%@`".contains(first) { return false }
        let lower = fixed.lowercased()
        if ["null", "~", "true", "false", "yes", "no", "on", "off"].contains(lower) { return false }
        if Double(fixed) != nil || Int(fixed) != nil { return false }
        return !fixed.contains(" #") && !fixed.contains(": ")
    }

    static func body(_ path: String, _ body: MarkdownSource) -> EditorText {
        EditorText(path: path, text: body.text, line: body.lineOffset + 1, column: body.columnOffset + 1, title: false, exact: true)
    }

    static func location(_ f: CopyRules.Finding, in t: EditorText) -> SourceLocation {
        guard t.exact else { return SourceLocation(path: t.path, line: t.line, column: t.column) }
        return SourceLocation(path: t.path, line: t.line + f.line - 1, column: t.column + f.column - 1)
    }

    /// Writes the fixed lines of `texts` into the file, keeping everything else (front
    /// matter, YAML keys, comments, byte-order mark and line ends) exactly; false when the
    /// file changed since it was read or cannot be written.
    static func rewrite(_ url: URL, texts: [(EditorText, CopyRules.Review)]) -> Bool {
        guard let data = try? Data(contentsOf: url) else { return false }
        var bytes = [UInt8](data)
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if bom { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else { return false }
        // Each line with its own ending (a file may mix CRLF and LF): only edited lines change.
        var lines: [[Unicode.Scalar]] = [], endings: [String] = []
        var current: [Unicode.Scalar] = []
        var scalars = Array(text.unicodeScalars)[...]
        while let c = scalars.popFirst() {
            if c == "\r" || c == "\n" {
                var ending = String(c)
                if c == "\r", scalars.first == "\n" { scalars.removeFirst(); ending = "\r\n" }
                lines.append(current); endings.append(ending); current = []
            } else { current.append(c) }
        }
        lines.append(current); endings.append("")
        var edits: [(line: Int, start: Int, old: [Unicode.Scalar], new: [Unicode.Scalar])] = []
        for (t, review) in texts {
            let original = t.text.split(separator: "\n", omittingEmptySubsequences: false)
            for (i, new) in review.changedLines {
                edits.append((t.line + i - 1, t.column - 1, Array(original[i].unicodeScalars), Array(new.unicodeScalars)))
            }
        }
        // Right to left, so that two values on one line ({ name: …, role: … }) keep their columns.
        for e in edits.sorted(by: { ($0.line, $0.start) > ($1.line, $1.start) }) {
            // The file must still say what was read there.
            guard lines.indices.contains(e.line), e.start + e.old.count <= lines[e.line].count,
                  Array(lines[e.line][e.start..<(e.start + e.old.count)]) == e.old else { return false }
            lines[e.line].replaceSubrange(e.start..<(e.start + e.old.count), with: e.new)
        }
        let out = zip(lines, endings).map { String(String.UnicodeScalarView($0.0)) + $0.1 }.joined()
        var outBytes = [UInt8](out.utf8)
        if bom { outBytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).beacon-fix")
        do {
            try Data(outBytes).write(to: tmp)
            if rename(tmp.path, url.path) != 0 { try? FileManager.default.removeItem(at: tmp); return false }
        } catch { return false }
        return true
    }
}

/// The copy rules' findings as a line of text each, for the build cache: the fields joined by
/// tabs, with backslash, tab and line feed escaped.
enum FindingCoding {
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A }) else { return s }
        return s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\t", with: "\\t").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ s: Substring) -> String {
        guard s.contains("\\") else { return String(s) }
        var out = "", escaped = false
        for c in s {
            if escaped { out.append(c == "t" ? "\t" : c == "n" ? "\n" : c); escaped = false }
            else if c == "\\" { escaped = true }
            else { out.append(c) }
        }
        return out
    }

    static func encode(_ findings: [CopyRules.Finding]) -> String {
        findings.map { f in
            [escape(f.rule), "\(f.line)", "\(f.column)", "\(f.length)", escape(f.message), f.replacement.map { "=" + escape($0) } ?? "-"].joined(separator: "\t")
        }.joined(separator: "\n")
    }

    /// nil when the text is not what `encode` writes.
    static func decode(_ text: String) -> [CopyRules.Finding]? {
        if text.isEmpty { return [] }
        var out: [CopyRules.Finding] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let p = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard p.count == 6, let l = Int(p[1]), let c = Int(p[2]), let n = Int(p[3]) else { return nil }
            let replacement: String? = p[5] == "-" ? nil : p[5].hasPrefix("=") ? unescape(p[5].dropFirst()) : nil
            out.append(CopyRules.Finding(rule: unescape(p[0]), line: l, column: c, message: unescape(p[4]), length: n, replacement: replacement))
        }
        return out
    }
}
