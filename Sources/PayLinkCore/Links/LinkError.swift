/// Why the state machine or the store refused a request. Each case knows the APS message
/// code it becomes, so dialects translate without a table of their own.
public enum LinkError: Error, Sendable, Equatable {
    case notFound
    case duplicateMerchantReference
    case duplicateLinkID
    case alreadyPaid
    case alreadyOpen
    case expired
    case closed
    case expiryNotInFuture
    /// An uncertain payment of the link awaits its resolution (784).
    case transactionPending

    /// The three-digit APS message code.
    public var apsMessageCode: String {
        switch self {
        case .notFound: "149"                  // Payment link request id not found
        case .duplicateMerchantReference: "066" // Merchant reference already exists
        case .duplicateLinkID: "126"           // Duplicate invoice ID
        case .alreadyPaid: "125"               // Invoice already paid
        case .alreadyOpen: "150"               // Payment link is already open
        case .expired: "115"                   // Expired invoice payment link
        case .closed: "773"                    // Transaction closed
        case .expiryNotInFuture: "002"         // Invalid parameter format
        case .transactionPending: "784"        // Transaction still processing you can't make another transaction
        }
    }

    public var explanation: String {
        switch self {
        case .notFound: "no payment link matches the given payment_link_id or merchant_reference"
        case .duplicateMerchantReference: "this merchant already has a link with that merchant_reference"
        case .duplicateLinkID: "a link with that payment_link_id already exists"
        case .alreadyPaid: "the link is Paid and can no longer change"
        case .alreadyOpen: "the link is already Open"
        case .expired: "the link is Expired: extend request_expiry_date to reopen it"
        case .closed: "the link is Closed: set payment_link_status to Open to reopen it"
        case .expiryNotInFuture: "request_expiry_date must lie in the future"
        case .transactionPending: "an uncertain payment of this link is still being resolved"
        }
    }
}
