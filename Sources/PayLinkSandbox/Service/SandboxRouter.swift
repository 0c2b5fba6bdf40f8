import PayLinkHTTP
import PayLinkCore
import PayLinkAPS
import PayLinkPayByLink
import PayLinkSupport

/// Sends each request to the surface that owns its path. Runs on the server's event loop, so
/// it only compares strings and calls synchronous handlers.
struct SandboxRouter: Sendable {
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
    /// The control API's routes, relative to `/__sandbox/`.
    let controlRoutes: Router

    init(aps: APSEndpoint, control: ControlAPI, hostedPage: HostedPage, apsBatches: APSBatchRoutes, payByLink: PayByLinkEndpoint, dashboard: Dashboard) {
        self.aps = aps
        self.control = control
        self.hostedPage = hostedPage
        self.apsBatches = apsBatches
        self.payByLink = payByLink
        self.dashboard = dashboard
        controlRoutes = control.router()
    }

    /// A response, with what the journal keeps about how it came about.
    struct Routed {
        var response: HTTPResponse
        /// The failed signature check behind an APS 008.
        var failedSignature: SignatureCheck?
    }

    /// Answers a request whose surface the caller has decided (`Surface.of`).
    func handle(_ request: HTTPRequest, surface: Surface) -> Routed {
        if surface == .aps, request.path == Self.apsPaymentPath || request.path == Self.apsPaymentPathWithSlash {
            guard request.method == "POST" else { return Routed(response: JSONResponses.methodNotAllowed(request, allowed: ["POST"])) }
            let reply = aps.handle(body: request.body)
            var response = HTTPResponse(status: 200, headers: JSONResponses.jsonHeaders, body: reply.body)
            if let detail = reply.detail { response.headers.add(name: "X-Sandbox-Detail", value: JSONResponses.headerSafe(detail)) }
            return Routed(response: response, failedSignature: reply.failedSignature)
        }
        return Routed(response: handleOther(request, surface: surface))
    }

    private func handleOther(_ request: HTTPRequest, surface: Surface) -> HTTPResponse {
        let path = request.path
        switch surface {
        case .aps:
            return apsBatches.handle(request) ?? JSONResponses.notFound(request)
        case .control:
            return controlRoutes.handle(request, path: path.dropFirst(Surface.controlPrefix.count))
        case .hostedPage:
            return hostedPage.handle(request, subpath: path.dropFirst(LinkURLs.hostedPagePrefix.count))
        case .payByLink, .other:
            return payByLink.handle(request) ?? JSONResponses.notFound(request)
        case .dashboard:
            return dashboard.handle(request) ?? JSONResponses.notFound(request)
        }
    }
}
