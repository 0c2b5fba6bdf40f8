import PayLinkCore
import PayLinkSupport
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

    /// A journey's key: every step repeats the merchant and the `merchant_reference`.
    private struct Key: Hashable, Sendable {
        var merchant: String
        var reference: String
    }

    private let journeys = Mutex(BoundedTable<Key, Journey>(capacity: limit))

    package init() {}

    /// A newly verified customer: replaces any journey of the same reference.
    func start(_ journey: Journey) {
        journeys.withLock { $0.insert(journey, for: Key(merchant: journey.merchantIdentifier, reference: journey.reference)) }
    }

    func journey(merchant: String, reference: String) -> Journey? {
        journeys.withLock { $0[Key(merchant: merchant, reference: reference)] }
    }

    /// Changes the journey in place; false when there is none.
    @discardableResult
    func update(merchant: String, reference: String, _ body: (inout Journey) -> Void) -> Bool {
        journeys.withLock { $0.update(Key(merchant: merchant, reference: reference), body) != nil }
    }

    /// Ends the journey (its purchase was made).
    func finish(merchant: String, reference: String) {
        journeys.withLock { _ = $0.remove(Key(merchant: merchant, reference: reference)) }
    }

    /// Forgets every journey (a reset or a state import).
    package func reset() { journeys.withLock { $0.removeAll() } }

    /// Forgets one merchant's journeys (a reset of that merchant).
    package func reset(merchant: String) { journeys.withLock { $0.removeAll { $0.merchantIdentifier == merchant } } }

    /// How many are under way.
    package var count: Int { journeys.withLock { $0.count } }
}
