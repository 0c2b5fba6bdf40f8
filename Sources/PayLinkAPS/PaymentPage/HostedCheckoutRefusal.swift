import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport

/// How the hosted checkout refuses a request. The docs are silent (they show only the success
/// path), so the sandbox answers as APS's other browser flows do: with a known merchant the
/// request's parameters go back to `return_url` (else the merchant's redirect URL) with status
/// `00`, the refusal's `response_code` and `response_message`, signed with the response phrase,
/// as a self-submitting form (HTTP 200, since the PHP SDK treats HTTP >= 400 as a transport
/// failure); without any return URL, the page lists them. An unknown merchant cannot be signed
/// for: an error page, HTTP 400.
enum HostedCheckoutRefusal {
    static func unknownMerchant(_ form: PaymentPageRequest) -> HTTPResponse {
        let text = PageText.forLanguage(form["language"] ?? "en")
        let code = form["merchant_identifier"] == nil ? APSResponseCode(status: "00", message: "001") : APSResponseCode(status: "00", message: "009")
        let detail = form["merchant_identifier"].map { "no merchant \($0) is configured; nothing can be signed for it" }
            ?? "missing parameter merchant_identifier"
        let body = "<h1 class=\"outcome\" data-testid=\"outcome\">\(HTML.escape(code.responseMessage))</h1>"
            + "<p class=\"errors\" role=\"alert\"><span class=\"code\">\(code.code)</span> \(HTML.escape(detail))</p>"
        var response = HTML.response(HostedPageFrame.document(title: code.responseMessage, text: text, body: body), status: 400, detail: detail)
        response.headers.add(name: HostedPage.responseCodeHeader, value: code.code)
        return response
    }

    /// A refusal of a start request: every parameter it sent, echoed.
    static func page(_ failure: APSFailure, form: PaymentPageRequest, merchant: Merchant) -> HTTPResponse {
        let sent = form.parameters.members.filter { $0.key != "signature" && !($0.value.stringValue ?? "").isEmpty }
        // A return_url the checks refused is not used: the merchant's redirect URL is.
        let returnURL = form["return_url"].flatMap { url in (try? APSValues.returnURL(url)).map { url } } ?? merchant.redirectURL
        return page(failure, echoing: sent, merchant: merchant, returnURL: returnURL, language: form["language"] ?? "en")
    }

    static func page(_ failure: APSFailure, echoing sent: [JSONObject.Member], merchant: Merchant, returnURL: String?,
                     language: String) -> HTTPResponse {
        var object = JSONObject(sent)
        object["response_code"] = .string(failure.code.code)
        object["response_message"] = .string(failure.code.responseMessage)
        object["status"] = .string(failure.code.status)
        object["signature"] = .string(merchant.signer.sign(object, phrase: merchant.responsePhrase))
        return ReturnForm.page(object, returnURL: returnURL, title: failure.code.responseMessage,
                               text: PageText.forLanguage(language == "ar" ? "ar" : "en"), detail: failure.detail)
    }
}
