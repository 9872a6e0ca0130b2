import Foundation

/// Stage timings, printed to standard error when BEACON_TIMINGS is set: for finding where
/// a build spends its time, never for tests.
public enum Timings {
    public static let enabled = ProcessInfo.processInfo.environment["BEACON_TIMINGS"] != nil

    @discardableResult
    public static func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000
        FileHandle.standardError.write(Data("\(name) \(String(format: "%.1f", ms)) ms\n".utf8))
        return result
    }
}

/// Time summed over many calls, from any thread, printed with `Timings` at the end of a stage.
public final class TimingTotal: @unchecked Sendable {
    let name: String
    private var nanos: UInt64 = 0
    private let lock = NSLock()
    public init(_ name: String) { self.name = name }

    @discardableResult
    public func add<T>(_ body: () throws -> T) rethrows -> T {
        guard Timings.enabled else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        let spent = DispatchTime.now().uptimeNanoseconds - start
        lock.lock(); nanos += spent; lock.unlock()
        return result
    }

    public func report() {
        guard Timings.enabled else { return }
        FileHandle.standardError.write(Data("\(name) \(String(format: "%.1f", Double(nanos) / 1_000_000)) ms (summed over threads)\n".utf8))
    }
}
