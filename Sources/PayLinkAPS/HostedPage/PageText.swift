import PayLinkCore

/// The hosted page's words in English and Arabic; the link's `language` picks one, and Arabic
/// pages are laid out right to left.
struct PageText: Sendable {
    let languageCode: String
    let direction: String
    let sandboxBanner: String
    let title: String
    let merchant: String
    let amount: String
    let orderDescription: String
    let customer: String
    let expires: String
    let reference: String
    let paymentMethod: String
    let cards: String
    let cardsHint: String
    let wallets: String
    let cardNumber: String
    let expiryDate: String
    let expiryHint: String
    let securityCode: String
    let cardHolderName: String
    let mobileNumber: String
    let mobileHint: String
    let agreeTerms: String
    /// The terms checkbox named in the error summary.
    let termsLabel: String
    let pay: String
    let continueButton: String
    let problemsHeading: String
    let paid: String
    let closed: String
    let expired: String
    let notFound: String
    let pending: String
    let challengeTitle: String
    let challengeIntro: String
    let challengeCode: String
    let otpTitle: String
    let otpIntro: String
    let otpCode: String
    let sandboxCodeHint: String
    let returning: String
    let approved: String
    let declined: String
    let uncertain: String
    let tryAgain: String
    let verificationGone: String
    let noReturnURL: String
    let optionNames: [String: String]
    let problems: [CardEntry.Problem.Kind: String]
    let termsRequired: String
    let chooseMethod: String
    let invalidMobile: String
    let otpMissing: String
    /// The hosted checkout's "save this card" box and a saved card's heading.
    let rememberCard: String
    let savedCard: String
    /// A checkout page that no longer exists (finished long ago, or the sandbox restarted).
    let sessionGone: String
    /// A checkout whose payment is under way (a 3-D Secure challenge waits).
    let sessionBusy: String

    static func forLanguage(_ code: String) -> PageText { code == "ar" ? arabic : english }

    static let english = PageText(
        languageCode: "en", direction: "ltr",
        sandboxBanner: "PayLinkSandbox: a test page. No real money moves; use the test cards.",
        title: "Payment", merchant: "Merchant", amount: "Amount", orderDescription: "Order description",
        customer: "Customer", expires: "Link expires", reference: "Reference",
        paymentMethod: "Payment method", cards: "Card", cardsHint: "Pick your card's scheme, or leave it to the card number.",
        wallets: "Wallets", cardNumber: "Card number", expiryDate: "Expiry date (YYMM)", expiryHint: "For example 3005 for May 2030.",
        securityCode: "Security code (CVV)", cardHolderName: "Card holder name",
        mobileNumber: "STC Pay mobile number", mobileHint: "A Saudi mobile number, e.g. 0501234567.",
        agreeTerms: "I agree to the merchant's terms and conditions.", termsLabel: "Terms and conditions", pay: "Make a payment", continueButton: "Continue",
        problemsHeading: "Please correct the following:",
        paid: "This payment link has been paid.", closed: "This payment link has been closed by the merchant.",
        expired: "This payment link has expired.", notFound: "There is no payment link at this address.",
        pending: "A payment on this link is being confirmed. Please try again later.",
        challengeTitle: "3-D Secure verification", challengeIntro: "Your bank asks you to confirm this payment. Enter the code it sent you.",
        challengeCode: "Verification code",
        otpTitle: "STC Pay verification", otpIntro: "Enter the one-time password sent to your STC Pay mobile number.",
        otpCode: "One-time password", sandboxCodeHint: "Sandbox: %@ passes; any other code fails.",
        returning: "Returning you to the merchant…",
        approved: "Payment approved.", declined: "Payment declined.", uncertain: "Payment received; the bank has not confirmed it yet.",
        tryAgain: "Try again", verificationGone: "This verification has expired or was already answered.",
        noReturnURL: "The merchant has no return URL configured; these are the parameters it would receive.",
        optionNames: ["VISA": "Visa", "MASTERCARD": "Mastercard", "AMEX": "American Express", "MADA": "mada", "MEEZA": "Meeza",
                      "SADAD": "SADAD", "NAPS": "NAPS", "KNET": "KNET", "BENEFIT": "BENEFIT", "OMANNET": "OmanNet",
                      "STCPAY": "STC Pay", "VISA_CHECKOUT": "Visa Checkout",
                      "TAMARA": "Tamara", "TABBY": "Tabby", "VALU": "valU", "APPLE_PAY": "Apple Pay"],
        problems: [
            .missing: "This field is required.", .invalidNumber: "Enter a valid card number.",
            .unknownScheme: "This card is not accepted here.", .schemeMismatch: "The card does not match the chosen payment method.",
            .invalidExpiry: "Enter the expiry date as YYMM.", .expired: "The card has expired.",
            .invalidSecurityCode: "Enter the card's security code: 4 digits for American Express, 3 for other cards.",
        ],
        termsRequired: "Accept the terms and conditions to pay.", chooseMethod: "Choose a payment method.",
        invalidMobile: "Enter a Saudi mobile number such as 0501234567.", otpMissing: "Enter the one-time password.",
        rememberCard: "Save this card for future payments.", savedCard: "Saved card",
        sessionGone: "This payment page has expired. Please return to the merchant and start again.",
        sessionBusy: "This payment is already being processed.")

    static let arabic = PageText(
        languageCode: "ar", direction: "rtl",
        sandboxBanner: "PayLinkSandbox: صفحة اختبار. لا تتحرك أموال حقيقية؛ استخدم بطاقات الاختبار.",
        title: "الدفع", merchant: "التاجر", amount: "المبلغ", orderDescription: "وصف الطلب",
        customer: "العميل", expires: "ينتهي الرابط في", reference: "المرجع",
        paymentMethod: "طريقة الدفع", cards: "البطاقة", cardsHint: "اختر نوع بطاقتك، أو اتركه ليُحدَّد من رقم البطاقة.",
        wallets: "المحافظ الرقمية", cardNumber: "رقم البطاقة", expiryDate: "تاريخ الانتهاء (YYMM)", expiryHint: "مثال: 3005 لشهر مايو 2030.",
        securityCode: "رمز الأمان (CVV)", cardHolderName: "اسم حامل البطاقة",
        mobileNumber: "رقم جوال STC Pay", mobileHint: "رقم جوال سعودي، مثل 0501234567.",
        agreeTerms: "أوافق على الشروط والأحكام الخاصة بالتاجر.", termsLabel: "الشروط والأحكام", pay: "إتمام الدفع", continueButton: "متابعة",
        problemsHeading: "يرجى تصحيح ما يلي:",
        paid: "تم دفع رابط الدفع هذا.", closed: "أغلق التاجر رابط الدفع هذا.",
        expired: "انتهت صلاحية رابط الدفع هذا.", notFound: "لا يوجد رابط دفع على هذا العنوان.",
        pending: "جارٍ تأكيد عملية دفع على هذا الرابط. يرجى المحاولة لاحقاً.",
        challengeTitle: "التحقق الآمن ثلاثي الأبعاد", challengeIntro: "يطلب منك البنك تأكيد هذه العملية. أدخل الرمز الذي أرسله إليك.",
        challengeCode: "رمز التحقق",
        otpTitle: "التحقق عبر STC Pay", otpIntro: "أدخل كلمة المرور لمرة واحدة المرسلة إلى رقم جوال STC Pay.",
        otpCode: "كلمة المرور لمرة واحدة", sandboxCodeHint: "بيئة الاختبار: الرمز %@ ينجح، وأي رمز آخر يفشل.",
        returning: "جارٍ إعادتك إلى التاجر…",
        approved: "تمت الموافقة على الدفع.", declined: "تم رفض الدفع.", uncertain: "تم استلام الدفع؛ ولم يؤكده البنك بعد.",
        tryAgain: "حاول مرة أخرى", verificationGone: "انتهت صلاحية هذا التحقق أو تمت الإجابة عليه مسبقاً.",
        noReturnURL: "لم يحدد التاجر عنوان عودة؛ هذه هي المعاملات التي كان سيستلمها.",
        optionNames: ["VISA": "فيزا", "MASTERCARD": "ماستركارد", "AMEX": "أمريكان إكسبريس", "MADA": "مدى", "MEEZA": "ميزة",
                      "SADAD": "سداد", "NAPS": "نابس", "KNET": "كي نت", "BENEFIT": "بنفت", "OMANNET": "عمان نت",
                      "STCPAY": "STC Pay", "VISA_CHECKOUT": "فيزا تشيك أوت",
                      "TAMARA": "تمارا", "TABBY": "تابي", "VALU": "فاليو", "APPLE_PAY": "Apple Pay"],
        problems: [
            .missing: "هذا الحقل مطلوب.", .invalidNumber: "أدخل رقم بطاقة صحيحاً.",
            .unknownScheme: "هذه البطاقة غير مقبولة هنا.", .schemeMismatch: "البطاقة لا تطابق طريقة الدفع المختارة.",
            .invalidExpiry: "أدخل تاريخ الانتهاء بالصيغة YYMM.", .expired: "انتهت صلاحية البطاقة.",
            .invalidSecurityCode: "أدخل رمز أمان البطاقة: 4 أرقام لأمريكان إكسبريس و3 أرقام للبطاقات الأخرى.",
        ],
        termsRequired: "يجب الموافقة على الشروط والأحكام لإتمام الدفع.", chooseMethod: "اختر طريقة الدفع.",
        invalidMobile: "أدخل رقم جوال سعودياً مثل 0501234567.", otpMissing: "أدخل كلمة المرور لمرة واحدة.",
        rememberCard: "احفظ هذه البطاقة للمدفوعات القادمة.", savedCard: "البطاقة المحفوظة",
        sessionGone: "انتهت صلاحية صفحة الدفع هذه. يرجى العودة إلى التاجر والبدء من جديد.",
        sessionBusy: "هذه العملية قيد المعالجة بالفعل.")

    /// A payment option's name for people; unknown options show their APS name.
    func name(ofOption option: String) -> String { optionNames[option] ?? option }

    func codeHint(_ code: String) -> String { sandboxCodeHint.replacingOccurrences(of: "%@", with: code) }
}

private extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
