import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// Talks to a running sandbox as a PayByLink integration would: JSON bodies, the
/// subscription key header, paths under the base path.
struct PayByLinkTestClient {
    let http: HTTPTestClient
    var key: String? = "test-subscription-key"
    var basePath = "/paybylink/v1"

    init(port: Int) { http = HTTPTestClient(port: port) }
    init(http: HTTPTestClient) { self.http = http }

    struct Reply {
        var http: HTTPTestClient.Response
        var object: JSONObject
        var status: Int { http.status }
        subscript(key: String) -> JSONValue? { object[key] }
        func string(_ key: String) -> String? { object[key]?.stringValue }
        /// The messages of a problem body for `field`.
        func errors(_ field: String) -> [String] { object["errors"]?.objectValue?[field]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        var errorFields: [String] { object["errors"]?.objectValue?.keys ?? [] }
    }

    func send(_ method: String, _ path: String, json: String? = nil, headers: [(String, String)] = []) throws -> Reply {
        var all = headers
        if let key { all.append(("Ocp-Apim-Subscription-Key", key)) }
        if json != nil { all.append(("Content-Type", "application/json")) }
        let response = try http.request(method, path.hasPrefix("/") && !path.hasPrefix(basePath) && !path.hasPrefix("/s/") && !path.hasPrefix("/blob/") ? basePath + path : path,
                                        body: Array((json ?? "").utf8), headers: all)
        let object = (try? JSONParser.parse(response.body).objectValue) ?? nil
        return Reply(http: response, object: object ?? [:])
    }

    func post(_ path: String, _ json: String) throws -> Reply { try send("POST", path, json: json) }
    func put(_ path: String, _ json: String) throws -> Reply { try send("PUT", path, json: json) }
    func get(_ path: String) throws -> Reply { try send("GET", path) }

    /// A valid create body with `overrides` (raw JSON members) merged in over the defaults.
    static func body(_ reference: String = "ctr-1", _ overrides: [String: String] = [:]) -> String {
        var members: [(String, String)] = [
            ("ClientTransactionRef", "\"\(reference)\""), ("AccountReference", "\"ACC-100\""), ("Amount", "125.50"),
            ("Reason", "\"Rent arrears\""),
            ("Customer", "{\"FirstName\":\"Jane\",\"LastName\":\"Smith\",\"MobileNumber\":\"07700900123\",\"Email\":\"jane@example.com\"}"),
        ]
        for (key, value) in overrides.sorted(by: { $0.key < $1.key }) {
            if let index = members.firstIndex(where: { $0.0 == key }) {
                if value.isEmpty { members.remove(at: index) } else { members[index].1 = value }
            } else if !value.isEmpty {
                members.append((key, value))
            }
        }
        return "{" + members.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    /// Creates a request and returns its reply (201 expected).
    func create(_ reference: String = "ctr-1", _ overrides: [String: String] = [:]) throws -> Reply {
        let reply = try post("/requests", Self.body(reference, overrides))
        guard reply.status == 201 else { throw HTTPTestClient.ClientError(description: "create failed: \(reply.status) \(reply.http.text)") }
        return reply
    }
}
