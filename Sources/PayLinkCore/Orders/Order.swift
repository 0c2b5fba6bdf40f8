/// What paying a link creates: an APS order (a "transaction" with a `fort_id`), on which the
/// merchant then runs CAPTURE, VOID_AUTHORIZATION and REFUND, and which CHECK_STATUS reports.
public struct Order: Sendable, Equatable {
    /// `fort_id`: APS's 18-digit transaction reference.
    public let fortID: String
    public let merchantIdentifier: String
    /// The paid link's `merchant_reference`; identifies the order together with the merchant.
    public let merchantReference: String
    public let paymentLinkID: String?
    /// `PURCHASE` (captured at once) or `AUTHORIZATION` (held until CAPTURE or VOID).
    public let command: TransactionCommand
    public let currency: String
    /// The amount authorized (or purchased), in minor units.
    public let amount: Int64
    public let authorizationCode: String
    /// What the customer paid with (masked card, expiry, holder, wallet phone).
    public let payment: PaymentDetails
    public let createdAt: SandboxInstant
    /// The request's own parameters, for an order made without a link (the hosted checkout,
    /// a server-to-server payment): APS returns every parameter it was sent, so feedback and
    /// answers about the order repeat them (`customer_email`, `eci`, `token_name`,
    /// `merchant_extra`, `return_url`, an installment plan's fields …). Never the card number,
    /// security code or signature. Empty for a link's order, whose link holds its terms.
    public let requestFields: [String: String]

    /// Whether the acquirer approved the transaction; only an approved order takes operations.
    public var status: OrderStatus
    public var capturedAmount: Int64
    public var refundedAmount: Int64
    public var voided: Bool
    /// Every operation in order, the payment first.
    public var operations: [OrderOperation]

    public init(fortID: String, merchantIdentifier: String, merchantReference: String, paymentLinkID: String?,
                command: TransactionCommand, currency: String, amount: Int64, authorizationCode: String,
                payment: PaymentDetails, createdAt: SandboxInstant, status: OrderStatus = .approved,
                requestFields: [String: String] = [:]) {
        self.fortID = fortID
        self.merchantIdentifier = merchantIdentifier
        self.merchantReference = merchantReference
        self.paymentLinkID = paymentLinkID
        self.command = command
        self.currency = currency
        self.amount = amount
        self.authorizationCode = authorizationCode
        self.payment = payment
        self.createdAt = createdAt
        self.requestFields = requestFields
        self.status = status
        // An approved purchase is captured in the same step.
        self.capturedAmount = command == .purchase && status == .approved ? amount : 0
        self.refundedAmount = 0
        self.voided = false
        self.operations = [OrderOperation(command: command, amount: amount, at: createdAt, maintenanceReference: nil)]
    }

    /// `400555******0001`: first six and last four digits only.
    public var maskedCardNumber: String? { payment.maskedCardNumber }
    public var paymentOption: String? { payment.paymentOption }

    /// What the issuer holds for the merchant: the amount once approved, else nothing.
    public var authorizedAmount: Int64 { status == .approved ? amount : 0 }
    /// What a refund may still return: the captured amount less what was refunded.
    public var refundableAmount: Int64 { capturedAmount - refundedAmount }
    /// What a capture may still take: the authorized amount less what was captured.
    public var capturableAmount: Int64 { command == .authorization && !voided && status == .approved ? amount - capturedAmount : 0 }
    /// The last successful operation, which CHECK_STATUS reports as the transaction.
    public var lastOperation: OrderOperation { operations[operations.count - 1] }
}

/// Where the payment transaction behind an order stands.
public enum OrderStatus: Sendable, Equatable {
    case approved
    /// Declined by the issuer, failed 3-D Secure or cancelled, with the code the customer saw.
    case declined(APSResponseCode)
    /// Processed but not confirmed (status 15, `15777`); resolved at `resolvesAt` on the
    /// sandbox clock, approved or declined as the test card says.
    case uncertain(resolvesAt: SandboxInstant, approves: Bool)

    /// An uncertain payment that will be approved: it gets its authorization code up front.
    public var isUncertainApproval: Bool {
        if case .uncertain(_, true) = self { return true }
        return false
    }

    /// The code reported for the payment: `14000`/`02000` when approved, else its failure.
    public func code(for command: TransactionCommand) -> APSResponseCode {
        switch self {
        case .approved: APSResponseCode(status: command.successStatus, message: "000")
        case .declined(let code): code
        case .uncertain: APSResponseCode(status: "15", message: "777")
        }
    }
}

/// The APS commands that create or change an order.
public enum TransactionCommand: String, Sendable, CaseIterable {
    case purchase = "PURCHASE"
    case authorization = "AUTHORIZATION"
    case capture = "CAPTURE"
    case refund = "REFUND"
    case voidAuthorization = "VOID_AUTHORIZATION"

    /// The two-digit status of success (`14`, `02`, `04`, `06`, `08`) and of failure.
    public var successStatus: String {
        switch self {
        case .purchase: "14"
        case .authorization: "02"
        case .capture: "04"
        case .refund: "06"
        case .voidAuthorization: "08"
        }
    }

    public var failureStatus: String {
        switch self {
        case .purchase: "13"
        case .authorization: "03"
        case .capture: "05"
        case .refund: "07"
        case .voidAuthorization: "09"
        }
    }
}

/// One successful operation on an order.
public struct OrderOperation: Sendable, Equatable {
    public var command: TransactionCommand
    public var amount: Int64
    public var at: SandboxInstant
    /// The request's `maintenance_reference` (REFUND, CAPTURE, VOID_AUTHORIZATION), when given.
    public var maintenanceReference: String?
}
