import PayLinkCore
import PayLinkJSON
import PayLinkPayByLink

/// PayByLink requests for payment in a state snapshot, with the generator of their GUIDs and
/// short codes. Each request carries what the dialect knows beyond its core links (which are in
/// `links`): the subscription key that owns it, the short code, the create body as read
/// (amounts in pence), the plan, the links opened so far (the last is the current one), plan
/// progress, delivery and the status history.
enum PayByLinkStateJSON {
    static let keys = ["ids", "requests"]
    static let requestKeys = [
        "request_id", "subscription_key", "short_code", "created_at", "updated_at", "client_transaction_ref", "account_reference",
        "amount", "reason", "passphrase", "customer", "channel", "expiry_date", "expires_at", "callback_url", "repayment_plan",
        "payment_link_ids", "instalments_paid", "amount_paid", "sent", "delivery_failed", "delivery_note", "history",
    ]
    static let customerKeys = ["first_name", "last_name", "mobile_number", "email"]
    static let planKeys = ["instalment_amount", "frequency", "number_of_instalments", "first_payment_date"]
    static let historyKeys = ["status", "at", "note"]
    static let channels = RequestDraft.Channel.allCases.map { ($0.rawValue, $0) }
    static let frequencies = RepaymentPlan.Frequency.allCases.map { ($0.rawValue, $0) }
    static let statuses = PayByLinkStatus.allCases.map { ($0.rawValue, $0) }

    static func encode(_ snapshot: PayByLinkStore.Snapshot) -> JSONValue {
        ["ids": IDStateJSON.encode(snapshot.ids), "requests": .array(snapshot.requests.map(encode))]
    }

    static func encode(_ request: RequestForPayment) -> JSONValue {
        let draft = request.draft
        let customer = draft.customer
        let object: JSONObject = [
            "request_id": .string(request.id), "subscription_key": .string(request.subscription), "short_code": .string(request.shortCode),
            "created_at": StateValues.instant(request.createdAt), "updated_at": StateValues.instant(request.updatedAt),
            "client_transaction_ref": .string(draft.clientTransactionRef), "account_reference": .string(draft.accountReference),
            "amount": .number(draft.amount), "reason": StateValues.string(draft.reason), "passphrase": StateValues.string(draft.passphrase),
            "customer": [
                "first_name": .string(customer.firstName), "last_name": .string(customer.lastName),
                "mobile_number": .string(customer.mobileNumber), "email": StateValues.string(customer.email),
            ],
            "channel": .string(draft.channel.rawValue), "expiry_date": StateValues.instant(draft.expiry),
            "expires_at": StateValues.instant(request.expiry), "callback_url": StateValues.string(draft.callbackURL),
            "repayment_plan": draft.plan.map { plan in
                [
                    "instalment_amount": .number(plan.instalmentAmount), "frequency": .string(plan.frequency.rawValue),
                    "number_of_instalments": .number(plan.numberOfInstalments), "first_payment_date": StateValues.instant(plan.firstPaymentDate),
                ]
            } ?? .null,
            "payment_link_ids": .array(request.linkIDs.map { .string($0) }), "instalments_paid": .number(request.instalmentsPaid),
            "amount_paid": .number(request.amountPaid), "sent": .bool(request.sent), "delivery_failed": .bool(request.deliveryFailed),
            "delivery_note": StateValues.string(request.deliveryNote),
            "history": .array(request.history.map { change in
                ["status": .string(change.status.rawValue), "at": StateValues.instant(change.at), "note": StateValues.string(change.note)]
            }),
        ]
        return .object(object)
    }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> PayByLinkStore.Snapshot {
        let r = try JSONReader(value, path: path, keys: keys)
        var requests: [RequestForPayment] = []
        for element in try r.array("requests") { requests.append(try decodeRequest(element.value, path: element.path)) }
        return PayByLinkStore.Snapshot(ids: try IDStateJSON.decode(try r.value("ids"), path: r.path("ids")), requests: requests)
    }

    static func decodeRequest(_ value: JSONValue, path: String) throws(StateImportError) -> RequestForPayment {
        let r = try JSONReader(value, path: path, keys: requestKeys)
        let c = try r.object("customer", keys: customerKeys)
        let mobile = try c.string("mobile_number")
        guard UKMobileNumber.isValid(mobile) else { throw c.failure("mobile_number", UKMobileNumber.rule) }
        let customer = RequestDraft.Customer(firstName: try c.string("first_name"), lastName: try c.string("last_name"),
                                             mobileNumber: mobile, email: try c.optionalString("email"))
        var plan: RepaymentPlan?
        if r.optionalValue("repayment_plan") != nil {
            let p = try r.object("repayment_plan", keys: planKeys)
            plan = RepaymentPlan(instalmentAmount: try p.integer("instalment_amount", as: Int64.self), frequency: try p.choice("frequency", frequencies),
                                 numberOfInstalments: try p.integer("number_of_instalments"), firstPaymentDate: try p.instant("first_payment_date"))
        }
        let reason = try r.optionalString("reason"), passphrase = try r.optionalString("passphrase")
        guard reason != nil || passphrase != nil else { throw r.failure("reason", "is required when passphrase is null") }
        let draft = RequestDraft(
            clientTransactionRef: try r.string("client_transaction_ref"), accountReference: try r.string("account_reference"),
            amount: try r.integer("amount", as: Int64.self), reason: reason, passphrase: passphrase, customer: customer,
            channel: try r.choice("channel", channels), expiry: try r.optionalInstant("expiry_date"),
            callbackURL: try r.optionalString("callback_url"), plan: plan)
        if let url = draft.callbackURL, !RequestDraft.isHTTPURL(url) { throw r.failure("callback_url", "must be an absolute http:// or https:// URL") }
        var linkIDs: [String] = []
        for element in try r.array("payment_link_ids") {
            guard case .string(let id) = element.value else { throw StateImportError(path: element.path, message: "must be a string") }
            linkIDs.append(id)
        }
        var history: [RequestForPayment.StatusChange] = []
        for element in try r.array("history") {
            let h = try JSONReader(element.value, path: element.path, keys: historyKeys)
            history.append(.init(status: try h.choice("status", statuses), at: try h.instant("at"), note: try h.optionalString("note")))
        }
        return RequestForPayment(
            id: try r.string("request_id"), subscription: try r.string("subscription_key"), shortCode: try r.string("short_code"),
            createdAt: try r.instant("created_at"), draft: draft, expiry: try r.instant("expires_at"), linkIDs: linkIDs,
            instalmentsPaid: try r.integer("instalments_paid"), amountPaid: try r.integer("amount_paid", as: Int64.self),
            sent: try r.bool("sent"), deliveryFailed: try r.bool("delivery_failed"), deliveryNote: try r.optionalString("delivery_note"),
            history: history, updatedAt: try r.instant("updated_at"))
    }
}
