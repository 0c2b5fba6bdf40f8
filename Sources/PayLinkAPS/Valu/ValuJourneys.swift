import PayLinkCore
import Synchronization

/// The valU steps of each purchase under way, from CUSTOMER_VERIFY to PURCHASE, found by the
/// merchant and the `merchant_reference` every step repeats (as the official WooCommerce
/// plugin sends them).
///
/// Held in memory only, and bounded, as the 3-D Secure challenges are: a journey lives
/// minutes, a restart (or more than `limit` journeys under way) forgets the oldest, and the
/// customer starts again with CUSTOMER_VERIFY; nothing was charged. A reset forgets all.
package final class ValuJourneys: Sendable {
    /// One customer's purchase under way.
    struct Journey: Sendable, Equatable {
        var merchantIdentifier: String
        var reference: String
        /// The verified customer's mobile number, normalized (`01…`).
        var phoneNumber: String
        /// Set by OTP_GENERATE: what the OTP was sent for.
        var otp: GeneratedOTP?
        /// OTP_VERIFY passed (the purchase checks its `otp` again either way).
        var otpVerified = false
    }

    struct GeneratedOTP: Sendable, Equatable {
        var amount: Int64
        var currency: String
        var merchantOrderID: String?
        var plans: [ValuPlan]
    }

    /// How many journeys are kept.
    package static let limit = 1_000

    private let journeys = Mutex<[Journey]>([])

    package init() {}

    /// A newly verified customer: replaces any journey of the same reference.
    func start(_ journey: Journey) {
        journeys.withLock { list in
            list.removeAll { $0.merchantIdentifier == journey.merchantIdentifier && $0.reference == journey.reference }
            if list.count >= Self.limit { list.removeFirst(list.count - Self.limit + 1) }
            list.append(journey)
        }
    }

    func journey(merchant: String, reference: String) -> Journey? {
        journeys.withLock { list in list.first { $0.merchantIdentifier == merchant && $0.reference == reference } }
    }

    /// Changes the journey in place; false when there is none.
    @discardableResult
    func update(merchant: String, reference: String, _ body: (inout Journey) -> Void) -> Bool {
        journeys.withLock { list in
            guard let index = list.firstIndex(where: { $0.merchantIdentifier == merchant && $0.reference == reference }) else { return false }
            body(&list[index])
            return true
        }
    }

    /// Ends the journey (its purchase was made).
    func finish(merchant: String, reference: String) {
        journeys.withLock { list in list.removeAll { $0.merchantIdentifier == merchant && $0.reference == reference } }
    }

    /// Forgets every journey (a reset or a state import).
    package func reset() { journeys.withLock { $0.removeAll() } }

    /// How many are under way.
    package var count: Int { journeys.withLock { $0.count } }
}
