/// A payment link (an APS "invoice"): the merchant's terms and where the link stands.
///
/// The terms are read through the link (`link.amount`), so code reads as if they were its own.
@dynamicMemberLookup
public struct PaymentLink: Sendable, Equatable {
    /// `payment_link_id`: an 18-digit numeric string.
    public let id: String
    /// The unguessable part of the `payment_link` URL.
    public let token: String
    public let createdAt: SandboxInstant
    /// What the merchant asked for; `UPDATE_PAYMENT_LINK` may change some of it.
    public var terms: LinkTerms

    public var lifecycle: LinkLifecycle
    /// Times the customer opened the link while it was Open.
    public var userAttemptsCount: Int
    public var paidAt: SandboxInstant?
    /// Attempts that did not pay the link, oldest first (the newest 100 are kept).
    public var failedAttempts: [PaymentAttempt] = []
    /// The `fort_id` of an uncertain payment awaiting resolution; the link refuses payments meanwhile.
    public var pendingFortID: String?

    public init(id: String, token: String, terms: LinkTerms, createdAt: SandboxInstant) {
        self.id = id
        self.token = token
        self.createdAt = createdAt
        self.terms = terms
        self.lifecycle = .open
        self.userAttemptsCount = 0
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<LinkTerms, Value>) -> Value { terms[keyPath: keyPath] }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<LinkTerms, Value>) -> Value {
        get { terms[keyPath: keyPath] }
        set { terms[keyPath: keyPath] = newValue }
    }

    /// What paying runs: AUTHORIZATION when the link's `link_command` says so, else PURCHASE.
    public var transactionCommand: TransactionCommand { terms.linkCommand == "AUTHORIZATION" ? .authorization : .purchase }

    /// The link with one more failed attempt on record (the newest 100 are kept).
    package func recording(_ attempt: PaymentAttempt) -> PaymentLink {
        var next = self
        next.failedAttempts.append(attempt)
        if next.failedAttempts.count > 100 { next.failedAttempts.removeFirst(next.failedAttempts.count - 100) }
        return next
    }

    /// The state at `now`: an open link whose expiry has come is Expired.
    public func state(at now: SandboxInstant) -> LinkState {
        switch lifecycle {
        case .paid: .paid
        case .closed: .closed
        case .open: now >= terms.expiry ? .expired : .open
        }
    }
}

/// Everything a merchant supplies to create a link, already validated by a dialect.
///
/// `expiry` is declared third, out of the initializer's order, so that the synthesized
/// memberwise initializer (amount, then expiry) differs from the public one, which delegates
/// to it from an extension. Swift 6.3.1 builds a struct in an explicit initializer's body in a
/// stack slot and copies it out: a retain and a release of every string for nothing, 0.67 k
/// instructions each time a batch's link engine makes a link's terms (3.7 % of the committing
/// thread, callgrind, 20,000-line PayByLink batch). The delegating initializer does not.
public struct LinkTerms: Sendable, Equatable {
    /// Fixed at creation: the link's owner and its unique reference.
    public internal(set) var merchantIdentifier: String
    public internal(set) var merchantReference: String
    public var amount: Int64
    public var expiry: SandboxInstant
    public var currency: String
    public var language: String
    public var customerEmail: String
    public var customerName: String?
    public var customerPhone: String?
    public var orderDescription: String?
    public var notificationType: String
    public var linkCommand: String
    public var paymentOption: String?
    public var returnURL: String?
    /// Data the merchant sent to have it "sent back as received" in the payment's feedback,
    /// keyed by its field name (`merchant_extra`, `merchant_extra1` … `merchant_extra5`).
    public var merchantExtras: [String: String]
    /// Passed on to the acquirer's settlement file, and back in the feedback.
    public var settlementReference: String?
}

extension LinkTerms {
    public init(
        merchantIdentifier: String, merchantReference: String, amount: Int64, currency: String,
        language: String = "en", customerEmail: String, customerName: String? = nil, customerPhone: String? = nil,
        orderDescription: String? = nil, notificationType: String = "NONE", linkCommand: String = "PURCHASE",
        paymentOption: String? = nil, returnURL: String? = nil, expiry: SandboxInstant,
        merchantExtras: [String: String] = [:], settlementReference: String? = nil
    ) {
        self.init(merchantIdentifier: merchantIdentifier, merchantReference: merchantReference, amount: amount, expiry: expiry,
                  currency: currency, language: language, customerEmail: customerEmail, customerName: customerName,
                  customerPhone: customerPhone, orderDescription: orderDescription, notificationType: notificationType,
                  linkCommand: linkCommand, paymentOption: paymentOption, returnURL: returnURL,
                  merchantExtras: merchantExtras, settlementReference: settlementReference)
    }
}

/// A link together with its state, read atomically at one instant.
public struct LinkView: Sendable, Equatable {
    public var link: PaymentLink
    public var state: LinkState
    public var now: SandboxInstant
}
