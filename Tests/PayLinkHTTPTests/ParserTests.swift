import Testing
@testable import PayLinkHTTP

/// What the parser produced, in order, until it wanted more data at the end of input or failed.
enum Outcome: Equatable, CustomStringConvertible {
    case request(HTTPRequest)
    case continueExpected
    case error(HTTPParserError)

    var description: String {
        switch self {
        case .request(let r): return "request(\(r.method) \(r.target) \(r.version) \(r.headers) body:\(r.body.count))"
        case .continueExpected: return "continue"
        case .error(let e): return "error(\(e))"
        }
    }
}

enum FeedMode: CaseIterable {
    case whole
    case byteByByte
    case chunksOf7
}

func run(_ input: [UInt8], limits: HTTPParserLimits = HTTPParserLimits(), mode: FeedMode) -> [Outcome] {
    var parser = HTTPRequestParser(limits: limits)
    var outcomes: [Outcome] = []
    func drain() -> Bool {
        while true {
            switch parser.next() {
            case .needMoreData: return true
            case .continueExpected: outcomes.append(.continueExpected)
            case .request(let request): outcomes.append(.request(request))
            case .error(let error):
                outcomes.append(.error(error))
                return false
            }
        }
    }
    switch mode {
    case .whole:
        parser.feed(input)
        _ = drain()
    case .byteByByte:
        for byte in input {
            parser.feed([byte])
            if !drain() { break }
        }
    case .chunksOf7:
        var index = 0
        while index < input.count {
            parser.feed(input[index..<min(index + 7, input.count)])
            if !drain() { break }
            index += 7
        }
    }
    return outcomes
}

/// Parses `input` fed whole, one byte at a time, and in 7-byte pieces; expects identical results.
func parseAllWays(_ input: [UInt8], limits: HTTPParserLimits = HTTPParserLimits(),
                  sourceLocation: SourceLocation = #_sourceLocation) -> [Outcome] {
    let whole = run(input, limits: limits, mode: .whole)
    let bytewise = run(input, limits: limits, mode: .byteByByte)
    let chunked = run(input, limits: limits, mode: .chunksOf7)
    #expect(whole == bytewise, "whole vs byte-by-byte", sourceLocation: sourceLocation)
    #expect(whole == chunked, "whole vs 7-byte chunks", sourceLocation: sourceLocation)
    return whole
}

func parseAllWays(_ text: String, limits: HTTPParserLimits = HTTPParserLimits(),
                  sourceLocation: SourceLocation = #_sourceLocation) -> [Outcome] {
    parseAllWays(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
}

func onlyRequest(_ outcomes: [Outcome], sourceLocation: SourceLocation = #_sourceLocation) -> HTTPRequest? {
    guard outcomes.count == 1, case .request(let request) = outcomes[0] else {
        Issue.record("expected one request, got \(outcomes)", sourceLocation: sourceLocation)
        return nil
    }
    return request
}

func onlyError(_ outcomes: [Outcome]) -> HTTPParserError? {
    guard let last = outcomes.last, case .error(let error) = last else { return nil }
    return error
}

/// Valid requests of every framing; used individually and pipelined.
let corpus: [String] = [
    "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n",
    "GET /v1/links?limit=10&starting_after=pl_123 HTTP/1.1\r\nHost: a\r\nAccept: */*\r\nUser-Agent: curl/8.5.0\r\n\r\n",
    "POST /v1/payment_links HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"amount\":42}",
    "POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: dropped\r\n\r\n",
    "PUT /x HTTP/1.1\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc",
    "HEAD /head HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
    "DELETE /lf-only HTTP/1.1\nHost: a\nX-Empty:\n\n",
    "OPTIONS * HTTP/1.1\r\nHost: a\r\nX-Spaces:   padded value \t \r\n\r\n",
    "POST /expect HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\nbody",
    "PATCH /trans HTTP/1.1\r\nTransfer-Encoding: CHUNKED\r\n\r\n0\r\n\r\n",
]

@Suite("HTTPRequestParser")
struct ParserTests {
    @Test func simpleGet() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[1])))
        #expect(request.method == "GET")
        #expect(request.target == "/v1/links?limit=10&starting_after=pl_123")
        #expect(request.path == "/v1/links")
        #expect(request.query == "limit=10&starting_after=pl_123")
        #expect(request.version == .http1_1)
        #expect(request.headers.count == 3)
        #expect(request.headers["host"] == "a")
        #expect(request.headers["USER-AGENT"] == "curl/8.5.0")
        #expect(request.headers.fields.map(\.name) == ["Host", "Accept", "User-Agent"])
        #expect(request.body.isEmpty)
        #expect(request.keepAlive)
    }

    /// Parsed headers share their block (`HTTPHeaders.RawBlock`, a class) between copies; a
    /// change to one copy leaves the others, and the block, as parsed.
    @Test func parsedHeaders_copiedThenChanged_leaveTheOtherCopiesAsParsed() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[1])))
        var added = request.headers, replaced = request.headers, removed = request.headers
        added.add(name: "X-Added", value: "1")
        replaced.replaceOrAdd(name: "accept", value: "text/plain")
        removed.remove(name: "Host")
        #expect(added.fields.map(\.name) == ["Host", "Accept", "User-Agent", "X-Added"])
        #expect(replaced["Accept"] == "text/plain")
        #expect(removed["Host"] == nil && removed.count == 2)
        #expect(request.headers.fields.map(\.name) == ["Host", "Accept", "User-Agent"])
        #expect(request.headers["accept"] == "*/*")
        #expect(request.headers["host"] == "a")
    }

    @Test func postWithContentLength() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[2])))
        #expect(request.method == "POST")
        #expect(String(decoding: request.body, as: UTF8.self) == "{\"amount\":42}")
        #expect(request.headers["content-type"] == "application/json")
    }

    @Test func chunkedBodyWithExtensionsAndTrailers() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[3])))
        #expect(String(decoding: request.body, as: UTF8.self) == "hello, world")
        #expect(request.headers["X-Trailer"] == nil, "trailers are dropped")
        #expect(request.headers["transfer-encoding"] == "chunked")
    }

    @Test func identicalContentLengthsAccepted() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[4])))
        #expect(request.body == Array("abc".utf8))
        #expect(request.headers.values(for: "content-length") == ["3, 3", "3"])
    }

    @Test func http10AndKeepAlive() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[5])))
        #expect(request.version == .http1_0)
        #expect(request.method == "HEAD")
        #expect(request.keepAlive)
        let plain = try #require(onlyRequest(parseAllWays("GET / HTTP/1.0\r\n\r\n")))
        #expect(!plain.keepAlive)
        let closing = try #require(onlyRequest(parseAllWays("GET / HTTP/1.1\r\nConnection: Keep-Alive, Close\r\n\r\n")))
        #expect(!closing.keepAlive)
    }

    @Test func bareLineFeedsAndEmptyValues() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[6])))
        #expect(request.method == "DELETE")
        #expect(request.headers["x-empty"] == "")
        #expect(request.headers["host"] == "a")
    }

    @Test func valueWhitespaceTrimmedAndAsteriskTarget() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[7])))
        #expect(request.target == "*")
        #expect(request.headers["x-spaces"] == "padded value")
    }

    @Test func expectContinueReportedBeforeBody() throws {
        let outcomes = parseAllWays(corpus[8])
        #expect(outcomes.count == 2)
        #expect(outcomes.first == .continueExpected)
        guard case .request(let request)? = outcomes.last else {
            Issue.record("no request")
            return
        }
        #expect(request.body == Array("body".utf8))
        // No continue for HTTP/1.0 or without a body.
        #expect(parseAllWays("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx").count == 1)
        #expect(parseAllWays("POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 0\r\n\r\n").count == 1)
        // Chunked bodies get one too.
        let chunked = parseAllWays("POST / HTTP/1.1\r\nExpect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\n\r\n")
        #expect(chunked.count == 2 && chunked.first == .continueExpected)
    }

    @Test func uppercaseChunkedAndEmptyChunkedBody() throws {
        let request = try #require(onlyRequest(parseAllWays(corpus[9])))
        #expect(request.body.isEmpty)
    }

    @Test func leadingEmptyLinesIgnored() throws {
        let request = try #require(onlyRequest(parseAllWays("\r\n\r\n\nGET /after HTTP/1.1\r\n\r\n")))
        #expect(request.path == "/after")
    }

    @Test func absoluteFormTarget() throws {
        let request = try #require(onlyRequest(parseAllWays("GET http://example.com:8080/a/b?c=d HTTP/1.1\r\n\r\n")))
        #expect(request.target == "http://example.com:8080/a/b?c=d")
        #expect(request.path == "/a/b")
        #expect(request.query == "c=d")
    }

    @Test func eachCorpusEntryParsesTheSameAllWays() {
        for text in corpus {
            let outcomes = parseAllWays(text)
            #expect(!outcomes.isEmpty)
            #expect(outcomes.allSatisfy { if case .error = $0 { return false } else { return true } }, "\(text)")
        }
    }

    @Test func pipelinedCorpusMatchesIndividualParses() {
        let individual = corpus.flatMap { parseAllWays($0) }
        let pipelined = parseAllWays(corpus.joined())
        #expect(individual.count == 11)
        #expect(pipelined == individual)
        // Many copies in one buffer, as a load generator pipelines them.
        let many = parseAllWays(String(repeating: corpus.joined(), count: 20))
        #expect(many.count == 20 * individual.count)
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let text = (0..<10).map { "GET /\($0) HTTP/1.1\r\nHost: a\r\n\r\n" }.joined()
        let paths = parseAllWays(text).compactMap { outcome -> String? in
            if case .request(let r) = outcome { return r.path } else { return nil }
        }
        #expect(paths == (0..<10).map { "/\($0)" })
    }

    @Test func partialInputWaitsForMore() {
        var parser = HTTPRequestParser()
        parser.feed("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhel")
        #expect(parser.next() == .needMoreData)
        #expect(parser.hasPartialRequest)
        #expect(!parser.isReadingHead)
        parser.feed("lo")
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        #expect(request.body == Array("hello".utf8))
        #expect(!parser.hasPartialRequest)
        #expect(parser.bufferedByteCount == 0)
        parser.feed("GET")
        #expect(parser.next() == .needMoreData)
        #expect(parser.isReadingHead)
    }

    @Test func failedParserStaysFailed() {
        var parser = HTTPRequestParser()
        parser.feed("BAD\r\n\r\n")
        #expect(parser.next() == .error(.invalidRequestLine))
        parser.feed("GET / HTTP/1.1\r\n\r\n")
        #expect(parser.next() == .error(.invalidRequestLine))
        #expect(parser.failure == .invalidRequestLine)
    }
}

@Suite("HTTPRequestParser limits")
struct ParserLimitTests {
    static func requestLine(length: Int) -> String {
        // "GET " + target + " HTTP/1.1" == length
        let target = "/" + String(repeating: "a", count: length - 4 - 9 - 1)
        let line = "GET \(target) HTTP/1.1"
        precondition(line.utf8.count == length)
        return line
    }

    @Test func requestLineAtLimitAndOnePast() {
        let ok = parseAllWays(Self.requestLine(length: 8192) + "\r\n\r\n")
        #expect(onlyRequest(ok) != nil)
        let tooLong = parseAllWays(Self.requestLine(length: 8193) + "\r\n\r\n")
        #expect(tooLong == [.error(.requestLineTooLong)])
        // An unterminated line past the limit fails without waiting for its end.
        #expect(run(Array(Self.requestLine(length: 9000).utf8), mode: .whole) == [.error(.requestLineTooLong)])
        // A smaller configured limit.
        let limits = HTTPParserLimits(maxRequestLineBytes: 100)
        #expect(onlyRequest(parseAllWays(Self.requestLine(length: 100) + "\r\n\r\n", limits: limits)) != nil)
        #expect(parseAllWays(Self.requestLine(length: 101) + "\r\n\r\n", limits: limits) == [.error(.requestLineTooLong)])
    }

    /// One header line `X: vvv…\r\n` of exactly `bytes` bytes.
    static func header(bytes: Int) -> String {
        "X: " + String(repeating: "v", count: bytes - 5) + "\r\n"
    }

    @Test func headerBlockAtLimitAndOnePast() {
        let ok = parseAllWays("GET / HTTP/1.1\r\n" + Self.header(bytes: 65536) + "\r\n")
        #expect(onlyRequest(ok)?.headers["x"]?.utf8.count == 65531)
        let tooLarge = parseAllWays("GET / HTTP/1.1\r\n" + Self.header(bytes: 65537) + "\r\n")
        #expect(tooLarge == [.error(.headerBlockTooLarge)])
        // Several lines adding up to the limit.
        let limits = HTTPParserLimits(maxHeaderBytes: 100)
        let fifty = Self.header(bytes: 50)
        #expect(onlyRequest(parseAllWays("GET / HTTP/1.1\r\n" + fifty + fifty + "\r\n", limits: limits)) != nil)
        #expect(parseAllWays("GET / HTTP/1.1\r\n" + fifty + Self.header(bytes: 51) + "\r\n", limits: limits) == [.error(.headerBlockTooLarge)])
        // Never terminated.
        #expect(run(Array(("GET / HTTP/1.1\r\n" + String(repeating: "a", count: 200)).utf8), limits: limits, mode: .whole) == [.error(.headerBlockTooLarge)])
    }

    @Test func headerCountAtLimitAndOnePast() {
        func request(_ count: Int) -> String {
            "GET / HTTP/1.1\r\n" + (0..<count).map { "H\($0): v\r\n" }.joined() + "\r\n"
        }
        #expect(onlyRequest(parseAllWays(request(100)))?.headers.count == 100)
        #expect(parseAllWays(request(101)) == [.error(.tooManyHeaders)])
        let limits = HTTPParserLimits(maxHeaderCount: 3)
        #expect(onlyRequest(parseAllWays(request(3), limits: limits)) != nil)
        #expect(parseAllWays(request(4), limits: limits) == [.error(.tooManyHeaders)])
    }

    @Test func contentLengthBodyAtLimitAndOnePast() {
        let max = 1024 * 1024
        let body = [UInt8](repeating: 0x61, count: max)
        var parser = HTTPRequestParser()
        parser.feed("POST / HTTP/1.1\r\nContent-Length: \(max)\r\n\r\n")
        parser.feed(body)
        guard case .request(let request) = parser.next() else {
            Issue.record("1 MiB body refused")
            return
        }
        #expect(request.body.count == max)
        // One past: refused from the header alone, before any body byte.
        #expect(parseAllWays("POST / HTTP/1.1\r\nContent-Length: \(max + 1)\r\n\r\n") == [.error(.bodyTooLarge)])
        // All three ways with a small limit.
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        #expect(onlyRequest(parseAllWays("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits))?.body.count == 10)
        #expect(parseAllWays("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n0123456789x", limits: limits) == [.error(.bodyTooLarge)])
        // Absurd lengths do not overflow.
        #expect(parseAllWays("POST / HTTP/1.1\r\nContent-Length: 99999999999999999999999999\r\n\r\n") == [.error(.bodyTooLarge)])
    }

    @Test func chunkedBodyAtLimitAndOnePast() {
        let limits = HTTPParserLimits(maxBodyBytes: 10)
        let head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(onlyRequest(parseAllWays(head + "6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n", limits: limits))?.body.count == 10)
        #expect(parseAllWays(head + "6\r\n012345\r\n5\r\n6789x\r\n0\r\n\r\n", limits: limits) == [.error(.bodyTooLarge)])
        // Fails when the chunk size is read, before its data.
        #expect(run(Array((head + "b\r\n").utf8), limits: limits, mode: .whole) == [.error(.bodyTooLarge)])
        // Huge sizes saturate instead of overflowing.
        #expect(parseAllWays(head + "ffffffffffffffffffffffff\r\n") == [.error(.bodyTooLarge)])
        // The default limit, whole.
        let max = 1024 * 1024
        let chunk = String(repeating: "z", count: max / 2)
        let hexHalf = String(max / 2, radix: 16)
        #expect(onlyRequest(run(Array((head + "\(hexHalf)\r\n\(chunk)\r\n\(hexHalf)\r\n\(chunk)\r\n0\r\n\r\n").utf8), mode: .whole))?.body.count == max)
        #expect(run(Array((head + "\(hexHalf)\r\n\(chunk)\r\n\(hexHalf)\r\n\(chunk)\r\n1\r\n").utf8), mode: .whole) == [.error(.bodyTooLarge)])
    }

    @Test func trailersCountAgainstHeaderLimit() {
        let limits = HTTPParserLimits(maxHeaderBytes: 30)
        let head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
        let trailer30 = "T: " + String(repeating: "t", count: 25) + "\r\n"
        #expect(onlyRequest(parseAllWays(head + trailer30 + "\r\n", limits: limits)) != nil)
        #expect(onlyRequest(parseAllWays(head + "A: 1\r\n" + "B: 2\r\n" + "\r\n", limits: limits)) != nil)
        #expect(parseAllWays(head + "T: " + String(repeating: "t", count: 26) + "\r\n\r\n", limits: limits) == [.error(.headerBlockTooLarge)])
    }
}

@Suite("HTTPParserError")
struct ParserErrorTests {
    /// At least one input per error case; every case must appear.
    static let cases: [(HTTPParserError, String)] = [
        (.requestLineTooLong, "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\r\n"),
        (.headerBlockTooLarge, "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 70000) + "\r\n\r\n"),
        (.tooManyHeaders, "GET / HTTP/1.1\r\n" + String(repeating: "A: b\r\n", count: 101) + "\r\n"),
        (.bodyTooLarge, "POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n"),
        (.invalidRequestLine, "GET / HTTP/1.1 extra\r\n\r\n"),
        (.invalidRequestLine, "GET  / HTTP/1.1\r\n\r\n"),
        (.invalidRequestLine, "GET /\r\n\r\n"),
        (.invalidRequestLine, "/ HTTP/1.1\r\n\r\n"),
        (.invalidRequestLine, "G(T / HTTP/1.1\r\n\r\n"),
        (.invalidRequestLine, "GET / http/1.1\r\n\r\n"),
        (.invalidRequestLine, "GET / HTTP/1.10\r\n\r\n"),
        (.invalidRequestLine, "GET /a\u{01}b HTTP/1.1\r\n\r\n"),
        (.invalidRequestLine, "GET /caf\u{e9} HTTP/1.1\r\n\r\n"),
        (.invalidRequestLine, "\u{00}\u{01}\u{02}\r\n\r\n"),
        (.invalidHeader, "GET / HTTP/1.1\r\nHost : a\r\n\r\n"),
        (.invalidHeader, "GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n"),
        (.invalidHeader, "GET / HTTP/1.1\r\nNoColon\r\n\r\n"),
        (.invalidHeader, "GET / HTTP/1.1\r\n: empty-name\r\n\r\n"),
        (.invalidHeader, "GET / HTTP/1.1\r\nX: a\u{01}b\r\n\r\n"),
        (.invalidHeader, "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n"),
        (.invalidHeader, "GET / HTTP/1.1\r\nX: a\rb\r\n\r\n"),
        (.invalidContentLength, "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n"),
        (.invalidContentLength, "POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"),
        (.invalidContentLength, "POST / HTTP/1.1\r\nContent-Length: +5\r\n\r\n"),
        (.invalidContentLength, "POST / HTTP/1.1\r\nContent-Length:\r\n\r\n"),
        (.invalidContentLength, "POST / HTTP/1.1\r\nContent-Length: 5 5\r\n\r\n"),
        (.conflictingContentLength, "POST / HTTP/1.1\r\nContent-Length: 5, 6\r\n\r\n"),
        (.conflictingContentLength, "POST / HTTP/1.1\r\nContent-Length: 5\r\ncontent-length: 4\r\n\r\n"),
        (.contentLengthWithTransferEncoding, "POST / HTTP/1.1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"),
        (.contentLengthWithTransferEncoding, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: x\r\n\r\n"),
        (.invalidChunkSize, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"),
        (.invalidChunkSize, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\r\n"),
        (.invalidChunkSize, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5 x\r\n"),
        (.invalidChunkSize, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n"),
        (.invalidChunkSize, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "e", count: 5000)),
        (.invalidChunkedBody, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX"),
        (.invalidChunkedBody, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\rX"),
        (.unsupportedTransferEncoding, "POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"),
        (.unsupportedTransferEncoding, "POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n"),
        (.unsupportedTransferEncoding, "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"),
        (.unsupportedVersion, "GET / HTTP/2.0\r\n\r\n"),
        (.unsupportedVersion, "GET / HTTP/0.9\r\n\r\n"),
    ]

    /// Header values are checked eight bytes a step (`isValidHeaderValue`): a control byte or
    /// DEL at any place in values of every length up to 24 is refused, and tabs, spaces,
    /// printable and non-ASCII bytes are kept, as the byte-by-byte check did.
    @Test func headerValueBytes_checkedAtEveryPlace() {
        for length in 1...24 {
            for place in 0..<length {
                for byte: UInt8 in [0x00, 0x01, 0x0B, 0x1F, 0x7F, 0x09, 0x20, 0x7E, 0x80, 0xFF] {
                    var value = Array(repeating: UInt8(ascii: "v"), count: length)
                    value[place] = byte
                    // Leading and trailing whitespace is not part of the value: keep both ends plain.
                    let framed = [UInt8(ascii: "<")] + value + [UInt8(ascii: ">")]
                    let input = Array("GET / HTTP/1.1\r\nX-Value: ".utf8) + framed + Array("\r\n\r\n".utf8)
                    let outcomes = parseAllWays(input)
                    let refused = (byte < 0x20 && byte != 0x09) || byte == 0x7F
                    if refused {
                        #expect(onlyError(outcomes) == .invalidHeader, "length \(length), byte \(byte) at \(place)")
                    } else {
                        var kept: [UInt8]?
                        onlyRequest(outcomes)?.headers.forEachValueBytes(of: "X-Value") { kept = Array($0) }
                        #expect(kept == framed, "length \(length), byte \(byte) at \(place)")
                    }
                }
            }
        }
    }

    @Test func everyCaseIsCovered() {
        #expect(Set(Self.cases.map(\.0)) == Set(HTTPParserError.allCases))
    }

    @Test(arguments: ParserErrorTests.cases.indices)
    func inputFailsWithItsError(index: Int) {
        let (expected, input) = Self.cases[index]
        let outcomes = parseAllWays(input)
        #expect(onlyError(outcomes) == expected, "input #\(index): \(outcomes)")
    }

    @Test func statuses() {
        let expected: [HTTPParserError: Int] = [
            .requestLineTooLong: 414, .headerBlockTooLarge: 431, .tooManyHeaders: 431, .bodyTooLarge: 413,
            .invalidRequestLine: 400, .invalidHeader: 400, .invalidContentLength: 400, .conflictingContentLength: 400,
            .contentLengthWithTransferEncoding: 400, .invalidChunkSize: 400, .invalidChunkedBody: 400,
            .unsupportedTransferEncoding: 501, .unsupportedVersion: 505,
        ]
        for error in HTTPParserError.allCases {
            #expect(error.status == expected[error], "\(error)")
            #expect(!error.message.isEmpty)
        }
    }

    @Test func errorAfterValidRequestsInPipeline() {
        let outcomes = parseAllWays("GET /1 HTTP/1.1\r\n\r\nGET /2 HTTP/1.1\r\n\r\nGARBAGE\r\n\r\nGET /3 HTTP/1.1\r\n\r\n")
        #expect(outcomes.count == 3)
        #expect(outcomes.last == .error(.invalidRequestLine))
    }
}
