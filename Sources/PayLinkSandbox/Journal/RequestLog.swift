import Dispatch
import PayLinkJSON
import Synchronization

/// `serve`'s line per answered request: method, path, surface, command (for APS), status,
/// APS `response_code` and the time spent answering, as text or as one JSON object a line.
///
/// Writing must not cost the request a system call: lines are appended to a buffer under a
/// lock, and a queue of the log's own writes what has gathered whenever the buffer stops being
/// empty. Under load many lines go out in one `write`; a lone request's line goes out at once.
/// When the output does not keep up, the buffer stops at `maxPendingBytes` and the lines past it
/// are counted and reported instead of kept.
public final class RequestLog: Sendable {
    public enum Format: Sendable {
        /// `POST /FortAPI/paymentApi aps CHECK_PAYMENT_LINK_STATUS 200 12000 0.052 ms`
        /// (`-` for what a request has not: a command, an APS code).
        case text
        /// `{"event":"request","method":…,"path":…,"surface":…,"command":…,"status":200,"response_code":…,"ms":0.052}`.
        case json
    }

    /// One answered request, as the log reports it.
    package struct Line {
        package var method: String
        package var path: String
        package var surface: Surface
        /// The APS command (`service_command`, `query_command` or `command`), when identified.
        package var command: String?
        package var status: Int
        /// The APS `response_code`, for answers of the APS endpoint.
        package var responseCode: String?
        package var microseconds: Int64
    }

    /// Lines beyond this many bytes waiting for the output are dropped (and counted).
    package static let maxPendingBytes = 4 << 20

    private struct Pending {
        var bytes: [UInt8] = []
        var dropped = 0
    }

    private let format: Format
    private let pending = Mutex(Pending())
    private let queue = DispatchQueue(label: "paylink.request-log")
    private let write: @Sendable ([UInt8]) -> Void

    /// `write` receives whole lines, each ending in a newline, on the log's own queue.
    public init(format: Format, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.format = format
        self.write = write
    }

    package func record(_ line: Line) {
        let bytes = format == .text ? Self.text(line) : Self.json(line)
        let wasEmpty = pending.withLock { pending in
            let wasEmpty = pending.bytes.isEmpty && pending.dropped == 0
            if pending.bytes.count + bytes.count > Self.maxPendingBytes {
                pending.dropped += 1
            } else {
                pending.bytes.append(contentsOf: bytes)
            }
            return wasEmpty
        }
        if wasEmpty { queue.async { self.drain() } }
    }

    /// Returns once every line recorded so far has been handed to `write`.
    public func flush() {
        queue.sync { drain() }
    }

    private func drain() {
        let (bytes, dropped) = pending.withLock { pending in
            defer { pending = Pending() }
            return (pending.bytes, pending.dropped)
        }
        if !bytes.isEmpty { write(bytes) }
        if dropped > 0 { write(Array("request log: \(dropped) lines dropped, the output did not keep up\n".utf8)) }
    }

    // MARK: formats

    static func text(_ line: Line) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(line.path.utf8.count + 80)
        out.append(contentsOf: line.method.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: line.path.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: line.surface.rawValue.utf8)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: (line.command ?? "-").utf8)
        out.append(UInt8(ascii: " "))
        appendDecimal(Int64(line.status), to: &out)
        out.append(UInt8(ascii: " "))
        out.append(contentsOf: (line.responseCode ?? "-").utf8)
        out.append(UInt8(ascii: " "))
        appendMilliseconds(line.microseconds, to: &out)
        out.append(contentsOf: " ms\n".utf8)
        return out
    }

    static func json(_ line: Line) -> [UInt8] {
        var milliseconds: [UInt8] = []
        appendMilliseconds(line.microseconds, to: &milliseconds)
        let object: JSONObject = [
            "event": "request", "method": .string(line.method), "path": .string(line.path), "surface": .string(line.surface.rawValue),
            "command": line.command.map(JSONValue.string) ?? .null, "status": .number(String(line.status)),
            "response_code": line.responseCode.map(JSONValue.string) ?? .null,
            "ms": .number(String(decoding: milliseconds, as: UTF8.self)),
        ]
        return object.serialized() + [UInt8(ascii: "\n")]
    }

    /// Milliseconds with three decimals (`0.052`, `12.300`).
    private static func appendMilliseconds(_ microseconds: Int64, to out: inout [UInt8]) {
        let value = max(0, microseconds)
        appendDecimal(value / 1000, to: &out)
        out.append(UInt8(ascii: "."))
        let fraction = value % 1000
        out.append(UInt8(ascii: "0") + UInt8(fraction / 100))
        out.append(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
        out.append(UInt8(ascii: "0") + UInt8(fraction % 10))
    }

    private static func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &out) }
        out.append(UInt8(ascii: "0") + UInt8(value % 10))
    }
}
