/// The fields a merchant sends only to have them back in the feedback, and the customer's
/// address, as the old PayFort parameter tables give them (redirection and invoicing pages).
extension APSFields {
    /// `merchant_extra` (999) and `merchant_extra1` … `merchant_extra5` (250 each): "Will be
    /// received and sent back as received"; letters, digits, `. ; / _ - , ' @` and space.
    package static let merchantExtras: [APSFieldRule] = [APSFieldRule("merchant_extra", .alphanumeric, 999, specials: ".;/_-,'@ ")]
        + (1...5).map { APSFieldRule("merchant_extra\($0)", .alphanumeric, 250, specials: ".;/_-,'@ ") }
    package static let merchantExtraNames = merchantExtras.map(\.name)
    package static let settlementReference = APSFieldRule("settlement_reference", .alphanumeric, 34, specials: "-_.")
    /// "We support IPv4 and IPv6": digits, hex letters, `.` and `:`.
    package static let customerIP = APSFieldRule("customer_ip", .alphanumeric, 45, specials: ".:")
}
