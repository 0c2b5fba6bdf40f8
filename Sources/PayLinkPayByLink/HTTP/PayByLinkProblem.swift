import PayLinkHTTP
import PayLinkJSON

/// The error bodies of the PayByLink dialect. Validation and state errors are ASP.NET Core
/// problem details (`{"type","title","status","errors":{"Field":["message"]}}`), as a .NET
/// backend behind Azure API Management answers; the gateway's own refusals (401, unknown
/// operation) keep APIM's `{"statusCode","message"}` shape.
enum PayByLinkProblem {
    static let problemHeaders: HTTPHeaders = ["Content-Type": "application/problem+json; charset=utf-8"]
    static let jsonHeaders: HTTPHeaders = ["Content-Type": "application/json; charset=utf-8"]

    /// 400 naming every bad field, each with all its messages.
    static func validation(_ errors: FieldErrors) -> HTTPResponse {
        problem(400, type: "https://tools.ietf.org/html/rfc9110#section-15.5.1", title: "One or more validation errors occurred.",
                extra: ["errors": .object(errors.json)], detail: errors.summary)
    }

    static func notFound(_ detail: String) -> HTTPResponse {
        problem(404, type: "https://tools.ietf.org/html/rfc9110#section-15.5.5", title: "Not Found", extra: ["detail": .string(detail)])
    }

    static func conflict(_ detail: String, extra: JSONObject = [:]) -> HTTPResponse {
        var members: JSONObject = ["detail": .string(detail)]
        for (key, value) in extra { members[key] = value }
        return problem(409, type: "https://tools.ietf.org/html/rfc9110#section-15.5.10", title: "Conflict", extra: members)
    }

    static func methodNotAllowed(_ request: HTTPRequest, allowed: [String]) -> HTTPResponse {
        var response = problem(405, type: "https://tools.ietf.org/html/rfc9110#section-15.5.6", title: "Method Not Allowed",
                               extra: ["detail": .string("\(request.method) is not allowed on \(request.path); use \(allowed.joined(separator: ", "))")])
        response.headers.add(name: "Allow", value: allowed.joined(separator: ", "))
        return response
    }

    /// APIM's answer when no key, or no configured key, came with the call.
    static func accessDenied(missing: Bool) -> HTTPResponse {
        let message = missing
            ? "Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API."
            : "Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription."
        var response = HTTPResponse(status: 401, headers: jsonHeaders, body: (["statusCode": 401, "message": .string(message)] as JSONObject).serialized())
        response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(message))
        response.headers.add(name: "WWW-Authenticate", value: "AzureApiManagementKey realm=\"PayByLink\",name=\"Ocp-Apim-Subscription-Key\",type=\"header\"")
        return response
    }

    /// APIM's answer for a path no operation matches (it names the path too, as every sandbox 404 does).
    static func resourceNotFound(_ request: HTTPRequest) -> HTTPResponse {
        var response = HTTPResponse(status: 404, headers: jsonHeaders, body: ([
            "statusCode": 404, "message": "Resource not found", "path": .string(request.path),
        ] as JSONObject).serialized())
        response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode("no PayByLink operation at \(request.method) \(request.path)"))
        return response
    }

    /// The body, and its `detail` (else `title`, or the field errors' summary) in `X-Sandbox-Detail`.
    private static func problem(_ status: Int, type: String, title: String, extra: JSONObject, detail: String? = nil) -> HTTPResponse {
        var body: JSONObject = ["type": .string(type), "title": .string(title), "status": .number(status)]
        for (key, value) in extra { body[key] = value }
        var response = HTTPResponse(status: status, headers: problemHeaders, body: body.serialized())
        response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(detail ?? body["detail"]?.stringValue ?? title))
        return response
    }
}

/// Field names with their messages, in the order first met.
package struct FieldErrors: Error, Sendable, Equatable {
    private(set) var entries: [(field: String, messages: [String])] = []

    package var isEmpty: Bool { entries.isEmpty }

    package func contains(_ field: String) -> Bool { entries.contains { $0.field == field } }

    package mutating func add(_ field: String, _ message: String) {
        if let index = entries.firstIndex(where: { $0.field == field }) {
            entries[index].messages.append(message)
        } else {
            entries.append((field, [message]))
        }
    }

    /// Every field with its messages on one line: `Amount: The Amount field is required.; Email: …`.
    package var summary: String {
        entries.map { "\($0.field): \($0.messages.joined(separator: " "))" }.joined(separator: "; ")
    }

    package var json: JSONObject {
        JSONObject(entries.map { JSONObject.Member(key: $0.field, value: .array($0.messages.map { .string($0) })) })
    }

    package static func == (lhs: FieldErrors, rhs: FieldErrors) -> Bool {
        lhs.entries.map(\.field) == rhs.entries.map(\.field) && lhs.entries.map(\.messages) == rhs.entries.map(\.messages)
    }
}
