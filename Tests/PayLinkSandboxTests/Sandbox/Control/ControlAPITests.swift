import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// The control API under `/__sandbox/`.
struct ControlAPITests {
    func json(_ response: HTTPTestClient.Response) throws -> JSONObject {
        try #require(try JSONParser.parse(response.body).objectValue)
    }

    @Test func health_saysOK_withVersionAndSandboxTime() async throws {
        try await withSandbox { _, aps in
            let response = try aps.http.get("/__sandbox/health")
            #expect(response.status == 200)
            let body = try json(response)
            #expect(body["status"] == "ok")
            #expect(body["version"] == .string(Sandbox.version))
            #expect(body["now"] == "2026-01-01T00:00:00Z")
        }
    }

    @Test func clock_advancesSetsAndFreezes() async throws {
        try await withSandbox { _, aps in
            var body = try json(try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 90}"#))
            #expect(body["now"] == "2026-01-01T00:01:30Z")
            body = try json(try aps.http.post("/__sandbox/clock", json: #"{"set": "2026-05-01T12:00:00+02:00"}"#))
            #expect(body["now"] == "2026-05-01T10:00:00Z")
            body = try json(try aps.http.post("/__sandbox/clock", json: #"{"mode": "running"}"#))
            #expect(body["mode"] == "running")
            body = try json(try aps.http.get("/__sandbox/clock"))
            #expect(body["mode"] == "running")
        }
    }

    @Test(arguments: [
        #"{"advance_seconds": -5}"#, #"{"advance_seconds": "10"}"#, #"{"set": "yesterday"}"#, #"{"mode": "paused"}"#,
        #"{"advance_seconds": 1, "set": "2026-01-01T00:00:00Z"}"#, #"{"speed": 2}"#, "{", "[]", "{}",
    ])
    func clock_refusesBadBodies_with400(_ body: String) async throws {
        try await withSandbox { sandbox, aps in
            let response = try aps.http.post("/__sandbox/clock", json: body)
            #expect(response.status == 400)
            #expect(try json(response)["message"] != nil)
            #expect(sandbox.clock.now() == SandboxInstant(secondsSince1970: 1_767_225_600), "a refused move must not move the clock")
        }
    }

    @Test func link_isShown_andAnUnknownOneIs404() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("ctl-1")
            let body = try json(try aps.http.get("/__sandbox/links/\(id)"))
            #expect(body["payment_link_id"] == .string(id))
            #expect(body["payment_link_status"] == "Open")
            #expect(body["amount"] == .number("125000"))
            #expect(body["user_attempts_count"] == .number("0"))
            let missing = try aps.http.get("/__sandbox/links/404404404404404404")
            #expect(missing.status == 404)
            #expect(try json(missing)["error"] == "link_not_found")
        }
    }

    @Test func links_listsEveryLinkInCreationOrder() async throws {
        try await withSandbox { _, aps in
            let ids = try (1...3).map { try aps.createLink("list-\($0)") }
            let body = try JSONParser.parse(try aps.http.get("/__sandbox/links").body)
            let listed = body.arrayValue?.compactMap { $0.objectValue?["payment_link_id"]?.stringValue }
            #expect(listed == ids)
        }
    }

    @Test func pay_makesTheLinkPaid_andMasksTheCard() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("ctl-pay")
            let response = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number": "5123456789012346"}"#)
            #expect(response.status == 200)
            let body = try json(response)
            #expect(body["outcome"] == "approved")
            #expect(body["response_code"] == "14000")
            #expect(body["card_number"] == "512345******2346")
            #expect(!response.text.contains("5123456789012346"))
            #expect(sandbox.engine.link(id: id)?.state == .paid)
        }
    }

    @Test func pay_onAnAuthorizationLink_answers02000() async throws {
        try await withSandbox { _, aps in
            let id = try aps.createLink("ctl-auth", ["link_command": "AUTHORIZATION"])
            let body = try json(try aps.http.post("/__sandbox/links/\(id)/pay", json: "{}"))
            #expect(body["response_code"] == "02000")
        }
    }

    @Test func pay_onAClosedLink_is409WithCode773() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("ctl-closed")
            _ = try sandbox.engine.update(id: id, .init(status: .closed))
            let response = try aps.http.post("/__sandbox/links/\(id)/pay", json: "{}")
            #expect(response.status == 409)
            #expect(try json(response)["response_code"] == "13773")
        }
    }

    @Test func pay_withACardFailingLuhn_is400_andTheLinkStaysOpen() async throws {
        try await withSandbox { sandbox, aps in
            let id = try aps.createLink("ctl-luhn")
            let response = try aps.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number": "4005550000000002"}"#)
            #expect(response.status == 400)
            #expect(try json(response)["response_code"] == "13016")
            #expect(sandbox.engine.link(id: id)?.state == .open)
        }
    }

    @Test func pay_onAnUnknownLink_is404() async throws {
        try await withSandbox { _, aps in
            let response = try aps.http.post("/__sandbox/links/123/pay", json: "{}")
            #expect(response.status == 404)
        }
    }

    @Test func reset_forgetsLinks() async throws {
        try await withSandbox { sandbox, aps in
            _ = try aps.createLink("reset-1")
            #expect(try aps.http.post("/__sandbox/reset", json: "").status == 200)
            #expect(sandbox.engine.links().isEmpty)
        }
    }

    @Test(arguments: ["/nowhere", "/__sandbox/nothing", "/FortAPI/other", "/__sandbox/links/1/explode"])
    func unknownPaths_getAJSON404NamingThePath(_ path: String) async throws {
        try await withSandbox { _, aps in
            let response = try aps.http.get(path)
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/json")
            #expect(try json(response)["path"] == .string(path))
        }
    }

    @Test func wrongMethod_is405_withAllow() async throws {
        try await withSandbox { _, aps in
            let response = try aps.http.get("/FortAPI/paymentApi")
            #expect(response.status == 405)
            #expect(response.header("Allow") == "POST")
        }
    }
}

struct PublicURLTests {
    @Test func linksPointAtLoopback_whenBoundToEveryInterface() async throws {
        var config = SandboxConfiguration.testing()
        config.server.host = "0.0.0.0"
        try await withSandbox(config) { sandbox, aps in
            let reply = try aps.send(APSTestClient.paymentLink())
            #expect(reply["payment_link"]?.hasPrefix("http://127.0.0.1:\(sandbox.port)/pay/") == true)
        }
    }

    @Test func configuredPublicURL_isUsedForLinks() async throws {
        var config = SandboxConfiguration.testing()
        config.publicURL = "https://pay.example.test"
        try await withSandbox(config) { _, aps in
            let reply = try aps.send(APSTestClient.paymentLink())
            #expect(reply["payment_link"]?.hasPrefix("https://pay.example.test/pay/") == true)
        }
    }
}

/// Bodies that are JSON but not an object are `invalid_body`; bodies that are not JSON are
/// `invalid_json`: on every endpoint that reads a body.
struct ControlAPIBodyTests {
    @Test(arguments: TestTransport.allCases)
    func jsonThatIsNotAnObject_isInvalidBody_andNotJSONIsInvalidJSON(_ transport: TestTransport) async throws {
        try await transport.withService { _, aps in
            let id = try aps.createLink("bodies")
            for path in ["/__sandbox/clock", "/__sandbox/reset", "/__sandbox/faults", "/__sandbox/links/\(id)/pay", "/__sandbox/links/\(id)/fail"] {
                for body in ["[1]", "\"x\"", "5"] {
                    let answer = try aps.http.post(path, json: body)
                    #expect(answer.status == 400 && answer.text.contains(#""error":"invalid_body""#), "\(path) \(body): \(answer.text)")
                    #expect(!answer.text.contains("HTTPErrorResponse"), "\(path): \(answer.text)")
                }
                let broken = try aps.http.post(path, json: "not json")
                #expect(broken.status == 400 && broken.text.contains(#""error":"invalid_json""#), "\(path): \(broken.text)")
            }
            let put = try aps.http.request("PUT", "/__sandbox/state", body: Array("[1]".utf8), headers: [("Content-Type", "application/json")])
            #expect(put.status == 400 && put.text.contains(#""error":"invalid_body""#), "\(put.text)")
        }
    }
}
