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
        if path.startsWithBytes(of: apsPrefix) || path.startsWithBytes(of: apsIntegrationBatchPrefix) { return .aps }
        if path.startsWithBytes(of: controlPrefix) { return .control }
        if path.startsWithBytes(of: LinkURLs.hostedPagePrefix) { return .hostedPage }
        if path.startsWithBytes(of: payByLinkBasePath) { return .payByLink }
        if path.startsWithBytes(of: Dashboard.root) { return .dashboard }
        return .other
    }
}

extension String {
    /// Whether the string's UTF-8 begins with `prefix`'s, compared as bytes. For a request's
    /// path this is what `hasPrefix` answers (the parser takes a target of printable ASCII
    /// only, where characters are bytes) without its Unicode comparison: two calls a
    /// paymentApi request cost 363 instructions, 155 of them asking whether the matched
    /// prefix ends on a character boundary.
    func startsWithBytes(of prefix: String) -> Bool {
        let matched = utf8.withContiguousStorageIfAvailable { bytes in
            prefix.utf8.withContiguousStorageIfAvailable { prefix in
                bytes.count >= prefix.count && prefix.indices.allSatisfy { bytes[$0] == prefix[$0] }
            }
        }
        return (matched ?? nil) ?? utf8.starts(with: prefix.utf8)
    }
}
