import PayLinkHTTP
import PayLinkAPS
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// Applies request faults around the normal handling of a request: some replace it (an HTTP
/// status, a forced APS code, a connection dropped before processing), the others damage or
/// slow the response of a request that was processed.
struct RequestFaults: Sendable {
    let registry: FaultRegistry
    /// Writes the forced APS answers, as the endpoint writes its own.
    let aps: APSEndpoint
    /// Finds the link behind a hosted page's token, so faults can match its id and reference.
    let engine: LinkEngine

    /// The fault for this request, if one is armed and fires.
    func take(for request: HTTPRequest, surface: Surface) -> Fault.Action? {
        guard registry.hasRequestFaults else { return nil }
        // Faults are for the integration under test: a person's dashboard page must not use one up.
        if surface == .dashboard { return nil }
        return registry.takeRequestFault(for: target(of: request, surface: surface))
    }

    /// The fault, among those matching on `response_code`, for a request processed with no
    /// fault: decided on the answer, so it only damages or slows it.
    func take(for request: HTTPRequest, surface: Surface, answeredWith response: HTTPResponse) -> Fault.Action? {
        guard registry.hasAnswerFaults, surface != .dashboard, let code = Self.responseCode(of: response) else { return nil }
        var target = target(of: request, surface: surface)
        target.responseCode = code
        return registry.takeRequestFault(for: target)
    }

    /// The `response_code` an answer carries: an APS JSON body's, or the one a hosted page
    /// that ends an attempt names in `X-Sandbox-Response-Code`.
    static func responseCode(of response: HTTPResponse) -> String? {
        if let code = response.headers[HostedPage.responseCodeHeader] { return code }
        guard response.headers["Content-Type"]?.hasPrefix("application/json") == true, response.body.first == UInt8(ascii: "{"),
              let value = try? JSONParser.parse(response.body), case .object(let object) = value else { return nil }
        return object["response_code"]?.stringValue
    }

    func target(of request: HTTPRequest, surface: Surface) -> FaultTarget {
        let path = request.path
        // Faults match the surfaces a client integrates with; the control API counts as "other".
        let dialect = surface == .control || surface == .dashboard ? Surface.other.rawValue : surface.rawValue
        var target = FaultTarget(dialect: dialect, path: path, method: request.method)
        if surface == .aps, let value = try? JSONParser.parse(request.body), case .object(let object) = value {
            target.command = object["service_command"]?.stringValue ?? object["query_command"]?.stringValue ?? object["command"]?.stringValue
            target.paymentLinkID = object["payment_link_id"]?.stringValue
            target.merchantReference = object["merchant_reference"]?.stringValue
            target.merchantIdentifier = object["merchant_identifier"]?.stringValue
        } else if surface == .hostedPage, let token = path.dropFirst(LinkURLs.hostedPagePrefix.count).split(separator: "/").first,
                  let view = engine.link(token: String(token)) {
            target.paymentLinkID = view.link.id
            target.merchantReference = view.link.merchantReference
            target.merchantIdentifier = view.link.merchantIdentifier
        }
        return target
    }

    /// Whether the action replaces processing (the request never reaches the sandbox's state).
    static func replacesProcessing(_ action: Fault.Action) -> Bool {
        switch action {
        case .httpStatus, .responseCode, .dropConnection(afterProcessing: false): true
        default: false
        }
    }

    /// The response of a request the fault kept from being processed.
    func replacement(for action: Fault.Action, request: HTTPRequest) -> HTTPResponse {
        switch action {
        case .httpStatus(let status, let body):
            let json = body.first == "{" || body.first == "["
            var response = HTTPResponse(status: status, headers: ["Content-Type": json ? "application/json" : "text/plain; charset=utf-8"], body: Array(body.utf8))
            response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode("HTTP \(status) from an http_status fault; the request was not processed"))
            return response
        case .responseCode(let code):
            return aps.forcedResponse(code: code, requestBody: request.body)
        default:
            var response = HTTPResponse(status: 500)
            response.transmission = .closeWithoutResponse
            return response
        }
    }

    /// A processed request's response, damaged or slowed as the fault says.
    func damage(_ response: HTTPResponse, with action: Fault.Action) -> HTTPResponse {
        var damaged = response
        switch action {
        case .delay(let ms): damaged.transmission = .delayed(milliseconds: ms)
        case .dropConnection: damaged.transmission = .closeWithoutResponse
        case .truncatedBody: damaged.transmission = .truncated(bodyBytes: response.body.count / 2)
        case .slowDrip(let bytes, let interval): damaged.transmission = .drip(bytes: bytes, intervalMilliseconds: interval)
        case .malformedJSON:
            // Cut off mid-object, with a framing that matches: the HTTP is fine, the JSON is not.
            damaged.body = Array(response.body.prefix(max(1, response.body.count * 2 / 3)))
        case .wrongSignature:
            damaged.body = Self.corruptingSignature(response.body)
        default: break
        }
        return damaged
    }

    /// The body with its `signature` value's characters shifted, so it no longer verifies.
    static func corruptingSignature(_ body: [UInt8]) -> [UInt8] {
        guard let value = try? JSONParser.parse(body), case .object(var object) = value, let signature = object["signature"]?.stringValue else {
            return body
        }
        let flipped = String(signature.map { $0 == "0" ? "1" : $0 == "f" ? "e" : $0 == "a" ? "b" : "0" }.prefix(signature.count))
        object["signature"] = .string(flipped == signature ? String(signature.reversed()) : flipped)
        return object.serialized()
    }

    /// A fault as the journal names it.
    static func name(_ action: Fault.Action) -> String {
        switch action {
        case .delay(let ms): "delay \(ms) ms"
        case .httpStatus(let status, _): "http_status \(status)"
        case .dropConnection(let after): after ? "drop_connection after processing" : "drop_connection before processing"
        case .truncatedBody: "truncated_body"
        case .malformedJSON: "malformed_json"
        case .wrongSignature: "wrong_signature"
        case .responseCode(let code): "response_code \(code)"
        case .slowDrip(let bytes, let interval): "slow_drip \(bytes) bytes every \(interval) ms"
        default: "notification fault"
        }
    }
}
