import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing

/// The sandbox clock stays where ISO 8601's four-digit years can show it (schemathesis found
/// that `advance_seconds` could take it to `10399-12-16T15:39:09Z`, which every timestamp then
/// carried and nothing could read back).
struct ClockRangeTests {
    func clock(_ response: HTTPTestClient.Response) throws -> JSONObject {
        try #require(try JSONParser.parse(response.body).objectValue)
    }

    @Test func advance_stopsAtTheLastInstantOfYear9999() async throws {
        try await withSandbox { sandbox, aps in
            var response = try aps.http.post("/__sandbox/clock", json: #"{"set": "9999-12-31T23:59:58Z"}"#)
            #expect(try clock(response)["now"] == "9999-12-31T23:59:58Z")
            response = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 1.999}"#)
            #expect(response.status == 200)
            #expect(try clock(response)["now"] == "9999-12-31T23:59:59Z")
            response = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 0.002}"#)
            #expect(response.status == 400)
            #expect(try clock(response)["field"] == "advance_seconds")
            #expect(sandbox.clock.now() == ControlAPI.latestTime, "a refused move must not move the clock")
            // The largest single move (just under 1e11 seconds, some 3,170 years) from the year 8000.
            _ = try aps.http.post("/__sandbox/clock", json: #"{"set": "8000-01-01T00:00:00Z"}"#)
            response = try aps.http.post("/__sandbox/clock", json: #"{"advance_seconds": 99999999999}"#)
            #expect(response.status == 400)
            #expect(try clock(try aps.http.get("/__sandbox/clock"))["now"] == "8000-01-01T00:00:00Z")
        }
    }

    @Test(arguments: ["9999-12-31T23:00:00-05:00", "0000-01-01T00:00:00+00:01"])
    func set_refusesAnInstantOutsideYears0000To9999InUTC(_ instant: String) async throws {
        try await withSandbox { _, aps in
            let response = try aps.http.post("/__sandbox/clock", json: #"{"set": "\#(instant)"}"#)
            #expect(response.status == 400)
            #expect(try clock(response)["field"] == "set")
            #expect(try clock(try aps.http.get("/__sandbox/clock"))["now"] == "2026-01-01T00:00:00Z")
        }
    }

    @Test(arguments: [("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59Z"), ("0000-01-01T00:00:00Z", "0000-01-01T00:00:00Z")])
    func set_takesEitherEnd(_ instant: String, _ shown: String) async throws {
        try await withSandbox { _, aps in
            let response = try aps.http.post("/__sandbox/clock", json: #"{"set": "\#(instant)"}"#)
            #expect(response.status == 200)
            #expect(try clock(response)["now"] == .string(shown))
        }
    }
}
