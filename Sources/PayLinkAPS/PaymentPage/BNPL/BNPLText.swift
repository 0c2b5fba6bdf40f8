/// The simulated provider checkouts' words in English and Arabic (`%@` is the provider's name
/// or a number). The words the payment page shares (approved, declined …) are `PageText`'s.
struct BNPLText: Sendable {
    let banner: String
    let signInTitle: String
    let phoneNumber: String
    let password: String
    let email: String
    let signIn: String
    let testCredentials: String
    /// The credentials list's labels: any phone number will do; Tabby's e-mail that approves, that rejects.
    let anyPhone: String
    let approvedBy: String
    let rejectedBy: String
    let wrongCredentials: String
    let phoneMissing: String
    let otpTitle: String
    let otpIntro: String
    let otpCode: String
    let verify: String
    let wrongOTP: String
    let scheduleTitle: String
    let scheduleIntro: String
    let payment: String
    let due: String
    let amount: String
    let today: String
    let approve: String
    let decline: String
    let cancel: String
    let expiresAt: String
    let cancelled: String
    let expired: String
    let busy: String
    let gone: String

    static func forLanguage(_ code: String) -> BNPLText { code == "ar" ? arabic : english }

    static let english = BNPLText(
        banner: "Simulated %@ checkout (PayLinkSandbox): not %@'s real page; nothing is charged to anyone.",
        signInTitle: "Sign in to %@", phoneNumber: "Phone number", password: "Password", email: "E-mail", signIn: "Sign in",
        testCredentials: "Sandbox test credentials",
        anyPhone: "any (the order's is filled in)", approvedBy: "E-mail for an approval",
        rejectedBy: "E-mail for a rejection after the OTP", wrongCredentials: "These are not the sandbox's test credentials.",
        phoneMissing: "Enter a phone number (digits, + - ( ) and spaces).",
        otpTitle: "Enter the one-time password", otpIntro: "A code would be sent to your phone; the sandbox sends none.",
        otpCode: "One-time password", verify: "Verify", wrongOTP: "Wrong code. Attempts left: %@.",
        scheduleTitle: "Your payment plan", scheduleIntro: "Split in %@ interest-free payments.", payment: "Payment", due: "Due",
        amount: "Amount", today: "today", approve: "Confirm and pay", decline: "Decline (test outcome)",
        cancel: "Cancel and return to the store", expiresAt: "This checkout expires at", cancelled: "Payment cancelled",
        expired: "Checkout session expired", busy: "This payment's outcome is being recorded.",
        gone: "This checkout is not known here (unknown, forgotten, or lost in a restart).")

    static let arabic = BNPLText(
        banner: "صفحة دفع %@ محاكاة (PayLinkSandbox): ليست صفحة %@ الحقيقية، ولا يُخصم أي مبلغ.",
        signInTitle: "تسجيل الدخول إلى %@", phoneNumber: "رقم الجوال", password: "كلمة المرور", email: "البريد الإلكتروني",
        signIn: "تسجيل الدخول", testCredentials: "بيانات الاختبار في البيئة التجريبية",
        anyPhone: "أي رقم (رقم الطلب معبأ مسبقًا)", approvedBy: "بريد إلكتروني للموافقة",
        rejectedBy: "بريد إلكتروني للرفض بعد رمز التحقق",
        wrongCredentials: "هذه ليست بيانات الاختبار في البيئة التجريبية.",
        phoneMissing: "أدخل رقم الجوال (أرقام و + - ( ) ومسافات).",
        otpTitle: "أدخل رمز التحقق لمرة واحدة", otpIntro: "يُرسل الرمز عادةً إلى جوالك؛ البيئة التجريبية لا ترسل شيئًا.",
        otpCode: "رمز التحقق", verify: "تحقق", wrongOTP: "رمز غير صحيح. المحاولات المتبقية: %@.",
        scheduleTitle: "خطة الدفع", scheduleIntro: "قسّمها على %@ دفعات بدون فوائد.", payment: "الدفعة", due: "تاريخ الاستحقاق",
        amount: "المبلغ", today: "اليوم", approve: "تأكيد والدفع", decline: "رفض (نتيجة اختبار)",
        cancel: "إلغاء والعودة إلى المتجر", expiresAt: "تنتهي صلاحية هذه الصفحة في", cancelled: "تم إلغاء الدفع",
        expired: "انتهت مهلة جلسة الدفع", busy: "يجري تسجيل نتيجة هذا الدفع.",
        gone: "صفحة الدفع هذه غير معروفة (غير موجودة أو منسية أو فُقدت بعد إعادة التشغيل).")

    static func fill(_ template: String, _ value: String) -> String {
        template.split(separator: "%@", omittingEmptySubsequences: false).joined(separator: value)
    }
}
