import Dispatch
import Testing
@testable import PayLinkHTTP
import PayLinkTestSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("HTTPServer end to end")
struct ServerTests {
    @Test func getAndPost() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /v1/ping?x=1 HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let get = try #require(client.readResponse())
            #expect(get.status == 200)
            #expect(get.reason == "OK")
            #expect(get.text == "GET /v1/ping?x=1|/v1/ping|x=1|")
            #expect(get.header("Content-Type") == "text/plain")
            #expect(get.header("Content-Length") == "\(get.body.count)")
            #expect(get.header("Date")?.hasSuffix(" GMT") == true)
            #expect(get.header("Server") == "paylink-sandbox")
            #expect(get.header("Connection") == nil)

            try client.send("POST /v1/links HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{\"a\":\"b c\"}")
            let post = try #require(client.readResponse())
            #expect(post.status == 200)
            #expect(post.text == "POST /v1/links|/v1/links|-|{\"a\":\"b c\"}")
        }
    }

    @Test func chunkedPost() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\n")
            sleepMillis(20)  // likely a separate read for the rest; the answer is the same either way
            try client.send("5\r\npedia\r\n0\r\nTrailer: yes\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.text == "POST /c|/c|-|Wikipedia")
        }
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            for index in 0..<5 {
                try client.send("GET /k\(index) HTTP/1.1\r\nHost: a\r\n\r\n")
                let response = try #require(client.readResponse())
                #expect(response.text.hasPrefix("GET /k\(index)|"))
                #expect(response.header("Connection") == nil)
            }
        }
    }

    @Test func pipelinedRequestsAnsweredInOrder() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            var batch = ""
            for index in 0..<10 {
                if index % 3 == 0 {
                    batch += "POST /p\(index) HTTP/1.1\r\nContent-Length: 2\r\n\r\n\(index)!"
                } else {
                    batch += "GET /p\(index) HTTP/1.1\r\nHost: a\r\n\r\n"
                }
            }
            try client.send(batch)
            for index in 0..<10 {
                let response = try #require(client.readResponse())
                #expect(response.text.contains("/p\(index)|"))
                if index % 3 == 0 { #expect(response.text.hasSuffix("|\(index)!")) }
            }
        }
    }

    @Test func connectionCloseHonoured() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /ignored HTTP/1.1\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(client.readsEOF())

            // The handler can close too.
            let second = try TestClient(port: port)
            try second.send("GET /close HTTP/1.1\r\n\r\n")
            let closing = try #require(second.readResponse())
            #expect(closing.text == "bye")
            #expect(closing.headerCount("Connection") == 1)
            #expect(closing.header("Connection") == "close")
            #expect(second.readsEOF())
        }
    }

    @Test func http10ClosesUnlessKeepAlive() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /old HTTP/1.0\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.status == 200)
            #expect(response.header("Connection") == "close")
            #expect(client.readsEOF())

            let keep = try TestClient(port: port)
            for _ in 0..<2 {
                try keep.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                let kept = try #require(keep.readResponse())
                #expect(kept.header("Connection") == "keep-alive")
            }
        }
    }

    @Test func expectContinue() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
            let interim = try #require(client.readResponse())
            #expect(interim.status == 100)
            try client.send("hello")
            let final = try #require(client.readResponse())
            #expect(final.status == 200)
            #expect(final.text.hasSuffix("|hello"))

            // Too large: the final 413 comes instead of 100.
            try client.send("POST /upload HTTP/1.1\r\nContent-Length: 99999999\r\nExpect: 100-continue\r\n\r\n")
            let refused = try #require(client.readResponse())
            #expect(refused.status == 413)
        }
    }

    @Test func headResponseHasHeadersButNoBody() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("HEAD /h HTTP/1.1\r\n\r\nGET /h HTTP/1.1\r\n\r\n")
            let head = try #require(client.readResponse(head: true))
            #expect(head.status == 200)
            let get = try #require(client.readResponse())
            #expect(head.header("Content-Length") == "\(get.body.count + 1)")  // "HEAD" is one letter longer than "GET"
            #expect(get.text.hasPrefix("GET /h|"))
            try client.send("GET /empty HTTP/1.1\r\n\r\n")
            let empty = try #require(client.readResponse())
            #expect(empty.status == 204)
            #expect(empty.header("Content-Length") == nil)
        }
    }

    static func expectJSONError(_ response: TestResponse?, status: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let response else {
            Issue.record("no response", sourceLocation: sourceLocation)
            return
        }
        #expect(response.status == status, sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        #expect(response.header("Connection") == "close", sourceLocation: sourceLocation)
        #expect(response.text.hasPrefix("{\"error\":\""), sourceLocation: sourceLocation)
        #expect(response.text.hasSuffix("\",\"status\":\(status)}"), sourceLocation: sourceLocation)
    }

    @Test func limitErrorsAnsweredWithJSONThenClosed() throws {
        let configuration = HTTPServerConfiguration(port: 0, maxBodyBytes: 1000)
        try withServer(configuration) { _, port in
            let cases: [(String, Int)] = [
                ("POST / HTTP/1.1\r\nContent-Length: 1001\r\n\r\n", 413),
                ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n\r\n", 414),
                ("GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 70_000) + "\r\n\r\n", 431),
                ("GET / HTTP/1.1\r\n" + String(repeating: "A: b\r\n", count: 101) + "\r\n", 431),
                ("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400),
                ("NONSENSE\r\n\r\n", 400),
                ("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
                ("GET / HTTP/2.0\r\n\r\n", 505),
            ]
            for (request, status) in cases {
                let client = try TestClient(port: port)
                try client.send(request)
                Self.expectJSONError(client.readResponse(), status: status)
                #expect(client.readsEOF(), "closed after \(status)")
            }
            // Chunked data passing the limit.
            let client = try TestClient(port: port)
            try client.send("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3e8\r\n" + String(repeating: "x", count: 1000) + "\r\n1\r\n")
            Self.expectJSONError(client.readResponse(), status: 413)
            #expect(client.readsEOF())
        }
    }

    @Test func oversizedBodyBeingSentStillGetsTheAnswer() throws {
        // The client keeps sending a body the server refused; the lingering close must not reset
        // the connection before the 413 is read.
        let configuration = HTTPServerConfiguration(port: 0, maxBodyBytes: 1000)
        try withServer(configuration) { _, port in
            let client = try TestClient(port: port)
            try client.send("POST / HTTP/1.1\r\nContent-Length: 200000\r\n\r\n" + String(repeating: "b", count: 100_000))
            Self.expectJSONError(client.readResponse(), status: 413)
        }
    }

    // The deadlines' rules (which connection gets a 408, which is closed silently, when) are
    // ConnectionStateTests', on a clock of plain numbers. These two check, end to end and with
    // short deadlines, that the loop performs them: each waits for the server's move, not a time.

    @Test func headerTimeoutAnswers408() throws {
        let configuration = HTTPServerConfiguration(port: 0, headerTimeout: .milliseconds(50))
        try withServer(configuration) { _, port in
            let slow = try TestClient(port: port)
            try slow.send("GET /slow HTTP/1.1\r\nHost: a\r\n")
            // A quick client on another connection is unaffected meanwhile.
            let quick = try TestClient(port: port)
            try quick.send("GET /quick HTTP/1.1\r\n\r\n")
            #expect(quick.readResponse()?.status == 200)
            Self.expectJSONError(slow.readResponse(), status: 408)
            #expect(slow.readsEOF())
        }
    }

    @Test func idleKeepAliveConnectionsClosedSilently() throws {
        let configuration = HTTPServerConfiguration(port: 0, idleTimeout: .milliseconds(50))
        try withServer(configuration) { _, port in
            let client = try TestClient(port: port)
            try client.send("GET / HTTP/1.1\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
            #expect(client.readsEOF(), "closed without a response")
        }
    }

    @Test func connectionCap() throws {
        let configuration = HTTPServerConfiguration(port: 0, maxConnections: 2)
        try withServer(configuration) { _, port in
            let first = try TestClient(port: port)
            let second = try TestClient(port: port)
            for client in [first, second] {
                try client.send("GET / HTTP/1.1\r\n\r\n")
                #expect(client.readResponse()?.status == 200)
            }
            let third = try TestClient(port: port)
            // Refused: either a 503 then close, or just a close.
            if let response = third.readResponse() {
                #expect(response.status == 503)
            }
            #expect(third.readsEOF())
            // The server keeps serving the accepted ones.
            try first.send("GET /still HTTP/1.1\r\n\r\n")
            #expect(first.readResponse()?.status == 200)
            // A slot freed is reusable.
            try second.send("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            #expect(second.readResponse()?.status == 200)
            #expect(second.readsEOF())
            second.shutdownWrite()
            let served = try eventually {
                let fourth = try TestClient(port: port)
                try? fourth.send("GET / HTTP/1.1\r\n\r\n")
                return fourth.readResponse()?.status == 200
            }
            #expect(served)
        }
    }

    @Test func twoServersInOneChildProcess() throws {
        let a = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: ClosureHandler { _ in
            HTTPResponse(status: 200, body: Array("A".utf8))
        })
        let b = HTTPServer(configuration: HTTPServerConfiguration(port: 0, serverName: ""), handler: ClosureHandler { _ in
            HTTPResponse(status: 201, body: Array("B".utf8))
        })
        let portA = try a.start()
        let portB = try b.start()
        defer {
            a.stop()
            b.stop()
        }
        #expect(portA != portB)
        #expect(a.port == portA && b.port == portB)
        let ca = try TestClient(port: portA)
        let cb = try TestClient(port: portB)
        try ca.send("GET / HTTP/1.1\r\n\r\n")
        try cb.send("GET / HTTP/1.1\r\n\r\n")
        let ra = try #require(ca.readResponse())
        let rb = try #require(cb.readResponse())
        #expect(ra.text == "A" && ra.status == 200)
        #expect(rb.text == "B" && rb.status == 201)
        #expect(rb.reason == "Created")
        #expect(rb.header("Server") == nil)
        a.stop()
        try cb.send("GET / HTTP/1.1\r\n\r\n")
        #expect(cb.readResponse()?.text == "B", "stopping one leaves the other running")
    }

    @Test func stopIsIdempotentAndReleasesThePort() throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: EchoHandler())
        let port = try server.start()
        let client = try TestClient(port: port)
        try client.send("GET / HTTP/1.1\r\n\r\n")
        #expect(client.readResponse()?.status == 200)
        server.stop()
        server.stop()
        #expect(server.port == nil)
        #expect(client.readsEOF(), "open connections are closed")
        server.waitUntilStopped()

        // The same port can be bound again at once.
        let again = HTTPServer(configuration: HTTPServerConfiguration(port: port), handler: EchoHandler())
        #expect(try again.start() == port)
        let second = try TestClient(port: port)
        try second.send("GET / HTTP/1.1\r\n\r\n")
        #expect(second.readResponse()?.status == 200)
        // And a stopped server can start again.
        again.stop()
        let restarted = try server.start()
        #expect(restarted > 0)
        server.stop()
    }

    @Test func addressInUseIsAClearError() throws {
        try withServer { _, port in
            let other = HTTPServer(configuration: HTTPServerConfiguration(port: port), handler: EchoHandler())
            #expect(throws: HTTPServerError.addressInUse(host: "127.0.0.1", port: port)) { try other.start() }
            do {
                try other.start()
            } catch let error as HTTPServerError {
                #expect(error.description.contains("address already in use"))
            }
            let bad = HTTPServer(configuration: HTTPServerConfiguration(port: 70000), handler: EchoHandler())
            #expect(throws: HTTPServerError.self) { try bad.start() }
        }
    }

    @Test func startTwiceThrows() throws {
        try withServer { server, _ in
            #expect(throws: HTTPServerError.alreadyRunning) { try server.start() }
        }
    }

    @Test func waitUntilStoppedReturnsAfterStopFromAnotherThread() throws {
        let server = HTTPServer(configuration: HTTPServerConfiguration(port: 0), handler: EchoHandler())
        try server.start()
        var thread = pthread_t()
        let box = Unmanaged.passRetained(server).toOpaque()
        pthread_create(&thread, nil, { context in
            usleep(50_000)
            Unmanaged<HTTPServer>.fromOpaque(context!).takeRetainedValue().stop()
            return nil
        }, box)
        server.waitUntilStopped()
        pthread_join(thread, nil)
        #expect(server.port == nil)
    }

    @Test func clientDisconnectingMidRequestDoesNotDisturbOthers() throws {
        try withServer { _, port in
            let steady = try TestClient(port: port)
            try steady.send("GET /1 HTTP/1.1\r\n\r\n")
            #expect(steady.readResponse()?.status == 200)
            for _ in 0..<5 {
                let quitter = try TestClient(port: port)
                try quitter.send("POST /x HTTP/1.1\r\nContent-Length: 100\r\n\r\nonly part")
                // Reset instead of a clean close.
                var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
                setsockopt(quitter.fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
            }
            let halfway = try TestClient(port: port)
            try halfway.send("GET /partial HTT")
            halfway.shutdownWrite()
            try steady.send("GET /2 HTTP/1.1\r\n\r\n")
            #expect(steady.readResponse()?.text.hasPrefix("GET /2|") == true)
        }
    }

    @Test func halfClosedClientStillGetsItsAnswer() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            try client.send("GET /a HTTP/1.1\r\n\r\nGET /b HTTP/1.1\r\n\r\n")
            client.shutdownWrite()
            #expect(client.readResponse()?.text.hasPrefix("GET /a|") == true)
            #expect(client.readResponse()?.text.hasPrefix("GET /b|") == true)
            #expect(client.readsEOF())
        }
    }

    @Test func largeResponsesAndBackpressure() throws {
        try withServer { _, port in
            let client = try TestClient(port: port)
            // Several large responses pipelined: more than the socket buffer and the high-water mark.
            let size = 3 * 1024 * 1024
            try client.send(String(repeating: "GET /big?\(size) HTTP/1.1\r\n\r\n", count: 3) + "GET /after HTTP/1.1\r\n\r\n")
            for _ in 0..<3 {
                let response = try #require(client.readResponse())
                #expect(response.body.count == size)
                #expect(response.body.prefix(300) == ArraySlice((0..<300).map { UInt8($0 % 251) }))
            }
            #expect(client.readResponse()?.text.hasPrefix("GET /after|") == true)
        }
    }

    @Test func largeRequestBodyAtTheLimit() throws {
        try withServer(handler: ClosureHandler { request in
            HTTPResponse(status: 200, body: Array("\(request.body.count)".utf8))
        }) { _, port in
            let client = try TestClient(port: port)
            let max = 1024 * 1024
            try client.send("POST / HTTP/1.1\r\nContent-Length: \(max)\r\n\r\n")
            try client.send([UInt8](repeating: 0x42, count: max))
            #expect(client.readResponse()?.text == "\(max)")
        }
    }

    @Test func handlerHeadersCannotSplitTheResponse() throws {
        try withServer(handler: ClosureHandler { _ in
            HTTPResponse(status: 200, headers: ["X-Evil": "a\r\nSet-Cookie: x=1", "Content-Length": "999", "Date": "custom"], body: Array("ok".utf8))
        }) { _, port in
            let client = try TestClient(port: port)
            try client.send("GET / HTTP/1.1\r\n\r\n")
            let response = try #require(client.readResponse())
            #expect(response.text == "ok")
            #expect(response.header("Set-Cookie") == nil)
            #expect(response.header("X-Evil") == "a  Set-Cookie: x=1")
            #expect(response.headerCount("Content-Length") == 1)
            #expect(response.header("Date") == "custom")
            #expect(response.headerCount("Date") == 1)
        }
    }

    @Test func manyConnectionsAtOnce() throws {
        try withServer { _, port in
            var clients: [TestClient] = []
            for _ in 0..<100 { clients.append(try TestClient(port: port)) }
            for (index, client) in clients.enumerated() { try client.send("GET /\(index) HTTP/1.1\r\n\r\n") }
            for (index, client) in clients.enumerated() {
                #expect(client.readResponse()?.text.hasPrefix("GET /\(index)|") == true)
            }
        }
    }

    /// Answers are sent at the end of each batch of events. Stall the loop in one handler so
    /// that many connections become ready together, each ending differently, and check that
    /// every one gets exactly its own answers, in order, and closes (or not) as it asked.
    @Test func connectionsReadyInOneBatchEachGetTheirOwnAnswers() throws {
        let stalled = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let handler = ClosureHandler { request in
            if request.path == "/stall" {
                stalled.signal()
                _ = release.wait(timeout: .now() + 10)
            }
            return EchoHandler().handle(request)
        }
        try withServer(handler: handler) { _, port in
            let staller = try TestClient(port: port)
            try staller.send("GET /stall HTTP/1.1\r\n\r\n")
            #expect(stalled.wait(timeout: .now() + 5) == .success)  // the loop is now inside the handler
            var clients: [TestClient] = []
            for index in 0..<40 {
                let client = try TestClient(port: port)
                var batch = "GET /\(index)/a HTTP/1.1\r\n\r\nPOST /\(index)/b HTTP/1.1\r\nContent-Length: 1\r\n\r\nx"
                switch index % 4 {
                case 0: batch += "GET /\(index)/c HTTP/1.1\r\nConnection: close\r\n\r\n"
                case 1: batch += "BROKEN\r\n\r\n"
                default: batch += "GET /\(index)/c HTTP/1.1\r\n\r\n"
                }
                try client.send(batch)
                if index % 4 == 3 { client.shutdownWrite() }
                clients.append(client)
            }
            release.signal()
            #expect(staller.readResponse()?.text.hasPrefix("GET /stall|") == true)
            for (index, client) in clients.enumerated() {
                #expect(client.readResponse()?.text == "GET /\(index)/a|/\(index)/a|-|")
                #expect(client.readResponse()?.text == "POST /\(index)/b|/\(index)/b|-|x")
                let third = client.readResponse()
                switch index % 4 {
                case 0:
                    #expect(third?.header("Connection") == "close")
                    #expect(client.readsEOF())
                case 1:
                    #expect(third?.status == 400)
                    #expect(client.readsEOF())
                case 2:
                    #expect(third?.text == "GET /\(index)/c|/\(index)/c|-|")
                    try client.send("GET /\(index)/d HTTP/1.1\r\n\r\n")  // still open
                    #expect(client.readResponse()?.text == "GET /\(index)/d|/\(index)/d|-|")
                default:
                    #expect(third?.text == "GET /\(index)/c|/\(index)/c|-|")
                    #expect(client.readsEOF())
                }
            }
        }
    }

    @Test func garbageDoesNotCrash() throws {
        try withServer { _, port in
            var generator = SystemRandomNumberGenerator()
            for _ in 0..<20 {
                let client = try TestClient(port: port)
                let bytes = (0..<Int.random(in: 1...3000, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
                try? client.send(bytes)
                client.shutdownWrite()  // a partial request then EOF: the server closes
                _ = client.readResponse()
            }
            let client = try TestClient(port: port)
            try client.send("GET / HTTP/1.1\r\n\r\n")
            #expect(client.readResponse()?.status == 200)
        }
    }
}

@Suite("HTTP types")
struct TypeTests {
    @Test func headersAreCaseInsensitiveAndOrdered() {
        var headers: HTTPHeaders = ["Content-Type": "application/json", "X-A": "1"]
        headers.add(name: "x-a", value: "2")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["X-A"] == "1")
        #expect(headers.values(for: "X-a") == ["1", "2"])
        #expect(headers.contains(name: "CONTENT-TYPE"))
        headers.replaceOrAdd(name: "X-A", value: "3")
        #expect(headers.values(for: "x-a") == ["3"])
        headers.replaceOrAdd(name: "New", value: "n")
        #expect(headers.fields.map(\.name) == ["Content-Type", "X-A", "New"])
        headers.remove(name: "x-a")
        #expect(headers.count == 2)
        #expect(Array(headers).map(\.value) == ["application/json", "n"])
        #expect(HTTPHeaders()["x"] == nil)
        #expect(HTTPHeaders([(name: "A", value: "b")]) == ["A": "b"])
    }

    @Test func parsedHeadersBehaveLikeBuiltOnes() throws {
        var parser = HTTPRequestParser()
        parser.feed("GET / HTTP/1.1\r\nHost: h\r\nX-Multi: 1\r\nx-multi: 2\r\n\r\n")
        guard case .request(let request) = parser.next() else {
            Issue.record("no request")
            return
        }
        var headers = request.headers
        #expect(headers == HTTPHeaders([(name: "Host", value: "h"), (name: "X-Multi", value: "1"), (name: "x-multi", value: "2")]))
        #expect(headers.values(for: "X-MULTI") == ["1", "2"])
        #expect(headers["host"] == "h")
        #expect(headers["missing"] == nil)
        headers.replaceOrAdd(name: "X-Multi", value: "3")
        #expect(headers.fields.map(\.value) == ["h", "3"])
        #expect(request.headers.count == 3, "the request's copy is unchanged")
    }

    @Test func requestDerivesPathAndQuery() {
        let plain = HTTPRequest(method: "GET", target: "/a/b")
        #expect(plain.path == "/a/b" && plain.query == nil)
        let query = HTTPRequest(method: "GET", target: "/a%20b?x=1&y=%2F")
        #expect(query.path == "/a%20b" && query.query == "x=1&y=%2F")
        let emptyQuery = HTTPRequest(method: "GET", target: "/p?")
        #expect(emptyQuery.path == "/p" && emptyQuery.query == "")
        let absolute = HTTPRequest(method: "GET", target: "https://h.example")
        #expect(absolute.path == "/" && absolute.query == nil)
        #expect(HTTPRequest(method: "POST", target: "/", version: .http1_0, headers: ["Connection": "keep-alive"], body: [1]).keepAlive)
    }

    @Test func jsonResponse() {
        let response = HTTPResponse.json(status: 201, Array("{}".utf8))
        #expect(response.status == 201)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.body == Array("{}".utf8))
    }

    @Test func serializationIsOneBuffer() {
        let writer = ResponseWriter(serverName: "s")
        var out: [UInt8] = []
        let close = writer.write(HTTPResponse(status: 404, headers: ["A": "b"], body: Array("nf".utf8)), to: &out, isHead: false, version: .http1_1, keepAlive: true)
        #expect(!close)
        let text = String(decoding: out, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 404 Not Found\r\nDate: "))
        #expect(text.hasSuffix("\r\nServer: s\r\nContent-Length: 2\r\nA: b\r\n\r\nnf"))
        #expect(String(decoding: errorBody(status: 400, message: "a \"q\"\n"), as: UTF8.self) == #"{"error":"a \"q\"\u000a","status":400}"#)
        var custom: [UInt8] = []
        _ = writer.write(HTTPResponse(status: 299), to: &custom, isHead: false, version: .http1_1, keepAlive: true)
        #expect(String(decoding: custom, as: UTF8.self).hasPrefix("HTTP/1.1 299 Success\r\n"))
    }

    /// A 200 starts from a head prefix rebuilt with the Date line: the same bytes as the
    /// general way writes, with or without a server name, before and after a new second, and
    /// not when the handler brings its own Date or Server.
    @Test func theUsualHeadPrefix_isWhatTheGeneralWayWrites() {
        for serverName in ["", "paylink"] {
            var writer = ResponseWriter(serverName: serverName)
            for second in [1_767_225_600, 1_767_225_601] {
                writer.refreshDate(now: time_t(second))
                var out: [UInt8] = []
                _ = writer.write(HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: Array("{}".utf8)),
                                 to: &out, isHead: false, version: .http1_1, keepAlive: true)
                let date = String(decoding: writer.dateLine, as: UTF8.self)
                let server = serverName.isEmpty ? "" : "Server: \(serverName)\r\n"
                #expect(String(decoding: out, as: UTF8.self)
                        == "HTTP/1.1 200 OK\r\n\(date)\(server)Content-Length: 2\r\nContent-Type: application/json\r\n\r\n{}")
                var own: [UInt8] = []
                _ = writer.write(HTTPResponse(status: 200, headers: ["Server": "mine"], body: []), to: &own, isHead: false, version: .http1_1, keepAlive: true)
                #expect(String(decoding: own, as: UTF8.self) == "HTTP/1.1 200 OK\r\n\(date)Content-Length: 0\r\nServer: mine\r\n\r\n")
            }
            #expect(String(decoding: writer.dateLine, as: UTF8.self) == "Date: Thu, 01 Jan 2026 00:00:01 GMT\r\n")
        }
    }

    /// A shared header list's head ends with its cached lines and the blank line in one append
    /// when the connection stays open on HTTP/1.1, and with the Connection line between them
    /// otherwise; Content-Length's digits and line end go in one append, whatever their count.
    @Test func theCachedHeadEnd_isWhatTheGeneralWayWrites() {
        let shared: HTTPHeaders = ["Content-Type": "application/json", "X-A": "b"]
        var writer = ResponseWriter(serverName: "")
        writer.refreshDate(now: 1_767_225_600)
        let date = String(decoding: writer.dateLine, as: UTF8.self)
        let lines = "Content-Type: application/json\r\nX-A: b\r\n"
        for (version, keepAlive, connection) in [(HTTPVersion.http1_1, true, ""), (.http1_1, false, "Connection: close\r\n"),
                                                 (.http1_0, true, "Connection: keep-alive\r\n"), (.http1_1, true, "")] {
            for body in ["", "1", "123456789", "1234567890", String(repeating: "x", count: 12_345)] {
                var out: [UInt8] = []
                let close = writer.write(HTTPResponse(status: 200, headers: shared, body: Array(body.utf8)), to: &out, isHead: false,
                                         version: version, keepAlive: keepAlive)
                #expect(close == !keepAlive)
                #expect(String(decoding: out, as: UTF8.self)
                        == "HTTP/1.1 200 OK\r\n\(date)Content-Length: \(body.utf8.count)\r\n\(lines)\(connection)\r\n\(body)")
                var head: [UInt8] = []
                _ = writer.write(HTTPResponse(status: 200, headers: shared, body: Array(body.utf8)), to: &head, isHead: true,
                                 version: version, keepAlive: keepAlive)
                #expect(String(decoding: head, as: UTF8.self)
                        == "HTTP/1.1 200 OK\r\n\(date)Content-Length: \(body.utf8.count)\r\n\(lines)\(connection)\r\n")
            }
        }
        // An empty list first of all: the cache starts holding it.
        var fresh = ResponseWriter(serverName: "")
        fresh.refreshDate(now: 1_767_225_600)
        for (version, keepAlive, connection) in [(HTTPVersion.http1_1, true, ""), (.http1_1, false, "Connection: close\r\n")] {
            var out: [UInt8] = []
            _ = fresh.write(HTTPResponse(status: 200, body: Array("A".utf8)), to: &out, isHead: false, version: version, keepAlive: keepAlive)
            #expect(String(decoding: out, as: UTF8.self) == "HTTP/1.1 200 OK\r\n\(date)Content-Length: 1\r\n\(connection)\r\nA")
        }
        var notFound: [UInt8] = []
        _ = writer.write(HTTPResponse(status: 404, headers: shared, body: []), to: &notFound, isHead: false, version: .http1_1, keepAlive: true)
        #expect(String(decoding: notFound, as: UTF8.self) == "HTTP/1.1 404 Not Found\r\n\(date)Content-Length: 0\r\n\(lines)\r\n")
    }
}
