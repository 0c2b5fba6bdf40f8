import Dispatch
import PayLinkSupport
import PayLinkJSON
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `serve`'s line per answered request: method, path, surface, command (for APS), status,
/// APS `response_code` and the time spent answering, as text or as one JSON object a line.
///
/// Writing must not cost the request a system call: lines are appended to a buffer under a
/// lock, and a thread of the log's own writes what has gathered `writeDelay` after the first line
/// of a batch. Under load thousands of lines go out in one `write`; while lines keep coming the
/// thread writes every `writeDelay` and nothing wakes it but its own sleep's end (it was a
/// dispatch timer per batch: the timer thread, then a worker woken for every write, on the
/// server's own core); idle, it waits and costs nothing. A lone request's line appears a few
/// milliseconds late.
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

    /// How long the first line of a batch waits for the others, in microseconds.
    package static let writeDelayMicroseconds: UInt32 = 5_000

    private let format: Format
    private let output: Output

    /// `write` receives whole lines, each ending in a newline, on the log's own thread.
    public init(format: Format, write: @escaping @Sendable ([UInt8]) -> Void) {
        self.format = format
        output = Output(write: write)
        let output = output
        DedicatedThread.start { output.run() }
    }

    deinit { output.stop() }

    package func record(_ line: Line) {
        record(method: line.method, path: line.path, surface: line.surface, command: line.command, status: line.status,
               responseCode: line.responseCode, microseconds: line.microseconds)
    }

    /// `record(_:)` from the parts of a line: the server's call. A `Line` made for each request
    /// retained its four strings and released them after (about 200 instructions a request);
    /// parts passed as arguments are borrowed.
    package func record(method: String, path: String, surface: Surface, command: String?, status: Int,
                        responseCode: String?, microseconds: Int64) {
        let format = format
        let schedule = output.pending.withLock { pending in
            let schedule = !pending.scheduled
            pending.scheduled = true
            if pending.bytes.count >= Self.maxPendingBytes {
                pending.dropped += 1
            } else if format == .text {
                // Straight into the buffer: a line of its own was an allocation and a copy more.
                Self.appendText(method: method, path: path, surface: surface, command: command, status: status,
                                responseCode: responseCode, microseconds: microseconds, to: &pending.bytes)
            } else {
                pending.bytes.append(contentsOf: Self.json(Line(method: method, path: path, surface: surface, command: command, status: status,
                                                                responseCode: responseCode, microseconds: microseconds)))
            }
            return schedule
        }
        if schedule { output.wake.signal() }
    }

    /// Returns once every line recorded so far has been handed to `write`.
    public func flush() {
        _ = output.drain(goingIdleWhenEmpty: false)
    }

    private struct Pending {
        var bytes: [UInt8] = []
        var dropped = 0
        /// Whether the thread has been woken for what is pending, or is writing every `writeDelay`.
        var scheduled = false
        /// The buffer the last write emptied, kept for its capacity.
        var spare: [UInt8] = []
        var stopping = false
    }

    /// The lines waiting and the thread that writes them. Apart from `RequestLog`, so that the
    /// thread holds this and not the log, whose end stops it.
    private final class Output: Sendable {
        let pending = Mutex(Pending())
        let wake = DispatchSemaphore(value: 0)
        /// Held from taking the lines to the end of their write, so two drains (the thread's and
        /// `flush`) never write out of order.
        private let writing = Mutex<Void>(())
        private let write: @Sendable ([UInt8]) -> Void
        private let stopped = DispatchSemaphore(value: 0)

        init(write: @escaping @Sendable ([UInt8]) -> Void) { self.write = write }

        /// Waits for a first line, then writes every `writeDelay` until a turn finds nothing.
        func run() {
            defer { stopped.signal() }
            while true {
                wake.wait()
                repeat {
                    if pending.withLock({ $0.stopping }) {
                        _ = drain(goingIdleWhenEmpty: false)
                        return
                    }
                    usleep(RequestLog.writeDelayMicroseconds)
                } while drain(goingIdleWhenEmpty: true)
            }
        }

        /// Writes what is pending; false when there was nothing (and then, when `goingIdleWhenEmpty`,
        /// the next line wakes the thread again).
        func drain(goingIdleWhenEmpty: Bool) -> Bool {
            writing.withLock { _ in
                guard case (var bytes, let dropped)? = pending.withLock({ pending -> ([UInt8], Int)? in
                    if pending.bytes.isEmpty && pending.dropped == 0 {
                        if goingIdleWhenEmpty { pending.scheduled = false }
                        return nil
                    }
                    defer {
                        pending.bytes = pending.spare
                        pending.spare = []
                        pending.dropped = 0
                    }
                    return (pending.bytes, pending.dropped)
                }) else { return false }
                if !bytes.isEmpty { write(bytes) }
                if dropped > 0 { write(Array("request log: \(dropped) lines dropped, the output did not keep up\n".utf8)) }
                bytes.removeAll(keepingCapacity: bytes.capacity <= RequestLog.maxPendingBytes)
                pending.withLock { $0.spare = bytes }
                return true
            }
        }

        /// Writes what is left and ends the thread.
        func stop() {
            pending.withLock { $0.stopping = true }
            wake.signal()
            stopped.wait()
        }
    }

    // MARK: formats

    static func text(_ line: Line) -> [UInt8] {
        var out: [UInt8] = []
        appendText(method: line.method, path: line.path, surface: line.surface, command: line.command, status: line.status,
                   responseCode: line.responseCode, microseconds: line.microseconds, to: &out)
        return out
    }

    private static func appendText(method: String, path: String, surface: Surface, command: String?, status: Int,
                                   responseCode: String?, microseconds: Int64, to out: inout [UInt8]) {
        // Assembled in a stack buffer and appended at once: a dozen appends to the shared buffer
        // checked its capacity and uniqueness a dozen times, under the lock.
        // A literal: `rawValue` made a `String` of it (a retain and a release).
        let surface = Self.text(of: surface)
        // The texts (`-` for a missing one), six spaces, two numbers of at most 20 digits each and a
        // sign, `.` and ` ms\n`.
        let capacity = method.utf8.count + path.utf8.count + surface.utf8CodeUnitCount + (command?.utf8.count ?? 1) + (responseCode?.utf8.count ?? 1) + 64
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var text = LineText(buffer.baseAddress!)
            text.put(method)
            text.put(UInt8(ascii: " "))
            text.put(path)
            text.put(UInt8(ascii: " "))
            text.put(surface)
            text.put(UInt8(ascii: " "))
            // Put where they are, not through `?? "-"`, which copied (retained) the string.
            if let command { text.put(command) } else { text.put(UInt8(ascii: "-")) }
            text.put(UInt8(ascii: " "))
            text.putStatus(status)
            text.put(UInt8(ascii: " "))
            if let responseCode { text.put(responseCode) } else { text.put(UInt8(ascii: "-")) }
            text.put(UInt8(ascii: " "))
            // Milliseconds with three decimals (`0.052`, `12.300`).
            let microseconds = max(0, microseconds)
            text.putDecimal(microseconds / 1000)
            text.put(UInt8(ascii: "."))
            let fraction = microseconds % 1000
            text.put(UInt8(ascii: "0") + UInt8(fraction / 100))
            text.put(UInt8(ascii: "0") + UInt8(fraction / 10 % 10))
            text.put(UInt8(ascii: "0") + UInt8(fraction % 10))
            text.put(UInt8(ascii: " "))
            text.put(UInt8(ascii: "m"))
            text.put(UInt8(ascii: "s"))
            text.put(UInt8(ascii: "\n"))
            out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: buffer.baseAddress!.distance(to: text.end)))
        }
    }

    /// `surface.rawValue`, as a literal.
    static func text(of surface: Surface) -> StaticString {
        switch surface {
        case .aps: "aps"
        case .hostedPage: "hosted_page"
        case .payByLink: "paybylink"
        case .dashboard: "dashboard"
        case .control: "control"
        case .other: "other"
        }
    }

    /// Writes a line's parts one after the other (a struct, not a local function: one capturing
    /// the position boxed it on the heap).
    private struct LineText {
        private(set) var end: UnsafeMutablePointer<UInt8>

        init(_ start: UnsafeMutablePointer<UInt8>) { end = start }

        @inline(__always)
        mutating func put(_ byte: UInt8) {
            end.pointee = byte
            end += 1
        }

        @inline(__always)
        mutating func put(_ text: String) {
            let done: Void? = text.utf8.withContiguousStorageIfAvailable { bytes in
                guard let base = bytes.baseAddress, bytes.count > 0 else { return }
                end.initialize(from: base, count: bytes.count)
                end += bytes.count
            }
            if done == nil { for byte in text.utf8 { put(byte) } }
        }

        @inline(__always)
        mutating func put(_ text: StaticString) {
            end.initialize(from: text.utf8Start, count: text.utf8CodeUnitCount)
            end += text.utf8CodeUnitCount
        }

        /// An HTTP status: its three digits written in place, as `putDecimal` would write them.
        @inline(__always)
        mutating func putStatus(_ status: Int) {
            guard (100...999).contains(status) else { return putDecimal(Int64(status)) }
            end[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: status / 100)
            end[1] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: status / 10 % 10)
            end[2] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: status % 10)
            end += 3
        }

        /// `value` in decimal, a `-` first when negative.
        mutating func putDecimal(_ value: Int64) {
            if value < 0 { put(UInt8(ascii: "-")) }
            var magnitude = value.magnitude, digits = 1, rest = value.magnitude / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            var index = digits
            repeat {
                index -= 1
                end[index] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while index > 0
            end += digits
        }
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
