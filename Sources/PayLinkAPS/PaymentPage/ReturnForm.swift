import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// How a paymentPage flow ends in the browser: the signed parameters posted to the
/// merchant's `return_url` by a form that submits itself (with JavaScript off, the customer
/// presses Continue). Without a return URL the page shows the parameters the merchant would
/// have received.
enum ReturnForm {
    /// `title` is the page's heading (the outcome, in the page's language).
    static func page(_ parameters: JSONObject, returnURL: String?, title: String, text: PageText,
                             status: Int = 200, detail: String? = nil) -> HTTPResponse {
        var body = "<h1 class=\"outcome\" data-testid=\"outcome\">\(HTML.escape(title))</h1>"
        if let returnURL {
            body += "<form id=\"return\" method=\"post\" action=\"\(HTML.escape(returnURL))\">"
            for member in parameters.members {
                body += "<input type=\"hidden\" name=\"\(HTML.escape(member.key))\" value=\"\(HTML.escape(member.value.stringValue ?? ""))\">"
            }
            body += "<p>\(HTML.escape(text.returning))</p><button type=\"submit\">\(HTML.escape(text.continueButton))</button></form>"
            body += "<script>document.getElementById(\"return\").submit();</script>"
        } else {
            body += "<p class=\"hint\">\(HTML.escape(text.noReturnURL))</p><table class=\"params\">"
            for member in parameters.members {
                body += "<tr><td class=\"code name\" dir=\"ltr\">\(HTML.escape(member.key))</td><td class=\"code value\" dir=\"ltr\">\(HTML.escape(member.value.stringValue ?? ""))</td></tr>"
            }
            body += "</table>"
        }
        var response = HTML.response(HostedPageFrame.document(title: title, text: text, body: body), status: status, detail: detail)
        if let code = parameters["response_code"]?.stringValue {
            response.headers.add(name: HostedPage.responseCodeHeader, value: code)
        }
        return response
    }
}
