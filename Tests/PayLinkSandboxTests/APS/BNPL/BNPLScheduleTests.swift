import PayLinkCore
import Testing
@testable import PayLinkAPS

/// The pure parts of the simulated provider checkouts: the schedule's split and dates, which
/// `payment_option` selects which provider, and each verdict's code.
struct BNPLScheduleTests {
    @Test func theScheduleSplitsTheAmount_remainderFirst_every30Days() throws {
        let start = try #require(ISO8601.parseDateTime("2026-01-01T10:00:00Z"))
        let schedule = BNPLSchedule(amount: 10_001, count: 4, from: start)
        #expect(schedule.payments.map(\.amount) == [2_501, 2_500, 2_500, 2_500])
        #expect(schedule.payments.map(\.amount).reduce(0, +) == 10_001)
        #expect(schedule.payments.map { BNPLSchedule.day($0.due) } == ["2026-01-01", "2026-01-31", "2026-03-02", "2026-04-01"])
        #expect(BNPLSchedule(amount: 1, count: 3, from: start).payments.map(\.amount) == [1, 0, 0])
    }

    @Test func onlyTheExactOptionNamesSelectAProvider() {
        #expect(BNPLProvider(paymentOption: "TAMARA") == .tamara && BNPLProvider(paymentOption: "TABBY") == .tabby)
        #expect(BNPLProvider(paymentOption: "tamara") == nil && BNPLProvider(paymentOption: "VISA") == nil && BNPLProvider(paymentOption: nil) == nil)
    }

    @Test func eachVerdictHasItsDocumentedCode() {
        #expect(BNPLVerdict.approved.code == nil)
        #expect(BNPLVerdict.declined.code?.code == "13666" && BNPLVerdict.cancelled.code?.code == "00072")
        #expect(BNPLVerdict.expired.code?.code == "13778" && BNPLVerdict.authenticationFailed.code?.code == "13787")
    }
}
