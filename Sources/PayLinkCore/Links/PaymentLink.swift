/// A payment link (an APS "invoice"): what the merchant asked for and where it stands.
public struct PaymentLink: Sendable, Equatable {
    /// `payment_link_id`: an 18-digit numeric string.
    public let id: String
    /// The unguessable part of the `payment_link` URL.
    public let token: String
    public let merchantIdentifier: String
    /// The `merchant_reference` the link was created with; unique per merchant.
    public let merchantReference: String
    public let createdAt: SandboxInstant

    public var amount: Int64
    public var currency: String
    public var language: String
    public var customerEmail: String
    public var customerName: String?
    public var customerPhone: String?
    public var orderDescription: String?
    /// Normalised `notification_type`, e.g. `EMAIL,SMS` or `NONE`.
    public var notificationType: String
    /// What paying runs: `PURCHASE` (default) or `AUTHORIZATION`.
    public var linkCommand: String
    public var paymentOption: String?
    public var returnURL: String?
    public var expiry: SandboxInstant

    public var lifecycle: LinkLifecycle
    /// Times the customer opened the link while it was Open.
    public var userAttemptsCount: Int
    public var paidAt: SandboxInstant?

    public init(id: String, token: String, draft: LinkDraft, createdAt: SandboxInstant) {
        self.id = id
        self.token = token
        self.merchantIdentifier = draft.merchantIdentifier
        self.merchantReference = draft.merchantReference
        self.createdAt = createdAt
        self.amount = draft.amount
        self.currency = draft.currency
        self.language = draft.language
        self.customerEmail = draft.customerEmail
        self.customerName = draft.customerName
        self.customerPhone = draft.customerPhone
        self.orderDescription = draft.orderDescription
        self.notificationType = draft.notificationType
        self.linkCommand = draft.linkCommand
        self.paymentOption = draft.paymentOption
        self.returnURL = draft.returnURL
        self.expiry = draft.expiry
        self.lifecycle = .open
        self.userAttemptsCount = 0
    }

    /// The state at `now`: an open link whose expiry has come is Expired.
    public func state(at now: SandboxInstant) -> LinkState {
        switch lifecycle {
        case .paid: .paid
        case .closed: .closed
        case .open: now >= expiry ? .expired : .open
        }
    }
}

/// Everything a merchant supplies to create a link, already validated by a dialect.
public struct LinkDraft: Sendable, Equatable {
    public var merchantIdentifier: String
    public var merchantReference: String
    public var amount: Int64
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
    public var expiry: SandboxInstant

    public init(
        merchantIdentifier: String, merchantReference: String, amount: Int64, currency: String,
        language: String = "en", customerEmail: String, customerName: String? = nil, customerPhone: String? = nil,
        orderDescription: String? = nil, notificationType: String = "NONE", linkCommand: String = "PURCHASE",
        paymentOption: String? = nil, returnURL: String? = nil, expiry: SandboxInstant
    ) {
        self.merchantIdentifier = merchantIdentifier
        self.merchantReference = merchantReference
        self.amount = amount
        self.currency = currency
        self.language = language
        self.customerEmail = customerEmail
        self.customerName = customerName
        self.customerPhone = customerPhone
        self.orderDescription = orderDescription
        self.notificationType = notificationType
        self.linkCommand = linkCommand
        self.paymentOption = paymentOption
        self.returnURL = returnURL
        self.expiry = expiry
    }
}

/// A link together with its state, read atomically at one instant.
public struct LinkView: Sendable, Equatable {
    public var link: PaymentLink
    public var state: LinkState
    public var now: SandboxInstant
}
