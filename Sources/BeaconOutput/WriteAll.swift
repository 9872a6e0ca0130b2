import Foundation

/// Writes every byte to a file descriptor, again after an interrupted or short write: the
/// one write loop of the output stage, the memo files and the ZIP writer.
public func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws {
    var done = 0
    while done < bytes.count {
        let n = Foundation.write(fd, bytes.baseAddress! + done, bytes.count - done)
        if n < 0 {
            if errno == EINTR { continue }
            throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)
        }
        done += n
    }
}

/// Writes `text` to a file that must not exist yet (`O_EXCL | O_NOFOLLOW`: never through a
/// link left in its place), with no `fsync`: the build cache's new entries, named at random
/// and renamed into place, and thrown away if the build fails. (Foundation's
/// `String.write(toFile:)` syncs every file it writes: a tenth of a clean build's time.)
public func writeNewFile(_ path: String, _ text: String) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    var text = text
    try text.withUTF8 { try writeAll(fd, UnsafeRawBufferPointer($0)) }
}
