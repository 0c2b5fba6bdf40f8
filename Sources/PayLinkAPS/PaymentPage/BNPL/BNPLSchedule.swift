import PayLinkCore

/// The installment schedule a simulated provider shows before approval: the amount split in
/// equal payments (the remainder in the first), the first today and one every 30 days after,
/// on the merchant's clock. Shown only: the merchant is paid in full at once.
struct BNPLSchedule: Sendable, Equatable {
    struct Payment: Sendable, Equatable {
        var due: SandboxInstant
        var amount: Int64
    }

    var payments: [Payment]

    static let intervalSeconds: Int64 = 30 * 24 * 60 * 60

    init(amount: Int64, count: Int, from start: SandboxInstant) {
        let count = Int64(max(count, 1))
        let share = amount / count
        payments = (0..<count).map { index in
            Payment(due: start.adding(seconds: index * Self.intervalSeconds), amount: share + (index == 0 ? amount - share * count : 0))
        }
    }

    /// "2026-12-07": the due day in UTC.
    static func day(_ instant: SandboxInstant) -> String { String(ISO8601.formatUTC(instant).prefix(10)) }
}
