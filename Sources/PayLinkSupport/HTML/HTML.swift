import PayLinkHTTP

/// Just enough HTML writing for the sandbox's own pages: escaping and the response headers
/// every page is sent with.
package enum HTML {
    /// Text or attribute value made safe: `& < > " '` escaped.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// An HTML response that no cache keeps and no other site frames.
    /// A page; a refusal's `detail` (English) goes in `X-Sandbox-Detail`.
    package static func response(_ html: String, status: Int = 200, detail: String? = nil) -> HTTPResponse {
        var response = HTTPResponse(status: status, headers: headers, body: Array(html.utf8))
        if let detail { response.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(detail)) }
        return response
    }

    package static let headers: HTTPHeaders = [
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; form-action http: https:; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
    ]
}
