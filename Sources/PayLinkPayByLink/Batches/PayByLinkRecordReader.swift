import PayLinkCore
import PayLinkSupport

/// Reads a PayByLink batch record's fields straight into a `RequestDraft`, with the checks and
/// messages `RequestDraft.read` gives the request body a record stands for (its columns as
/// string properties, `Amount` as a number, the customer's columns under `Customer`), in the
/// same order, so the same record fails with the same errors. It exists for speed: building a
/// `JSONObject` and reading it back through `PropertyReader` was nearly a third of a batch's
/// reading thread. A test reads good and bad records both ways and compares the outcomes.
struct PayByLinkRecordReader: Sendable {
    /// The field of `RequestDraft` a column fills.
    enum Slot: Sendable {
        case clientTransactionRef, accountReference, amount, reason, passphrase, channel, expiryDate, callbackURL
        case firstName, lastName, mobileNumber, email

        init?(column: String) {
            switch column {
            case "ClientTransactionRef": self = .clientTransactionRef
            case "AccountReference": self = .accountReference
            case "Amount": self = .amount
            case "Reason": self = .reason
            case "Passphrase": self = .passphrase
            case "Channel": self = .channel
            case "ExpiryDate": self = .expiryDate
            case "CallbackUrl": self = .callbackURL
            case "FirstName": self = .firstName
            case "LastName": self = .lastName
            case "MobileNumber": self = .mobileNumber
            case "Email": self = .email
            default: return nil
            }
        }
    }

    /// A record's values by field; nil where the column is absent or its cell empty (a value
    /// left out).
    struct Fields: Sendable {
        var clientTransactionRef, accountReference, amount, reason, passphrase, channel, expiryDate, callbackURL: String?
        var firstName, lastName, mobileNumber, email: String?

        subscript(slot: Slot) -> String? {
            get {
                switch slot {
                case .clientTransactionRef: clientTransactionRef
                case .accountReference: accountReference
                case .amount: amount
                case .reason: reason
                case .passphrase: passphrase
                case .channel: channel
                case .expiryDate: expiryDate
                case .callbackURL: callbackURL
                case .firstName: firstName
                case .lastName: lastName
                case .mobileNumber: mobileNumber
                case .email: email
                }
            }
            set {
                switch slot {
                case .clientTransactionRef: clientTransactionRef = newValue
                case .accountReference: accountReference = newValue
                case .amount: amount = newValue
                case .reason: reason = newValue
                case .passphrase: passphrase = newValue
                case .channel: channel = newValue
                case .expiryDate: expiryDate = newValue
                case .callbackURL: callbackURL = newValue
                case .firstName: firstName = newValue
                case .lastName: lastName = newValue
                case .mobileNumber: mobileNumber = newValue
                case .email: email = newValue
                }
            }
        }
    }

    /// Each column's field, in the header's order (the header names only known columns, each once).
    let slots: [Slot]

    init(columns: [String]) {
        slots = columns.map { column in
            guard let slot = Slot(column: column) else { preconditionFailure("unknown PayByLink batch column \(column)") }
            return slot
        }
    }

    /// A record's cells by field: an empty cell is a value left out.
    func fields(_ cells: [String]) -> Fields {
        var fields = Fields()
        for (slot, cell) in zip(slots, cells) where !cell.isEmpty {
            fields[slot] = cell
        }
        return fields
    }

    /// Reads and checks a record's fields at sandbox time `now`; the errors carry the body's
    /// field names (`Customer.MobileNumber`), as `RequestDraft.read` reports them.
    static func read(_ fields: Fields, now: SandboxInstant) throws(FieldErrors) -> RequestDraft {
        var errors = FieldErrors()
        let reference = string(fields.clientTransactionRef, "ClientTransactionRef", required: true, maxLength: 50, &errors)
        let account = string(fields.accountReference, "AccountReference", required: true, maxLength: 50, &errors)
        var amount: Int64?
        if let text = fields.amount {
            // Written unquoted, as a JSON number: the cell without its surrounding whitespace.
            amount = PropertyReader.checkAmount(number: trimmed(text), field: "Amount", errors: &errors)
        } else {
            errors.add("Amount", "is required")
        }
        let reason = string(fields.reason, "Reason", maxLength: 255, &errors)
        let passphrase = string(fields.passphrase, "Passphrase", maxLength: 50, &errors)
        if reason == nil && passphrase == nil && !errors.contains("Reason") && !errors.contains("Passphrase") {
            errors.add("Reason", "Reason or Passphrase is required")
        }

        var channel = RequestDraft.Channel.sms
        if let text = string(fields.channel, "Channel", maxLength: 10, &errors) {
            if let parsed = RequestDraft.Channel(name: text) { channel = parsed } else { errors.add("Channel", "must be SMS, Email or Both") }
        }

        // `Customer` is always there: the customer's columns make it, even when all are empty.
        var customer: RequestDraft.Customer?
        let first = string(fields.firstName, "Customer.FirstName", required: true, maxLength: 50, &errors)
        let last = string(fields.lastName, "Customer.LastName", required: true, maxLength: 50, &errors)
        let mobile = string(fields.mobileNumber, "Customer.MobileNumber", required: true, maxLength: 13, &errors)
        // Checked once: the customer below needs the answer too.
        let mobileIsValid = mobile.map(UKMobileNumber.isValid) ?? false
        if mobile != nil && !mobileIsValid {
            errors.add("Customer.MobileNumber", UKMobileNumber.rule)
        }
        let email = string(fields.email, "Customer.Email", maxLength: 254, &errors)
        if let email, !RequestDraft.isEmail(email) { errors.add("Customer.Email", "must be an e-mail address, e.g. name@example.com") }
        if channel.sendsEmail && fields.email == nil {
            errors.add("Customer.Email", "is required when Channel is \(channel.rawValue)")
        }
        if let first, let last, let mobile, mobileIsValid {
            customer = RequestDraft.Customer(firstName: first, lastName: last, mobileNumber: mobile, email: email)
        }

        var expiry: SandboxInstant?
        if let text = string(fields.expiryDate, "ExpiryDate", maxLength: 40, &errors) {
            if let instant = ISO8601.parseDateTime(text) {
                if instant > now { expiry = instant } else { errors.add("ExpiryDate", "must be in the future (sandbox time is \(ISO8601.formatUTC(now)))") }
            } else {
                errors.add("ExpiryDate", "must be an ISO 8601 date-time with an offset or Z, e.g. 2026-04-01T18:00:00Z")
            }
        }

        let callback = string(fields.callbackURL, "CallbackUrl", maxLength: 2048, &errors)
        if let callback, !RequestDraft.isHTTPURL(callback) { errors.add("CallbackUrl", "must be an absolute http:// or https:// URL") }

        // A batch has no `RepaymentPlan` column, so no plan to check against the expiry.
        guard errors.isEmpty, let reference, let account, let amount, let customer else {
            if errors.isEmpty { errors.add("$", "the request could not be read") }
            throw errors
        }
        return RequestDraft(clientTransactionRef: reference, accountReference: account, amount: amount, reason: reason,
                            passphrase: passphrase, customer: customer, channel: channel, expiry: expiry,
                            callbackURL: callback, plan: nil)
    }

    /// `PropertyReader.string` for a value that, when present, is a string.
    private static func string(_ value: String?, _ field: String, required: Bool = false, maxLength: Int,
                               _ errors: inout FieldErrors) -> String? {
        guard let value else {
            if required { errors.add(field, "is required") }
            return nil
        }
        return PropertyReader.checkString(value, field: field, required: required, maxLength: maxLength, errors: &errors)
    }

    /// `trimmingWhitespace`, without making a new string when the ends are printable ASCII (a
    /// character ending or starting with such a byte is never whitespace).
    private static func trimmed(_ text: String) -> String {
        let bytes = text.utf8
        if let first = bytes.first, let last = bytes.last, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F { return text }
        return text.trimmingWhitespace
    }
}
