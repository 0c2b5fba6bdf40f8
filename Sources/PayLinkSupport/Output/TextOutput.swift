#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where the command line writes. Standard output is flushed after every line, so a script
/// reading `listening on …` through a pipe sees it at once.
public struct TextOutput: Sendable {
    public let out: @Sendable (String) -> Void
    public let error: @Sendable (String) -> Void

    public init(out: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void) {
        self.out = out
        self.error = error
    }

    public static let standard = TextOutput(out: { writeLine($0, to: 1) }, error: { writeLine($0, to: 2) })

    /// Unbuffered `write(2)`: nothing waits in a stdio buffer when the output is a pipe.
    private static func writeLine(_ line: String, to fd: Int32) {
        var bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
