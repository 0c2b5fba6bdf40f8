#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Size limits the parser enforces. See `HTTPServerConfiguration` for their meaning.
public struct HTTPParserLimits: Sendable, Equatable {
    public var maxRequestLineBytes: Int
    public var maxHeaderBytes: Int
    public var maxHeaderCount: Int
    public var maxBodyBytes: Int
    /// The body limit of the requests `uploadRoutes` match, instead of `maxBodyBytes`.
    public var maxUploadBytes: Int
    public var uploadRoutes: [UploadRoute]

    public init(maxRequestLineBytes: Int = 8 * 1024, maxHeaderBytes: Int = 64 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 1024 * 1024,
                maxUploadBytes: Int = 256 * 1024 * 1024, uploadRoutes: [UploadRoute] = []) {
        // Offsets inside a header block are stored as Int32; keep every limit well inside that.
        let cap = 1 << 30
        self.maxRequestLineBytes = min(max(maxRequestLineBytes, 16), cap)
        self.maxHeaderBytes = min(max(maxHeaderBytes, 0), cap)
        self.maxHeaderCount = min(max(maxHeaderCount, 0), cap)
        self.maxBodyBytes = min(max(maxBodyBytes, 0), Int.max / 2)
        self.maxUploadBytes = min(max(maxUploadBytes, 0), Int.max / 2)
        self.uploadRoutes = uploadRoutes
    }

    /// The body limit of a request with this method and target.
    public func maxBodyBytes(method: String, target: String) -> Int {
        guard !uploadRoutes.isEmpty else { return maxBodyBytes }
        // On the target's bytes, its path found once: through `String` and `Substring` this cost
        // about 2,000 instructions a request, most requests being no upload at all.
        var target = target
        return target.withUTF8 { target in
            let path = UnsafeBufferPointer(rebasing: target[..<(target.firstIndex(of: UInt8(ascii: "?")) ?? target.count)])
            // Through the buffer: iterating the routes copied each one out (a retain and release of its strings).
            return uploadRoutes.withUnsafeBufferPointer { routes in
                routes.indices.contains { routes[$0].matches(method: method, path: path) }
            } ? maxUploadBytes : maxBodyBytes
        }
    }
}

/// Why a request could not be parsed. Each case maps to the status the server answers with.
public enum HTTPParserError: Error, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Request line longer than `maxRequestLineBytes` (414).
    case requestLineTooLong
    /// Header field lines (or chunked trailers) larger than `maxHeaderBytes` (431).
    case headerBlockTooLarge
    /// More than `maxHeaderCount` header fields (431).
    case tooManyHeaders
    /// Body larger than `maxBodyBytes` (`maxUploadBytes` on an upload route), declared or
    /// accumulated from chunks (413).
    case bodyTooLarge
    /// Not `method SP target SP HTTP/x.y` (400).
    case invalidRequestLine
    /// A header line without a colon, with whitespace before the colon, folded (obs-fold),
    /// with an invalid name character or a control character in the value (400).
    case invalidHeader
    /// Content-Length that is not a list of decimal digits (400).
    case invalidContentLength
    /// Content-Length values that differ (400).
    case conflictingContentLength
    /// Both Transfer-Encoding and Content-Length (400).
    case contentLengthWithTransferEncoding
    /// A chunk-size line that is not hex digits with optional extensions (400).
    case invalidChunkSize
    /// Chunk data not followed by CRLF (400).
    case invalidChunkedBody
    /// A transfer coding other than a single `chunked` (501).
    case unsupportedTransferEncoding
    /// An HTTP major version other than 1 (505).
    case unsupportedVersion

    /// The response status for this failure.
    public var status: Int {
        switch self {
        case .requestLineTooLong: return 414
        case .headerBlockTooLarge, .tooManyHeaders: return 431
        case .bodyTooLarge: return 413
        case .invalidRequestLine, .invalidHeader, .invalidContentLength, .conflictingContentLength,
             .contentLengthWithTransferEncoding, .invalidChunkSize, .invalidChunkedBody:
            return 400
        case .unsupportedTransferEncoding: return 501
        case .unsupportedVersion: return 505
        }
    }

    /// A short message, safe to put in a JSON string.
    public var message: String {
        switch self {
        case .requestLineTooLong: return "request line too long"
        case .headerBlockTooLarge: return "request header fields too large"
        case .tooManyHeaders: return "too many header fields"
        case .bodyTooLarge: return "request body too large"
        case .invalidRequestLine: return "invalid request line"
        case .invalidHeader: return "invalid header field"
        case .invalidContentLength: return "invalid Content-Length"
        case .conflictingContentLength: return "conflicting Content-Length values"
        case .contentLengthWithTransferEncoding: return "both Content-Length and Transfer-Encoding"
        case .invalidChunkSize: return "invalid chunk size"
        case .invalidChunkedBody: return "invalid chunked body"
        case .unsupportedTransferEncoding: return "unsupported Transfer-Encoding"
        case .unsupportedVersion: return "HTTP version not supported"
        }
    }

    public var description: String { "\(message) (\(status))" }
}

/// What `HTTPRequestParser.next()` found.
public enum HTTPParseResult: Sendable, Equatable {
    /// A complete request.
    case request(HTTPRequest)
    /// The headers of the request being read carry `Expect: 100-continue` (HTTP/1.1) and announce
    /// a body: the server should send `100 Continue` now. Reported once per request, before its body.
    case continueExpected
    /// Feed more bytes.
    case needMoreData
    /// The input is not acceptable. The parser stays failed and keeps returning this error.
    case error(HTTPParserError)
}

/// An incremental HTTP/1.x request parser: `feed` bytes as they arrive, then call `next()` until
/// it returns `.needMoreData`. Pure: no I/O, no clock. Pipelined requests come out in order.
public struct HTTPRequestParser: Sendable {
    public let limits: HTTPParserLimits

    private enum State: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
        case failed(HTTPParserError)
    }

    private var buffer: [UInt8] = []
    /// First unconsumed byte of `buffer`. Every other position below is relative to it.
    private var start = 0
    private var state: State = .head
    /// Bytes after `start` already searched for a line end.
    private var scanned = 0
    /// Start of the line being read.
    private var lineStart = 0
    /// Start of the header field lines; -1 while the request line is incomplete.
    private var headersStart = -1
    /// Header spans, relative to `headersStart`.
    private var spans: [HTTPHeaders.Span] = []
    private var method = ""
    private var target = ""
    /// The previous request's method, target, path and query and its body limit: a keep-alive
    /// client nearly always sends the same again, and then they are reused rather than made
    /// anew (a `String` allocated, validated and split on every request).
    private var previous: PreviousRequest?
    private struct PreviousRequest: Sendable {
        var method: String
        var target: String
        var path: String
        var query: String?
        var bodyLimit: Int
    }
    /// Whether `method` and `target` are `previous`'s.
    private var sameAsPrevious = false
    /// The last head read line by line, when it can be reused (see `RepeatedHead`).
    private var repeatedHead: RepeatedHead?
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()
    private var body: [UInt8] = []
    /// The body limit of the request being read, chosen from its method and target.
    /// The body limit of the request being read (`maxBodyBytes` or, on an upload route,
    /// `maxUploadBytes`); a 413 names it.
    public private(set) var bodyLimit = 0
    private var continuePending = false

    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A
    /// Longest chunk-size line (size plus extensions) accepted.
    private static let maxChunkLineBytes = 4096
    /// A drained buffer larger than this is released rather than kept for reuse.
    private static let retainedBufferCapacity = 64 * 1024

    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    public init(configuration: HTTPServerConfiguration) {
        self.init(limits: configuration.parserLimits)
    }

    // MARK: public state

    /// Bytes fed but not yet consumed by a returned request.
    public var bufferedByteCount: Int { buffer.count - start }

    /// True while part of a request has been received (headers or body incomplete).
    public var hasPartialRequest: Bool {
        switch state {
        case .head: return buffer.count > start
        case .failed: return false
        default: return true
        }
    }

    /// True while the request line or headers of a request are incomplete and at least one byte of it arrived.
    public var isReadingHead: Bool {
        if case .head = state { return buffer.count > start }
        return false
    }

    /// The error the parser failed with, if any.
    public var failure: HTTPParserError? {
        if case .failed(let error) = state { return error }
        return nil
    }

    // MARK: feeding

    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        if case .failed = state { return }
        compact()
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    public mutating func feed(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { feed($0) }
    }

    public mutating func feed(_ bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { feed($0) }
    }

    public mutating func feed(_ string: String) {
        feed(Array(string.utf8))
    }

    private mutating func compact() {
        if start == 0 { return }
        if start >= buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= Self.retainedBufferCapacity)
            start = 0
        } else if start >= 4096 && start * 2 >= buffer.count {
            buffer.removeSubrange(0..<start)
            start = 0
        }
    }

    // MARK: parsing

    /// The next complete request, an interim `continueExpected`, `needMoreData`, or the failure.
    public mutating func next() -> HTTPParseResult {
        if case .failed(let error) = state { return .error(error) }
        if continuePending {
            continuePending = false
            return .continueExpected
        }
        let result: HTTPParseResult
        do {
            let bytes = buffer
            result = bytes.withUnsafeBufferPointer { step($0) }
        }
        switch result {
        case .error(let error):
            state = .failed(error)
            buffer = []
            start = 0
            body = []
            spans = []
            headers = HTTPHeaders()
        case .needMoreData, .request:
            if start >= buffer.count { compact() }
        case .continueExpected:
            break
        }
        return result
    }

    private mutating func step(_ buf: UnsafeBufferPointer<UInt8>) -> HTTPParseResult {
        while true {
            switch state {
            case .failed(let error):
                return .error(error)

            case .head:
                if let head = repeatedHead, headersStart < 0, scanned == 0, head.begins(buf, at: start) {
                    if let result = reuse(head) { return result }
                    continue
                }
                switch parseHead(buf) {
                case .needMore: return .needMoreData
                case .failure(let error): return .error(error)
                case .complete:
                    if let result = finishHead(buf) { return result }
                    if continuePending {
                        continuePending = false
                        return .continueExpected
                    }
                }

            case .fixedBody(let remaining):
                let available = buf.count - start
                if available == 0 { return .needMoreData }
                let n = min(available, remaining)
                if body.capacity < body.count + n {
                    // Doubling, but never past the declared length: a large upload holds what
                    // it sent, not up to twice that.
                    body.reserveCapacity(min(body.count + remaining, max(body.capacity * 2, body.count + n)))
                }
                body.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<(start + n)]))
                start += n
                if n == remaining { return complete() }
                state = .fixedBody(remaining: remaining - n)
                return .needMoreData

            case .chunkSize:
                guard let lf = findLF(buf, from: start + scanned) else {
                    scanned = buf.count - start
                    if scanned > Self.maxChunkLineBytes { return .error(.invalidChunkSize) }
                    return .needMoreData
                }
                if lf - start > Self.maxChunkLineBytes { return .error(.invalidChunkSize) }
                var end = lf
                if end > start && buf[end - 1] == Self.cr { end -= 1 }
                guard let size = parseChunkSize(buf, start, end) else { return .error(.invalidChunkSize) }
                start = lf + 1
                scanned = 0
                if size == 0 {
                    state = .trailers(bytes: 0)
                } else if size > bodyLimit - body.count {
                    return .error(.bodyTooLarge)
                } else {
                    state = .chunkData(remaining: size)
                }

            case .chunkData(let remaining):
                let available = buf.count - start
                if available == 0 { return .needMoreData }
                let n = min(available, remaining)
                body.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start..<(start + n)]))
                start += n
                state = n == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - n)

            case .chunkDataEnd:
                let available = buf.count - start
                if available == 0 { return .needMoreData }
                if buf[start] == Self.lf {
                    start += 1
                } else if buf[start] == Self.cr {
                    if available < 2 { return .needMoreData }
                    guard buf[start + 1] == Self.lf else { return .error(.invalidChunkedBody) }
                    start += 2
                } else {
                    return .error(.invalidChunkedBody)
                }
                state = .chunkSize

            case .trailers(let bytes):
                guard let lf = findLF(buf, from: start + scanned) else {
                    scanned = buf.count - start
                    if bytes + scanned > limits.maxHeaderBytes + 2 { return .error(.headerBlockTooLarge) }
                    return .needMoreData
                }
                let lineLength = lf - start + 1
                start = lf + 1
                scanned = 0
                if lineLength == 1 || (lineLength == 2 && buf[lf - 1] == Self.cr) {
                    return complete()
                }
                if bytes + lineLength > limits.maxHeaderBytes { return .error(.headerBlockTooLarge) }
                state = .trailers(bytes: bytes + lineLength)
            }
        }
    }

    private enum HeadStep {
        case needMore
        case complete
        case failure(HTTPParserError)
    }

    private mutating func parseHead(_ buf: UnsafeBufferPointer<UInt8>) -> HeadStep {
        if headersStart < 0 && scanned == 0 {
            // RFC 9112 §2.2: ignore empty lines received before the request line.
            while start < buf.count && (buf[start] == Self.cr || buf[start] == Self.lf) { start += 1 }
        }
        while true {
            guard let lfAbsolute = findLF(buf, from: start + scanned) else {
                let available = buf.count - start
                scanned = available
                if headersStart < 0 {
                    if available > limits.maxRequestLineBytes + 1 { return .failure(.requestLineTooLong) }
                } else if available - headersStart > limits.maxHeaderBytes + 2 {
                    return .failure(.headerBlockTooLarge)
                }
                return .needMore
            }
            let lf = lfAbsolute - start
            var lineEnd = lf
            if lineEnd > lineStart && buf[start + lineEnd - 1] == Self.cr { lineEnd -= 1 }
            let nextLine = lf + 1
            scanned = nextLine
            if headersStart < 0 {
                if lineEnd - lineStart > limits.maxRequestLineBytes { return .failure(.requestLineTooLong) }
                if let error = parseRequestLine(buf, start + lineStart, start + lineEnd) { return .failure(error) }
                headersStart = nextLine
            } else if lineEnd == lineStart {
                return .complete
            } else {
                if nextLine - headersStart > limits.maxHeaderBytes { return .failure(.headerBlockTooLarge) }
                if spans.count >= limits.maxHeaderCount { return .failure(.tooManyHeaders) }
                if let error = parseHeaderLine(buf, start + lineStart, start + lineEnd) { return .failure(error) }
            }
            lineStart = nextLine
        }
    }

    /// Parses `method SP request-target SP HTTP-version` in `buf[s..<e]`.
    private mutating func parseRequestLine(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> HTTPParserError? {
        var i = s
        while i < e && isTokenChar(buf[i]) { i += 1 }
        guard i > s, i < e, buf[i] == 0x20 else { return .invalidRequestLine }
        let methodEnd = i
        i += 1
        let targetStart = i
        while i < e && buf[i] > 0x20 && buf[i] < 0x7F { i += 1 }
        guard i > targetStart, i < e, buf[i] == 0x20 else { return .invalidRequestLine }
        let targetEnd = i
        i += 1
        // HTTP-version = "HTTP/" DIGIT "." DIGIT
        guard e - i == 8,
              buf[i] == UInt8(ascii: "H"), buf[i + 1] == UInt8(ascii: "T"), buf[i + 2] == UInt8(ascii: "T"),
              buf[i + 3] == UInt8(ascii: "P"), buf[i + 4] == UInt8(ascii: "/"), buf[i + 6] == UInt8(ascii: "."),
              isDigit(buf[i + 5]), isDigit(buf[i + 7])
        else { return .invalidRequestLine }
        guard buf[i + 5] == UInt8(ascii: "1") else { return .unsupportedVersion }
        version = buf[i + 7] == UInt8(ascii: "0") ? .http1_0 : .http1_1
        let methodBytes = UnsafeBufferPointer(rebasing: buf[s..<methodEnd])
        let targetBytes = UnsafeBufferPointer(rebasing: buf[targetStart..<targetEnd])
        if let previous, Self.equal(previous.method, methodBytes), Self.equal(previous.target, targetBytes) {
            method = previous.method
            target = previous.target
            sameAsPrevious = true
        } else {
            method = String(decoding: methodBytes, as: UTF8.self)
            target = String(decoding: targetBytes, as: UTF8.self)
            sameAsPrevious = false
        }
        return nil
    }

    /// Parses `field-name ":" OWS field-value OWS` in `buf[s..<e]` and records its span.
    private mutating func parseHeaderLine(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> HTTPParserError? {
        var i = s
        while i < e && isTokenChar(buf[i]) { i += 1 }
        // No name, whitespace before the colon, obs-fold (leading whitespace), or no colon at all.
        guard i > s, i < e, buf[i] == UInt8(ascii: ":") else { return .invalidHeader }
        let nameEnd = i
        i += 1
        while i < e && isOWS(buf[i]) { i += 1 }
        let valueStart = i
        var valueEnd = e
        while valueEnd > valueStart && isOWS(buf[valueEnd - 1]) { valueEnd -= 1 }
        guard isValidHeaderValue(buf, from: valueStart, to: valueEnd) else { return .invalidHeader }
        let base = start + headersStart
        if spans.isEmpty { spans.reserveCapacity(16) }
        spans.append(HTTPHeaders.Span(
            nameStart: Int32(truncatingIfNeeded: s - base), nameEnd: Int32(truncatingIfNeeded: nameEnd - base),
            valueStart: Int32(truncatingIfNeeded: valueStart - base), valueEnd: Int32(truncatingIfNeeded: valueEnd - base)))
        return nil
    }

    /// Builds the headers, decides the body framing and consumes the head.
    /// Returns a result to hand out now (a bodyless request or an error), or nil to go on with the body.
    private mutating func finishHead(_ buf: UnsafeBufferPointer<UInt8>) -> HTTPParseResult? {
        let blockStart = start + headersStart
        let blockEnd = start + lineStart
        let block = UnsafeBufferPointer(rebasing: buf[blockStart..<blockEnd])

        var contentLength: Int?
        var contentLengthError: HTTPParserError?
        var sawTransferEncoding = false
        var chunkedCount = 0
        var otherCoding = false
        var expectContinue = false
        for span in spans {
            let name = UnsafeBufferPointer(rebasing: block[Int(span.nameStart)..<Int(span.nameEnd)])
            let value = UnsafeBufferPointer(rebasing: block[Int(span.valueStart)..<Int(span.valueEnd)])
            switch name.count {
            case 14 where bytesEqualLowercase(name, "content-length"):
                var sawElement = false
                forEachListElement(value) { element in
                    sawElement = true
                    guard let length = parseDecimal(element) else {
                        contentLengthError = contentLengthError ?? .invalidContentLength
                        return
                    }
                    if let existing = contentLength, existing != length {
                        contentLengthError = contentLengthError ?? .conflictingContentLength
                    }
                    contentLength = length
                }
                if !sawElement { contentLengthError = contentLengthError ?? .invalidContentLength }
            case 17 where bytesEqualLowercase(name, "transfer-encoding"):
                sawTransferEncoding = true
                forEachListElement(value) { coding in
                    if bytesEqualLowercase(coding, "chunked") { chunkedCount += 1 } else { otherCoding = true }
                }
            case 6 where bytesEqualLowercase(name, "expect"):
                if bytesEqualLowercase(value, "100-continue") { expectContinue = true }
            default:
                break
            }
        }

        let nextLine = scanned
        if sawTransferEncoding && (contentLength != nil || contentLengthError != nil) {
            return .error(.contentLengthWithTransferEncoding)
        }
        if let error = contentLengthError { return .error(error) }
        if sawTransferEncoding && (otherCoding || chunkedCount != 1) { return .error(.unsupportedTransferEncoding) }
        if sameAsPrevious, let previous {
            bodyLimit = previous.bodyLimit
        } else {
            bodyLimit = limits.maxBodyBytes(method: method, target: target)
        }
        if let length = contentLength, length > bodyLimit { return .error(.bodyTooLarge) }

        headers = HTTPHeaders(raw: HTTPHeaders.RawBlock(bytes: Array(block), spans: spans))
        if sawTransferEncoding || expectContinue || nextLine > RepeatedHead.maxBytes {
            repeatedHead = nil
        } else {
            repeatedHead = RepeatedHead(bytes: Array(buf[start..<(start + nextLine)]), method: method, target: target, version: version,
                                        headers: headers, contentLength: contentLength ?? 0)
        }
        spans = []
        start += nextLine
        scanned = 0
        lineStart = 0
        headersStart = -1

        let wantsContinue = expectContinue && version == .http1_1
        if sawTransferEncoding {
            state = .chunkSize
            continuePending = wantsContinue
            return nil
        }
        return beginBody(length: contentLength ?? 0, wantsContinue: wantsContinue)
    }

    /// The head is `head` again: what was made of it is taken as it is, and the head consumed.
    /// Returns what `finishHead` would.
    private mutating func reuse(_ head: RepeatedHead) -> HTTPParseResult? {
        method = head.method
        target = head.target
        version = head.version
        // The strings are the very ones `previous` was made from, so comparing them is cheap.
        if let previous, previous.method == method, previous.target == target {
            sameAsPrevious = true
            bodyLimit = previous.bodyLimit
        } else {
            sameAsPrevious = false
            bodyLimit = limits.maxBodyBytes(method: method, target: target)
        }
        if head.contentLength > bodyLimit { return .error(.bodyTooLarge) }
        headers = head.headers
        start += head.bytes.count
        return beginBody(length: head.contentLength, wantsContinue: false)
    }

    /// After the head: the request itself when it has no body, or nil to read `length` bytes of it.
    private mutating func beginBody(length: Int, wantsContinue: Bool) -> HTTPParseResult? {
        if length == 0 { return complete() }
        body.reserveCapacity(min(length, 64 * 1024))
        state = .fixedBody(remaining: length)
        continuePending = wantsContinue
        return nil
    }

    private mutating func complete() -> HTTPParseResult {
        // The body and headers are moved into the request, which is built in its result: a
        // request built first and then returned was copied (a retain of each of its parts) and
        // destroyed again.
        let requestBody = take(&body, [])
        let requestHeaders = take(&headers, HTTPHeaders())
        state = .head
        scanned = 0
        if sameAsPrevious, let previous {
            return .request(HTTPRequest(method: method, target: target, path: previous.path, query: previous.query,
                                        version: version, headers: requestHeaders, body: requestBody))
        }
        let request = HTTPRequest(method: method, target: target, version: version, headers: requestHeaders, body: requestBody)
        previous = PreviousRequest(method: method, target: target, path: request.path, query: request.query, bodyLimit: bodyLimit)
        return .request(request)
    }

    /// `value`'s contents, leaving `empty` in its place.
    @inline(__always)
    private func take<Value>(_ value: inout Value, _ empty: Value) -> Value {
        var taken = empty
        swap(&taken, &value)
        return taken
    }

    /// Whether `text` is these bytes.
    private static func equal(_ text: String, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let same: Bool? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            utf8.count == bytes.count && (bytes.isEmpty || memcmp(utf8.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
        }
        return same ?? false
    }

    /// Hex chunk size, then optional BWS and `;extensions` (ignored). Sizes past Int saturate.
    private func parseChunkSize(_ buf: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Int? {
        var i = s
        var value = 0
        while i < e, let digit = hexValue(buf[i]) {
            value = value > (Int.max >> 4) ? Int.max : (value << 4) | digit
            i += 1
        }
        guard i > s else { return nil }
        while i < e && isOWS(buf[i]) { i += 1 }
        if i < e && buf[i] != UInt8(ascii: ";") { return nil }
        return value
    }
}
