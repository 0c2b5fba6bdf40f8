import PayLinkCore
import PayLinkJSON

/// A validated `PUT /requests/{RequestId}` body: cancel (`"Status": "Cancelled"`), or any of a
/// new `Amount`, `ExpiryDate` and mobile number (`Customer.MobileNumber`, or `MobileNumber`).
package struct RequestChange: Sendable, Equatable {
    package var cancel = false
    package var amount: Int64?
    package var expiry: SandboxInstant?
    package var mobileNumber: String?

    package static let fields = ["Status", "Amount", "ExpiryDate", "MobileNumber", "Customer"]

    package static func read(_ object: JSONObject, now: SandboxInstant) throws(FieldErrors) -> RequestChange {
        var errors = FieldErrors()
        let body = PropertyReader(object, path: "", known: fields, errors: &errors)
        var change = RequestChange()
        if let status = body.string("Status", maxLength: 20, errors: &errors) {
            if status.lowercased() == "cancelled" {
                change.cancel = true
            } else {
                errors.add("Status", "can only be set to Cancelled (the other statuses follow from what the customer does)")
            }
        }
        change.amount = body.amount("Amount", required: false, errors: &errors)
        if let text = body.string("ExpiryDate", maxLength: 40, errors: &errors) {
            if let instant = ISO8601.parseDateTime(text) {
                if instant > now { change.expiry = instant } else { errors.add("ExpiryDate", "must be in the future (sandbox time is \(ISO8601.formatUTC(now)))") }
            } else {
                errors.add("ExpiryDate", "must be an ISO 8601 date-time with an offset or Z, e.g. 2026-04-01T18:00:00Z")
            }
        }
        var mobiles: [(field: String, value: String)] = []
        if let mobile = body.string("MobileNumber", maxLength: 13, errors: &errors) { mobiles.append(("MobileNumber", mobile)) }
        if let customer = body.object("Customer", known: ["MobileNumber"], required: false, errors: &errors),
           let mobile = customer.string("MobileNumber", required: true, maxLength: 13, errors: &errors) {
            mobiles.append(("Customer.MobileNumber", mobile))
        }
        for (field, mobile) in mobiles where !UKMobileNumber.isValid(mobile) { errors.add(field, UKMobileNumber.rule) }
        if mobiles.count == 2 && mobiles[0].value != mobiles[1].value {
            errors.add("MobileNumber", "give the mobile number once, as MobileNumber or Customer.MobileNumber")
        }
        change.mobileNumber = mobiles.first?.value
        if change.cancel && (change.amount != nil || change.expiry != nil || change.mobileNumber != nil) {
            errors.add("Status", "Cancelled cannot be combined with other changes")
        }
        if errors.isEmpty && !change.cancel && change.amount == nil && change.expiry == nil && change.mobileNumber == nil {
            errors.add("$", "send at least one of Status, Amount, ExpiryDate or Customer.MobileNumber")
        }
        guard errors.isEmpty else { throw errors }
        return change
    }

    /// What a repayment plan does not allow: a new amount (the instalments are fixed), or an
    /// expiry before the last instalment is due.
    package func refusal(for plan: RepaymentPlan) -> FieldErrors? {
        var errors = FieldErrors()
        if amount != nil { errors.add("Amount", "cannot change on a repayment plan; cancel it and create a new one") }
        let lastDue = plan.dueDate(ofInstalment: plan.numberOfInstalments)
        if let expiry, expiry <= lastDue { errors.add("ExpiryDate", "must be after the last instalment's due date, \(isoDate(lastDue))") }
        return errors.isEmpty ? nil : errors
    }
}
