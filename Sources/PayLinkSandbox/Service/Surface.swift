import PayLinkCore

/// Which part of the sandbox a request is for, decided once from its path and handed to the
/// router, the faults and the journal.
package enum Surface: String, Sendable {
    /// `/FortAPI/…`: paymentApi, batch uploads and the batch API; and `/integration-batch/batchApi/`.
    case aps
    /// The hosted payment page, `/pay/{token}…`.
    case hostedPage = "hosted_page"
    /// PayByLink's operations under its base path.
    case payByLink = "paybylink"
    /// `/dashboard…`, the back office a person uses.
    case dashboard
    /// `/__sandbox/…`, the control API.
    case control
    /// Anything else: PayByLink's short URLs and blob uploads, unknown paths.
    case other

    static let apsPrefix = "/FortAPI/"
    /// The old PayFort docs send PROCESS_BATCH to `https://sbbatch.payfort.com/integration-batch/batchApi/`
    /// (sandbox): the batch API answers there too.
    static let apsIntegrationBatchPrefix = "/integration-batch/"
    static let controlPrefix = "/__sandbox/"

    /// The surface of `path`; `payByLinkBasePath` is configured (`/paybylink/v1` by default).
    static func of(_ path: String, payByLinkBasePath: String) -> Surface {
        if path.hasPrefix(apsPrefix) || path.hasPrefix(apsIntegrationBatchPrefix) { return .aps }
        if path.hasPrefix(controlPrefix) { return .control }
        if path.hasPrefix(LinkURLs.hostedPagePrefix) { return .hostedPage }
        if path.hasPrefix(payByLinkBasePath) { return .payByLink }
        if path.hasPrefix(Dashboard.root) { return .dashboard }
        return .other
    }
}
