import PayLinkCore
import PayLinkJSON

/// A request for payment as the API shows it: PascalCase, amounts as JSON numbers in pounds,
/// times in UTC, the status history oldest first.
enum RequestRepresentation {
    static func json(_ view: PayByLinkStore.View, store: PayByLinkStore) -> JSONObject {
        let request = view.request, draft = view.request.draft
        var customer: JSONObject = [
            "FirstName": .string(draft.customer.firstName), "LastName": .string(draft.customer.lastName),
            "MobileNumber": .string(draft.customer.mobileNumber),
        ]
        if let email = draft.customer.email { customer["Email"] = .string(email) }
        var object: JSONObject = [
            "RequestId": .string(request.id),
            "ClientTransactionRef": .string(draft.clientTransactionRef),
            "AccountReference": .string(draft.accountReference),
            "Amount": .number(PoundAmount.format(draft.amount)),
            "AmountPaid": .number(PoundAmount.format(request.amountPaid)),
            "Currency": "GBP",
            "Status": .string(request.status.rawValue),
            "LongUrl": .string(store.longURL(view.link)),
            "ShortUrl": .string(store.shortURL(request)),
            "Channel": .string(draft.channel.rawValue),
            "Customer": .object(customer),
            "ExpiryDate": .string(ISO8601.formatUTC(request.expiry)),
            "CreatedAt": .string(ISO8601.formatUTC(request.createdAt)),
            "UpdatedAt": .string(ISO8601.formatUTC(request.updatedAt)),
            "PaymentLinkId": .string(request.currentLinkID),
        ]
        if let reason = draft.reason { object["Reason"] = .string(reason) }
        if let passphrase = draft.passphrase { object["Passphrase"] = .string(passphrase) }
        if let callback = draft.callbackURL { object["CallbackUrl"] = .string(callback) }
        if let plan = draft.plan { object["RepaymentPlan"] = .object(planJSON(plan, request: request)) }
        object["History"] = .array(request.history.map { change in
            var entry: JSONObject = ["Status": .string(change.status.rawValue), "At": .string(ISO8601.formatUTC(change.at))]
            if let note = change.note { entry["Reason"] = .string(note) }
            return .object(entry)
        })
        return object
    }

    private static func planJSON(_ plan: RepaymentPlan, request: RequestForPayment) -> JSONObject {
        let instalments: [JSONValue] = (1...plan.numberOfInstalments).map { number in
            let status: String
            if number <= request.instalmentsPaid { status = "Paid" }
            else if number == request.links.count && !request.status.isFinished { status = "Due" }
            else { status = "Scheduled" }
            var entry: JSONObject = [
                "Number": .number(number), "Amount": .number(PoundAmount.format(request.amount(ofInstalment: number))),
                "DueDate": .string(isoDate(plan.dueDate(ofInstalment: number))), "Status": .string(status),
            ]
            if let id = request.links.id(ofInstalment: number) { entry["PaymentLinkId"] = .string(id) }
            return .object(entry)
        }
        return [
            "InstalmentAmount": .number(PoundAmount.format(plan.instalmentAmount)),
            "Frequency": .string(plan.frequency.rawValue),
            "NumberOfInstalments": .number(plan.numberOfInstalments),
            "FirstPaymentDate": .string(isoDate(plan.firstPaymentDate)),
            "InstalmentsPaid": .number(request.instalmentsPaid),
            "Instalments": .array(instalments),
        ]
    }
}
