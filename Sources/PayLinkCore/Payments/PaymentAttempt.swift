/// A payment attempt on a link that did not pay it (declined, failed 3-D Secure, uncertain or
/// abandoned). Recorded so tests can see what the customer tried; the link stays Open.
public struct PaymentAttempt: Sendable, Equatable {
    public var at: SandboxInstant
    /// The full APS code the attempt ended with, e.g. `13029`.
    public var responseCode: String
    public var maskedCardNumber: String?
    /// The transaction's `fort_id` when the attempt reached the acquirer.
    public var fortID: String?

    public init(at: SandboxInstant, responseCode: String, maskedCardNumber: String?, fortID: String? = nil) {
        self.at = at
        self.responseCode = responseCode
        self.maskedCardNumber = maskedCardNumber
        self.fortID = fortID
    }
}
