import Foundation
import BeaconModel
import BeaconText
import BeaconLoad

/// `beacon check`'s copy rules over every lesson and branch body, and `--fix`.
public enum CopyCheck {
    /// Reports the findings as warnings `[rule-id] message`. With `fix`, rewrites the
    /// mechanical cases in place (temp file + rename, BOM and line ends kept) in files that
    /// have no errors, and returns one line per change.
    public static func run(project: Project, bag: DiagnosticBag, fix: Bool) -> [String] {
        let enabled = Set(CopyRules.all).subtracting(project.site.copyRulesOff)
        var log: [String] = []
        let sources: [(path: String, body: MarkdownSource)] = project.lessons.map { ($0.path, $0.body) } + project.branches.map { ($0.path, $0.body) }
        let erroneous = Set(bag.all.filter { $0.severity == .error }.map(\.location.path))
        // The rules read each text on its own: on every core, then reported in file order.
        var all = [[CopyRules.Finding]](repeating: [], count: sources.count)
        all.withUnsafeMutableBufferPointer { out in
            let buffer = out
            DispatchQueue.concurrentPerform(iterations: sources.count) { i in
                buffer[i] = CopyRules.check(sources[i].body.text, enabled: enabled)
            }
        }
        for (i, (path, body)) in sources.enumerated() {
            let findings = all[i]
            if findings.isEmpty { continue }
            let mechanical = findings.filter { $0.replacement != nil }
            if fix && !mechanical.isEmpty && !erroneous.contains(path) {
                if let changed = rewrite(project.root.appendingPathComponent(path), body: body, findings: mechanical) {
                    for f in changed {
                        log.append("\(path):\(f.line + body.lineOffset):\(f.column): fixed [\(f.rule)]")
                    }
                    for f in findings where f.replacement == nil { report(f, path: path, body: body, bag: bag) }
                    continue
                }
            }
            for f in findings { report(f, path: path, body: body, bag: bag) }
        }
        return log
    }

    static func report(_ f: CopyRules.Finding, path: String, body: MarkdownSource, bag: DiagnosticBag) {
        bag.warning(SourceLocation(path: path, line: f.line + body.lineOffset, column: f.column), "[\(f.rule)] \(f.message)")
    }

    /// Applies fixes to the body of the file, keeping its front matter, byte-order mark and
    /// line ends exactly; nil when the file changed since it was read or cannot be written.
    static func rewrite(_ url: URL, body: MarkdownSource, findings: [CopyRules.Finding]) -> [CopyRules.Finding]? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        var bytes = [UInt8](data)
        let bom = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        if bom { bytes.removeFirst(3) }
        let crlf = bytes.contains(0x0D)
        guard var text = String(validating: bytes, as: UTF8.self) else { return nil }
        if crlf { text = text.replacingOccurrences(of: "\r\n", with: "\n") }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= body.lineOffset else { return nil }
        let head = lines[..<body.lineOffset]
        let current = lines[body.lineOffset...].joined(separator: "\n")
        guard current == body.text else { return nil }
        let (fixed, applied) = CopyRules.fix(current, findings: findings)
        lines = Array(head) + fixed.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var out = lines.joined(separator: "\n")
        if crlf { out = out.replacingOccurrences(of: "\n", with: "\r\n") }
        var outBytes = [UInt8](out.utf8)
        if bom { outBytes.insert(contentsOf: [0xEF, 0xBB, 0xBF], at: 0) }
        let tmp = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).beacon-fix")
        do {
            try Data(outBytes).write(to: tmp)
            if rename(tmp.path, url.path) != 0 { try? FileManager.default.removeItem(at: tmp); return nil }
        } catch { return nil }
        return applied
    }
}
