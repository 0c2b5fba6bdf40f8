import PayLinkCore

/// The SMS and e-mail a request for payment sends, and which test recipients never receive
/// them. PayPoint's templates are not public; these carry what a test checks: the account
/// reference, the amount, the reason or passphrase, and the link.
enum PayByLinkMessages {
    /// The documented test e-mail address whose messages are never delivered.
    static let undeliverableEmail = "undeliverable@example.com"

    /// What composing did: how many messages it added, and why any could not be delivered.
    struct Outcome {
        var sent = 0
        var failures: [String] = []
        var delivered: Bool { sent > 0 }
    }

    /// Appends the messages for instalment `number` (1 for a single request) to `messages`, and
    /// answers how many and why any failed. The messages go straight into the caller's list: an
    /// array of its own for one or two messages was allocated, copied into the caller's and
    /// freed for every request. The SMS's text is composed when it is read (`MessageText`):
    /// most of a batch's SMS leave the outbox unread; `longURL` is asked for only when an
    /// e-mail is made.
    static func compose(_ request: RequestForPayment, linkID: String, instalment number: Int, shortURL: @escaping @Sendable () -> String,
                        longURL: () -> String, into messages: inout [Outbox.Draft]) -> Outcome {
        let draft = request.draft
        let amount = request.amount(ofInstalment: number)
        var outcome = Outcome()
        if draft.channel.sendsSMS {
            let mobile = draft.customer.mobileNumber
            if UKMobileNumber.isUndeliverable(mobile) {
                outcome.failures.append("SMS to \(mobile) could not be delivered")
            } else {
                let (account, reason, passphrase, plan) = (draft.accountReference, draft.reason, draft.passphrase, draft.plan)
                messages.append(Outbox.Draft(
                    channel: .sms, recipient: mobile,
                    body: MessageText(composing: {
                        "\(account): please pay \(PoundAmount.display(amount))\(what(reason, plan, number)).\(passphraseText(passphrase)) Pay securely: \(shortURL())"
                    }),
                    merchantIdentifier: PayByLinkStore.ownerName, paymentLinkID: linkID))
                outcome.sent += 1
            }
        }
        if draft.channel.sendsEmail, let email = draft.customer.email {
            if email.lowercased() == undeliverableEmail {
                outcome.failures.append("e-mail to \(email) could not be delivered")
            } else {
                let text = "Dear \(draft.customer.fullName),\nWe request a payment of \(PoundAmount.display(amount))\(what(draft.reason, draft.plan, number)) "
                    + "on account \(draft.accountReference).\(passphraseText(draft.passphrase))\n"
                    + "Pay securely here: \(longURL())\nThe link expires at \(ISO8601.formatUTC(request.expiry))."
                messages.append(Outbox.Draft(channel: .email, recipient: email, subject: "Payment request \(draft.accountReference)",
                                             text: text, merchantIdentifier: PayByLinkStore.ownerName, paymentLinkID: linkID))
                outcome.sent += 1
            }
        }
        return outcome
    }

    /// What the payment is for: the reason, and the instalment of a plan.
    private static func what(_ reason: String?, _ plan: RepaymentPlan?, _ number: Int) -> String {
        var what = reason.map { " for \($0)" } ?? ""
        if let plan {
            what += " (instalment \(number) of \(plan.numberOfInstalments), due \(isoDate(plan.dueDate(ofInstalment: number))))"
        }
        return what
    }

    private static func passphraseText(_ passphrase: String?) -> String { passphrase.map { " Passphrase: \($0)." } ?? "" }
}
