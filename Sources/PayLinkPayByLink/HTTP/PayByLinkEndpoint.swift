import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport

/// The PayByLink REST API under `paybylink.base_path`, plus the two paths outside it that a
/// customer or a blob client calls without a key (short URLs, batch uploads). Operations are
/// matched first, as Azure API Management does (an unknown one is its 404), then the
/// subscription key is checked (its 401), then the operation runs.
package struct PayByLinkEndpoint: Sendable {
    /// The base path without a trailing slash ("" when it is "/").
    package let basePath: String
    /// `basePath + "/"`, built once rather than on every request.
    private let operationPrefix: String
    package let keys: Set<String>
    package let requests: PayByLinkRequestsAPI
    package let batches: PayByLinkBatchesAPI
    package let redirect: ShortLinkRedirect
    package let uploads: BlobUploadEndpoint

    package init(basePath: String, keys: [String], store: PayByLinkStore, batches: PayByLinkBatchesAPI, uploads: BlobUploadEndpoint) {
        self.basePath = basePath == "/" ? "" : basePath
        self.operationPrefix = self.basePath + "/"
        self.keys = Set(keys)
        self.requests = PayByLinkRequestsAPI(store: store)
        self.batches = batches
        self.redirect = ShortLinkRedirect(store: store)
        self.uploads = uploads
    }

    /// The answer, or nil when the path belongs to no PayByLink surface.
    package func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let path = request.path
        if path.hasPrefix(ShortLinkRedirect.prefix) { return redirect.handle(request) }
        if path.hasPrefix(BlobUploadEndpoint.containerPath) { return uploads.handle(request) }
        guard path.hasPrefix(operationPrefix) else { return nil }
        let segments = path.dropFirst(basePath.count + 1).split(separator: "/", omittingEmptySubsequences: false)
            .map { QueryParameters.decode($0) }
        let allowed: [String]
        switch segments.count {
        case 1 where segments[0] == "requests" || segments[0] == "batches": allowed = ["GET", "POST"]
        case 2 where segments[0] == "requests" && !segments[1].isEmpty: allowed = ["GET", "PUT"]
        case 2 where segments[0] == "batches" && !segments[1].isEmpty: allowed = ["GET"]
        case 3 where segments[0] == "batches" && !segments[1].isEmpty && segments[2] == "confirm": allowed = ["POST"]
        case 3 where segments[0] == "batches" && !segments[1].isEmpty && segments[2] == "failures": allowed = ["GET"]
        default: return PayByLinkProblem.resourceNotFound(request)
        }
        guard allowed.contains(request.method) else { return PayByLinkProblem.methodNotAllowed(request, allowed: allowed) }
        let subscription: String
        switch authenticate(request) {
        case .success(let key): subscription = key
        case .failure(let refusal): return refusal.response
        }
        if segments[0] == "requests" {
            return requests.handle(request, id: segments.count == 2 ? segments[1] : nil, subscription: subscription)
        }
        return batches.handle(request, id: segments.count >= 2 ? segments[1] : nil, action: segments.count == 3 ? segments[2] : nil,
                              subscription: subscription)
    }

    /// The key from `Ocp-Apim-Subscription-Key`, or APIM's `subscription-key` query parameter.
    private func authenticate(_ request: HTTPRequest) -> Result<String, HTTPErrorResponse> {
        var key = request.headers["Ocp-Apim-Subscription-Key"]
        if key == nil || key?.isEmpty == true {
            key = QueryParameters.parse(request.query).first { $0.name.lowercased() == "subscription-key" }?.value
        }
        guard let key, !key.isEmpty else { return .failure(HTTPErrorResponse(PayByLinkProblem.accessDenied(missing: true))) }
        guard keys.contains(key) else { return .failure(HTTPErrorResponse(PayByLinkProblem.accessDenied(missing: false))) }
        return .success(key)
    }

    /// A request body that must be one JSON object; what is wrong with it is reported under `$`,
    /// as ASP.NET names the body.
    package static func objectBody(_ request: HTTPRequest) -> Result<JSONObject, FieldErrors> {
        var errors = FieldErrors()
        guard !request.body.isEmpty else {
            errors.add("$", "a JSON object body is required")
            return .failure(errors)
        }
        do {
            guard case .object(let object) = try JSONParser.parse(request.body) else {
                errors.add("$", "the body must be a JSON object")
                return .failure(errors)
            }
            return .success(object)
        } catch {
            errors.add("$", "the body is not valid JSON: \(error)")
            return .failure(errors)
        }
    }
}
