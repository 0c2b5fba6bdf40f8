import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// `POST /__sandbox/scenarios`, `POST /__sandbox/reset` for one merchant, and link filters.
struct ControlScenarioTests {
    @Test func aLoadedScenario_putsItsLinksAndFaultsIntoTheRunningSandbox() async throws {
        try await withSandbox { sandbox, aps in
            let scenario = #"""
            {"scenario_version": 1, "description": "loaded", "setup": {
               "clock": {"start": "2026-02-01T00:00:00Z", "mode": "frozen"},
               "links": [{"name": "paid", "state": "Paid", "merchant_reference": "loaded-1"},
                         {"name": "gone", "state": "Expired", "merchant_reference": "loaded-2"}],
               "faults": [{"type": "response_code", "response_code": "00006", "match": {"command": "CHECK_PAYMENT_LINK_STATUS"}}]},
             "steps": [{"clock": {"advance_seconds": 1}}]}
            """#
            let response = try aps.http.post("/__sandbox/scenarios", json: scenario)
            #expect(response.status == 201)
            let body = try #require(try JSONParser.parse(response.body).objectValue)
            let paidID = try #require(body["links"]?.objectValue?["paid"]?.objectValue?["payment_link_id"]?.stringValue)
            #expect(body["faults_armed"] == .number("1"))
            #expect(sandbox.engine.link(id: paidID)?.state == .paid)
            #expect(ISO8601.formatUTC(sandbox.clock.now()) == "2026-02-01T00:00:00Z")
            #expect(try aps.check(id: paidID).code == "00006")
            #expect(try aps.check(id: paidID).code == "12000")
            #expect(try aps.http.get("/__sandbox/links?payment_link_status=Expired").text.contains("loaded-2"))
            #expect(!(try aps.http.get("/__sandbox/links?payment_link_status=Expired").text.contains("loaded-1")))
        }
    }

    @Test func aBadScenario_isRefusedNamingTheField_andLoadsNothing() async throws {
        try await withSandbox { sandbox, aps in
            let unknownMerchant = #"{"scenario_version": 1, "description": "d", "setup": {"merchants": [{"merchant_identifier": "Other", "access_code": "A1", "sha_request_phrase": "a", "sha_response_phrase": "b"}]}, "steps": [{"clock": {"advance_seconds": 1}}]}"#
            let refused = try aps.http.post("/__sandbox/scenarios", json: unknownMerchant)
            #expect(refused.status == 400 && refused.text.contains("setup.merchants[0]"))
            let invalid = try aps.http.post("/__sandbox/scenarios", json: #"{"scenario_version": 1, "steps": []}"#)
            #expect(invalid.status == 400 && invalid.text.contains("description"))
            #expect(sandbox.engine.links().isEmpty)
            // A setup that fails partway (the second link repeats the first's reference) leaves nothing behind.
            let partway = #"{"scenario_version": 1, "description": "d", "setup": {"clock": {"start": "2027-01-01T00:00:00Z", "mode": "running"}, "faults": [{"type": "malformed_json"}], "links": [{"merchant_reference": "dup-1"}, {"merchant_reference": "dup-1"}]}, "steps": [{"clock": {"advance_seconds": 1}}]}"#
            let rolledBack = try aps.http.post("/__sandbox/scenarios", json: partway)
            #expect(rolledBack.status == 400 && rolledBack.text.contains("setup.links[1]"))
            #expect(sandbox.engine.links().isEmpty && sandbox.service.faults.list().isEmpty)
            #expect(ISO8601.formatUTC(sandbox.clock.now()) == "2026-01-01T00:00:00Z" && sandbox.clock.reading().mode == .frozen)
        }
    }

    @Test func resettingOneMerchant_leavesTheOthersData() async throws {
        let other = Merchant(identifier: "Other", accessCode: "OtherAccess", requestPhrase: "o-req", responsePhrase: "o-res")
        try await withSandbox(.testing(merchants: [.demo, other])) { sandbox, aps in
            _ = try aps.createLink("mine-1")
            let otherClient = APSTestClient(port: sandbox.port, merchant: other)
            _ = try otherClient.createLink("theirs-1")
            let reset = try aps.http.post("/__sandbox/reset", json: #"{"merchant_identifier": "Other"}"#)
            #expect(reset.status == 200 && reset.text.contains(#""links_removed":1"#))
            #expect(sandbox.engine.links().map(\.link.merchantReference) == ["mine-1"])
            // The reference is free again for that merchant.
            _ = try otherClient.createLink("theirs-1")
            #expect(try aps.http.post("/__sandbox/reset", json: #"{"merchant_identifier": "Nobody"}"#).status == 400)
            #expect(try aps.http.post("/__sandbox/reset", json: #"{"everything": true}"#).status == 400)
            #expect(try JSONParser.parse(try aps.http.get("/__sandbox/links?merchant_identifier=Other").body).arrayValue?.count == 1)
            #expect(try aps.http.get("/__sandbox/links?colour=red").status == 400)
        }
    }
}

/// `GET|PUT /__sandbox/state` over HTTP: a snapshot taken from one sandbox, put into another,
/// reads back byte for byte, and a bad one is refused naming the field.
struct StateRouteTests {
    @Test func aSnapshot_movesBetweenSandboxes_losslessly() async throws {
        try await withSandbox { _, source in
            let id = try source.createLink("state-1")
            _ = try source.http.post("/__sandbox/links/\(id)/pay", json: #"{"card_number":"4000000000000028"}"#)
            _ = try source.createLink("state-2", ["link_command": "AUTHORIZATION"])
            let exported = try source.http.get("/__sandbox/state")
            #expect(exported.status == 200 && exported.text.contains(#""state_version":1"#))
            try await withSandbox(.testing(seed: 99)) { target, copy in
                let put = try copy.http.request("PUT", "/__sandbox/state", body: exported.body, headers: [("Content-Type", "application/json")])
                #expect(put.status == 200)
                #expect(try copy.http.get("/__sandbox/state").body == exported.body)
                #expect(target.engine.link(id: id)?.link.failedAttempts.count == 1)
                let bad = try copy.http.request("PUT", "/__sandbox/state", body: Array(#"{"state_version": 2}"#.utf8))
                #expect(bad.status == 400 && bad.text.contains("state_version"))
                #expect(try copy.http.get("/__sandbox/state").body == exported.body)
            }
        }
    }
}
