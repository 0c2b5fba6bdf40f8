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

/// Broken input of every kind, in memory: each request is answered with a status that says
/// what happened (never a crash, never a 5xx), and a refused one leaves no trace.
struct PayByLinkRobustnessTests {
    static let valid = Array(PayByLinkTestClient.body("fuzz").utf8)

    func send(_ service: SandboxService, _ method: String, _ target: String, _ body: [UInt8], key: String = "test-subscription-key") -> HTTPResponse {
        service.handleInline(HTTPRequest(method: method, target: target, headers: ["Ocp-Apim-Subscription-Key": key, "Content-Type": "application/json"], body: body))
    }

    @Test func mutatedCreateBodies_getAStatusThatExplains_andRefusalsChangeNothing() throws {
        let service = SandboxService(configuration: .testing())
        var random = Seeded(state: 42)
        let alphabet = Array("{}[]\":,0123456789.-eE tnfrul\\\u{0}é".utf8)
        var created = 0
        for round in 0..<1_500 {
            var body = Self.valid
            for _ in 0...random.next(4) {
                switch random.next(3) {
                case 0 where !body.isEmpty: body.remove(at: random.next(body.count))
                case 1: body.insert(alphabet[random.next(alphabet.count)], at: random.next(body.count + 1))
                default: if !body.isEmpty { body[random.next(body.count)] = alphabet[random.next(alphabet.count)] }
                }
            }
            let before = service.engine.links().count
            let response = send(service, "POST", "/paybylink/v1/requests", body)
            #expect([201, 400, 409].contains(response.status), "round \(round): \(response.status) for \(String(decoding: body, as: UTF8.self))")
            if response.status == 201 {
                created += 1
            } else {
                #expect(service.engine.links().count == before, "a refusal created a link in round \(round)")
                let problem = try #require(try JSONParser.parse(response.body).objectValue)
                #expect(problem["status"] == .number(String(response.status)))
                if response.status == 400 { #expect(problem["errors"]?.objectValue?.isEmpty == false) }
            }
        }
        #expect(service.engine.links().count == created)
    }

    @Test func randomCSVFiles_neverStopABatch_andEveryLineIsAccounted() throws {
        var random = Seeded(state: 7)
        let pieces = ["ClientTransactionRef", "AccountReference", "Amount", "FirstName", "LastName", "MobileNumber", "Email", "Reason",
                      ",", ",", ",", "\"", "\"\"", "\r\n", "\n", "\r", "07700900123", "12.50", "x", "\u{FEFF}", "é"]
        for round in 0..<200 {
            var text = round % 2 == 0 ? PayByLinkBatchTests.header + "\n" : ""
            for _ in 0..<random.next(60) { text += pieces[random.next(pieces.count)] }
            let service = SandboxService(configuration: .testing())
            let handler = PayByLinkBatchFile.handler(store: service.payByLink, subscription: "k")
            let engine = BatchEngine(clock: service.clock, scheduler: InlineBatchScheduler())
            _ = try engine.create(id: "b", owner: .payByLink(subscription: "k"), fileName: "f.csv")
            _ = try engine.upload(id: "b", owner: .payByLink(subscription: "k"), file: Array(text.utf8))
            _ = try engine.confirm(id: "b", owner: .payByLink(subscription: "k"), handler: handler, thenProcess: true)
            let batch = try #require(engine.batch(id: "b"))
            #expect(batch.status.isFinished, "round \(round) stopped at \(batch.status)")
            if batch.status != .failed {
                let lifecycle = batch.lifecycle
                #expect(lifecycle.processedRecords == lifecycle.totalRecords)
                #expect(lifecycle.succeededRecords == service.engine.links().count)
                #expect(batch.failures.allSatisfy { !$0.errors.isEmpty && $0.line >= 2 })
            }
        }
    }

    @Test func brokenUploadsAndTargets_areRefusedCleanly() {
        let service = SandboxService(configuration: .testing())
        let targets = ["/blob/paybylink/x", "/blob/paybylink/x?sig=", "/blob/paybylink/x?&sig=00", "/blob/", "/blob/other/x?sv=1&sig=1",
                       "/s/", "/s/%ZZ", "/paybylink/v1/requests/%00", "/paybylink/v1//", "/paybylink/v1/batches//confirm"]
        for target in targets {
            for method in ["GET", "PUT", "POST"] {
                let response = send(service, method, target, Array("a,b\n".utf8))
                #expect((400..<500).contains(response.status), "\(method) \(target): \(response.status)")
                if !target.hasPrefix("/blob/paybylink/") {
                    #expect(response.headers["Content-Type"]?.contains("json") == true, "\(method) \(target) answers JSON")
                }
            }
        }
    }
}

/// A body that is JSON but not an object is named as such under `$`, not as invalid JSON.
struct PayByLinkBodyTests {
    @Test(arguments: TestTransport.allCases)
    func aNonObjectBody_isRefusedAsNotAnObject(_ transport: TestTransport) async throws {
        try await transport.withService { _, aps in
            let client = PayByLinkTestClient(http: aps.http)
            for body in ["[1]", "5"] {
                let reply = try client.post("/requests", body)
                #expect(reply.status == 400 && reply.errors("$") == ["the body must be a JSON object"], "\(reply.http.text)")
            }
            let broken = try client.post("/requests", "{nope")
            #expect(broken.status == 400 && broken.errors("$").first?.hasPrefix("the body is not valid JSON") == true, "\(broken.http.text)")
        }
    }
}
