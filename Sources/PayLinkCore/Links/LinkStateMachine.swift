/// The link state machine (Open, Paid, Closed, Expired) as pure functions over values: no clock reads, no
/// storage, so every transition is tested directly and the engine only adds atomicity.
public enum LinkStateMachine {
    /// A merchant's change request (`UPDATE_PAYMENT_LINK`, dashboard edits).
    public struct Update: Sendable, Equatable {
        public enum RequestedStatus: String, Sendable { case open = "Open", closed = "Closed" }
        public var status: RequestedStatus?
        public var expiry: SandboxInstant?
        public var amount: Int64?
        public var currency: String?
        public var customerName: String?
        public var orderDescription: String?
        public var customerEmail: String?
        public var customerPhone: String?
        public var notificationType: String?

        public init(status: RequestedStatus? = nil, expiry: SandboxInstant? = nil, amount: Int64? = nil,
                    currency: String? = nil, customerName: String? = nil, orderDescription: String? = nil,
                    customerEmail: String? = nil, customerPhone: String? = nil, notificationType: String? = nil) {
            self.status = status
            self.expiry = expiry
            self.amount = amount
            self.currency = currency
            self.customerName = customerName
            self.orderDescription = orderDescription
            self.customerEmail = customerEmail
            self.customerPhone = customerPhone
            self.notificationType = notificationType
        }

        /// Whether it changes anything but the status.
        package var changesTerms: Bool {
            expiry != nil || amount != nil || currency != nil || customerName != nil || orderDescription != nil
                || customerEmail != nil || customerPhone != nil || notificationType != nil
        }
    }

    /// The channels (`EMAIL`, `SMS`) whose link message goes out again after the terms changed
    /// from `before` to `after`: one the notification type newly names, or whose recipient
    /// (e-mail address, phone number) changed.
    public static func channelsToNotifyAgain(before: LinkTerms, after: LinkTerms) -> [String] {
        let old = Set(before.notificationType.split(separator: ",").map(String.init))
        return after.notificationType.split(separator: ",").map(String.init).filter { channel in
            switch channel {
            case "EMAIL": !old.contains(channel) || before.customerEmail != after.customerEmail
            case "SMS": !old.contains(channel) || before.customerPhone != after.customerPhone
            default: false
            }
        }
    }

    /// Applies an update. Paid links refuse everything (125); reopening an open link is 150
    /// (unless the update also changes its terms: then it stays Open and they apply);
    /// a closed or expired link reopens only with an expiry in the future (else 115); an expired
    /// link is not closed without a new expiry either (115).
    public static func apply(_ update: Update, to link: PaymentLink, at now: SandboxInstant) throws(LinkError) -> PaymentLink {
        let state = link.state(at: now)
        if state == .paid { throw .alreadyPaid }
        if let expiry = update.expiry, expiry <= now { throw .expiryNotInFuture }
        let expiry = update.expiry ?? link.expiry

        let lifecycle: LinkLifecycle
        switch (state, update.status) {
        case (.open, .open?):
            // Reopening an open link is 150. APS's own UPDATE sample sends status Open along
            // with the changes it makes (amount, customer name), so with other changes the
            // status is taken as "stays Open" and they apply.
            guard update.changesTerms else { throw .alreadyOpen }
            lifecycle = .open
        case (.open, .closed?), (.closed, .closed?), (.closed, nil): lifecycle = .closed
        case (.expired, .closed?):
            // Expired leaves only by a new expiry: closing it as it stands is 115;
            // given a new expiry too, it is extended and closed at once.
            guard update.expiry != nil else { throw .expired }
            lifecycle = .closed
        case (.open, nil): lifecycle = .open
        case (.closed, .open?):
            guard expiry > now else { throw .expired }
            lifecycle = .open
        case (.expired, _):
            // Only a new future expiry brings an expired link back ("extend an expired link").
            guard update.expiry != nil else { throw .expired }
            lifecycle = .open
        case (.paid, _): throw .alreadyPaid
        }

        var next = link
        next.lifecycle = lifecycle
        next.expiry = expiry
        if let amount = update.amount { next.amount = amount }
        if let currency = update.currency { next.currency = currency }
        if let name = update.customerName { next.customerName = name }
        if let description = update.orderDescription { next.orderDescription = description }
        if let email = update.customerEmail { next.customerEmail = email }
        if let phone = update.customerPhone { next.customerPhone = phone }
        if let notificationType = update.notificationType { next.notificationType = notificationType }
        return next
    }

    /// A successful payment: only an Open link becomes Paid.
    public static func pay(_ link: PaymentLink, at now: SandboxInstant) throws(LinkError) -> PaymentLink {
        try requirePayable(link, at: now)
        var next = link
        next.lifecycle = .paid
        next.paidAt = now
        return next
    }

    /// Why a link cannot take a payment attempt, if it cannot: Paid 125, Expired 115, Closed 773,
    /// an uncertain payment still unresolved 784.
    public static func requirePayable(_ link: PaymentLink, at now: SandboxInstant) throws(LinkError) {
        switch link.state(at: now) {
        case .open: if link.pendingFortID != nil { throw .transactionPending }
        case .paid: throw .alreadyPaid
        case .expired: throw .expired
        case .closed: throw .closed
        }
    }

    /// The customer opened the link: counts an attempt when it is Open.
    public static func recordOpening(_ link: PaymentLink, at now: SandboxInstant) -> PaymentLink {
        guard link.state(at: now) == .open else { return link }
        var next = link
        next.userAttemptsCount += 1
        return next
    }
}
