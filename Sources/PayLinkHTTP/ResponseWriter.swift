#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Serializes responses into a byte buffer: status line, Date, Server, Content-Length, the handler's
/// headers, Connection, blank line, body. Keeps a cached `Date:` line refreshed once a second.
struct ResponseWriter {
    private(set) var dateLine: [UInt8] = []
    /// The last header list written as `String` pairs, summarized and written out: nearly every
    /// response carries the same shared list (`Content-Type: application/json`), and scanning
    /// and sanitizing it for each one cost about as much as the rest of the head.
    private let headerCache = HeaderCache()
    private var dateSecond = Int.min
    /// The usual head's start, rebuilt with the Date line: `HTTP/1.1 200 OK`, Date, Server and
    /// `Content-Length: ` in one append instead of four.
    private var okPrefix: [UInt8] = []
    private let serverLine: [UInt8]

    init(serverName: String) {
        if serverName.isEmpty {
            serverLine = []
        } else {
            var line = Array("Server: ".utf8)
            appendSanitized(serverName, to: &line)
            line.append(contentsOf: [0x0D, 0x0A])
            serverLine = line
        }
        refreshDate(now: time(nil))
    }

    /// Rebuilds the Date line when the second changed.
    mutating func refreshDate(now: time_t) {
        let second = Int(now)
        guard second != dateSecond else { return }
        dateSecond = second
        var t = now
        var parts = tm()
        gmtime_r(&t, &parts)
        var line: [UInt8] = []
        line.reserveCapacity(40)
        line.append(contentsOf: "Date: ".utf8)
        let days: StaticString = "SunMonTueWedThuFriSat"
        let months: StaticString = "JanFebMarAprMayJunJulAugSepOctNovDec"
        let day = Int(max(0, min(6, parts.tm_wday)))
        let month = Int(max(0, min(11, parts.tm_mon)))
        line.append(contentsOf: UnsafeBufferPointer(start: days.utf8Start + day * 3, count: 3))
        line.append(contentsOf: ", ".utf8)
        appendTwoDigits(Int(parts.tm_mday), to: &line)
        line.append(0x20)
        line.append(contentsOf: UnsafeBufferPointer(start: months.utf8Start + month * 3, count: 3))
        line.append(0x20)
        appendDecimal(Int(parts.tm_year) + 1900, to: &line)
        line.append(0x20)
        appendTwoDigits(Int(parts.tm_hour), to: &line)
        line.append(UInt8(ascii: ":"))
        appendTwoDigits(Int(parts.tm_min), to: &line)
        line.append(UInt8(ascii: ":"))
        appendTwoDigits(Int(parts.tm_sec), to: &line)
        line.append(contentsOf: " GMT\r\n".utf8)
        dateLine = line
        var prefix = Array("HTTP/1.1 200 OK\r\n".utf8)
        prefix.append(contentsOf: line)
        prefix.append(contentsOf: serverLine)
        prefix.append(contentsOf: "Content-Length: ".utf8)
        okPrefix = prefix
    }

    /// Appends `response` to `out`. Returns true when the connection must close after it
    /// (the client did not ask to keep it, or the handler set `Connection: close`).
    func write(_ response: HTTPResponse, to out: inout [UInt8], isHead: Bool, version: HTTPVersion, keepAlive: Bool) -> Bool {
        let status = (100...999).contains(response.status) ? response.status : 500
        // What the handler supplies that the server would otherwise add, and its header lines:
        // the usual shared list's from the cache.
        let handler: HandlerHeaders
        let cached: Bool
        if case .fields(let fields) = response.headers.storage {
            if !headerCache.holds(fields) {
                headerCache.fields = fields
                headerCache.summary = Self.summarize(response.headers)
                headerCache.lines.removeAll(keepingCapacity: true)
                Self.appendLines(response.headers, to: &headerCache.lines)
                headerCache.linesThenBlank = headerCache.lines + [0x0D, 0x0A]
            }
            handler = headerCache.summary
            cached = true
        } else {
            handler = Self.summarize(response.headers)
            cached = false
        }
        let close = !keepAlive || handler.close
        let bodyAllowed = status >= 200 && status != 204 && status != 304
        let sendBody = bodyAllowed && !isHead

        out.reserveCapacity(out.count + 160 + (cached ? headerCache.lines.count : 0) + (sendBody ? response.body.count : 0))
        if status == 200 && !handler.date && !handler.server {
            // The same bytes as the general case below.
            out.append(contentsOf: okPrefix)
        } else {
            appendStatusLine(status, to: &out)
            if !handler.date { out.append(contentsOf: dateLine) }
            if !handler.server { out.append(contentsOf: serverLine) }
            if bodyAllowed { out.append(contentsOf: "Content-Length: ".utf8) }
        }
        if bodyAllowed {
            let length = isHead ? (handler.contentLength ?? response.body.count) : response.body.count
            appendDecimalLine(length, to: &out)
        }
        // Each append checks the buffer's capacity and uniqueness and calls `memcpy` (about 110
        // instructions): the usual head's end, the shared lines and the blank line, is one.
        if cached && !close && version != .http1_0 {
            out.append(contentsOf: headerCache.linesThenBlank)
        } else {
            if cached {
                out.append(contentsOf: headerCache.lines)
            } else {
                Self.appendLines(response.headers, to: &out)
            }
            if close {
                out.append(contentsOf: "Connection: close\r\n".utf8)
            } else if version == .http1_0 {
                out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
            }
            out.append(contentsOf: [0x0D, 0x0A])
        }
        if sendBody { out.append(contentsOf: response.body) }
        return close
    }

    /// What of the handler's headers changes what the server writes.
    struct HandlerHeaders {
        var date = false
        var server = false
        var close = false
        var contentLength: Int?
    }

    private static func summarize(_ headers: HTTPHeaders) -> HandlerHeaders {
        var summary = HandlerHeaders()
        scanHeaders(headers) { name, value in
            switch name.count {
            case 4 where bytesEqualLowercase(name, "date"): summary.date = true
            case 6 where bytesEqualLowercase(name, "server"): summary.server = true
            case 10 where bytesEqualLowercase(name, "connection"):
                forEachListElement(value) { if bytesEqualLowercase($0, "close") { summary.close = true } }
            case 14 where bytesEqualLowercase(name, "content-length"):
                if summary.contentLength == nil { summary.contentLength = parseDecimal(value) }
            default: break
            }
        }
        return summary
    }

    /// The handler's header lines, sanitized, but those the server writes itself.
    private static func appendLines(_ headers: HTTPHeaders, to out: inout [UInt8]) {
        scanHeaders(headers) { name, value in
            switch name.count {
            case 10 where bytesEqualLowercase(name, "connection"): return
            case 14 where bytesEqualLowercase(name, "content-length"): return
            case 17 where bytesEqualLowercase(name, "transfer-encoding"): return
            default: break
            }
            appendSanitized(name, to: &out)
            out.append(contentsOf: [UInt8(ascii: ":"), 0x20])
            appendSanitized(value, to: &out)
            out.append(contentsOf: [0x0D, 0x0A])
        }
    }

    /// A small JSON error response (`{"error":"…","status":431}`) that closes the connection,
    /// explained in `X-Sandbox-Detail` as every refusal is.
    func writeError(status: Int, message: String, to out: inout [UInt8]) {
        var response = HTTPResponse.json(status: status, errorBody(status: status, message: message))
        response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(message))
        _ = write(response, to: &out, isHead: false, version: .http1_1, keepAlive: false)
    }

    private static func scanHeaders(_ headers: HTTPHeaders, _ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<UInt8>) -> Void) {
        switch headers.storage {
        case .fields(let fields):
            for field in fields {
                var name = field.name, value = field.value
                name.withUTF8 { n in value.withUTF8 { v in body(n, v) } }
            }
        case .raw(let raw):
            raw.bytes.withUnsafeBufferPointer { bytes in
                for span in raw.spans {
                    body(UnsafeBufferPointer(rebasing: bytes[Int(span.nameStart)..<Int(span.nameEnd)]),
                         UnsafeBufferPointer(rebasing: bytes[Int(span.valueStart)..<Int(span.valueEnd)]))
                }
            }
        }
    }
}

/// `{"error":"<message>","status":<status>}`; the message is JSON-escaped.
func errorBody(status: Int, message: String) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(message.utf8.count + 32)
    out.append(contentsOf: #"{"error":""#.utf8)
    for c in message.utf8 {
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"):
            out.append(UInt8(ascii: "\\"))
            out.append(c)
        case 0..<0x20:
            out.append(contentsOf: #"\u00"#.utf8)
            let hex: StaticString = "0123456789abcdef"
            out.append(hex.utf8Start[Int(c >> 4)])
            out.append(hex.utf8Start[Int(c & 0xF)])
        default:
            out.append(c)
        }
    }
    out.append(contentsOf: #"","status":"#.utf8)
    appendDecimal(status, to: &out)
    out.append(UInt8(ascii: "}"))
    return out
}

private func appendStatusLine(_ status: Int, to out: inout [UInt8]) {
    if status == 200 {
        // Nearly every response: one copy instead of five appends.
        let line: StaticString = "HTTP/1.1 200 OK\r\n"
        out.append(contentsOf: UnsafeBufferPointer(start: line.utf8Start, count: line.utf8CodeUnitCount))
        return
    }
    out.append(contentsOf: "HTTP/1.1 ".utf8)
    appendDecimal(status, to: &out)
    out.append(0x20)
    let reason = reasonPhrase(status)
    out.append(contentsOf: UnsafeBufferPointer(start: reason.utf8Start, count: reason.utf8CodeUnitCount))
    out.append(contentsOf: [0x0D, 0x0A])
}

/// Header text with CR, LF and NUL replaced by spaces, so a handler cannot split the response.
private func appendSanitized(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
    // Checked on the source first: the text is almost always clean, and then it is one bulk
    // append rather than a subscripted store per byte.
    if !bytes.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) {
        out.append(contentsOf: bytes)
        return
    }
    for c in bytes { out.append(c == 0x0D || c == 0x0A || c == 0 ? 0x20 : c) }
}

private func appendSanitized(_ string: String, to out: inout [UInt8]) {
    var copy = string
    copy.withUTF8 { appendSanitized($0, to: &out) }
}

func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    if value < 0 {
        out.append(UInt8(ascii: "-"))
        appendDecimal(value == Int.min ? Int.max : -value, to: &out)
        return
    }
    if value < 10 {
        out.append(UInt8(truncatingIfNeeded: value) &+ 0x30)
        return
    }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    withUnsafeMutableBytes(of: &digits) { buffer in
        var v = value
        var index = buffer.count
        while v > 0 {
            index -= 1
            buffer[index] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
        }
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
    }
}

/// `value` (not negative) in decimal and a line's end (`Content-Length`'s), in one append.
func appendDecimalLine(_ value: Int, to out: inout [UInt8]) {
    precondition(value >= 0)
    // Twenty digits at most, and CR LF.
    var text: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &text) { buffer in
        var index = buffer.count &- 2
        buffer[index] = 0x0D
        buffer[index &+ 1] = 0x0A
        var v = value
        repeat {
            index &-= 1
            buffer[index] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
            v /= 10
        } while v > 0
        out.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[index...]))
    }
}

private func appendTwoDigits(_ value: Int, to out: inout [UInt8]) {
    let v = max(0, min(99, value))
    out.append(UInt8(truncatingIfNeeded: v / 10) &+ 0x30)
    out.append(UInt8(truncatingIfNeeded: v % 10) &+ 0x30)
}

func reasonPhrase(_ status: Int) -> StaticString {
    switch status {
    case 100: return "Continue"
    case 101: return "Switching Protocols"
    case 200: return "OK"
    case 201: return "Created"
    case 202: return "Accepted"
    case 203: return "Non-Authoritative Information"
    case 204: return "No Content"
    case 206: return "Partial Content"
    case 301: return "Moved Permanently"
    case 302: return "Found"
    case 303: return "See Other"
    case 304: return "Not Modified"
    case 307: return "Temporary Redirect"
    case 308: return "Permanent Redirect"
    case 400: return "Bad Request"
    case 401: return "Unauthorized"
    case 402: return "Payment Required"
    case 403: return "Forbidden"
    case 404: return "Not Found"
    case 405: return "Method Not Allowed"
    case 406: return "Not Acceptable"
    case 408: return "Request Timeout"
    case 409: return "Conflict"
    case 410: return "Gone"
    case 411: return "Length Required"
    case 412: return "Precondition Failed"
    case 413: return "Content Too Large"
    case 414: return "URI Too Long"
    case 415: return "Unsupported Media Type"
    case 417: return "Expectation Failed"
    case 422: return "Unprocessable Content"
    case 425: return "Too Early"
    case 426: return "Upgrade Required"
    case 428: return "Precondition Required"
    case 429: return "Too Many Requests"
    case 431: return "Request Header Fields Too Large"
    case 500: return "Internal Server Error"
    case 501: return "Not Implemented"
    case 502: return "Bad Gateway"
    case 503: return "Service Unavailable"
    case 504: return "Gateway Timeout"
    case 505: return "HTTP Version Not Supported"
    default:
        switch status {
        case 100..<200: return "Informational"
        case 200..<300: return "Success"
        case 300..<400: return "Redirection"
        case 400..<500: return "Client Error"
        default: return "Server Error"
        }
    }
}

/// `ResponseWriter`'s cache of one header list. A class so the non-mutating `write` can update
/// it; used on the loop thread only.
final class HeaderCache {
    /// The list cached. Holding it keeps its storage alive, so no other list can come to have
    /// the same storage while it is cached: the same storage is the same list.
    var fields: [(name: String, value: String)] = []
    var summary = ResponseWriter.HandlerHeaders()
    var lines: [UInt8] = []
    /// `lines` and the blank line that ends a head: the usual end of one, appended at once.
    /// (The empty list starts cached: its lines are none, so this is the blank line alone.)
    var linesThenBlank: [UInt8] = [0x0D, 0x0A]

    func holds(_ other: [(name: String, value: String)]) -> Bool {
        guard other.count == fields.count else { return false }
        return other.withUnsafeBufferPointer { a in fields.withUnsafeBufferPointer { b in a.baseAddress == b.baseAddress } }
    }
}
