import PayLinkCore
import PayLinkJSON

/// The two objects an Apple Pay request carries, as the official SDKs build them from the
/// token Apple's `ApplePaySession` hands the page (`paymentData.header`, `paymentMethod`, each
/// key prefixed `apple_`): the PHP SDK's `ApplePayAuthorization` keeps exactly these members,
/// the .NET SDK's `ApplePayHeader` and `ApplePayPaymentMethod` have exactly these properties.
///
/// Each member is required and a non-empty string: a missing one is `00001`, a value of
/// another type `00002`, the detail naming it (`apple_header.apple_transactionId`). Other
/// members (the WooCommerce plugin copies every key of Apple's header) are allowed if they are
/// strings; all are echoed and signed as sent, in the order sent.
enum ApplePayStructures {
    static let header = "apple_header"
    static let headerMembers = ["apple_ephemeralPublicKey", "apple_publicKeyHash", "apple_transactionId"]
    static let paymentMethod = "apple_paymentMethod"
    static let paymentMethodMembers = ["apple_displayName", "apple_network", "apple_type"]

    /// The required members of the object `name`, by name.
    static func read(_ name: String, members required: [String], in object: JSONObject) throws(APSFailure) -> [String: String] {
        let value = object[name]
        switch value {
        case nil, .null?: throw .missing(name)
        case .object(let nested)?:
            var read: [String: String] = [:]
            for member in nested.members {
                guard case .string(let text) = member.value else {
                    if case .null = member.value { continue }
                    throw .format("\(name).\(member.key)", "must be a string")
                }
                if !text.isEmpty { read[member.key] = text }
            }
            if nested.hasDuplicateKeys, let key = nested.duplicateKeys.first {
                throw .format("\(name).\(key)", "appears more than once")
            }
            for member in required where read[member] == nil { throw .missing("\(name).\(member)") }
            return read
        default:
            throw .format(name, "must be an object of \(required.joined(separator: ", "))")
        }
    }

    /// `payment_option` of the network Apple names (`Visa`, `MasterCard`, `AmEx`, `mada`, as
    /// `PKPaymentNetwork` spells them; any case). Other networks are refused (`00002`).
    static func paymentOption(network: String) throws(APSFailure) -> String {
        switch network.lowercased() {
        case "visa": "VISA"
        case "mastercard": "MASTERCARD"
        case "amex", "americanexpress": "AMEX"
        case "mada": "MADA"
        default: throw .format("\(paymentMethod).apple_network", "the sandbox takes Visa, MasterCard, AmEx and mada, not \(network)")
        }
    }
}
