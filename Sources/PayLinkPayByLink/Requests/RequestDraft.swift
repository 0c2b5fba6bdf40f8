import PayLinkCore
import PayLinkJSON

/// A validated `POST /requests` body (or batch record): everything needed to create a request
/// for payment. Reading it collects every problem at once, each under its field's name.
package struct RequestDraft: Sendable, Equatable {
    package enum Channel: String, Sendable, CaseIterable {
        case sms = "SMS", email = "Email", both = "Both"

        package init?(name: String) {
            guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else { return nil }
            self = match
        }

        package var sendsSMS: Bool { self != .email }
        package var sendsEmail: Bool { self != .sms }
    }

    /// `email` is declared before `mobileNumber` so that the synthesized memberwise
    /// initializer differs from the package one, which delegates to it (see `RequestDraft`).
    package struct Customer: Sendable, Equatable {
        package var firstName: String
        package var lastName: String
        package var email: String?
        package var mobileNumber: String

        package var fullName: String { firstName + " " + lastName }
    }

    // `amount` is declared before `accountReference`, out of the initializer's order, so that
    // the synthesized memberwise initializer differs from the package one, which delegates to
    // it from an extension (the state's readers call the package one). Swift 6.3.1 builds a
    // struct in an explicit initializer's body in a stack slot and copies it out, retaining
    // and releasing every string: 0.6 k instructions a batch record, the draft and its customer.
    package var clientTransactionRef: String
    /// The total, in pence.
    package var amount: Int64
    package var accountReference: String
    package var reason: String?
    package var passphrase: String?
    package var customer: Customer
    package var channel: Channel
    /// nil: the default (`RequestDraft.defaultLifetimeSeconds` after creation, or after a plan's last due date).
    package var expiry: SandboxInstant?
    package var callbackURL: String?
    package var plan: RepaymentPlan?

    /// The amount of the instalment paid through its request's link number `number`.
    package func amount(ofInstalment number: Int) -> Int64 {
        plan?.amount(ofInstalment: number, total: amount) ?? amount
    }

    /// How long a request stays payable when `ExpiryDate` is not given: 30 days.
    package static let defaultLifetimeSeconds: Int64 = 30 * 86_400

    package static let topLevel = ["ClientTransactionRef", "AccountReference", "Amount", "Reason", "Passphrase", "Customer", "Channel",
                           "ExpiryDate", "CallbackUrl", "RepaymentPlan"]
    package static let customerFields = ["FirstName", "LastName", "MobileNumber", "Email"]
    package static let planFields = ["InstalmentAmount", "Frequency", "NumberOfInstalments", "FirstPaymentDate"]

    /// Reads and checks a create body at sandbox time `now`.
    package static func read(_ object: JSONObject, now: SandboxInstant) throws(FieldErrors) -> RequestDraft {
        var errors = FieldErrors()
        let body = PropertyReader(object, path: "", known: topLevel, errors: &errors)
        let reference = body.string("ClientTransactionRef", required: true, maxLength: 50, errors: &errors)
        let account = body.string("AccountReference", required: true, maxLength: 50, errors: &errors)
        let amount = body.amount("Amount", required: true, errors: &errors)
        let reason = body.string("Reason", maxLength: 255, errors: &errors)
        let passphrase = body.string("Passphrase", maxLength: 50, errors: &errors)
        if reason == nil && passphrase == nil && !errors.contains("Reason") && !errors.contains("Passphrase") {
            errors.add("Reason", "Reason or Passphrase is required")
        }

        var channel = Channel.sms
        if let text = body.string("Channel", maxLength: 10, errors: &errors) {
            if let parsed = Channel(name: text) { channel = parsed } else { errors.add("Channel", "must be SMS, Email or Both") }
        }

        var customer: Customer?
        if let reader = body.object("Customer", known: customerFields, required: true, errors: &errors) {
            let first = reader.string("FirstName", required: true, maxLength: 50, errors: &errors)
            let last = reader.string("LastName", required: true, maxLength: 50, errors: &errors)
            let mobile = reader.string("MobileNumber", required: true, maxLength: 13, errors: &errors)
            if let mobile, !UKMobileNumber.isValid(mobile) {
                errors.add(reader.field("MobileNumber"), UKMobileNumber.rule)
            }
            let email = reader.string("Email", maxLength: 254, errors: &errors)
            if let email, !isEmail(email) { errors.add(reader.field("Email"), "must be an e-mail address, e.g. name@example.com") }
            if channel.sendsEmail && !reader.has("Email") {
                errors.add(reader.field("Email"), "is required when Channel is \(channel.rawValue)")
            }
            if let first, let last, let mobile, UKMobileNumber.isValid(mobile) {
                customer = Customer(firstName: first, lastName: last, mobileNumber: mobile, email: email)
            }
        }


        var expiry: SandboxInstant?
        if let text = body.string("ExpiryDate", maxLength: 40, errors: &errors) {
            if let instant = ISO8601.parseDateTime(text) {
                if instant > now { expiry = instant } else { errors.add("ExpiryDate", "must be in the future (sandbox time is \(ISO8601.formatUTC(now)))") }
            } else {
                errors.add("ExpiryDate", "must be an ISO 8601 date-time with an offset or Z, e.g. 2026-04-01T18:00:00Z")
            }
        }

        let callback = body.string("CallbackUrl", maxLength: 2048, errors: &errors)
        if let callback, !isHTTPURL(callback) { errors.add("CallbackUrl", "must be an absolute http:// or https:// URL") }

        var plan: RepaymentPlan?
        if let reader = body.object("RepaymentPlan", known: planFields, required: false, errors: &errors) {
            plan = readPlan(reader, total: amount, now: now, errors: &errors)
        }
        if let plan, let expiry, expiry <= plan.dueDate(ofInstalment: plan.numberOfInstalments) {
            errors.add("ExpiryDate", "must be after the last instalment's due date, \(isoDate(plan.dueDate(ofInstalment: plan.numberOfInstalments)))")
        }

        guard errors.isEmpty, let reference, let account, let amount, let customer else {
            if errors.isEmpty { errors.add("$", "the request could not be read") }
            throw errors
        }
        return RequestDraft(clientTransactionRef: reference, accountReference: account, amount: amount, reason: reason,
                            passphrase: passphrase, customer: customer, channel: channel, expiry: expiry,
                            callbackURL: callback, plan: plan)
    }

    private static func readPlan(_ reader: PropertyReader, total: Int64?, now: SandboxInstant, errors: inout FieldErrors) -> RepaymentPlan? {
        let instalment = reader.amount("InstalmentAmount", required: true, errors: &errors)
        var frequency: RepaymentPlan.Frequency?
        if let text = reader.string("Frequency", required: true, maxLength: 20, errors: &errors) {
            frequency = RepaymentPlan.Frequency(name: text)
            if frequency == nil { errors.add(reader.field("Frequency"), "must be Weekly, Fortnightly or Monthly") }
        }
        let count = reader.integer("NumberOfInstalments", required: true, range: 2...120, errors: &errors)
        var first: SandboxInstant?
        if let text = reader.string("FirstPaymentDate", required: true, maxLength: 10, errors: &errors) {
            let today = SandboxInstant(secondsSince1970: now.secondsSince1970 / 86_400 * 86_400)
            if let date = ISO8601.parseDate(text) {
                if date >= today { first = date } else { errors.add(reader.field("FirstPaymentDate"), "must be today (\(isoDate(today))) or later") }
            } else {
                errors.add(reader.field("FirstPaymentDate"), "must be an ISO date, e.g. 2026-04-01")
            }
        }
        guard let instalment, let frequency, let count, let first else { return nil }
        let plan = RepaymentPlan(instalmentAmount: instalment, frequency: frequency, numberOfInstalments: count, firstPaymentDate: first)
        if let total, !plan.fits(total: total) {
            errors.add(reader.field("InstalmentAmount"),
                       "\(count) instalments of \(PoundAmount.format(instalment)) cannot make up Amount \(PoundAmount.format(total)): "
                       + "all but the last instalment must come to less than Amount, and the last may not exceed the others")
            return nil
        }
        return plan
    }

    /// `local@domain.tld`: one `@`, something before it, a dot inside the domain, no spaces.
    package static func isEmail(_ text: String) -> Bool {
        // Looked for in the bytes where they lie (every native or short string): stepping
        // through the string's UTF-8 view by its indices was about five times the work, and a
        // PayByLink batch checks an address a record.
        text.utf8.withContiguousStorageIfAvailable(isEmail) ?? Array(text.utf8).withUnsafeBufferPointer(isEmail)
    }

    private static func isEmail(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at != bytes.startIndex else { return false }
        let domain = bytes[(at + 1)...]
        guard let first = domain.first, let last = domain.last, first != UInt8(ascii: "."), last != UInt8(ascii: "."),
              domain.contains(UInt8(ascii: ".")), !domain.contains(UInt8(ascii: "@")) else { return false }
        return !bytes.contains { $0 <= 0x20 || $0 == 0x7F }
    }

    package static func isHTTPURL(_ text: String) -> Bool {
        for scheme in ["http://", "https://"] where text.lowercased().hasPrefix(scheme) {
            return text.count > scheme.count && !text.contains(where: { $0.isWhitespace })
        }
        return false
    }

}

extension RequestDraft {
    package init(clientTransactionRef: String, accountReference: String, amount: Int64, reason: String?, passphrase: String?, customer: Customer, channel: Channel, expiry: SandboxInstant?, callbackURL: String?, plan: RepaymentPlan?) {
        self.init(clientTransactionRef: clientTransactionRef, amount: amount, accountReference: accountReference, reason: reason,
                  passphrase: passphrase, customer: customer, channel: channel, expiry: expiry, callbackURL: callbackURL, plan: plan)
    }
}

extension RequestDraft.Customer {
    package init(firstName: String, lastName: String, mobileNumber: String, email: String?) {
        self.init(firstName: firstName, lastName: lastName, email: email, mobileNumber: mobileNumber)
    }
}

/// UK mobile numbers as PayByLink takes them: `07` and nine digits, or `+447` and nine digits.
package enum UKMobileNumber {
    package static let rule = "must be a UK mobile number: 07 and 9 more digits, or +447 and 9 more digits (no spaces)"

    /// The documented test number whose messages are never delivered (Ofcom's drama range).
    package static let undeliverable = "07700900999"

    package static func isValid(_ text: String) -> Bool {
        // Checked in the bytes where they lie (every native or short string), as `isEmail` is.
        // Comparing bytes where `hasPrefix` compared characters gives the same answers: a
        // valid number is ASCII digits after its prefix, and a non-ASCII byte is no digit.
        text.utf8.withContiguousStorageIfAvailable(isValid) ?? Array(text.utf8).withUnsafeBufferPointer(isValid)
    }

    private static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let digits: Slice<UnsafeBufferPointer<UInt8>>
        if bytes.starts(with: "+447".utf8) {
            guard bytes.count == 13 else { return false }
            digits = bytes.dropFirst()
        } else if bytes.starts(with: "07".utf8) {
            guard bytes.count == 11 else { return false }
            digits = bytes[...]
        } else {
            return false
        }
        return digits.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// `+447700900999` and `07700900999` are the same number.
    package static func national(_ text: String) -> String { text.hasPrefix("+44") ? "0" + text.dropFirst(3) : text }

    package static func isUndeliverable(_ text: String) -> Bool { national(text) == undeliverable }
}
