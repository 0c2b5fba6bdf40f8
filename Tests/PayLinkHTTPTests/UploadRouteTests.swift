import Testing
@testable import PayLinkHTTP

/// Upload routes carry bodies up to `maxUploadBytes`; every other request keeps `maxBodyBytes`.
/// Each limit holds at its byte, declared or chunked, fed whole, byte by byte and in pieces.
struct UploadRouteTests {
    let limits = HTTPParserLimits(maxBodyBytes: 10, maxUploadBytes: 20, uploadRoutes: [
        UploadRoute(method: "POST", path: "/upload"),
        UploadRoute(method: "PUT", path: "/blob/", matchesPrefix: true),
    ])

    func post(_ target: String, _ body: String, method: String = "POST") -> [Outcome] {
        parseAllWays("\(method) \(target) HTTP/1.1\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body, limits: limits)
    }

    func chunked(_ target: String, _ body: String) -> [Outcome] {
        let size = String(body.utf8.count, radix: 16)
        return parseAllWays("POST \(target) HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\n\(body)\r\n0\r\n\r\n", limits: limits)
    }

    @Test func uploadRoute_takesItsLimit_andRefusesTheBytePast() {
        let atLimit = String(repeating: "u", count: 20)
        #expect(onlyRequest(post("/upload", atLimit))?.body.count == 20)
        #expect(post("/upload", atLimit + "x") == [.error(.bodyTooLarge)])
        #expect(onlyRequest(chunked("/upload", atLimit))?.body.count == 20)
        #expect(chunked("/upload", atLimit + "x") == [.error(.bodyTooLarge)])
        // The query is not part of the path; a prefix route covers every path under it.
        #expect(onlyRequest(post("/upload?sig=abc", atLimit))?.body.count == 20)
        #expect(onlyRequest(post("/blob/container/file.csv?se=1", atLimit, method: "PUT"))?.body.count == 20)
        #expect(post("/blob/container/file.csv", atLimit + "x", method: "PUT") == [.error(.bodyTooLarge)])
    }

    @Test func otherRequests_keepTheBodyLimit() {
        let eleven = String(repeating: "b", count: 11)
        #expect(onlyRequest(post("/other", String(eleven.dropLast())))?.body.count == 10)
        #expect(post("/other", eleven) == [.error(.bodyTooLarge)])
        #expect(chunked("/other", eleven) == [.error(.bodyTooLarge)])
        // Another method on an upload path, a longer path, or the prefix route's parent.
        #expect(post("/upload", eleven, method: "PUT") == [.error(.bodyTooLarge)])
        #expect(post("/upload/more", eleven) == [.error(.bodyTooLarge)])
        #expect(post("/blob", eleven, method: "PUT") == [.error(.bodyTooLarge)])
    }

    @Test func limitFollowsEachRequest_onOneConnection() {
        // A large upload, then a small request whose body passes the ordinary limit.
        let input = "POST /upload HTTP/1.1\r\nContent-Length: 15\r\n\r\n" + String(repeating: "u", count: 15)
            + "POST /other HTTP/1.1\r\nContent-Length: 11\r\n\r\n" + String(repeating: "b", count: 11)
        let outcomes = parseAllWays(input, limits: limits)
        #expect(outcomes.count == 2)
        if case .request(let first) = outcomes.first { #expect(first.body.count == 15) } else { Issue.record("\(outcomes)") }
        #expect(outcomes.last == .error(.bodyTooLarge))
    }

    @Test func serverConfiguration_passesTheUploadLimitToTheParser() {
        let configuration = HTTPServerConfiguration(maxBodyBytes: 5, maxUploadBytes: 7, uploadRoutes: [UploadRoute(method: "POST", path: "/u")])
        #expect(configuration.parserLimits.maxBodyBytes(method: "POST", target: "/u") == 7)
        #expect(configuration.parserLimits.maxBodyBytes(method: "POST", target: "/v") == 5)
        #expect(HTTPServerConfiguration().maxUploadBytes == 256 * 1024 * 1024)
    }
}
