#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The head (request line, header lines and the blank line) of the last request a parser read
/// line by line, and what was made of it. A keep-alive client nearly always sends the same head
/// again (the same line, the same headers, the same `Content-Length` for a body of the same
/// size); then one comparison of its bytes stands for scanning the lines, recording the
/// header spans, checking the framing and copying the header block (about 2,000 instructions
/// and two allocations a request), and the parsed headers are shared with the last request.
///
/// Identical bytes parse to an identical head under the same limits, so the result is the
/// same either way. Only heads framed by `Content-Length` alone (or without a body) are kept:
/// one with `Transfer-Encoding` or `Expect` is read line by line every time.
///
/// A class: the parser looks at it for every request, and an instance costs one retain where
/// a struct was copied field by field (its array, strings and headers retained one by one).
final class RepeatedHead: Sendable {
    /// From the request line's first byte through the blank line's LF.
    let bytes: [UInt8]
    let method: String
    let target: String
    let version: HTTPVersion
    let headers: HTTPHeaders
    let contentLength: Int

    init(bytes: [UInt8], method: String, target: String, version: HTTPVersion, headers: HTTPHeaders, contentLength: Int) {
        self.bytes = bytes
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.contentLength = contentLength
    }

    /// Longer heads are not kept: every connection's parser holds one.
    static let maxBytes = 2048

    /// Whether `buf[start...]` begins with this head.
    func begins(_ buf: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        guard buf.count - start >= bytes.count, let base = buf.baseAddress else { return false }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, base + start, $0.count) == 0 }
    }
}
