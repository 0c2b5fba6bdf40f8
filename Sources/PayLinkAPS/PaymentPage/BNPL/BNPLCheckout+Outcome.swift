import PayLinkCore
import PayLinkJSON

/// Recording a simulated provider checkout's outcome: one order, approved (the command's
/// success, `14000`: captured at once, nothing deferred) or declined with the verdict's code
/// (declined, cancelled and expired all leave a declined order, so nothing is charged and the
/// merchant hears of it and CHECK_STATUS finds it). Feedback goes by the engine's event.
extension BNPLCheckout {
    enum Conclusion {
        case conclusion(Concluded)
        /// Another request recorded (or is recording) the outcome first.
        case notClaimed
    }

    struct Concluded {
        enum Result {
            /// The signed parameters the return URL gets, and the page's heading.
            case returned(JSONObject, title: String)
            /// The link cannot take the attempt any more (paid, closed or expired meanwhile;
            /// the link is nil when it is gone): nothing recorded.
            case linkRefused(LinkError, link: PaymentLink?)
        }
        var session: BNPLSessions.Session
        var result: Result
    }

    /// Settles the sessions whose time is up on their merchant's clock (`13778`); returns how many.
    /// Background work runs it on every tick and on `POST /__sandbox/settle`.
    @discardableResult
    package func expireDue() -> Int {
        let due = sessions.due(now: context.engine.now(for:))
        return due.reduce(0) { count, id in
            if case .conclusion = conclude(id, .expired) { return count + 1 }
            return count
        }
    }

    func conclude(_ id: String, _ verdict: BNPLVerdict) -> Conclusion {
        guard let session = sessions.claim(id) else { return .notClaimed }
        let words = BNPLText.forLanguage(session.language)
        let page = PageText.forLanguage(session.language)
        let title = switch verdict {
        case .approved: page.approved
        case .declined, .authenticationFailed: page.declined
        case .cancelled: words.cancelled
        case .expired: words.expired
        }
        var details = PaymentDetails.wallet(session.provider.paymentOption, phoneNumber: session.phoneNumber)
        details.customerIP = session.customerIP
        switch session.origin {
        case .checkout(let request, let pageSession):
            let parameters = record(request, details: details, verdict: verdict)
            sessions.finish(id, parameters: parameters, title: title)
            if let pageSession { checkout.verifications.checkoutSessions.set(pageSession, .finished(parameters: parameters, title: title)) }
            return .conclusion(Concluded(session: session, result: .returned(parameters, title: title)))
        case .link(let linkID):
            let result = if let code = verdict.code {
                checkout.decline(linkID, details, outcome: .declined) { _ in code }
            } else {
                checkout.approve(linkID, details)
            }
            switch result {
            case .completed(let transaction):
                // No feedback when the link's merchant is no longer configured: nothing to sign.
                let parameters = transaction.feedback ?? JSONObject()
                sessions.finish(id, parameters: parameters, title: title)
                return .conclusion(Concluded(session: session, result: .returned(parameters, title: title)))
            case .refused(let error):
                sessions.remove(id)
                return .conclusion(Concluded(session: session, result: .linkRefused(error, link: context.engine.link(id: linkID)?.link)))
            case .verificationRequired, .unknownVerification:
                sessions.remove(id)
                return .conclusion(Concluded(session: session, result: .linkRefused(.notFound, link: nil)))
            }
        }
    }

    /// A checkout's order, and the parameters of its feedback; a merchant reference taken
    /// meanwhile is refused signed (`00066`), as the payment page does, and charges nothing.
    private func record(_ request: HostedCheckoutRequest, details: PaymentDetails, verdict: BNPLVerdict) -> JSONObject {
        let merchant = context.merchants[request.merchant.identifier] ?? request.merchant
        let status: OrderStatus = verdict.code.map { .declined($0) } ?? .approved
        do {
            let order = try context.engine.checkoutPayment(request.terms, details: details, status: status)
            return TransactionFeedback.parameters(order: order, merchant: merchant)
        } catch {
            let failure = switch error {
            case .duplicateReference:
                APSFailure(message: "066", detail: "merchant_reference \(request.terms.merchantReference) was used meanwhile; nothing was charged")
            case .fortIDTaken: APSFailure(message: "006", detail: "the reserved fort_id was taken; nothing was charged")
            }
            let sent = request.terms.requestFields.sorted { $0.key < $1.key }.map { JSONObject.Member(key: $0.key, value: .string($0.value)) }
            return HostedCheckoutRefusal.signed(failure, echoing: sent, merchant: merchant)
        }
    }
}
