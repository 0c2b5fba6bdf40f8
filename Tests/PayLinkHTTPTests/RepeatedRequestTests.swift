import Testing
@testable import PayLinkHTTP

/// A keep-alive connection usually sends the same request line again and again, and the server
/// reuses what it made of the last one (method, target, path, query, body limit) and of the
/// last header list it wrote. Whatever changes between requests must still be seen.
struct RepeatedRequestTests {
    static func requests(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) -> [HTTPRequest] {
        var parser = HTTPRequestParser(limits: limits)
        parser.feed(text)
        var requests: [HTTPRequest] = []
        while case .request(let request) = parser.next() { requests.append(request) }
        return requests
    }

    @Test func pipelinedRequests_eachKeepTheirOwnLine() {
        let text = "POST /a?x=1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
            + "POST /a?x=1 HTTP/1.1\r\nContent-Length: 0\r\n\r\n"
            + "GET /a?x=1 HTTP/1.1\r\n\r\n"
            + "GET /a?x=2 HTTP/1.1\r\n\r\n"
            + "GET /a HTTP/1.1\r\n\r\n"
            + "GET http://h/b?y HTTP/1.1\r\n\r\n"
            + "GET http://h/b?y HTTP/1.1\r\n\r\n"
            + "GET /a?x=1 HTTP/1.1\r\n\r\n"
        let seen = Self.requests(text).map { [$0.method, $0.target, $0.path, $0.query ?? "-"] }
        #expect(seen == [
            ["POST", "/a?x=1", "/a", "x=1"], ["POST", "/a?x=1", "/a", "x=1"], ["GET", "/a?x=1", "/a", "x=1"],
            ["GET", "/a?x=2", "/a", "x=2"], ["GET", "/a", "/a", "-"], ["GET", "http://h/b?y", "/b", "y"],
            ["GET", "http://h/b?y", "/b", "y"], ["GET", "/a?x=1", "/a", "x=1"],
        ])
    }

    /// The body limit is the route's, also when the request before it named another route.
    @Test func bodyLimit_followsTheTarget_fromRequestToRequest() {
        let limits = HTTPParserLimits(maxBodyBytes: 4, maxUploadBytes: 100, uploadRoutes: [UploadRoute(method: "POST", path: "/up")])
        let big = String(repeating: "x", count: 10)
        let upload = "POST /up HTTP/1.1\r\nContent-Length: 10\r\n\r\n\(big)"
        var parser = HTTPRequestParser(limits: limits)
        parser.feed(upload + upload + "POST /other HTTP/1.1\r\nContent-Length: 10\r\n\r\n\(big)")
        guard case .request(let first) = parser.next(), case .request(let second) = parser.next() else {
            Issue.record("the uploads were refused")
            return
        }
        #expect(first.body.count == 10 && second.body.count == 10)
        #expect(parser.next() == .error(.bodyTooLarge))
    }

    /// The writer keeps the last header list it wrote; another list, or the same list changed,
    /// is written as itself.
    @Test func headerLists_inTurn_areEachWrittenAsThemselves() {
        let writer = ResponseWriter(serverName: "")
        let shared: HTTPHeaders = ["Content-Type": "application/json"]
        var withDetail = shared
        withDetail.add(name: "X-Detail", value: "why\r\nnot")
        let closing: HTTPHeaders = ["Connection": "close", "Content-Type": "text/plain"]
        func head(_ headers: HTTPHeaders) -> (String, Bool) {
            var out: [UInt8] = []
            let close = writer.write(HTTPResponse(status: 200, headers: headers, body: [0x31]), to: &out, isHead: false, version: .http1_1, keepAlive: true)
            let text = String(decoding: out, as: UTF8.self)
            // The Date line aside.
            return (text.split(separator: "\r\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Date: ") }.joined(separator: "|"), close)
        }
        let plain = ("HTTP/1.1 200 OK|Content-Length: 1|Content-Type: application/json||1", false)
        for _ in 0..<2 {
            #expect(head(shared) == plain)
            #expect(head(withDetail) == ("HTTP/1.1 200 OK|Content-Length: 1|Content-Type: application/json|X-Detail: why  not||1", false))
            #expect(head(shared) == plain)
            #expect(head(closing) == ("HTTP/1.1 200 OK|Content-Length: 1|Content-Type: text/plain|Connection: close||1", true))
            #expect(head(HTTPHeaders()) == ("HTTP/1.1 200 OK|Content-Length: 1||1", false))
        }
    }
}
