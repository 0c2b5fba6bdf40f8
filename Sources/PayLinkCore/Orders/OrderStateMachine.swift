/// The rules for operations on a paid order, as pure functions (see `LinkStateMachine`).
///
/// Documented choices where APS is silent: several partial captures are allowed; a refund
/// returns captured money only (so an authorization must be captured first); VOID takes the
/// whole authorization (an amount other than it is refused), before any capture and within 7 days of it.
public enum OrderStateMachine {
    /// How long an authorization can be voided: "within 7 days of the authorization".
    public static let voidWindowMilliseconds: Int64 = 7 * 86_400_000

    /// `maintenanceReference` is only recorded (for the feedback); unlike a refund's, a capture's
    /// is not checked for reuse.
    public static func capture(_ order: Order, amount: Int64, currency: String?, at now: SandboxInstant,
                               maintenanceReference: String? = nil) throws(OrderError) -> Order {
        guard amount > 0 else { throw .invalidAmount }
        if let currency, currency != order.currency { throw .currencyMismatch }
        try requireApproved(order)
        guard order.command == .authorization else { throw .operationNotAllowed }
        guard !order.voided else { throw .alreadyVoided }
        guard amount <= order.capturableAmount else { throw .exceedsAuthorizedAmount }
        var next = order
        next.capturedAmount += amount
        next.operations.append(OrderOperation(command: .capture, amount: amount, at: now, maintenanceReference: maintenanceReference))
        return next
    }

    /// `amount` and `currency`, when given, must be the authorization's own: "The system will not
    /// allow you to void an amount larger or less than the authorized amount" (APS's voiding page).
    public static func voidAuthorization(_ order: Order, amount: Int64? = nil, currency: String? = nil,
                                         at now: SandboxInstant, maintenanceReference: String? = nil) throws(OrderError) -> Order {
        if let amount, amount != order.amount { throw .partialVoid }
        if let currency, currency != order.currency { throw .currencyMismatch }
        try requireApproved(order)
        guard order.command == .authorization else { throw .operationNotAllowed }
        guard !order.voided else { throw .alreadyVoided }
        guard order.capturedAmount == 0 else { throw .operationNotAllowed }
        guard now.millisecondsSince1970 - order.createdAt.millisecondsSince1970 <= voidWindowMilliseconds else {
            throw .authorizationExpired
        }
        var next = order
        next.voided = true
        next.operations.append(OrderOperation(command: .voidAuthorization, amount: order.amount, at: now, maintenanceReference: maintenanceReference))
        return next
    }

    public static func refund(_ order: Order, amount: Int64, currency: String?, maintenanceReference: String?,
                              at now: SandboxInstant) throws(OrderError) -> Order {
        guard amount > 0 else { throw .invalidAmount }
        if let currency, currency != order.currency { throw .currencyMismatch }
        if let reference = maintenanceReference,
           order.operations.contains(where: { $0.command == .refund && $0.maintenanceReference == reference }) {
            throw .duplicateMaintenanceReference
        }
        try requireApproved(order)
        guard order.capturedAmount > 0 else { throw .operationNotAllowed }
        guard amount <= order.refundableAmount else { throw .exceedsCapturedAmount }
        var next = order
        next.refundedAmount += amount
        next.operations.append(OrderOperation(command: .refund, amount: amount, at: now, maintenanceReference: maintenanceReference))
        return next
    }

    /// An uncertain transaction is not confirmed yet (662); a declined one never took money (034).
    package static func requireApproved(_ order: Order) throws(OrderError) {
        switch order.status {
        case .approved: return
        case .uncertain: throw .notConfirmed
        case .declined: throw .operationNotAllowed
        }
    }
}
