import Foundation
import CNettle

/// A SHA-256 of what an output was made from (Nettle's): the build cache's key.
public final class Fingerprint {
    private var context = sha256_ctx()
    private var digest: [UInt8]? = nil

    public init() { nettle_sha256_init(&context) }

    private func update(_ base: UnsafePointer<UInt8>?, _ count: Int) {
        assert(digest == nil, "a fingerprint is read after everything is added")
        if let base, count > 0 { nettle_sha256_update(&context, count, base) }
    }

    public func add(_ text: String) {
        var t = text
        t.withUTF8 { update($0.baseAddress, $0.count) }
        var separator: UInt8 = 0x1F   // a separator no field holds, so "ab"+"c" differs from "a"+"bc"
        update(&separator, 1)
    }

    public func add(_ data: Data) {
        data.withUnsafeBytes { raw in update(raw.bindMemory(to: UInt8.self).baseAddress, raw.count) }
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
        if digest == nil {
            var bytes = [UInt8](repeating: 0, count: 32)
            nettle_sha256_digest(&context, 32, &bytes)
            digest = bytes
        }
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 64) { out in
            for (i, byte) in digest!.enumerated() {
                out[2 * i] = digits[Int(byte >> 4)]
                out[2 * i + 1] = digits[Int(byte & 15)]
            }
            return 64
        }
    }

    /// The running program, by its file's size and time: a rebuilt Beacon makes new keys,
    /// while the same release unpacked again (a CI job) keeps them (tar keeps the time).
    public static let program: String = {
        var st = stat()
        guard stat("/proc/self/exe", &st) == 0 else { return "unknown" }
        return "\(st.st_size)-\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)"
    }()
}
