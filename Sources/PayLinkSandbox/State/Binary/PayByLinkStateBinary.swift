import PayLinkCore
import PayLinkPayByLink

/// A PayByLink request for payment in the binary snapshot and log: the fields of
/// `PayByLinkStateJSON` in its order (enumerations by their JSON spelling).
enum PayByLinkStateBinary {
    static func encode(_ request: RequestForPayment, into w: inout BinaryWriter) {
        let draft = request.draft
        w.string(request.id)
        w.string(request.subscription)
        w.string(request.shortCode)
        w.instant(request.createdAt)
        w.instant(request.updatedAt)
        w.string(draft.clientTransactionRef)
        w.string(draft.accountReference)
        w.signed(draft.amount)
        w.optionalString(draft.reason)
        w.optionalString(draft.passphrase)
        w.string(draft.customer.firstName)
        w.string(draft.customer.lastName)
        w.string(draft.customer.mobileNumber)
        w.optionalString(draft.customer.email)
        w.string(draft.channel.rawValue)
        w.optionalInstant(draft.expiry)
        w.instant(request.expiry)
        w.optionalString(draft.callbackURL)
        if let plan = draft.plan {
            w.byte(1)
            w.signed(plan.instalmentAmount)
            w.string(plan.frequency.rawValue)
            w.int(plan.numberOfInstalments)
            w.instant(plan.firstPaymentDate)
        } else {
            w.byte(0)
        }
        w.unsigned(UInt64(request.linkIDs.count))
        for id in request.linkIDs { w.string(id) }
        w.int(request.instalmentsPaid)
        w.signed(request.amountPaid)
        w.bool(request.sent)
        w.bool(request.deliveryFailed)
        w.optionalString(request.deliveryNote)
        w.unsigned(UInt64(request.history.count))
        for change in request.history {
            w.string(change.status.rawValue)
            w.instant(change.at)
            w.optionalString(change.note)
        }
    }

    static func decode(_ r: inout BinaryReader) throws(LogReadError) -> RequestForPayment {
        func count() throws(LogReadError) -> Int {
            let count = try r.unsigned()
            guard count <= 1 << 16 else { throw LogReadError("a request holds a list of \(count)") }
            return Int(count)
        }
        let id = try r.string(), subscription = try r.string(), shortCode = try r.string()
        let createdAt = try r.instant(), updatedAt = try r.instant()
        let reference = try r.string(), account = try r.string(), amount = try r.signed()
        let reason = try r.optionalString(), passphrase = try r.optionalString()
        let customer = RequestDraft.Customer(firstName: try r.string(), lastName: try r.string(), mobileNumber: try r.string(),
                                             email: try r.optionalString())
        let channel = try choice(try r.string(), PayByLinkStateJSON.channels)
        let draftExpiry = try r.optionalInstant(), expiry = try r.instant(), callbackURL = try r.optionalString()
        var plan: RepaymentPlan?
        if try r.bool() {
            plan = RepaymentPlan(instalmentAmount: try r.signed(), frequency: try choice(try r.string(), PayByLinkStateJSON.frequencies),
                                 numberOfInstalments: try r.int(), firstPaymentDate: try r.instant())
        }
        let draft = RequestDraft(clientTransactionRef: reference, accountReference: account, amount: amount, reason: reason,
                                 passphrase: passphrase, customer: customer, channel: channel, expiry: draftExpiry,
                                 callbackURL: callbackURL, plan: plan)
        var linkIDs: [String] = []
        for _ in 0..<(try count()) { linkIDs.append(try r.string()) }
        let instalmentsPaid = try r.int(), amountPaid = try r.signed(), sent = try r.bool(), failed = try r.bool()
        let note = try r.optionalString()
        var history: [RequestForPayment.StatusChange] = []
        for _ in 0..<(try count()) {
            history.append(.init(status: try choice(try r.string(), PayByLinkStateJSON.statuses), at: try r.instant(), note: try r.optionalString()))
        }
        return RequestForPayment(id: id, subscription: subscription, shortCode: shortCode, createdAt: createdAt, draft: draft,
                                 expiry: expiry, linkIDs: linkIDs, instalmentsPaid: instalmentsPaid, amountPaid: amountPaid, sent: sent,
                                 deliveryFailed: failed, deliveryNote: note, history: history, updatedAt: updatedAt)
    }

    private static func choice<T>(_ text: String, _ options: [(String, T)]) throws(LogReadError) -> T {
        guard let match = options.first(where: { $0.0 == text }) else { throw LogReadError("unknown value \(text)") }
        return match.1
    }
}
