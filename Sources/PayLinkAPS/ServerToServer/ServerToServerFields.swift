import PayLinkCore

/// Field rules of the server-to-server payment tables that the payment-link tables lack
/// (old PayFort docs `recurringparameters.md`, `motoparameters.md`, `trustedchannelparameters.md`).
enum ServerToServerFields {
    static let tokenName = APSFieldRule("token_name", .alphanumeric, 100, specials: ".@-_")
    static let phoneNumber = APSFieldRule("phone_number", .alphanumeric, 19, specials: "+-() ")
}
