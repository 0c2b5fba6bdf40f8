/// A payment attempt on a link that did not pay it (declined, failed 3-D Secure, uncertain or
/// abandoned). Recorded so tests can see what the customer tried; the link stays Open.
public struct PaymentAttempt: Sendable, Equatable {
    public var at: SandboxInstant
    /// The full APS code the attempt ended with, e.g. `13029`.
    public var responseCode: String
    public var maskedCardNumber: String?

    public init(at: SandboxInstant, responseCode: String, maskedCardNumber: String?) {
        self.at = at
        self.responseCode = responseCode
        self.maskedCardNumber = maskedCardNumber
    }
}
