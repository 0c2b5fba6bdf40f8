#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads whole files with `open`/`read`, so the command line needs no Foundation: loading
/// Foundation's libraries would add about 7 MB to the server's resident memory.
package enum FileInput {
    /// The file's bytes, or nil when it cannot be opened or read.
    package static func contents(atPath path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        return readToEnd(fd)
    }

    /// Everything until end of file on a descriptor (standard input is 0).
    package static func readToEnd(_ fd: Int32) -> [UInt8]? {
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                result.append(contentsOf: chunk[0..<n])
            } else if n == 0 {
                return result
            } else if errno != EINTR {
                return nil
            }
        }
    }
}
