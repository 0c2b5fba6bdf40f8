import Testing
@testable import PayLinkHTTP

/// `HTTPHeaders.value(of:reusing:)` answers as the subscript does, parsed or built headers alike.
struct HeaderValueReuseTests {
    static func parsedHeaders(_ lines: String) throws -> HTTPHeaders {
        let outcomes = run(Array("POST / HTTP/1.1\r\n\(lines)Content-Length: 0\r\n\r\n".utf8), mode: .whole)
        guard case .request(let request)? = outcomes.first else { throw ParseFailed() }
        return request.headers
    }

    struct ParseFailed: Error {}

    @Test(arguments: ["Content-Type: application/json\r\n", "content-type:   application/json  \r\n", "Content-Type: text/plain\r\n",
                      "Content-Type: application/jsonx\r\n", "Content-Type: application/jso\r\n", "Content-Type:\r\n", "X-Other: 1\r\n"])
    func sameAsTheSubscript(_ line: String) throws {
        let headers = try Self.parsedHeaders(line)
        #expect(headers.value(of: "Content-Type", reusing: "application/json") == headers["Content-Type"])
    }

    @Test func builtHeaders_sameAsTheSubscript() {
        let headers: HTTPHeaders = ["Content-Type": "application/json"]
        #expect(headers.value(of: "content-type", reusing: "application/json") == "application/json")
        #expect(HTTPHeaders().value(of: "Content-Type", reusing: "application/json") == nil)
    }
}
