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

/// Writes `bytes` to the file at `path`, created (or emptied) with plain POSIX calls and no
/// `fsync`: what a build writes is thrown away or flushed as a whole if the build fails or
/// ends. With `new`, the file must not exist yet (`O_EXCL | O_NOFOLLOW`: never written through a
/// link left in its place): a file made for the build cache, linked into it once written.
/// (Foundation's `String.write(toFile:)` syncs every file it writes: a tenth of a first
/// build's time.)
public func writeFile(_ path: String, _ bytes: UnsafeRawBufferPointer, new: Bool = false) throws {
    let flags = O_WRONLY | O_CREAT | O_CLOEXEC | (new ? O_EXCL | O_NOFOLLOW : O_TRUNC)
    let fd = open(path, flags, 0o644)
    guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    try writeAll(fd, bytes)
}

/// `text` into a new cache file (see `writeFile`).
public func writeNewFile(_ path: String, _ text: String) throws {
    var text = text
    try text.withUTF8 { try writeFile(path, UnsafeRawBufferPointer($0), new: true) }
}
