import PayLinkCore
import PayLinkSupport

/// The hosted checkout's second step for an installments request: the plans the card's bank
/// offers for this amount (count, monthly amount, fees), and "pay in full" when the request
/// allows it. It posts `installment_plan` (`issuer_code/plan_code`, or `FULL`). The card was
/// taken on the first step: only its masked number is shown.
enum InstallmentPlanPage {
    static func page(_ summary: PageSummary, action: String, maskedCard: String?, options: [InstallmentOption], allowsFull: Bool,
                     text: PageText, chosen: String?, problem: Bool) -> String {
        let words = InstallmentText.forLanguage(text.languageCode)
        var body = summary.html(text: text)
        if problem {
            body += "<div class=\"errors\" role=\"alert\">\(HTML.escape(text.problemsHeading))<ul><li>\(HTML.escape(words.choosePlan))</li></ul></div>"
        }
        body += "<form method=\"post\" action=\"\(HTML.escape(action))\" novalidate>"
        if let maskedCard {
            body += "<p class=\"code\" data-testid=\"card\" dir=\"ltr\">\(HTML.escape(maskedCard))</p>"
        }
        body += "<fieldset><legend>\(HTML.escape(words.heading))</legend><p class=\"hint\">\(HTML.escape(words.intro))</p>"
        body += "<div class=\"plans\" data-testid=\"plans\">"
        var issuer: String?
        for option in options {
            if option.issuer.code != issuer {
                issuer = option.issuer.code
                let name = text.languageCode == "ar" ? option.issuer.nameArabic : option.issuer.nameEnglish
                body += "<p class=\"hint\"><bdi>\(HTML.escape(name))</bdi></p>"
            }
            let monthly = words.monthly(option.plan.numberOfInstallments, words.amount(option.amountPerMonth, option.plan.currency))
            body += radio(option.choice, chosen: chosen, line: monthly, detail: words.fees(option.plan))
        }
        if allowsFull {
            body += radio(InstallmentText.payInFullChoice, chosen: chosen, line: words.payInFull,
                          detail: summary.formattedAmount)
        }
        body += "</div><p class=\"hint\">\(HTML.escape(words.feesNotCharged(words.amount(summary.formattedAmount))))</p></fieldset>"
        body += "<button type=\"submit\">\(HTML.escape(text.pay))</button></form>"
        return HostedPageFrame.document(title: words.heading + " · " + summary.merchantIdentifier, text: text, body: body)
    }

    private static func radio(_ value: String, chosen: String?, line: String, detail: String) -> String {
        let checked = value == chosen ? " checked" : ""
        return "<label class=\"option plan\"><input type=\"radio\" name=\"installment_plan\" value=\"\(HTML.escape(value))\"\(checked)>"
            + " <span><bdi>\(HTML.escape(line))</bdi><small><bdi>\(HTML.escape(detail))</bdi></small></span></label>"
    }
}
