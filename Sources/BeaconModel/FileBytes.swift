import Foundation

/// Reads a whole file with plain system calls: a build reads tens of thousands of files and
/// records, where Foundation's `Data(contentsOf:)` and `URL` paths cost more than the reading.
public enum FileBytes {
    /// Why a read failed: the `errno` of the call that failed, or `notRegular`.
    public enum Failure: Error, Equatable {
        case system(Int32)
        case notRegular

        /// In the words every file message uses (Chinese, the English in brackets).
        public var description: String {
            switch self {
            case .system(let code): return FileProblem.describe(POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO))
            case .notRegular: return "不是普通文件 (not a regular file)"
            }
        }
    }

    /// The bytes of the regular file at `path`. A symbolic link in the last place is not
    /// followed (`.system(ELOOP)`: the caller checks where a link leads before it reads), and
    /// a pipe or device put there is refused without waiting on it. Read up to the size the
    /// file had when opened, or its end if that comes first.
    public static func read(_ path: String, limit: Int = 1 << 30) -> Result<[UInt8], Failure> {
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
        guard fd >= 0 else {
            let code = errno
            // A socket (ENXIO) or another special file that cannot be opened is no file to read.
            var st = stat()
            if code != ELOOP, lstat(path, &st) == 0, (st.st_mode & S_IFMT) != S_IFREG, (st.st_mode & S_IFMT) != S_IFLNK {
                return .failure(.notRegular)
            }
            return .failure(.system(code))
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(.system(errno)) }
        guard (st.st_mode & S_IFMT) == S_IFREG else { return .failure(.notRegular) }
        guard st.st_size <= limit else { return .failure(.system(EFBIG)) }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var got = 0
        while got < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress! + got, $0.count - got) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(.system(errno))
            }
            if n == 0 { break }
            got += n
        }
        if got < bytes.count { bytes.removeSubrange(got...) }
        return .success(bytes)
    }
}
