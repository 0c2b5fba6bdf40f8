import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// Direct Transaction Feedback: after an attempt the browser is sent to the link's
/// `return_url` (else the merchant's `redirect_url`) with the signed §2.4 parameters, as a
/// form POST that submits itself. With JavaScript off the customer presses Continue. Without
/// any return URL the page shows the outcome and the parameters the merchant would receive.
enum FeedbackPage {
    static func page(_ transaction: Checkout.Transaction, returnURL: String?, text: PageText) -> String {
        let link = transaction.view.link
        let (css, message) = outcomeText(transaction.outcome, text: text)
        var body = LinkSummary.html(link, text: text)
        body += "<p class=\"status \(css)\" data-testid=\"outcome\">\(HTML.escape(message))</p>"
        let parameters = transaction.feedback ?? [:]
        if let returnURL {
            body += "<form id=\"feedback\" method=\"post\" action=\"\(HTML.escape(returnURL))\">"
            for (name, value) in parameters {
                body += "<input type=\"hidden\" name=\"\(HTML.escape(name))\" value=\"\(HTML.escape(value.stringValue ?? ""))\">"
            }
            body += "<p>\(HTML.escape(text.returning))</p><button type=\"submit\">\(HTML.escape(text.continueButton))</button></form>"
            body += "<script>document.getElementById(\"feedback\").submit();</script>"
        } else {
            body += "<p class=\"hint\">\(HTML.escape(text.noReturnURL))</p><table class=\"params\">"
            for (name, value) in parameters {
                body += "<tr><td class=\"code name\" dir=\"ltr\">\(HTML.escape(name))</td><td class=\"code value\" dir=\"ltr\">\(HTML.escape(value.stringValue ?? ""))</td></tr>"
            }
            body += "</table>"
            if transaction.view.state == .open && transaction.view.link.pendingFortID == nil {
                body += "<p><a href=\"/pay/\(HTML.escape(link.token))\">\(HTML.escape(text.tryAgain))</a></p>"
            }
        }
        return HostedPageFrame.document(title: message, text: text, body: body)
    }

    private static func outcomeText(_ outcome: Checkout.Outcome, text: PageText) -> (String, String) {
        switch outcome {
        case .approved: ("paid", text.approved)
        case .declined, .threeDSFailed: ("declined", text.declined)
        case .uncertain: ("uncertain", text.uncertain)
        }
    }
}
