/// What an STC Pay wallet's mobile number does in the sandbox, after the right one-time
/// password (docs/aps-wallets.md, "STC Pay").
///
/// STC Pay publishes no sandbox wallets, so these are the sandbox's own: every Saudi mobile
/// number (`SaudiMobileNumber`) is a wallet that pays, except `declining`, whose wallet has
/// too little money: declined with 747 "Insufficient Wallet Balance".
public enum StcPayTestNumbers {
    /// A wallet that pays (any other valid number does too).
    public static let approving = "0500000001"
    /// A wallet without enough balance.
    public static let declining = "0500000747"
    /// The message code of `declining`'s decline.
    public static let insufficientBalance = "747"

    /// The decline's message code for this wallet, nil when it pays. `9665…` and `+9665…`
    /// forms are the `05…` number.
    public static func declineMessage(for phoneNumber: String?) -> String? {
        guard let phoneNumber else { return nil }
        var local = phoneNumber
        if local.hasPrefix("+9665") { local = "0" + local.dropFirst(4) } else if local.hasPrefix("9665") { local = "0" + local.dropFirst(3) }
        return local == declining ? insufficientBalance : nil
    }
}
