import Foundation
import CGLib

/// A SHA-256 of what an output was made from (GLib's checksum): the build cache's key.
public final class Fingerprint {
    private let checksum: OpaquePointer

    public init() { checksum = g_checksum_new(G_CHECKSUM_SHA256) }
    deinit { g_checksum_free(checksum) }

    public func add(_ text: String) {
        var t = text + "\u{1F}"   // a separator no field holds, so "ab"+"c" differs from "a"+"bc"
        t.withUTF8 { g_checksum_update(checksum, $0.baseAddress, $0.count) }
    }

    public func add(_ data: Data) {
        data.withUnsafeBytes { raw in
            if let base = raw.bindMemory(to: UInt8.self).baseAddress { g_checksum_update(checksum, base, raw.count) }
        }
        add("")
    }

    /// The value as it is written in Swift (`dump`): every stored property, in declaration
    /// order. Only for values that hold no Dictionary or Set, whose order changes per process.
    public func add<T>(dumping value: T) {
        var text = ""
        dump(value, to: &text)
        add(text)
    }

    /// The hex digest; nothing can be added after it is read.
    public var hex: String {
        guard let s = g_checksum_get_string(checksum) else { return "" }
        return String(cString: s)
    }

    /// The running program, by its file's size and time: a rebuilt Beacon makes new keys,
    /// while the same release unpacked again (a CI job) keeps them (tar keeps the time).
    public static let program: String = {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return "unknown" }
        return "\(st.st_size)-\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }()
}
