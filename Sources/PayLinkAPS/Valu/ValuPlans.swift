import PayLinkCore
import PayLinkJSON

/// The tenures the simulated valU offers when it generates an OTP, and what each costs.
///
/// valU's real offer depends on the customer and the merchant and is not public; the sandbox
/// offers 3, 6, 9 and 12 months at a flat fee of 1.5% of the financed amount per month
/// (rounded up to the minor unit), repaid in equal monthly amounts (the last may be smaller).
/// The plugin shows `number_of_installments`, `amount_per_month` and `fees_amount` (minor
/// units) of each `installment_detail.plan_details[]` entry.
struct ValuPlan: Sendable, Equatable {
    var numberOfInstallments: Int
    var feesAmount: Int64
    var amountPerMonth: Int64

    static let tenures = [3, 6, 9, 12]
    /// The fee per month, in tenths of a percent of the financed amount.
    static let monthlyFeePerMille: Int64 = 15

    /// The plans for `financed` (the amount less down payment and wallet amounts).
    static func plans(financing financed: Int64) -> [ValuPlan] {
        tenures.map { months in
            let fees = (financed * monthlyFeePerMille * Int64(months) + 999) / 1000
            let total = financed + fees
            return ValuPlan(numberOfInstallments: months, feesAmount: fees, amountPerMonth: (total + Int64(months) - 1) / Int64(months))
        }
    }

    /// `installment_detail` as the plugin reads it: `{"plan_details": [...]}`.
    static func installmentDetail(_ plans: [ValuPlan], currency: String) -> JSONValue {
        .object(["plan_details": .array(plans.map { plan in
            .object([
                "number_of_installments": .number(String(plan.numberOfInstallments)),
                "amount_per_month": .number(String(plan.amountPerMonth)),
                "fees_amount": .number(String(plan.feesAmount)),
                "currency": .string(currency),
            ])
        })])
    }
}
