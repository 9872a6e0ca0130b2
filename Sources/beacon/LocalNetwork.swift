import Foundation
import BeaconOutput

/// What `beacon serve` needs from the machine's network: its LAN addresses, whether a port
/// is free, a QR code a phone can scan from the terminal, and the browser.
enum LocalNetwork {
    /// The machine's IPv4 addresses other than loopback, private (LAN) ones first.
    static func addresses() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var out: [String] = []
        var node: UnsafeMutablePointer<ifaddrs>? = first
        while let n = node {
            defer { node = n.pointee.ifa_next }
            guard let addr = n.pointee.ifa_addr, addr.pointee.sa_family == sa_family_t(AF_INET),
                  n.pointee.ifa_flags & UInt32(IFF_UP) != 0, n.pointee.ifa_flags & UInt32(IFF_LOOPBACK) == 0 else { continue }
            var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(addr, socklen_t(MemoryLayout<sockaddr_in>.size), &host, socklen_t(host.count), nil, 0, NI_NUMERICHOST) == 0 else { continue }
            let text = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if !out.contains(text) { out.append(text) }
        }
        func isPrivate(_ a: String) -> Bool {
            a.hasPrefix("192.168.") || a.hasPrefix("10.") || (a.hasPrefix("172.") && (16...31).contains(Int(a.split(separator: ".")[1]) ?? 0))
        }
        return out.filter(isPrivate) + out.filter { !isPrivate($0) }
    }

    /// Why the port cannot be listened on (in use, or needs root), or nil when it can.
    static func portProblem(host: String, port: Int) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        inet_pton(AF_INET, host, &addr.sin_addr)
        let result = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result == 0 { return nil }
        switch errno {
        case EADDRINUSE:
            return "端口 \(port) 已被别的程序占用；请换一个端口，例如 --port \(port == 8000 ? 8001 : 8000) (port \(port) is in use; choose another with --port)"
        case EACCES:
            return "没有权限使用端口 \(port)（1024 以下的端口要管理员权限）；请换一个 1024 以上的端口 (no permission for port \(port); use one above 1024)"
        case EADDRNOTAVAIL:
            return "这台电脑没有地址 \(host)；请用 127.0.0.1 或 0.0.0.0 (this machine has no address \(host))"
        default:
            return "无法使用端口 \(port)：\(String(cString: strerror(errno))) (cannot listen on port \(port))"
        }
    }

    /// The QR code of `text` drawn with half blocks, two rows of modules to a line, with
    /// the quiet zone light: dark modules print as the terminal's background.
    static func terminalQR(_ text: String) -> String {
        guard let code = QRCode(text) else { return "" }
        let quiet = 2, n = code.size + 2 * quiet
        func dark(_ x: Int, _ y: Int) -> Bool {
            let cx = x - quiet, cy = y - quiet
            return cx >= 0 && cy >= 0 && cx < code.size && cy < code.size && code.isDark(cx, cy)
        }
        var out = ""
        var y = 0
        while y < n {
            for x in 0..<n {
                // Light modules are drawn (█ ▀ ▄), dark ones left blank: scans on dark and light terminals.
                switch (dark(x, y), y + 1 < n ? dark(x, y + 1) : false) {
                case (false, false): out += "█"
                case (false, true): out += "▀"
                case (true, false): out += "▄"
                case (true, true): out += " "
                }
            }
            out += "\n"
            y += 2
        }
        return out
    }

    /// Opens the URL in the desktop's browser; says so when there is none.
    static func openInBrowser(_ url: String) {
        let candidates = ["/usr/bin/xdg-open", "/usr/bin/open", "/usr/bin/sensible-browser"]
        guard let opener = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            FileHandle.standardError.write(Data("beacon serve: 找不到浏览器（xdg-open），请手动打开 \(url) (no browser opener found; open the address yourself)\n".utf8))
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: opener)
        p.arguments = [url]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch {
            FileHandle.standardError.write(Data("beacon serve: 无法打开浏览器，请手动打开 \(url) (could not open the browser)\n".utf8))
        }
    }
}
