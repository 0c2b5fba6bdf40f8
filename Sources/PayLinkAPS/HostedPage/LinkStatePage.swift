import PayLinkCore
import PayLinkSupport

/// The page of a link that cannot be paid (Paid, Closed, Expired, or a payment awaiting
/// confirmation), and of an address with no link: a clear message and no form.
enum LinkStatePage {
    static func page(_ link: PaymentLink, refusal: LinkError, text: PageText) -> String {
        let (css, message): (String, String) = switch refusal {
        case .alreadyPaid: ("paid", text.paid)
        case .closed: ("closed", text.closed)
        case .expired: ("expired", text.expired)
        case .transactionPending: ("uncertain", text.pending)
        default: ("closed", text.notFound)
        }
        let body = LinkSummary.html(link, text: text) + "<p class=\"status \(css)\" data-testid=\"link-state\">\(HTML.escape(message))</p>"
        return HostedPageFrame.document(title: message, text: text, body: body)
    }

    static func notFound(text: PageText = .english) -> String {
        HostedPageFrame.document(title: text.notFound, text: text, body: "<p class=\"status closed\" data-testid=\"link-state\">\(HTML.escape(text.notFound))</p>")
    }
}
