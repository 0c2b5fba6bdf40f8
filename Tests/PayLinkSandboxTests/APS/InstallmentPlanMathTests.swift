import PayLinkCore
import Testing
@testable import PayLinkAPS

/// The amount per month of each kind of plan: the old PayFort docs' formulas, rounded half up
/// in the currency's decimals.
struct InstallmentPlanMathTests {
    func plan(_ currency: String, months: Int, _ fees: InstallmentPlan.Fees, _ rate: InstallmentPlan.RateType = .flat) -> InstallmentPlan {
        InstallmentPlan(code: "P1", currency: Currency(code: currency)!, numberOfInstallments: months, fees: fees, rateType: rate,
                        minimumAmount: 1, maximumAmount: 9_999_999_999)
    }

    @Test func flatPercentage_addsTheRateForEveryMonth() {
        // (1000.00 + 1000.00 × 0.5 % × 6) / 6 = 171.666… → 171.67
        let six = plan("AED", months: 6, .percentage(hundredths: 50))
        #expect(six.amountPerMonth(for: 100_000) == 17_167)
        #expect(six.amountPerMonthText(for: 100_000) == "171.67")
        // Zero rate: the amount split evenly, the odd unit rounded half up (1000.00 / 3 = 333.333…).
        #expect(plan("AED", months: 3, .percentage(hundredths: 0)).amountPerMonthText(for: 100_000) == "333.33")
        #expect(plan("AED", months: 2, .percentage(hundredths: 0)).amountPerMonth(for: 1) == 1)   // 0.5 up
    }

    @Test func fixedFees_areAddedOnce() {
        // (1000.00 + 25.00) / 3 = 341.666… → 341.67
        #expect(plan("SAR", months: 3, .fixed(minorUnits: 2_500)).amountPerMonthText(for: 100_000) == "341.67")
    }

    @Test func reducingBalance_isPMTAtTheYearlyRateOverTwelve() {
        // PMT(12 %/12, 12, 1000.00) = 88.85
        #expect(plan("AED", months: 12, .percentage(hundredths: 1_200), .reducingBalance).amountPerMonthText(for: 100_000) == "88.85")
        #expect(plan("AED", months: 4, .percentage(hundredths: 0), .reducingBalance).amountPerMonth(for: 1_000) == 250)
    }

    @Test func rounding_followsTheCurrencysDecimals() {
        // 3 decimals: 100.000 KWD over 3 months at 1 % flat = 34.333… → "34.333"
        #expect(plan("KWD", months: 3, .percentage(hundredths: 100)).amountPerMonthText(for: 100_000) == "34.333")
        // 0 decimals: 1000 JPY / 3 = 333.3 → "333"
        #expect(plan("JPY", months: 3, .percentage(hundredths: 0)).amountPerMonthText(for: 1_000) == "333")
    }

    @Test func feesAmount_isWrittenAsTheDocsSampleDoes() {
        #expect(plan("AED", months: 3, .percentage(hundredths: 150)).feesAmountLiteral == "1.5")
        #expect(plan("AED", months: 3, .percentage(hundredths: 69)).feesAmountLiteral == "0.69")
        #expect(plan("AED", months: 3, .percentage(hundredths: 205)).feesAmountLiteral == "2.05")
        #expect(plan("AED", months: 3, .percentage(hundredths: 300)).feesAmountLiteral == "3")
        #expect(plan("AED", months: 3, .fixed(minorUnits: 2_500)).feesAmountLiteral == "2500")
    }
}
