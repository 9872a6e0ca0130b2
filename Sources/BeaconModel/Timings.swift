import Foundation

/// Stage timings, printed to standard error when BEACON_TIMINGS is set: for finding where
/// a build spends its time, never for tests.
public enum Timings {
    public static let enabled = ProcessInfo.processInfo.environment["BEACON_TIMINGS"] != nil

    @discardableResult
    public static func measure<T>(_ name: String, _ body: () throws -> T) rethrows -> T {
        guard enabled else { return try body() }
        // The process's CPU time beside the wall time: a stage near 1× uses one core.
        let begun = start()
        let result = try body()
        end(name, begun)
        return result
    }

    /// For a stage that cannot be a closure (typed throws): `end` prints what `measure` would.
    public static func start() -> (UInt64, UInt64) {
        enabled ? (DispatchTime.now().uptimeNanoseconds, cpuNanoseconds()) : (0, 0)
    }

    public static func end(_ name: String, _ start: (UInt64, UInt64)) {
        guard enabled else { return }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - start.0) / 1_000_000
        let cpu = Double(cpuNanoseconds() - start.1) / 1_000_000
        FileHandle.standardError.write(Data("\(name) \(String(format: "%.1f", ms)) ms (cpu \(String(format: "%.0f", cpu)) ms)\n".utf8))
    }

    /// User and system time of the whole process so far.
    static func cpuNanoseconds() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
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
