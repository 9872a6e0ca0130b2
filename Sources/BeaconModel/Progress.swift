import Foundation

/// A progress line on a terminal: `beacon: 口袋书 2/3 …`, rewritten in place. Off unless the
/// command line turns it on (standard error is a terminal and the output is for people); in
/// CI the build prints only its one summary line.
public enum Progress {
    nonisolated(unsafe) public static var enabled = false
    private static let lock = NSLock()

    public static func show(_ text: String) {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data("\r\u{1B}[Kbeacon: \(text)…".utf8))
    }

    public static func clear() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
