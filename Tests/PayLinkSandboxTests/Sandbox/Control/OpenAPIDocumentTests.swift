import Foundation
import PayLinkJSON
import Testing

/// `GET /__sandbox/openapi.json` and docs/openapi.json, the one source it is made from
/// (scripts/openapi-embed.sh), checked with openapi-spec-validator where it is installed.
struct OpenAPIDocumentTests {
    static let documentPath = Repository.file("docs/openapi.json").path
    static let validatorMissing: Comment = "openapi_spec_validator not found: pip install openapi-spec-validator (scripts/openapi-check.sh does)"

    @Test func servedDocument_isDocsOpenAPIJSON_byteForByte() async throws {
        try await withSandbox { _, aps in
            let response = try aps.http.get("/__sandbox/openapi.json")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.documentPath)))
            #expect(response.body == file, "docs/openapi.json and the served document differ: run scripts/openapi-embed.sh")
            let document = try #require(try JSONParser.parse(response.body).objectValue)
            #expect(document["openapi"] == "3.1.0")
        }
    }

    /// The document names the surfaces the issue asks for: every control route, PayByLink's
    /// operations, and paymentApi as a union of its commands.
    @Test func document_coversTheControlAPI_PayByLink_andPaymentApiByCommand() throws {
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.documentPath)))
        let document = try #require(try JSONParser.parse(bytes).objectValue)
        let paths = try #require(document["paths"]?.objectValue)
        for (path, methods) in [
            ("/__sandbox/health", ["get"]), ("/__sandbox/openapi.json", ["get"]), ("/__sandbox/clock", ["get", "post"]),
            ("/__sandbox/reset", ["post"]), ("/__sandbox/settle", ["post"]), ("/__sandbox/scenarios", ["post"]),
            ("/__sandbox/state", ["get", "put"]), ("/__sandbox/links", ["get"]), ("/__sandbox/links/{payment_link_id}", ["get"]),
            ("/__sandbox/links/{payment_link_id}/pay", ["post"]), ("/__sandbox/links/{payment_link_id}/open", ["post"]),
            ("/__sandbox/links/{payment_link_id}/fail", ["post"]), ("/__sandbox/outbox", ["get"]), ("/__sandbox/deliveries", ["get"]),
            ("/__sandbox/journal", ["get"]), ("/__sandbox/faults", ["get", "post", "delete"]), ("/__sandbox/faults/{id}", ["delete"]),
            ("/__sandbox/merchants", ["get", "post"]), ("/__sandbox/merchants/{merchant_identifier}", ["get", "put", "delete"]),
            ("/__sandbox/merchants/{merchant_identifier}/clock", ["get", "post", "delete"]),
            ("/__sandbox/paybylink/subscription-keys", ["get", "post"]), ("/__sandbox/paybylink/subscription-keys/{key}", ["delete"]),
            ("/__sandbox/deliveries/{id}/resend", ["post"]), ("/__sandbox/tokens", ["get"]),
            ("/paybylink/v1/requests", ["get", "post"]), ("/paybylink/v1/requests/{RequestId}", ["get", "put"]),
            ("/paybylink/v1/batches", ["get", "post"]), ("/paybylink/v1/batches/{BatchId}", ["get"]),
            ("/paybylink/v1/batches/{BatchId}/confirm", ["post"]), ("/paybylink/v1/batches/{BatchId}/failures", ["get"]),
            ("/FortAPI/paymentApi", ["post"]),
        ] {
            let operations = paths[path]?.objectValue
            #expect(operations != nil, "\(path) is not in docs/openapi.json")
            for method in methods { #expect(operations?[method] != nil, "\(method.uppercased()) \(path) is not in docs/openapi.json") }
        }
        let schemas = try #require(document["components"]?.objectValue?["schemas"]?.objectValue)
        var commands: [String: String] = [:]
        for group in ["ServiceCommandRequest", "QueryCommandRequest", "OrderCommandRequest"] {
            let discriminator = try #require(schemas[group]?.objectValue?["discriminator"]?.objectValue)
            let property = try #require(discriminator["propertyName"]?.stringValue)
            for (command, _) in try #require(discriminator["mapping"]?.objectValue) { commands[command] = property }
        }
        #expect(commands == [
            "PAYMENT_LINK": "service_command", "UPDATE_PAYMENT_LINK": "service_command", "UPDATE_TOKEN": "service_command",
            "CUSTOMER_VERIFY": "service_command", "OTP_GENERATE": "service_command", "OTP_VERIFY": "service_command",
            "CHECK_PAYMENT_LINK_STATUS": "query_command", "CHECK_STATUS": "query_command", "GET_INSTALLMENTS_PLANS": "query_command",
            "PURCHASE": "command", "AUTHORIZATION": "command",
            "CAPTURE": "command", "REFUND": "command", "VOID_AUTHORIZATION": "command",
        ])
    }

    @Test(.enabled(if: PythonTool.has("openapi_spec_validator"), validatorMissing))
    func document_isValidOpenAPI31_andABrokenOneIsNot() throws {
        let script = """
            import json, sys
            from openapi_spec_validator import validate
            document = json.load(open(sys.argv[1]))
            if sys.argv[2] == 'broken':
                document['paths']['/__sandbox/health']['get']['responses']['200'] = {'content': {}}
            try:
                validate(document)
            except Exception as error:
                print('invalid:', str(error).splitlines()[0][:200])
                sys.exit(3)
            print('valid')
            """
        let valid = try PythonTool.run(script, [Self.documentPath, "as-is"])
        #expect(valid.status == 0, "docs/openapi.json is not valid OpenAPI: \(valid.output)")
        let broken = try PythonTool.run(script, [Self.documentPath, "broken"])
        #expect(broken.status == 3, "a response without a description must not validate: \(broken.output)")
        // jsonschema quotes the name with ' or ", depending on its version.
        #expect(broken.output.contains("description") && broken.output.contains("is a required property"), "\(broken.output)")
    }
}
