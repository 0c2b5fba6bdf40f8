/// Who a batch file belongs to: an APS merchant or a PayByLink subscription. Each sees only
/// its own, and a reset of one forgets only its own.
public enum Owner: Hashable, Sendable, CustomStringConvertible {
    /// An APS merchant, by `merchant_identifier`.
    case apsMerchant(String)
    /// A PayByLink subscription, by its key.
    case payByLink(subscription: String)

    /// The form state snapshots keep: `aps:` or `paybylink:` and the identifier.
    public var description: String {
        switch self {
        case .apsMerchant(let identifier): "aps:" + identifier
        case .payByLink(let subscription): "paybylink:" + subscription
        }
    }

    /// Reads `description`'s form back; nil for anything else.
    public init?(stored text: String) {
        if text.hasPrefix("aps:"), text.count > 4 {
            self = .apsMerchant(String(text.dropFirst(4)))
        } else if text.hasPrefix("paybylink:"), text.count > 10 {
            self = .payByLink(subscription: String(text.dropFirst(10)))
        } else {
            return nil
        }
    }

    public var isPayByLink: Bool {
        if case .payByLink = self { true } else { false }
    }
}
