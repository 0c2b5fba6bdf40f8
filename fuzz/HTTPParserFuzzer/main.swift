// libFuzzer target for HTTPRequestParser.
//
// Each input is a byte stream as a client could send it on one connection. It is parsed:
//   1. fed whole, then `next()` drained until `.needMoreData` or `.error`;
//   2. fed in two pieces, split at a position derived from the first input byte, draining
//      after each piece;
//   3. (inputs up to 1 KiB) fed one byte at a time, draining after each byte;
// under two sets of limits: the defaults, and tiny ones so that every limit is reachable by
// small inputs. Every way of feeding must give the same results (requests, 100-continue
// signals, the error) and leave the parser in the same state (buffered bytes, partial
// request): a parser that depends on how TCP cut the stream is a bug. Each request returned
// is also checked against the limits and its accessors are exercised.
//
// Built by fuzz/build.sh; run by fuzz/run.sh.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PayLinkHTTP

/// What one way of feeding produced.
private struct Outcome: Equatable {
    var events: [Event] = []
    var bufferedByteCount = 0
    var hasPartialRequest = false
    var isReadingHead = false
    var failure: HTTPParserError?
}

private enum Event: Equatable {
    case request(HTTPRequest)
    case continueExpected
    case error(HTTPParserError)
}

private let defaultLimits = HTTPParserLimits()
private let tinyLimits = HTTPParserLimits(maxRequestLineBytes: 32, maxHeaderBytes: 96, maxHeaderCount: 4, maxBodyBytes: 48)

/// Drains `next()`; false once the parser failed.
private func drain(_ parser: inout HTTPRequestParser, into outcome: inout Outcome, limits: HTTPParserLimits) -> Bool {
    // A parser must make progress: every call returns needMoreData, an error, or consumes
    // something. Bound the loop so a livelock is reported instead of hanging the fuzzer.
    var guardCount = 0
    while true {
        guardCount += 1
        if guardCount > 1_000_000 { fail("next() never returned needMoreData", []) }
        switch parser.next() {
        case .needMoreData:
            return true
        case .continueExpected:
            outcome.events.append(.continueExpected)
        case .request(let request):
            check(request, limits: limits)
            outcome.events.append(.request(request))
        case .error(let error):
            outcome.events.append(.error(error))
            // A failed parser stays failed.
            guard case .error(let again) = parser.next(), again == error else { fail("parser did not stay failed after \(error)", []) }
            return false
        }
    }
}

private func finish(_ parser: HTTPRequestParser, _ outcome: inout Outcome) {
    outcome.bufferedByteCount = parser.bufferedByteCount
    outcome.hasPartialRequest = parser.hasPartialRequest
    outcome.isReadingHead = parser.isReadingHead
    outcome.failure = parser.failure
}

private func parseWhole(_ input: [UInt8], limits: HTTPParserLimits) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = Outcome()
    parser.feed(input)
    _ = drain(&parser, into: &outcome, limits: limits)
    finish(parser, &outcome)
    return outcome
}

private func parsePieces(_ input: [UInt8], cuts: [Int], limits: HTTPParserLimits) -> Outcome {
    var parser = HTTPRequestParser(limits: limits)
    var outcome = Outcome()
    var from = 0
    for cut in cuts + [input.count] where cut >= from {
        // Empty pieces too: feeding nothing must change nothing.
        parser.feed(input[from..<cut])
        from = cut
        if !drain(&parser, into: &outcome, limits: limits) { break }
    }
    finish(parser, &outcome)
    return outcome
}

/// What every returned request must satisfy.
private func check(_ request: HTTPRequest, limits: HTTPParserLimits) {
    if request.body.count > limits.maxBodyBytes { fail("body of \(request.body.count) bytes exceeds maxBodyBytes \(limits.maxBodyBytes)", []) }
    if request.headers.count > limits.maxHeaderCount { fail("\(request.headers.count) headers exceed maxHeaderCount", []) }
    if request.method.isEmpty || request.target.isEmpty { fail("empty method or target", []) }
    // `method SP target SP HTTP/x.y`, CR LF excluded.
    if request.method.utf8.count + request.target.utf8.count + 10 > limits.maxRequestLineBytes {
        fail("request line longer than maxRequestLineBytes", [])
    }
    // Exercise the accessors the server and the handlers use.
    var names = 0
    for (name, value) in request.headers {
        names += 1
        if name.isEmpty { fail("empty header name", []) }
        if request.headers[name] == nil { fail("header \(name) listed but not found", []) }
        if !request.headers.contains(name: name) { fail("contains(name:) false for \(name)", []) }
        if request.headers.values(for: name).isEmpty { fail("values(for:) empty for \(name)", []) }
        _ = value
    }
    if names != request.headers.count { fail("iteration saw \(names) headers, count is \(request.headers.count)", []) }
    _ = request.keepAlive
    _ = request.path
    _ = request.query
    if request.headers != request.headers { fail("headers not equal to themselves", []) }
    _ = request.headers.description
}

@inline(never)
private func fail(_ message: String, _ input: [UInt8]) -> Never {
    var text = "HTTPParserFuzzer: \(message)\n"
    if !input.isEmpty { text += "input (\(input.count) bytes): \(String(reflecting: String(decoding: input.prefix(512), as: UTF8.self)))\n" }
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
    abort()
}

private func describe(_ outcome: Outcome) -> String {
    let events = outcome.events.map { event -> String in
        switch event {
        case .request(let r): return "request(\(r.method) \(r.target) \(r.version) headers:\(r.headers.count) body:\(r.body.count))"
        case .continueExpected: return "continue"
        case .error(let e): return "error(\(e))"
        }
    }
    return "[\(events.joined(separator: ", "))] buffered=\(outcome.bufferedByteCount) partial=\(outcome.hasPartialRequest) head=\(outcome.isReadingHead) failure=\(String(describing: outcome.failure))"
}

private func compare(_ expected: Outcome, _ actual: Outcome, _ how: String, _ input: [UInt8], _ limitsName: String) {
    guard expected != actual else { return }
    fail("whole vs \(how) differ (\(limitsName) limits)\n  whole: \(describe(expected))\n  \(how): \(describe(actual))", input)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    // The split point: the first byte scaled to the input length, so every position is reachable.
    let split = input.isEmpty ? 0 : Int(input[0]) * input.count / 255
    for (limits, name) in [(defaultLimits, "default"), (tinyLimits, "tiny")] {
        let whole = parseWhole(input, limits: limits)
        compare(whole, parsePieces(input, cuts: [split], limits: limits), "split at \(split)", input, name)
        if input.count <= 1024 {
            compare(whole, parsePieces(input, cuts: Array(0..<input.count), limits: limits), "byte-by-byte", input, name)
        }
    }
    return 0
}
