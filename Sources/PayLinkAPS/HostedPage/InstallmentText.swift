import PayLinkCore

/// The installment plan page's words in English and Arabic (kept apart from `PageText`, which
/// every page uses).
struct InstallmentText: Sendable {
    let heading: String
    let intro: String
    let payInFull: String
    /// "3 monthly payments of 170.00 SAR": the count and the monthly amount fill the blanks.
    let monthly: @Sendable (Int, String) -> String
    let noFees: String
    let feesPerMonth: @Sendable (String) -> String
    let feesPerYear: @Sendable (String) -> String
    let fixedFee: @Sendable (String) -> String
    let feesNotCharged: @Sendable (String) -> String
    let choosePlan: String
    /// By the catalogue's message code (086, 087, 104, 084): why this card cannot pay in installments.
    let ineligible: [String: String]

    static func forLanguage(_ code: String) -> InstallmentText { code == "ar" ? arabic : english }

    /// The value the "pay in full" radio posts.
    static let payInFullChoice = "FULL"

    static let english = InstallmentText(
        heading: "Pay in installments", intro: "Your card's bank offers these plans for this amount.",
        payInFull: "Pay the full amount now", monthly: { "\($0) monthly payments of \($1)" },
        noFees: "no fees", feesPerMonth: { "fees \($0) % a month" }, feesPerYear: { "interest \($0) % a year" },
        fixedFee: { "fee \($0)" },
        feesNotCharged: { "The bank's fees are shown for information: this payment charges \($0) to your card now." },
        choosePlan: "Choose an installment plan.",
        ineligible: ["086": "Installments are not available for this merchant.",
                     "087": "This card's bank does not offer installments here: use a card of a participating bank.",
                     "104": "No installment plan is available in this currency.",
                     "084": "The amount is outside the limits of this card's installment plans."],
        isolatesAmounts: false)

    static let arabic = InstallmentText(
        heading: "الدفع بالتقسيط", intro: "يقدّم البنك المصدر لبطاقتك هذه الخطط لهذا المبلغ.",
        payInFull: "ادفع المبلغ كاملًا الآن", monthly: { "\($0) دفعات شهرية بقيمة \($1)" },
        noFees: "بدون رسوم", feesPerMonth: { "رسوم \($0) ٪ شهريًا" }, feesPerYear: { "فائدة \($0) ٪ سنويًا" },
        fixedFee: { "رسوم \($0)" },
        feesNotCharged: { "رسوم البنك معروضة للعلم فقط: تُخصم الآن من بطاقتك \($0)." },
        choosePlan: "اختر خطة التقسيط.",
        ineligible: ["086": "التقسيط غير متاح لدى هذا التاجر.",
                     "087": "البنك المصدر لهذه البطاقة لا يقدّم التقسيط هنا: استخدم بطاقة من بنك مشارك.",
                     "104": "لا توجد خطة تقسيط بهذه العملة.",
                     "084": "المبلغ خارج حدود خطط التقسيط لهذه البطاقة."],
        isolatesAmounts: true)

    /// Whether amounts are wrapped in left-to-right isolates (U+2066 … U+2069), so "170.00 SAR"
    /// keeps its order inside a right-to-left sentence.
    let isolatesAmounts: Bool

    /// "170.00 SAR", as the page summary writes amounts.
    static func money(_ minorUnits: Int64, _ currency: Currency) -> String {
        currency.format(minorUnits: minorUnits) + " " + currency.code
    }

    /// An amount as this language's sentences hold it.
    func amount(_ text: String) -> String { isolatesAmounts ? "\u{2066}" + text + "\u{2069}" : text }

    func amount(_ minorUnits: Int64, _ currency: Currency) -> String { amount(Self.money(minorUnits, currency)) }

    /// The plan's fees in words.
    func fees(_ plan: InstallmentPlan) -> String {
        switch plan.fees {
        case .fixed(let minorUnits): minorUnits == 0 ? noFees : fixedFee(amount(minorUnits, plan.currency))
        case .percentage(let hundredths) where hundredths == 0: noFees
        case .percentage: plan.rateType == .flat ? feesPerMonth(plan.feesAmountLiteral) : feesPerYear(plan.feesAmountLiteral)
        }
    }
}
