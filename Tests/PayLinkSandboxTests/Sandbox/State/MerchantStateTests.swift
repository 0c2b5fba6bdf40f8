import Foundation
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

/// Merchants, PayByLink keys and merchants' clocks changed at run time, in the state snapshot
/// (`GET|PUT /__sandbox/state`) and across a restart with `--state-dir`.
struct MerchantStateTests {
    /// Makes Shop1, replaces the demo merchant's URL, adds a key, moves Shop1's clock an hour on
    /// and makes it a link that expired on that clock.
    func change(_ http: HTTPTestClient) throws -> String {
        #expect(try http.post("/__sandbox/merchants", json: MerchantControl.shopEntry).status == 201)
        var demo = Merchant.demo
        demo.notificationURL = "http://127.0.0.1:9/notify"
        let entry = String(decoding: JSONValue.object(MerchantEntryJSON.encode(demo)).serialized(), as: UTF8.self)
        #expect(try http.request("PUT", "/__sandbox/merchants/CycHZxVj", body: Array(entry.utf8)).status == 200)
        #expect(try http.post("/__sandbox/paybylink/subscription-keys", json: #"{"subscription_key": "kept-key"}"#).status == 201)
        let id = try APSTestClient(http: http, merchant: MerchantControl.shop).createLink("shop-1", ["request_expiry_date": "2026-01-01T00:30:00Z"])
        #expect(try http.post("/__sandbox/merchants/Shop1/clock", json: #"{"advance_seconds": 3600}"#).status == 200)
        return id
    }

    /// What `change` made, as a sandbox shows it.
    func expectChanged(_ sandbox: Sandbox, linkID: String) throws {
        let http = HTTPTestClient(port: sandbox.port)
        #expect(try MerchantControl.object(try http.get("/__sandbox/merchants/Shop1"))["sha_type"] == "SHA-512")
        #expect(try MerchantControl.object(try http.get("/__sandbox/merchants/CycHZxVj"))["notification_url"] == "http://127.0.0.1:9/notify")
        let clock = try MerchantControl.object(try http.get("/__sandbox/merchants/Shop1/clock"))
        #expect(clock["own_clock"] == true && clock["now"] == "2026-01-01T01:00:00Z")
        #expect(try MerchantControl.object(try http.get("/__sandbox/links/\(linkID)"))["payment_link_status"] == "Expired")
        var client = PayByLinkTestClient(port: sandbox.port)
        client.key = "kept-key"
        #expect(try client.create("kept-1").status == 201)
        #expect(try APSTestClient(http: http, merchant: MerchantControl.shop).send(APSTestClient.paymentLink("shop-2", ["request_expiry_date": "2026-01-01T02:00:00Z"])).code == "48000")
    }

    @Test func theSnapshot_carriesWhatChangedAtRunTime_andAnImportPutsItBack() async throws {
        var exported: [UInt8] = [], linkID = ""
        try await withSandbox { sandbox, aps in
            linkID = try change(aps.http)
            let state = try MerchantControl.object(try aps.http.get("/__sandbox/state"))
            let merchants = try #require(state["merchants"]?.objectValue)
            #expect(merchants["version"] == 1)
            #expect(merchants["merchants"]?.arrayValue?.compactMap { $0.objectValue?["merchant_identifier"]?.stringValue } == ["CycHZxVj", "Shop1"])
            #expect(merchants["subscription_keys"] == ["kept-key"])
            #expect(merchants["clocks"] == [["now": "2026-01-01T01:00:00.000Z", "mode": "frozen", "merchant_identifier": "Shop1"]])
            exported = state.serialized()
            _ = sandbox
        }
        try await withSandbox { sandbox, aps in
            let imported = try aps.http.request("PUT", "/__sandbox/state", body: exported)
            #expect(imported.status == 200, "\(imported.text)")
            try expectChanged(sandbox, linkID: linkID)
        }
    }

    @Test(arguments: [
        (#"{"version": 1, "merchants": [], "subscription_keys": [], "clocks": [{"merchant_identifier": "Nobody1", "now": "2026-01-01T00:00:00.000Z", "mode": "frozen"}]}"#, "merchants.clocks[0].merchant_identifier"),
        (#"{"version": 1, "merchants": [{"merchant_identifier": "Shop1", "access_code": "a", "sha_type": "MD5", "sha_request_phrase": "a", "sha_response_phrase": "b"}], "subscription_keys": [], "clocks": []}"#, "merchants.merchants[0].sha_type"),
        (#"{"version": 2, "merchants": [], "subscription_keys": [], "clocks": []}"#, "merchants.version"),
        (#"{"version": 1, "merchants": [], "subscription_keys": [""], "clocks": []}"#, "merchants.subscription_keys[0]"),
    ])
    func aBadMerchantsPart_isRefused_namingItsPath_andChangesNothing(_ part: String, _ path: String) async throws {
        try await withSandbox { _, aps in
            var state = try MerchantControl.object(try aps.http.get("/__sandbox/state"))
            state["merchants"] = try JSONParser.parse(Array(part.utf8))
            let answer = try aps.http.request("PUT", "/__sandbox/state", body: state.serialized())
            #expect(answer.status == 400)
            #expect(try MerchantControl.object(answer)["field"] == .string(path), "\(answer.text)")
            #expect(try MerchantControl.array(try aps.http.get("/__sandbox/merchants")).count == 1)
        }
    }

    @Test func aSnapshotWrittenBeforeRunTimeMerchants_importsWithTheConfiguredOnes() async throws {
        try await withSandbox { _, aps in
            var state = try MerchantControl.object(try aps.http.get("/__sandbox/state"))
            state["merchants"] = nil
            #expect(try aps.http.post("/__sandbox/merchants", json: MerchantControl.shopEntry).status == 201)
            #expect(try aps.http.request("PUT", "/__sandbox/state", body: state.serialized()).status == 200)
            #expect(try aps.http.get("/__sandbox/merchants/Shop1").status == 404)
        }
    }

    /// A merchant's running clock keeps its distance from the wall clock across downtime, as the
    /// sandbox clock does: read back two hours later, it is two hours further on.
    @Test func aRunningMerchantClock_movesOnByTheDowntime() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = StateDirectoryTests.configuration(directory)
        // The wall clock just before and just after the setting: the recovered clock's distance
        // from the setting is measured from these, so a slow machine (a stop that takes long under
        // load) cannot move the expectation.
        var setBefore = SandboxInstant(secondsSince1970: 0), setAfter = setBefore
        try await withSandbox(config) { _, aps throws in
            #expect(try aps.http.post("/__sandbox/merchants", json: MerchantControl.shopEntry).status == 201)
            setBefore = SystemTimeSource().now()
            #expect(try aps.http.post("/__sandbox/merchants/Shop1/clock", json: #"{"mode": "running"}"#).status == 200)
            setAfter = SystemTimeSource().now()
        }
        let later = setBefore.adding(seconds: 7_200)
        let recovery = StateRecovery(directory: StateDirectory(path: directory, realTime: StateDirectoryTests.FixedTime(instant: later)),
                                     files: StateFiles(path: directory), report: { _ in })
        let recovered = try recovery.recover(fresh: SandboxService(configuration: config).exportState())
        let clock = try #require(recovered.state["merchants"]?.objectValue?["clocks"]?.arrayValue?.first?.objectValue)
        #expect(clock["mode"] == "running")
        let now = try #require(clock["now"]?.stringValue.flatMap(ISO8601.parseDateTime))
        let start = SandboxInstant(secondsSince1970: 1_767_225_600)
        // Set at most (setAfter - setBefore) after setBefore, so at most 7,200 s and at least 7,200 s
        // less that span have passed on it.
        let span = setAfter.millisecondsSince1970 - setBefore.millisecondsSince1970
        #expect(now <= start.adding(seconds: 7_200) && now >= SandboxInstant(millisecondsSince1970: start.adding(seconds: 7_200).millisecondsSince1970 - span),
                "\(now), set within \(span) ms")
    }

    /// Through the change log (a stop writes no snapshot), then through the snapshot a
    /// deletion writes: each start finds what the last run left.
    @Test func runTimeChanges_surviveARestart_withAStateDirectory() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let config = StateDirectoryTests.configuration(directory)
        var linkID = ""
        try await withSandbox(config) { _, aps in linkID = try change(aps.http) }
        try await withSandbox(config) { sandbox, aps in
            try expectChanged(sandbox, linkID: linkID)
            #expect(try aps.http.request("DELETE", "/__sandbox/merchants/Shop1").status == 200)
            #expect(try aps.http.post("/__sandbox/merchants", json: MerchantControl.entry("Later1")).status == 201)
        }
        try await withSandbox(config) { _, aps throws in
            #expect(try aps.http.get("/__sandbox/merchants/Shop1").status == 404)
            #expect(try aps.http.get("/__sandbox/links/\(linkID)").status == 404)
            #expect(try aps.http.get("/__sandbox/merchants/Later1").status == 200)
            #expect(try MerchantControl.object(try aps.http.get("/__sandbox/paybylink/subscription-keys"))["subscription_keys"] == ["test-subscription-key", "kept-key"])
        }
    }
}
