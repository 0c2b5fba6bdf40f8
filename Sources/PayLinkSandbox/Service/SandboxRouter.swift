import PayLinkHTTP
import PayLinkCore
import PayLinkAPS
import PayLinkPayByLink
import PayLinkSupport

/// Sends each request to the surface that owns its path. Runs on the server's event loop, so
/// it only compares strings and calls synchronous handlers.
struct SandboxRouter: HTTPRequestHandler {
    let aps: APSEndpoint
    let control: ControlAPI
    let hostedPage: HostedPage
    /// APS batch files: `/FortAPI/upload/` and `/FortAPI/batchApi/`.
    let apsBatches: APSBatchRoutes
    /// PayByLink under its base path, its short URLs (`/s/`) and batch uploads (`/blob/paybylink/`).
    let payByLink: PayByLinkEndpoint
    /// The back office at `/dashboard`.
    let dashboard: Dashboard

    static let apsPaymentPath = "/FortAPI/paymentApi"
    /// The same path with a trailing slash, built once rather than on every request.
    static let apsPaymentPathWithSlash = apsPaymentPath + "/"
    static let controlPrefix = "/__sandbox/"
    static let hostedPagePrefix = "/pay/"

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        let path = request.path
        if path == Self.apsPaymentPath || path == Self.apsPaymentPathWithSlash {
            guard request.method == "POST" else { return JSONResponses.methodNotAllowed(request, allowed: ["POST"]) }
            let reply = aps.handle(body: request.body)
            var response = HTTPResponse(status: 200, headers: JSONResponses.jsonHeaders, body: reply.body)
            if let detail = reply.detail { response.headers.add(name: "X-Sandbox-Detail", value: JSONResponses.headerSafe(detail)) }
            return response
        }
        if path.hasPrefix(Self.controlPrefix) {
            return control.handle(request, subpath: path.dropFirst(Self.controlPrefix.count))
        }
        if path.hasPrefix(Self.hostedPagePrefix) {
            return hostedPage.handle(request, subpath: path.dropFirst(Self.hostedPagePrefix.count))
        }
        if let response = apsBatches.handle(request) { return response }
        if let response = payByLink.handle(request) { return response }
        if let response = dashboard.handle(request) { return response }
        return JSONResponses.notFound(request)
    }
}
