import PayLinkCore

/// The codes the valU steps answer, in one place (docs/aps-wallets.md explains each).
///
/// The success codes are those the official WooCommerce plugin checks
/// (`lib/class-aps-constants.php`): `90000` customer verified, `88000` OTP generated, `92182`
/// OTP verified, `14000` purchase; `00160` is its "customer verify failed". The failure
/// statuses are APS's own (89 "ValU OTP Generate Failure Status", 93 "Failed OTP verify",
/// 13 "Purchase Failure"); the messages under them are the sandbox's choice of the nearest
/// catalog entry.
enum ValuCodes {
    static let customerVerified = APSResponseCode(status: "90", message: "000")
    static let otpGenerated = APSResponseCode(status: "88", message: "000")
    static let otpVerified = APSResponseCode(status: "92", message: "182")

    static let otpGenerationFailed = "89"
    static let otpVerifyFailed = "93"
    static let purchaseFailed = TransactionCommand.purchase.failureStatus

    /// Not a valU customer (the plugin's `00160`).
    static let notACustomer = "160"
    /// The amount is more than the customer's valU limit.
    static let overLimit = "746"
    /// The step does not match the OTP generated for this `merchant_reference` (or none was).
    static let parameterMismatch = "748"
    /// Wrong one-time password: 787 "Failed to authenticate the user" (as STC Pay's).
    static let wrongOTP = "787"
    /// The purchase test number's decline: 666 "Transaction declined".
    static let declined = "666"
    /// A tenure the OTP step did not offer: 033 "Parameter value not allowed".
    static let tenureNotOffered = "033"
}
