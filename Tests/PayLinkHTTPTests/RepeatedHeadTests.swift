import Testing
import PayLinkHTTP

/// A keep-alive client usually sends the same head again, and the parser then reuses what it
/// made of the last one (`RepeatedHead`). Each request must still come out exactly as a parser
/// that saw it alone reads it, whatever came before it and however its bytes were split.
struct RepeatedHeadTests {
    static let heads = [
        "POST /FortAPI/paymentApi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\nabc",
        "POST /FortAPI/paymentApi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 4\r\n\r\nabcd",
        "POST /FortAPI/paymentApi HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/jsoN\r\nContent-Length: 3\r\n\r\nxyz",
        "POST /FortAPI/paymentApi HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 3\r\n\r\nabc",
        "POST /FortAPI/paymentApi?x=1 HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
        "POST /up HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789",
        "POST /other HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789",
        "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
        "POST /p HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "GET /__sandbox/health HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET /__sandbox/health HTTP/1.1\r\nHost: h\r\nX-A: 1\r\n\r\n",
        "\r\nGET /__sandbox/health HTTP/1.1\r\nHost: h\r\n\r\n",
    ]
    static let limits = HTTPParserLimits(maxBodyBytes: 4, maxUploadBytes: 100, uploadRoutes: [UploadRoute(method: "POST", path: "/up")])

    /// Everything `next()` gives for `bytes` fed in `chunks` pieces, up to the first error.
    static func results(_ bytes: [UInt8], splitAt cuts: [Int] = []) -> [HTTPParseResult] {
        var parser = HTTPRequestParser(limits: limits)
        var results: [HTTPParseResult] = []
        var from = 0
        for cut in cuts.sorted() + [bytes.count] where cut >= from {
            parser.feed(bytes[from..<cut])
            from = cut
            while true {
                let result = parser.next()
                if result == .needMoreData { break }
                results.append(result)
                if case .error = result { return results }
            }
        }
        return results
    }

    @Test func eachRequest_comesOutAsItDoesAlone_afterAnyOther() {
        var random = SplitMix64(state: 0x4EAD)
        for _ in 0..<300 {
            let picked = (0..<Int.random(in: 2...8, using: &random)).map { _ in Self.heads.randomElement(using: &random)! }
            var expected: [HTTPParseResult] = []
            for text in picked {
                expected += Self.results(Array(text.utf8))
                if case .error = expected.last { break }
            }
            let bytes = Array(picked.joined().utf8)
            #expect(Self.results(bytes) == expected, "\(picked)")
            let cuts = (0..<Int.random(in: 0...3, using: &random)).map { _ in Int.random(in: 0...bytes.count, using: &random) }
            #expect(Self.results(bytes, splitAt: cuts) == expected, "\(picked) cut at \(cuts)")
        }
    }

    @Test func theSameHeadAgain_givesTheSameRequest_withItsOwnBody() {
        let first = "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
        let again = "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nxyz"
        let results = Self.results(Array((first + again + again).utf8))
        let requests = results.compactMap { result -> HTTPRequest? in
            if case .request(let request) = result { return request }
            return nil
        }
        #expect(requests.count == 3)
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["abc", "xyz", "xyz"])
        #expect(requests.allSatisfy { $0.path == "/a" && $0.query == "x=1" && $0.headers["host"] == "h" && $0.headers.count == 2 })
    }

    /// A head with `Expect: 100-continue` is never taken from the last one: each asks for its `100 Continue`.
    @Test func expectContinue_isAnsweredEveryTime() {
        let text = "POST /p HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"
        var parser = HTTPRequestParser()
        for _ in 0..<3 {
            parser.feed(text)
            #expect(parser.next() == .continueExpected)
            #expect(parser.next() == .needMoreData)
            parser.feed("ok")
            guard case .request(let request) = parser.next() else {
                Issue.record("no request")
                return
            }
            #expect(request.body == Array("ok".utf8))
        }
    }
}
