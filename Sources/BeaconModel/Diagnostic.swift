import Foundation

/// Where something was written: a file relative to the project root, a 1-based line and a
/// 1-based column counted in characters (Unicode scalars), as editors count them.
public struct SourceLocation: Hashable, Sendable, Comparable {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 1, column: Int = 1) {
        self.path = path
        self.line = max(1, line)
        self.column = max(1, column)
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }

    /// The same file, `lines` further down (front matter and body offsets).
    public func offset(lines: Int) -> SourceLocation {
        SourceLocation(path: path, line: line + lines, column: column)
    }
}

/// The one type through which every error and warning of Beacon is reported:
/// `path:line:col: error: message`.
public struct Diagnostic: Hashable, Sendable, CustomStringConvertible, Error {
    public enum Severity: String, Sendable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var location: SourceLocation
    public var message: String

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    public static func error(_ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.error, location, message)
    }

    public static func warning(_ location: SourceLocation, _ message: String) -> Diagnostic {
        Diagnostic(.warning, location, message)
    }

    public var description: String {
        "\(location.path):\(location.line):\(location.column): \(severity.rawValue): \(message)"
    }
}

/// A thread-safe collector of diagnostics, shared by every stage of a build.
public final class DiagnosticBag: @unchecked Sendable {
    private var items: [Diagnostic] = []
    private let lock = NSLock()

    public init() {}

    /// Writes refused for a full disk after the first: said once for each severity (a warning
    /// never hides an error), with how many more.
    private var moreDiskFull: [Diagnostic.Severity: Int] = [:]
    /// The severities `items` holds a full-disk message of (kept, not searched for: a build
    /// with thousands of warnings would search them all on every report).
    private var saidDiskFull: Set<Diagnostic.Severity> = []

    private static func isDiskFull(_ d: Diagnostic) -> Bool { d.message.hasSuffix("(disk full)") }

    /// Whether `d` is said, or only counted as one more full-disk write. Called with the lock
    /// held.
    private func admit(_ d: Diagnostic) -> Bool {
        guard Self.isDiskFull(d) else { return true }
        if saidDiskFull.contains(d.severity) { moreDiskFull[d.severity, default: 0] += 1; return false }
        saidDiskFull.insert(d.severity)
        return true
    }

    public func report(_ diagnostic: Diagnostic) {
        lock.lock(); defer { lock.unlock() }
        if admit(diagnostic) { items.append(diagnostic) }
    }

    public func error(_ location: SourceLocation, _ message: String) {
        report(.error(location, message))
    }

    public func warning(_ location: SourceLocation, _ message: String) {
        report(.warning(location, message))
    }

    public func append(contentsOf list: [Diagnostic]) {
        lock.lock(); defer { lock.unlock() }
        items.append(contentsOf: list.filter { admit($0) })
    }

    /// Where the next diagnostic will go: a place for `merge(_:at:)`.
    public var mark: Int {
        lock.lock(); defer { lock.unlock() }
        return items.count
    }

    /// Adds what `other` collected, in its order, at `mark` (taken when the stage that
    /// reported into `other` began). A stage that runs beside others reports into a bag of its
    /// own, so that the order of messages on one line is the order of the stages, never the
    /// order in which threads came.
    public func merge(_ other: DiagnosticBag, at mark: Int) {
        other.lock.lock(); let theirs = other.items, more = other.moreDiskFull; other.lock.unlock()
        lock.lock(); defer { lock.unlock() }
        let kept = theirs.filter { admit($0) }
        items.insert(contentsOf: kept, at: min(max(mark, 0), items.count))
        moreDiskFull.merge(more, uniquingKeysWith: +)
    }

    /// All diagnostics, sorted by file, line and column; exact duplicates removed.
    public var all: [Diagnostic] {
        lock.lock(); defer { lock.unlock() }
        var seen = Set<Diagnostic>()
        var list = items.filter { seen.insert($0).inserted }
        for (severity, more) in moreDiskFull where more > 0 {
            if let i = list.firstIndex(where: { $0.severity == severity && Self.isDiskFull($0) }) {
                list[i].message += "；另有 \(more) 个文件也因此没有写入 (and \(more) more files)"
            }
        }
        return list.sorted { ($0.location, $0.severity == .error ? 0 : 1) < ($1.location, $1.severity == .error ? 0 : 1) }
    }

    public var hasErrors: Bool {
        lock.lock(); defer { lock.unlock() }
        return items.contains { $0.severity == .error }
    }

    /// As many as `all` holds (each said once), so a summary's count is what was printed.
    public var errorCount: Int { all.filter { $0.severity == .error }.count }

    public var warningCount: Int { all.filter { $0.severity == .warning }.count }
}

/// What went wrong with a file, in words an editor can act on (disk full, no permission …),
/// instead of Foundation's "The operation could not be completed".
public enum FileProblem {
    public static func describe(_ error: Error) -> String {
        var code: Int32?
        if let p = error as? POSIXError { code = p.code.rawValue }
        let ns = error as NSError
        if code == nil, ns.domain == NSPOSIXErrorDomain { code = Int32(ns.code) }
        if code == nil, let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            code = Int32(underlying.code)
        }
        if code == nil, ns.domain == NSCocoaErrorDomain {
            switch ns.code {
            case NSFileWriteOutOfSpaceError: code = ENOSPC
            case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: code = EACCES
            case NSFileWriteVolumeReadOnlyError: code = EROFS
            case NSFileNoSuchFileError, NSFileReadNoSuchFileError: code = ENOENT
            case NSFileWriteFileExistsError: code = EEXIST
            default: break
            }
        }
        guard let code else { return "\(ns.domain) \(ns.code)" }
        let english = String(cString: strerror(code))
        switch code {
        case ENOSPC: return "磁盘已满，请腾出空间后再生成 (disk full)"
        case EDQUOT: return "磁盘配额已用完 (disk quota exceeded)"
        case EACCES, EPERM: return "没有权限，请检查文件夹的权限 (permission denied)"
        case EROFS: return "磁盘是只读的 (read-only file system)"
        case ENOENT: return "文件或文件夹不存在 (no such file or folder)"
        case ENAMETOOLONG: return "文件名太长 (file name too long)"
        case EEXIST: return "同名的文件已经存在 (file exists)"
        case ENOTDIR: return "路径上有一个同名的文件挡住了文件夹 (a file is in the way of a folder)"
        case EISDIR: return "这是一个文件夹，不是文件 (is a folder)"
        default: return english
        }
    }
}
