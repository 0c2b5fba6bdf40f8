import PayLinkHTTP
import PayLinkJSON

/// JSON responses of the sandbox's own surfaces (control API, errors). Never a bare status:
/// every error names what went wrong.
package enum JSONResponses {
    /// Built once and shared (copy-on-write): a literal would allocate on every response.
    package static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json"]

    package static func ok(_ object: JSONObject, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: jsonHeaders, body: object.serialized())
    }

    /// A JSON array answer (`GET /__sandbox/links`).
    package static func ok(array: [JSONValue]) -> HTTPResponse {
        HTTPResponse(status: 200, headers: jsonHeaders, body: JSONValue.array(array).serialized())
    }

    /// An error body, its `message` also in `X-Sandbox-Detail` (as every refusal carries one).
    package static func error(_ status: Int, _ error: String, _ message: String, extra: JSONObject = [:]) -> HTTPResponse {
        var body: JSONObject = ["error": .string(error), "message": .string(message), "status": .number(status)]
        for (key, value) in extra { body[key] = value }
        var response = ok(body, status: status)
        response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(message))
        return response
    }

    package static func notFound(_ request: HTTPRequest) -> HTTPResponse {
        error(404, "not_found", "no route for \(request.method) \(request.path)", extra: ["path": .string(request.path)])
    }

    package static func methodNotAllowed(_ request: HTTPRequest, allowed: [String]) -> HTTPResponse {
        var response = error(405, "method_not_allowed", "\(request.method) is not allowed on \(request.path); use \(allowed.joined(separator: ", "))",
                             extra: ["path": .string(request.path), "allowed": .array(allowed.map { .string($0) })])
        response.headers.add(name: "Allow", value: allowed.joined(separator: ", "))
        return response
    }

    /// Parses a request body that must be a JSON object; an empty body is an empty object.
    package static func objectBody(_ request: HTTPRequest) throws(HTTPErrorResponse) -> JSONObject {
        if request.body.isEmpty { return [:] }
        let value: JSONValue
        do { value = try JSONParser.parse(request.body) } catch {
            throw HTTPErrorResponse(self.error(400, "invalid_json", "\(error)"))
        }
        guard case .object(let object) = value else { throw HTTPErrorResponse(error(400, "invalid_body", "the body must be a JSON object")) }
        return object
    }

    /// A header value in ASCII, safe to send whatever the client put in (see `SandboxDetail`).
    package static func headerSafe(_ text: String) -> String { SandboxDetail.encode(text) }
}

/// A response that ends request handling early.
package struct HTTPErrorResponse: Error {
    package let response: HTTPResponse
    package init(_ response: HTTPResponse) { self.response = response }
}
