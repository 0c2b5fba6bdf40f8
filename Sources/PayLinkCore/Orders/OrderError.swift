/// Why an operation on an order was refused; each case knows its APS message code.
public enum OrderError: Error, Sendable, Equatable {
    case notFound
    /// CAPTURE or VOID on a purchase, REFUND before any capture, VOID after a capture.
    case operationNotAllowed
    /// More than the authorization leaves to capture (042).
    case exceedsAuthorizedAmount
    /// More than the captures leave to refund (048).
    case exceedsCapturedAmount
    case alreadyVoided
    /// VOID after the 7-day window (the authorization has lapsed).
    case authorizationExpired
    case invalidAmount
    case currencyMismatch
    /// A refund whose `maintenance_reference` already succeeded.
    case duplicateMaintenanceReference
    /// The payment is uncertain (status 15) and not resolved yet (662).
    case notConfirmed
    /// A VOID_AUTHORIZATION whose amount is not the authorized amount (005): "Partial voids are not supported".
    case partialVoid

    public var apsMessageCode: String {
        switch self {
        case .notFound: "036"                    // Order not found
        case .operationNotAllowed: "034"         // Operation not allowed
        case .exceedsAuthorizedAmount: "042"     // Operation amount exceeds the authorized amount
        case .exceedsCapturedAmount: "048"       // Operation amount exceeds captured amount
        case .alreadyVoided: "047"               // Order already processed
        case .authorizationExpired: "034"        // Operation not allowed
        case .invalidAmount: "005"               // Invalid amount
        case .currencyMismatch: "013"            // Invalid currency
        case .duplicateMaintenanceReference: "047" // Order already processed
        case .notConfirmed: "662"                // Operation not allowed. The specified order is not confirmed yet
        case .partialVoid: "005"                 // Invalid amount
        }
    }

    public var explanation: String {
        switch self {
        case .notFound: "no order matches the given fort_id or merchant_reference"
        case .operationNotAllowed: "the operation is not allowed in the order's state"
        case .exceedsAuthorizedAmount: "the amount exceeds what the authorization leaves to capture"
        case .exceedsCapturedAmount: "the amount exceeds what the captures leave to refund"
        case .alreadyVoided: "the authorization was already voided"
        case .authorizationExpired: "authorizations can be voided within 7 days only"
        case .invalidAmount: "the amount must be a positive integer in minor units"
        case .currencyMismatch: "the currency must match the order's"
        case .duplicateMaintenanceReference: "a refund with this maintenance_reference already succeeded"
        case .notConfirmed: "the payment is uncertain and not resolved yet"
        case .partialVoid: "partial voids are not supported: the amount must be the whole authorized amount"
        }
    }
}
