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
    /// The same merchants as a list when there are few: a scan comparing lengths first beats
    /// hashing the identifier on every request. Empty when the dictionary is used.
    private let few: [Merchant]

    init(_ merchants: [Merchant]) {
        var map: [String: Merchant] = [:]
        for merchant in merchants { map[merchant.identifier] = merchant }
        byIdentifier = map
        few = map.count <= 8 ? Array(map.values) : []
    }

    subscript(identifier: String) -> Merchant? {
        guard !few.isEmpty || byIdentifier.isEmpty else { return byIdentifier[identifier] }
        let length = identifier.utf8.count
        return few.first { $0.identifier.utf8.count == length && $0.identifier == identifier }
    }
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
