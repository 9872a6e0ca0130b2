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
