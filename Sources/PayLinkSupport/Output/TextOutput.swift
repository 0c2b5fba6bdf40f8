#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the command line writes. Standard output is flushed after every line, so a script
/// reading `listening on …` through a pipe sees it at once.
public struct TextOutput: Sendable {
    public let out: @Sendable (String) -> Void
    public let error: @Sendable (String) -> Void
    /// Whole lines for standard output as bytes, each ending in a newline (`serve`'s request log,
    /// many lines at once): written as they are, without going through `String`.
    public let outLines: @Sendable ([UInt8]) -> Void

    /// `outLines` defaults to handing the lines to `out` (without the last newline, which `out` adds).
    public init(out: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void,
                outLines: (@Sendable ([UInt8]) -> Void)? = nil) {
        self.out = out
        self.error = error
        self.outLines = outLines ?? { lines in out(String(decoding: lines.last == 0x0A ? lines.dropLast() : lines[...], as: UTF8.self)) }
    }

    public static let standard = TextOutput(out: { writeLine($0, to: 1) }, error: { writeLine($0, to: 2) },
                                            outLines: { writeAll($0, to: 1) })

    /// Unbuffered `write(2)`: nothing waits in a stdio buffer when the output is a pipe.
    private static func writeLine(_ line: String, to fd: Int32) {
        writeAll(Array((line + "\n").utf8), to: fd)
    }

    private static func writeAll(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}
