import PayLinkHTTP
import PayLinkCore
import PayLinkSupport

/// The sandbox's stand-in for Azure Blob storage: `PUT {public_url}/blob/paybylink/{BatchId}?sv=…&se=…&sig=…`
/// with `x-ms-blob-type: BlockBlob` stores a batch file and answers 201 Created, as Put Blob
/// does. A URL whose signature does not cover it exactly, or whose `se` has passed on the
/// sandbox clock, is 403 `AuthenticationFailed`; a missing or other blob type is 400. Errors
/// are Azure's XML bodies.
package struct BlobUploadEndpoint: Sendable {
    package static let containerPath = "/blob/paybylink/"

    package let batches: BatchEngine
    package let signer: UploadSigningKey

    /// `{blob}`, relative to the container: Put Blob only, with Azure's XML errors.
    package func router() -> Router {
        let clock = batches.clock
        var router = Router(
            notFound: { _ in Self.error(404, code: "ResourceNotFound", message: "The specified resource does not exist.", now: clock.now()) },
            methodNotAllowed: { _, allowed in
                var response = Self.error(405, code: "UnsupportedHttpVerb", message: "The resource doesn't support specified Http Verb.", now: clock.now())
                response.headers.add(name: "Allow", value: allowed.joined(separator: ", "))
                return response
            })
        router.put("{blob...}") { request, _ in put(request) }
        return router
    }

    private func put(_ request: HTTPRequest) -> HTTPResponse {
        let now = batches.clock.now()
        switch signer.verify(path: request.path, query: request.query, now: now) {
        case .tampered:
            return Self.error(403, code: "AuthenticationFailed",
                              message: "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
                              detail: "Signature did not match: the upload URL must be used exactly as POST /batches returned it.", now: now)
        case .expired(let expiry):
            return Self.error(403, code: "AuthenticationFailed",
                              message: "Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.",
                              detail: "Signed expiry time [\(HTTPDate.format(expiry))] has passed. Signature not valid in the specified time frame: "
                                  + "Expiry [\(HTTPDate.format(expiry))] - Current [\(HTTPDate.format(now))]", now: now)
        case .valid: break
        }
        guard let blobType = request.headers["x-ms-blob-type"] else {
            return Self.error(400, code: "MissingRequiredHeader", message: "An HTTP header that's mandatory for this request is not specified.",
                              extra: "<HeaderName>x-ms-blob-type</HeaderName>", now: now)
        }
        guard blobType == "BlockBlob" else {
            return Self.error(400, code: "InvalidHeaderValue", message: "The value for one of the HTTP headers is not in the correct format.",
                              extra: "<HeaderName>x-ms-blob-type</HeaderName><HeaderValue>\(Self.escape(blobType))</HeaderValue>", now: now)
        }
        let id = String(request.path.dropFirst(Self.containerPath.count))
        guard let batch = batches.batch(id: id) else {
            return Self.error(404, code: "BlobNotFound", message: "The specified batch does not exist (the sandbox was reset?).", now: now)
        }
        do {
            _ = try batches.upload(id: id, owner: batch.owner, file: request.body)
        } catch {
            return Self.error(409, code: "BatchAlreadyConfirmed",
                              message: "The batch is already confirmed; its file can no longer change. Create a new batch.", now: now)
        }
        var headers = HTTPHeaders()
        headers.add(name: "ETag", value: "\"0x8DC\(String(now.millisecondsSince1970, radix: 16, uppercase: true))\"")
        headers.add(name: "Last-Modified", value: HTTPDate.format(now))
        headers.add(name: "x-ms-version", value: UploadURLSigner.serviceVersion)
        headers.add(name: "x-ms-request-server-encrypted", value: "true")
        return HTTPResponse(status: 201, headers: headers)
    }

    private static func error(_ status: Int, code: String, message: String, detail: String? = nil, extra: String = "", now: SandboxInstant) -> HTTPResponse {
        var body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>\(code)</Code><Message>\(escape(message))\nTime:\(ISO8601.formatUTC(now))</Message>"
        if let detail { body += "<AuthenticationErrorDetail>\(escape(detail))</AuthenticationErrorDetail>" }
        body += extra + "</Error>"
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/xml")
        headers.add(name: "x-ms-error-code", value: code)
        headers.add(name: SandboxDetail.header, value: SandboxDetail.encode(detail.map { "\(code): \(message) (\($0))" } ?? "\(code): \(message)"))
        return HTTPResponse(status: status, headers: headers, body: Array(body.utf8))
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    package init(batches: BatchEngine, signer: UploadSigningKey) {
        self.batches = batches
        self.signer = signer
    }
}
