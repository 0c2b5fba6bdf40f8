import PayLinkCore
import Synchronization

/// What the APS commands work with: the merchants, the link engine and URL settings.
struct APSContext: Sendable {
    let merchants: MerchantDirectory
    let engine: LinkEngine
    /// E-mails and SMS the sandbox "sent".
    let outbox: Outbox
    /// Signed server-to-server notifications for the merchants' `notification_url`.
    let notifier: FeedbackNotifier
    let links: LinkURLs
    /// How empty-valued parameters enter the signature this sandbox verifies (see `EmptyValuePolicy`).
    let emptyValues: EmptyValuePolicy
    /// The request journal (read by the control API).
    let journal: Journal
}

/// Merchants by `merchant_identifier`.
struct MerchantDirectory: Sendable {
    private let byIdentifier: [String: Merchant]

    init(_ merchants: [Merchant]) {
        var map: [String: Merchant] = [:]
        for merchant in merchants { map[merchant.identifier] = merchant }
        byIdentifier = map
    }

    subscript(identifier: String) -> Merchant? { byIdentifier[identifier] }
    var all: [Merchant] { Array(byIdentifier.values).sorted { $0.identifier < $1.identifier } }
}

/// The public base URL that `payment_link` URLs start with. Set once the port is bound, since
/// with `--port 0` it is not known before.
final class LinkURLs: Sendable {
    private let base: Mutex<String>

    init(base: String) { self.base = Mutex(base) }

    var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    /// The hosted page of a link: `{public_url}/pay/{token}`.
    func paymentLink(token: String) -> String { baseURL + "/pay/" + token }
}
