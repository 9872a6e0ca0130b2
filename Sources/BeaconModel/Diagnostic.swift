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

    public func report(_ diagnostic: Diagnostic) {
        lock.lock(); defer { lock.unlock() }
        items.append(diagnostic)
    }

    public func error(_ location: SourceLocation, _ message: String) {
        report(.error(location, message))
    }

    public func warning(_ location: SourceLocation, _ message: String) {
        report(.warning(location, message))
    }

    public func append(contentsOf list: [Diagnostic]) {
        lock.lock(); defer { lock.unlock() }
        items.append(contentsOf: list)
    }

    /// All diagnostics, sorted by file, line and column; exact duplicates removed.
    public var all: [Diagnostic] {
        lock.lock(); defer { lock.unlock() }
        var seen = Set<Diagnostic>()
        return items.filter { seen.insert($0).inserted }
            .sorted { ($0.location, $0.severity == .error ? 0 : 1) < ($1.location, $1.severity == .error ? 0 : 1) }
    }

    public var hasErrors: Bool {
        lock.lock(); defer { lock.unlock() }
        return items.contains { $0.severity == .error }
    }

    public var errorCount: Int {
        lock.lock(); defer { lock.unlock() }
        return items.filter { $0.severity == .error }.count
    }

    public var warningCount: Int {
        lock.lock(); defer { lock.unlock() }
        return items.filter { $0.severity == .warning }.count
    }
}
