import PayLinkCore
import Testing

/// Design §3, one transition per test, with no clock and no storage.
struct LinkStateMachineTests {
    let created = SandboxInstant(secondsSince1970: 1_000)
    let expiry = SandboxInstant(secondsSince1970: 2_000)
    var before: SandboxInstant { SandboxInstant(secondsSince1970: 1_500) }
    var after: SandboxInstant { SandboxInstant(secondsSince1970: 2_500) }

    func link(_ lifecycle: LinkLifecycle = .open) -> PaymentLink {
        var link = PaymentLink(id: "100000000000000001", token: "0123456789abcdef", terms: LinkTerms(
            merchantIdentifier: "M", merchantReference: "R", amount: 1000, currency: "SAR",
            customerEmail: "a@b.co", expiry: expiry), createdAt: created)
        link.lifecycle = lifecycle
        return link
    }

    @Test func openLink_becomesExpired_whenTheClockReachesExpiry() {
        #expect(link().state(at: before) == .open)
        #expect(link().state(at: expiry) == .expired)
        #expect(link().state(at: after) == .expired)
    }

    @Test func closedAndPaidLinks_keepTheirStatePastExpiry() {
        #expect(link(.closed).state(at: after) == .closed)
        #expect(link(.paid).state(at: after) == .paid)
    }

    @Test func payment_makesAnOpenLinkPaid() throws {
        let paid = try LinkStateMachine.pay(link(), at: before)
        #expect(paid.state(at: before) == .paid)
        #expect(paid.paidAt == before)
    }

    @Test func paidLink_refusesPayment_withCode125() {
        #expect(throws: LinkError.alreadyPaid) { try LinkStateMachine.pay(link(.paid), at: before) }
        #expect(LinkError.alreadyPaid.apsMessageCode == "125")
    }

    @Test func expiredLink_refusesPayment_withCode115() {
        #expect(throws: LinkError.expired) { try LinkStateMachine.pay(link(), at: after) }
        #expect(LinkError.expired.apsMessageCode == "115")
    }

    @Test func closedLink_refusesPayment() {
        #expect(throws: LinkError.closed) { try LinkStateMachine.pay(link(.closed), at: before) }
    }

    @Test func close_closesAnOpenLink() throws {
        let closed = try LinkStateMachine.apply(.init(status: .closed), to: link(), at: before)
        #expect(closed.state(at: before) == .closed)
    }

    @Test func reopeningAnOpenLink_isError150() {
        #expect(throws: LinkError.alreadyOpen) { try LinkStateMachine.apply(.init(status: .open), to: link(), at: before) }
        #expect(LinkError.alreadyOpen.apsMessageCode == "150")
    }

    /// APS's UPDATE sample: status Open sent along with new terms on an open link.
    @Test func statusOpenWithNewTerms_onAnOpenLink_appliesThem() throws {
        let updated = try LinkStateMachine.apply(.init(status: .open, amount: 408_800, customerName: "TEST"), to: link(), at: before)
        #expect(updated.state(at: before) == .open && updated.amount == 408_800 && updated.customerName == "TEST")
    }

    @Test func update_appliesTheCustomerDetails_andStatusOpenWithThemIsNot150() throws {
        let updated = try LinkStateMachine.apply(.init(status: .open, customerEmail: "new@example.com", customerPhone: "0501234567",
                                                       notificationType: "EMAIL,SMS"), to: link(), at: before)
        #expect(updated.customerEmail == "new@example.com" && updated.customerPhone == "0501234567" && updated.notificationType == "EMAIL,SMS")
    }

    @Test func channelsToNotifyAgain_areTheNewChannels_andThoseWhoseRecipientChanged() {
        func terms(_ type: String, email: String = "a@b.co", phone: String? = "0501234567") -> LinkTerms {
            LinkTerms(merchantIdentifier: "M", merchantReference: "R", amount: 1, currency: "SAR", customerEmail: email,
                      customerPhone: phone, notificationType: type, expiry: expiry)
        }
        #expect(LinkStateMachine.channelsToNotifyAgain(before: terms("EMAIL"), after: terms("EMAIL")) == [])
        #expect(LinkStateMachine.channelsToNotifyAgain(before: terms("EMAIL"), after: terms("EMAIL,SMS")) == ["SMS"])
        #expect(LinkStateMachine.channelsToNotifyAgain(before: terms("NONE"), after: terms("EMAIL,SMS")) == ["EMAIL", "SMS"])
        #expect(LinkStateMachine.channelsToNotifyAgain(before: terms("EMAIL,SMS"), after: terms("EMAIL,SMS", email: "c@d.co")) == ["EMAIL"])
        #expect(LinkStateMachine.channelsToNotifyAgain(before: terms("EMAIL"), after: terms("EMAIL", phone: "0507654321")) == [],
                "a new phone is not a new recipient when SMS is not chosen")
        #expect(LinkStateMachine.channelsToNotifyAgain(before: terms("SMS"), after: terms("NONE", email: "c@d.co")) == [])
    }

    @Test func closedLink_reopens_beforeItsExpiry() throws {
        let reopened = try LinkStateMachine.apply(.init(status: .open), to: link(.closed), at: before)
        #expect(reopened.state(at: before) == .open)
    }

    @Test func closedLink_pastExpiry_reopensOnlyWithANewExpiry() throws {
        #expect(throws: LinkError.expired) { try LinkStateMachine.apply(.init(status: .open), to: link(.closed), at: after) }
        let later = SandboxInstant(secondsSince1970: 9_000)
        let reopened = try LinkStateMachine.apply(.init(status: .open, expiry: later), to: link(.closed), at: after)
        #expect(reopened.state(at: after) == .open)
    }

    /// Design §3: Expired leaves only by a new expiry. Closing it as it stands is 115.
    @Test func expiredLink_isNotClosed_withoutANewExpiry_error115() throws {
        #expect(throws: LinkError.expired) { try LinkStateMachine.apply(.init(status: .closed), to: link(), at: after) }
        let later = SandboxInstant(secondsSince1970: 9_000)
        let closed = try LinkStateMachine.apply(.init(status: .closed, expiry: later), to: link(), at: after)
        #expect(closed.state(at: after) == .closed && closed.expiry == later)
    }

    @Test func expiredLink_reopens_whenExtended() throws {
        let later = SandboxInstant(secondsSince1970: 9_000)
        let extended = try LinkStateMachine.apply(.init(expiry: later), to: link(), at: after)
        #expect(extended.state(at: after) == .open)
        #expect(extended.expiry == later)
    }

    @Test func expiredLink_changedWithoutExtension_isError115() {
        #expect(throws: LinkError.expired) { try LinkStateMachine.apply(.init(amount: 5), to: link(), at: after) }
    }

    @Test func paidLink_refusesEveryChange_withCode125() {
        for update in [LinkStateMachine.Update(status: .closed), .init(amount: 1), .init(customerName: "X"), .init()] {
            #expect(throws: LinkError.alreadyPaid) { try LinkStateMachine.apply(update, to: link(.paid), at: before) }
        }
    }

    @Test func expiryInThePast_isRefused() {
        #expect(throws: LinkError.expiryNotInFuture) {
            try LinkStateMachine.apply(.init(expiry: SandboxInstant(secondsSince1970: 1_200)), to: link(), at: before)
        }
    }

    @Test func update_changesAmountNameAndDescription_andKeepsState() throws {
        let updated = try LinkStateMachine.apply(.init(amount: 4_088, currency: "AED", customerName: "TEST", orderDescription: "Order 7"),
                                                 to: link(), at: before)
        #expect(updated.amount == 4_088)
        #expect(updated.currency == "AED")
        #expect(updated.customerName == "TEST")
        #expect(updated.orderDescription == "Order 7")
        #expect(updated.state(at: before) == .open)
    }

    @Test func opening_countsAttemptsOnlyWhileOpen() {
        #expect(LinkStateMachine.recordOpening(link(), at: before).userAttemptsCount == 1)
        #expect(LinkStateMachine.recordOpening(link(), at: after).userAttemptsCount == 0)
        #expect(LinkStateMachine.recordOpening(link(.paid), at: before).userAttemptsCount == 0)
    }
}
