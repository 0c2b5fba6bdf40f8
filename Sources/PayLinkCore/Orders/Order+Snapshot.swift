extension Order {
    /// An order exactly as a state snapshot recorded it, operations and amounts included
    /// (the other initializer starts a fresh order from its payment).
    public init(fortID: String, merchantIdentifier: String, merchantReference: String, paymentLinkID: String?,
                command: TransactionCommand, currency: String, amount: Int64, authorizationCode: String,
                payment: PaymentDetails, createdAt: SandboxInstant, status: OrderStatus,
                capturedAmount: Int64, refundedAmount: Int64, voided: Bool, operations: [OrderOperation],
                requestFields: [String: String] = [:]) {
        self.init(fortID: fortID, merchantIdentifier: merchantIdentifier, merchantReference: merchantReference,
                  paymentLinkID: paymentLinkID, command: command, currency: currency, amount: amount,
                  authorizationCode: authorizationCode, payment: payment, createdAt: createdAt, status: status,
                  requestFields: requestFields)
        self.capturedAmount = capturedAmount
        self.refundedAmount = refundedAmount
        self.voided = voided
        self.operations = operations
    }
}

extension OrderOperation {
    /// An operation as a state snapshot recorded it. A static function because the memberwise
    /// initializer with these labels is internal.
    public static func restored(command: TransactionCommand, amount: Int64, at: SandboxInstant, maintenanceReference: String?) -> Self {
        Self(command: command, amount: amount, at: at, maintenanceReference: maintenanceReference)
    }
}
