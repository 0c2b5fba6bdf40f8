import Synchronization

/// The public base URL that `payment_link` URLs start with. Set once the port is bound, since
/// with `--port 0` it is not known before.
package final class LinkURLs: Sendable {
    private let base: Mutex<String>

    package init(base: String) { self.base = Mutex(base) }

    package var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    /// The hosted page of a link: `{public_url}/pay/{token}`.
    package func paymentLink(token: String) -> String { baseURL + Self.hostedPagePrefix + token }

    /// Where hosted pages live: `/pay/{token}`.
    package static let hostedPagePrefix = "/pay/"
}
