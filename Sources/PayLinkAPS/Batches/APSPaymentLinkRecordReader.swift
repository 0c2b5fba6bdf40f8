/// Reads an APS payment-link file's record straight into `PaymentLinkFields`, the values
/// `PAYMENT_LINK` checks, by each column's place in the header. It exists for speed: making a
/// `JSONObject` of the record and looking each parameter up in it by name was most of what a
/// batch's reading thread spent outside the checks. `PaymentLinkCommand.terms` checks the
/// fields either way, so a record fails as the request it stands for would; a test reads good
/// and bad records both ways and compares the outcomes.
struct APSPaymentLinkRecordReader: Sendable {
    /// The field of `PaymentLinkFields` a column fills.
    enum Slot: Sendable {
        case merchantReference, amount, currency, language, customerEmail, requestExpiryDate, notificationType
        case linkCommand, paymentOption, orderDescription, customerName, customerPhone, returnURL, paymentLinkID

        init?(column: String) {
            switch column {
            case "merchant_reference": self = .merchantReference
            case "amount": self = .amount
            case "currency": self = .currency
            case "language": self = .language
            case "customer_email": self = .customerEmail
            case "request_expiry_date": self = .requestExpiryDate
            case "notification_type": self = .notificationType
            case "link_command": self = .linkCommand
            case "payment_option": self = .paymentOption
            case "order_description": self = .orderDescription
            case "customer_name": self = .customerName
            case "customer_phone": self = .customerPhone
            case "return_url": self = .returnURL
            case "payment_link_id": self = .paymentLinkID
            default: return nil
            }
        }
    }

    /// Each column's field, in the header's order (the header names only known columns, each once).
    let slots: [Slot]

    init(columns: [String]) {
        slots = columns.map { column in
            guard let slot = Slot(column: column) else { preconditionFailure("unknown APS batch column \(column)") }
            return slot
        }
    }

    /// A record's cells as `PAYMENT_LINK`'s values: an empty cell is a value left out, and a
    /// record without a language takes the upload's.
    func fields(_ cells: [String], language uploadLanguage: String) -> PaymentLinkFields {
        var fields = PaymentLinkFields()
        for (slot, cell) in zip(slots, cells) where !cell.isEmpty {
            switch slot {
            case .merchantReference: fields.merchantReference = cell
            case .amount: fields.amount = cell
            case .currency: fields.currency = cell
            case .language: fields.language = cell
            case .customerEmail: fields.customerEmail = cell
            case .requestExpiryDate: fields.requestExpiryDate = cell
            case .notificationType: fields.notificationType = cell
            case .linkCommand: fields.linkCommand = cell
            case .paymentOption: fields.paymentOption = cell
            case .orderDescription: fields.orderDescription = cell
            case .customerName: fields.customerName = cell
            case .customerPhone: fields.customerPhone = cell
            case .returnURL: fields.returnURL = cell
            case .paymentLinkID: fields.paymentLinkID = cell
            }
        }
        if fields.language == nil { fields.language = uploadLanguage }
        return fields
    }
}
