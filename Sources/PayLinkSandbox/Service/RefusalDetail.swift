import PayLinkHTTP

/// Every refusal explains itself in `X-Sandbox-Detail`: the surfaces say why in their own words
/// (APS, the control API, PayByLink, the hosted page); a response of status 400 or more sent
/// without one (a dashboard page, say) gets one naming the status and the request.
enum RefusalDetail {
    static func ensured(_ response: HTTPResponse, for request: HTTPRequest) -> HTTPResponse {
        guard response.status >= 400, response.headers[SandboxDetail.header] == nil else { return response }
        var explained = response
        explained.headers.add(name: SandboxDetail.header, value: SandboxDetail.encode("HTTP \(response.status) for \(request.method) \(request.path)"))
        return explained
    }
}
