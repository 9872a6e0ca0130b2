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

/// Writes `bytes` to a new file at `path` with plain POSIX calls and no `fsync`: what a build
/// writes is thrown away or flushed as a whole if the build fails or ends. The file must not
/// exist yet (`O_EXCL | O_NOFOLLOW`): a file in the staging folder may be a hard link into the
/// build cache, and is never written through. (Foundation's `String.write(toFile:)` syncs
/// every file it writes: a tenth of a first build's time.)
public func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer) throws {
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    try writeAll(fd, bytes)
}

/// `text` into a new file (see `writeFile`).
public func writeNewFile(_ path: String, _ text: String) throws {
    var text = text
    try text.withUTF8 { try writeFile(path, UnsafeRawBufferPointer($0)) }
}
