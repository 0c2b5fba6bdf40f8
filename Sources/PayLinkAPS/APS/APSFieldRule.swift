import PayLinkCore
import PayLinkSupport

/// One row of an APS field table: type, maximum length and the special characters allowed.
/// A value too long is 032 "Invalid parameter length"; a character outside the type is 002.
package struct APSFieldRule: Sendable {
    package enum Kind: Sendable { case alpha, alphanumeric, numeric }

    package let name: String
    package let kind: Kind
    package let maxLength: Int
    package let specials: Set<Character>
    /// Which ASCII bytes the field allows: most values are ASCII, and checking bytes against a
    /// table avoids Swift's grapheme breaking on the request path.
    private let asciiAllowed: [Bool]

    package init(_ name: String, _ kind: Kind, _ maxLength: Int, specials: String = "") {
        self.name = name
        self.kind = kind
        self.maxLength = maxLength
        self.specials = Set(specials)
        var table = [Bool](repeating: false, count: 128)
        for byte in 0..<128 {
            table[byte] = Self.allows(Character(Unicode.Scalar(UInt8(byte))), kind: kind, specials: self.specials)
        }
        asciiAllowed = table
    }

    /// Checks length then characters. Letters include non-Latin ones (Arabic names are normal).
    package func check(_ value: String) throws(APSFailure) {
        var value = value
        // One pass over the UTF-8: nil when every byte is allowed ASCII, else the first byte
        // that is not allowed or not ASCII.
        let firstRefused: UInt8? = value.withUTF8 { bytes in
            asciiAllowed.withUnsafeBufferPointer { allowed in
                for byte in bytes where byte >= 0x80 || !allowed[Int(byte)] { return byte }
                return nil
            }
        }
        // All-ASCII values: the length, then the first character not allowed. (Only a refused
        // value needs the second look to know whether non-ASCII follows.)
        let allASCII = firstRefused.map { $0 < 0x80 && value.utf8.allSatisfy { $0 < 0x80 } } ?? true
        if allASCII {
            guard value.utf8.count <= maxLength else { throw .length(name, max: maxLength) }
            if let byte = firstRefused {
                throw .format(name, "character '\(Character(Unicode.Scalar(byte)))' is not allowed")
            }
            return
        }
        guard value.count <= maxLength else { throw .length(name, max: maxLength) }
        for ch in value where !Self.allows(ch, kind: kind, specials: specials) {
            throw .format(name, "character '\(ch)' is not allowed")
        }
    }

    private static func allows(_ ch: Character, kind: Kind, specials: Set<Character>) -> Bool {
        if specials.contains(ch) { return true }
        switch kind {
        case .alpha: return ch.isLetter
        case .alphanumeric: return ch.isLetter || ch.isASCIIDigit
        case .numeric: return ch.isASCIIDigit
        }
    }
}

/// The field tables of the payment-link commands (old PayFort invoicing parameters and the
/// current APS pages), in one place so every command checks a field the same way.
package enum APSFields {
    package static let serviceCommand = APSFieldRule("service_command", .alpha, 20, specials: "_")
    // The payment-link table says Alpha 20, but its own value CHECK_PAYMENT_LINK_STATUS has 25
    // characters; CHECK_STATUS documents query_command as Alpha 50, which is used here.
    package static let queryCommand = APSFieldRule("query_command", .alpha, 50, specials: "_")
    package static let accessCode = APSFieldRule("access_code", .alphanumeric, 20)
    package static let merchantIdentifier = APSFieldRule("merchant_identifier", .alphanumeric, 20)
    package static let merchantReference = APSFieldRule("merchant_reference", .alphanumeric, 40, specials: "-_.")
    package static let language = APSFieldRule("language", .alpha, 2)
    package static let customerEmail = APSFieldRule("customer_email", .alphanumeric, 254, specials: "_-.@+")
    package static let requestExpiryDate = APSFieldRule("request_expiry_date", .alphanumeric, 25, specials: "+:-.")
    package static let notificationType = APSFieldRule("notification_type", .alpha, 20, specials: ",")
    package static let signature = APSFieldRule("signature", .alphanumeric, 200)
    package static let linkCommand = APSFieldRule("link_command", .alphanumeric, 15, specials: "_")
    package static let paymentLinkID = APSFieldRule("payment_link_id", .alphanumeric, 20, specials: "-_.")
    package static let paymentOption = APSFieldRule("payment_option", .alpha, 10, specials: "_")
    package static let orderDescription = APSFieldRule("order_description", .alphanumeric, 150, specials: "'/._-#:$ ")
    package static let customerName = APSFieldRule("customer_name", .alpha, 40, specials: "_\\/-.' ")
    package static let customerPhone = APSFieldRule("customer_phone", .numeric, 19)
    // The table allows `$ ! = ? # & _ - / : .`; `%` is added because percent-encoding is
    // unavoidable in real return URLs.
    package static let returnURL = APSFieldRule("return_url", .alphanumeric, 400, specials: "$!=?#&_-/:.%")
    package static let paymentLinkStatus = APSFieldRule("payment_link_status", .alpha, 10)
    package static let currency = APSFieldRule("currency", .alpha, 3)
    package static let fortID = APSFieldRule("fort_id", .numeric, 20)
    package static let maintenanceReference = APSFieldRule("maintenance_reference", .alphanumeric, 200, specials: "-_.")
    package static let command = APSFieldRule("command", .alpha, 20, specials: "_")

    /// `payment_option` values a link may restrict itself to (old invoicing table plus the
    /// wallets and local schemes newer plugins name). Tamara is refused: "Payment Links are
    /// not supported for Tamara transactions".
    package static let paymentOptions: Set<String> = [
        "MASTERCARD", "VISA", "AMEX", "SADAD", "NAPS", "KNET", "MADA", "MEEZA",
        "STCPAY", "TABBY", "VALU", "BENEFIT", "OMANNET",
    ]
}
