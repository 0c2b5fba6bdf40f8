import PayLinkCore

/// A buy-now-pay-later provider whose checkout the sandbox simulates: the customer signs in
/// with the provider's test credentials, enters a one-time password, sees the installment
/// schedule and approves, declines or cancels. Neither provider's real sandbox is reachable
/// offline, so both are stand-ins, marked as such on every page (docs/aps-bnpl.md).
package enum BNPLProvider: String, Sendable, CaseIterable {
    case tamara
    case tabby

    /// The `payment_option` that selects it.
    package var paymentOption: String { rawValue.uppercased() }

    package init?(paymentOption: String?) {
        guard let option = paymentOption, let provider = BNPLProvider(rawValue: option.lowercased()),
              provider.paymentOption == option else { return nil }
        self = provider
    }

    var displayName: String {
        switch self {
        case .tamara: "Tamara"
        case .tabby: "Tabby"
        }
    }

    /// How the customer signs in: Tamara with a phone number and password, Tabby (as its own
    /// sandbox) with an e-mail and a phone number.
    var signsInWithEmail: Bool { self == .tabby }

    /// The passwords or e-mails the simulated sign-in accepts (`BNPLTestAccounts`).
    func account(email: String, password: String) -> BNPLTestAccounts.Account? {
        switch self {
        case .tamara: password == BNPLTestAccounts.tamaraPassword ? .approves : nil
        case .tabby:
            switch email.lowercased() {
            case BNPLTestAccounts.tabbySuccessEmail: .approves
            case BNPLTestAccounts.tabbyRejectedEmail: .rejectedAfterOTP
            default: nil
            }
        }
    }

    /// The one-time password that passes; any other fails.
    var passingOTP: String {
        switch self {
        case .tamara: BNPLTestAccounts.tamaraOTP
        case .tabby: BNPLTestAccounts.tabbyOTP
        }
    }

    /// Payments in the schedule shown before approval (Tamara "split in 3", Tabby "pay in 4"),
    /// one a month from the merchant's clock.
    var installmentCount: Int {
        switch self {
        case .tamara: 3
        case .tabby: 4
        }
    }
}

/// The simulated providers' test credentials, as the docs list them. Tabby's are the ones
/// Tabby's own testing guide publishes (docs.tabby.ai "Testing Credentials": e-mail
/// `otp.success@tabby.ai` with a +966/+971 5000000 01 phone and OTP 8888; `otp.rejected@tabby.ai`
/// is rejected after the OTP). Tamara's are the sandbox's choice: its test accounts are issued
/// per merchant by APS.
package enum BNPLTestAccounts {
    package static let tamaraPassword = "tamara123"
    package static let tamaraOTP = "123456"
    package static let tabbySuccessEmail = "otp.success@tabby.ai"
    package static let tabbyRejectedEmail = "otp.rejected@tabby.ai"
    package static let tabbyOTP = "8888"
    /// Wrong one-time passwords allowed before the payment is declined (`13787`).
    package static let otpAttempts = 3
    /// A session nobody finishes expires this long after it started, on the merchant's clock.
    package static let sessionLifetimeSeconds: Int64 = 30 * 60

    enum Account: Sendable, Equatable {
        case approves
        case rejectedAfterOTP
    }
}

/// How a simulated provider checkout ends, and the code each outcome reports (one place for all).
enum BNPLVerdict: Sendable, Equatable {
    case approved
    /// Declined on the provider's page (Tamara "decline", Tabby "reject", or Tabby's rejected test e-mail).
    case declined
    /// The customer cancelled: `00072` "Transaction has been cancelled by the consumer", the
    /// code the official WooCommerce plugin reads as a cancellation (`APS_PAYMENT_CANCEL_RESPONSE_CODE`).
    case cancelled
    /// No action within `sessionLifetimeSeconds`: `13778` "Session timed-out".
    case expired
    /// Too many wrong one-time passwords: `13787` "Failed to authenticate the user".
    case authenticationFailed

    /// The failure's code; nil when approved (the command's success code, `14000`).
    var code: APSResponseCode? {
        switch self {
        case .approved: nil
        case .declined: APSResponseCode(status: "13", message: "666")
        case .cancelled: APSResponseCode(status: "00", message: "072")
        case .expired: APSResponseCode(status: "13", message: "778")
        case .authenticationFailed: APSResponseCode(status: "13", message: "787")
        }
    }
}

extension BNPLProvider {
    /// What the hosted checkout needs for either provider: APS's Tamara and Tabby pages say
    /// `phone_number` and `order_description` must always be sent.
    static let requiredFields = ["phone_number", "order_description"]
}
