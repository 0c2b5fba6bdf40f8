import PayLinkHTTP
import PayLinkCore
import PayLinkAPS
import PayLinkPayByLink
import PayLinkSupport

/// Sends each request to its surface's route table (each surface keeps its own 404 and 405
/// bodies). Runs on the server's event loop, so it only compares strings and calls
/// synchronous handlers. `POST /FortAPI/paymentApi`, the path nearly every request takes, is
/// matched first with two string comparisons.
struct SandboxRouter: Sendable {
    let aps: APSEndpoint
    /// `POST /FortAPI/paymentPage`, matched before `apsRoutes` so a `008` reaches the journal
    /// with its signature check.
    let paymentPage: PaymentPageEndpoint
    /// Under `/FortAPI/`: the hosted checkout and Merchant Page (`paymentPage`), the batch upload
    /// and batch API (paymentApi is matched before).
    let apsRoutes: Router
    /// Under `/integration-batch/`: the batch API only.
    let integrationBatchRoutes: Router
    /// Under `/__sandbox/`.
    let controlRoutes: Router
    /// Under `/pay/`.
    let hostedPageRoutes: Router
    /// PayByLink: its operations under the base path, short URLs (`/s/`), blob uploads (`/blob/paybylink/`).
    let payByLink: PayByLinkEndpoint
    let payByLinkRoutes: Router
    let shortLinkRoutes: Router
    let blobRoutes: Router
    /// Under `/dashboard/`.
    let dashboardRoutes: Router

    /// The requests that upload files (batch files, blobs, a state export to import), whose
    /// bodies may reach `server.max_upload_bytes` (every other body stops at `server.max_body_bytes`).
    static let uploadRoutes = APSBatchRoutes.uploadPaths.map { UploadRoute(method: "POST", path: Surface.apsPrefix + $0) }
        + [UploadRoute(method: "PUT", path: BlobUploadEndpoint.containerPath, matchesPrefix: true),
           UploadRoute(method: "PUT", path: Surface.controlPrefix + "state")]

    static let apsPaymentPath = "/FortAPI/paymentApi"
    /// The same path with a trailing slash, built once rather than on every request.
    static let apsPaymentPathWithSlash = apsPaymentPath + "/"
    static let paymentPagePaths: Set<String> = [Surface.apsPrefix + PaymentPageEndpoint.path, Surface.apsPrefix + PaymentPageEndpoint.path + "/"]

    init(aps: APSEndpoint, control: ControlAPI, hostedPage: HostedPage, paymentPage: PaymentPageEndpoint, apsBatches: APSBatchRoutes,
         payByLink: PayByLinkEndpoint, dashboard: Dashboard) {
        self.aps = aps
        self.paymentPage = paymentPage
        var apsRoutes = Router()
        // paymentApi is answered before this table; listed so another method on it is a 405.
        for path in ["paymentApi", "paymentApi/"] { apsRoutes.post(path) { request, _ in aps.handle(request).response } }
        apsBatches.add(to: &apsRoutes)
        paymentPage.add(to: &apsRoutes)
        ThreeDSecureChallengePage(context: aps.context).add(to: &apsRoutes)
        self.apsRoutes = apsRoutes
        var integrationBatchRoutes = Router()
        apsBatches.addBatchAPI(to: &integrationBatchRoutes)
        self.integrationBatchRoutes = integrationBatchRoutes
        controlRoutes = control.router()
        hostedPageRoutes = hostedPage.router()
        self.payByLink = payByLink
        payByLinkRoutes = payByLink.router()
        shortLinkRoutes = payByLink.redirect.router()
        blobRoutes = payByLink.uploads.router()
        dashboardRoutes = dashboard.router()
    }

    /// A response, with what the journal keeps about how it came about.
    struct Routed {
        var response: HTTPResponse
        /// The failed signature check behind an APS 008.
        var failedSignature: SignatureCheck?
        /// The APS command the request named and the `response_code` answered, for the request log.
        var command: String?
        var responseCode: String?
    }

    /// Whether the request's route does work too slow for the event loop.
    func runsOffLoop(_ request: HTTPRequest, surface: Surface) -> Bool {
        switch surface {
        // paymentApi, nearly every request, is told apart first, by two comparisons as in `handle`.
        case .aps where request.path == Self.apsPaymentPath || request.path == Self.apsPaymentPathWithSlash:
            false
        case .aps where request.path.startsWithBytes(of: Surface.apsIntegrationBatchPrefix):
            integrationBatchRoutes.runsOffLoop(request, path: request.path.dropFirst(Surface.apsIntegrationBatchPrefix.count))
        case .aps: apsRoutes.runsOffLoop(request, path: request.path.dropFirst(Surface.apsPrefix.count))
        case .control: controlRoutes.runsOffLoop(request, path: request.path.dropFirst(Surface.controlPrefix.count))
        case .dashboard:
            dashboardRoutes.runsOffLoop(request, path: { () -> Substring in
                var relative = request.path.dropFirst(Dashboard.root.count)
                if relative.first == "/" { relative = relative.dropFirst() }
                return relative
            }())
        default: false
        }
    }

    /// Answers a request whose surface the caller has decided (`Surface.of`).
    func handle(_ request: HTTPRequest, surface: Surface) -> Routed {
        let path = request.path
        if surface == .aps, request.method == "POST", path == Self.apsPaymentPath || path == Self.apsPaymentPathWithSlash {
            var reply = aps.handle(request)
            // Taken out, not copied (see `APSEndpoint.handle`).
            return Routed(response: reply.response, failedSignature: reply.failedSignature.take(), command: reply.command.take(),
                          responseCode: reply.code)
        }
        if surface == .aps, request.method == "POST", Self.paymentPagePaths.contains(path) {
            let reply = paymentPage.handle(request)
            return Routed(response: reply.response, failedSignature: reply.failedSignature)
        }
        let response: HTTPResponse
        switch surface {
        case .aps where path.startsWithBytes(of: Surface.apsIntegrationBatchPrefix):
            response = integrationBatchRoutes.handle(request, path: path.dropFirst(Surface.apsIntegrationBatchPrefix.count))
        case .aps: response = apsRoutes.handle(request, path: path.dropFirst(Surface.apsPrefix.count))
        case .control: response = controlRoutes.handle(request, path: path.dropFirst(Surface.controlPrefix.count))
        case .hostedPage: response = hostedPageRoutes.handle(request, path: path.dropFirst(LinkURLs.hostedPagePrefix.count))
        case .payByLink where payByLink.isOperation(path):
            response = payByLinkRoutes.handle(request, path: path.dropFirst(payByLink.basePath.count + 1))
        case .dashboard:
            var relative = path.dropFirst(Dashboard.root.count)
            if relative.first == "/" { relative = relative.dropFirst() }
            response = relative.isEmpty || path.hasPrefix(Dashboard.root + "/")
                ? dashboardRoutes.handle(request, path: relative) : JSONResponses.notFound(request)
        case .payByLink, .other:
            if path.hasPrefix(ShortLinkRedirect.prefix) {
                response = shortLinkRoutes.handle(request, path: path.dropFirst(ShortLinkRedirect.prefix.count))
            } else if path.hasPrefix(BlobUploadEndpoint.containerPath) {
                response = blobRoutes.handle(request, path: path.dropFirst(BlobUploadEndpoint.containerPath.count))
            } else {
                response = JSONResponses.notFound(request)
            }
        }
        return Routed(response: response)
    }
}
