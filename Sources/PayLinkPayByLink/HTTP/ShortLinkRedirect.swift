import PayLinkSupport
import PayLinkHTTP

/// `GET {public_url}/s/{code}`: the short URL of a request for payment answers 302 to its long
/// URL, the hosted page of the current link (for a repayment plan, the next instalment's), so
/// the short URL a customer received keeps working from one instalment to the next.
package struct ShortLinkRedirect: Sendable {
    package static let prefix = "/s/"
    package let store: PayByLinkStore

    /// `{code}`, relative to `/s/`.
    package func router() -> Router {
        var router = Router(notFound: Self.unknown, methodNotAllowed: PayByLinkProblem.methodNotAllowed)
        router.getOrHead("{code...}") { request, path in redirect(request, code: path["code"]) }
        return router
    }

    private static func unknown(_ request: HTTPRequest) -> HTTPResponse {
        PayByLinkProblem.notFound("no request for payment has the short URL \(request.path)")
    }

    private func redirect(_ request: HTTPRequest, code: String) -> HTTPResponse {
        guard let view = store.request(shortCode: code) else { return Self.unknown(request) }
        let location = store.longURL(view.link)
        var headers = HTTPHeaders()
        headers.add(name: "Location", value: location)
        headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
        return HTTPResponse(status: 302, headers: headers, body: request.method == "HEAD" ? [] : Array("Found: \(location)\n".utf8))
    }
}
