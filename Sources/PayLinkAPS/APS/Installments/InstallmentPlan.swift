import PayLinkCore

/// One installment plan an issuer offers, as `GET_INSTALLMENTS_PLANS` lists it under
/// `plan_details` (the old PayFort docs, `Installmentsparameters.md`, "Plan Details").
/// Amounts are in the currency's minor units, as `amount` is.
package struct InstallmentPlan: Sendable, Equatable {
    /// What the bank adds: a percentage of the amount or a fixed sum (`fees_type`).
    package enum Fees: Sendable, Equatable {
        /// Hundredths of a percent: 150 is 1.5 %. Per month for a flat rate, per year for a
        /// reducing balance.
        case percentage(hundredths: Int)
        /// Added once to the amount, in minor units.
        case fixed(minorUnits: Int64)
    }

    /// `rate_type`: how a percentage applies.
    package enum RateType: String, Sendable, Equatable, CaseIterable {
        case flat = "Flat"
        case reducingBalance = "Reducing Balance"
    }

    package var code: String
    package var currency: Currency
    package var numberOfInstallments: Int
    package var fees: Fees
    package var rateType: RateType
    package var minimumAmount: Int64
    package var maximumAmount: Int64
    /// `plan_merchant_type`: `Partner` or `Non Partner`.
    package var merchantType: String
    /// `plan_type`: `Local` or `Cross-Border`.
    package var planType: String

    package init(code: String, currency: Currency, numberOfInstallments: Int, fees: Fees, rateType: RateType = .flat,
                 minimumAmount: Int64, maximumAmount: Int64, merchantType: String = "Partner", planType: String = "Local") {
        self.code = code
        self.currency = currency
        self.numberOfInstallments = numberOfInstallments
        self.fees = fees
        self.rateType = rateType
        self.minimumAmount = minimumAmount
        self.maximumAmount = maximumAmount
        self.merchantType = merchantType
        self.planType = planType
    }

    /// Whether the plan takes this amount (`minimum_amount` to `maximum_amount`, inclusive).
    package func covers(amount: Int64) -> Bool { (minimumAmount...maximumAmount).contains(amount) }

    /// What the customer pays each month for `amount`, in minor units, rounded half up to the
    /// currency's smallest unit. The docs' formulas ("Get Installments Plans API formulas"):
    /// - fixed fees: (amount + fees) / months;
    /// - flat percentage: (amount + amount × rate/100 × months) / months (the Islamic form,
    ///   ((months × rate/100) + 1) × amount / months, is the same number);
    /// - reducing balance: Excel's PMT at the yearly rate / 12, over the months.
    package func amountPerMonth(for amount: Int64) -> Int64 {
        let months = Int64(numberOfInstallments)
        switch (fees, rateType) {
        case (.fixed(let fee), _):
            return Self.divideRoundingHalfUp(amount + fee, by: months)
        case (.percentage(let hundredths), .flat):
            // amount × (10000 + hundredths × months) / (10000 × months), in integers: exact.
            return Self.divideRoundingHalfUp(amount * (10_000 + Int64(hundredths) * months), by: 10_000 * months)
        case (.percentage(let hundredths), .reducingBalance):
            guard hundredths > 0 else { return Self.divideRoundingHalfUp(amount, by: months) }
            let monthlyRate = Double(hundredths) / 10_000 / 12
            var growth = 1.0
            for _ in 0..<numberOfInstallments { growth *= 1 + monthlyRate }
            let payment = Double(amount) * monthlyRate * growth / (growth - 1)
            return Int64((payment + 0.5).rounded(.down))
        }
    }

    /// `amountPerMonth` as the docs' sample writes it: major units with the currency's decimals ("3.00").
    package func amountPerMonthText(for amount: Int64) -> String {
        Self.majorUnits(amountPerMonth(for: amount), currency: currency)
    }

    /// Minor units as a plain decimal in major units: 12345 SAR → "123.45", 7 JPY → "7".
    package static func majorUnits(_ minorUnits: Int64, currency: Currency) -> String {
        guard currency.decimals > 0 else { return String(minorUnits) }
        var divisor: Int64 = 1
        for _ in 0..<currency.decimals { divisor *= 10 }
        let sign = minorUnits < 0 ? "-" : ""
        let magnitude = minorUnits.magnitude
        let fraction = String(magnitude % UInt64(divisor))
        return sign + String(magnitude / UInt64(divisor)) + "." + String(repeating: "0", count: currency.decimals - fraction.count) + fraction
    }

    /// The fee as the docs' sample gives `fees_amount` and `fee_display_value`: the percentage
    /// (`1.5`) or the fixed sum in minor units.
    package var feesAmountLiteral: String {
        switch fees {
        case .fixed(let minorUnits): return String(minorUnits)
        case .percentage(let hundredths):
            let whole = hundredths / 100, rest = hundredths % 100
            if rest == 0 { return String(whole) }
            return rest % 10 == 0 ? "\(whole).\(rest / 10)" : "\(whole).\(rest < 10 ? "0" : "")\(rest)"
        }
    }

    package var feesType: String {
        if case .fixed = fees { return "Fixed" }
        return "Percentage"
    }

    private static func divideRoundingHalfUp(_ numerator: Int64, by denominator: Int64) -> Int64 {
        (numerator * 2 + denominator) / (denominator * 2)
    }
}
