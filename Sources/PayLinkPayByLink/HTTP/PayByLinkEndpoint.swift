import PayLinkCore
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
    /// The subscription keys accepted: configured, and added at run time (`SubscriptionKeys`).
    package let keys: SubscriptionKeys
    package let requests: PayByLinkRequestsAPI
    package let batches: PayByLinkBatchesAPI
    package let redirect: ShortLinkRedirect
    package let uploads: BlobUploadEndpoint

    package init(basePath: String, keys: SubscriptionKeys, store: PayByLinkStore, batches: PayByLinkBatchesAPI, uploads: BlobUploadEndpoint) {
        self.basePath = basePath == "/" ? "" : basePath
        self.operationPrefix = self.basePath + "/"
        self.keys = keys
        self.requests = PayByLinkRequestsAPI(store: store)
        self.batches = batches
        self.redirect = ShortLinkRedirect(store: store)
        self.uploads = uploads
    }

    /// Whether `path` is one of the operations (under the base path).
    package func isOperation(_ path: String) -> Bool { path.hasPrefix(operationPrefix) }

    /// The operations, relative to the base path. APIM's order: an unknown operation is its 404
    /// and a wrong method its 405 before the key is looked at (401).
    package func router() -> Router {
        var router = Router(notFound: PayByLinkProblem.resourceNotFound, methodNotAllowed: PayByLinkProblem.methodNotAllowed)
        router.get("requests") { request, _ in try requests.list(request, subscription: authenticate(request)) }
        router.post("requests") { request, _ in try requests.create(request, subscription: authenticate(request)) }
        router.get("requests/{id}") { request, path in try requests.show(id: Self.decoded(path["id"]), subscription: authenticate(request)) }
        router.put("requests/{id}") { request, path in
            try requests.update(request, id: Self.decoded(path["id"]), subscription: authenticate(request))
        }
        router.get("batches") { request, _ in try batches.list(request, subscription: authenticate(request)) }
        router.post("batches") { request, _ in try batches.create(request, subscription: authenticate(request)) }
        router.get("batches/{id}") { request, path in try batches.show(id: Self.decoded(path["id"]), subscription: authenticate(request)) }
        router.post("batches/{id}/confirm") { request, path in
            try batches.confirm(id: Self.decoded(path["id"]), subscription: authenticate(request))
        }
        router.get("batches/{id}/failures") { request, path in
            try batches.failures(request, id: Self.decoded(path["id"]), subscription: authenticate(request))
        }
        return router
    }

    /// Ids arrive percent-encoded as path segments.
    private static func decoded(_ segment: String) -> String { QueryParameters.decode(Substring(segment)) }

    /// The key from `Ocp-Apim-Subscription-Key`, or APIM's `subscription-key` query parameter.
    private func authenticate(_ request: HTTPRequest) throws(HTTPErrorResponse) -> String {
        var key = request.headers["Ocp-Apim-Subscription-Key"]
        if key == nil || key?.isEmpty == true {
            key = QueryParameters.parse(request.query).first { $0.name.lowercased() == "subscription-key" }?.value
        }
        guard let key, !key.isEmpty else { throw HTTPErrorResponse(PayByLinkProblem.accessDenied(missing: true)) }
        guard keys.contains(key) else { throw HTTPErrorResponse(PayByLinkProblem.accessDenied(missing: false)) }
        return key
    }

    /// A request body that must be one JSON object; what is wrong with it is reported under `$`,
    /// as ASP.NET names the body.
    package static func objectBody(_ request: HTTPRequest) throws(FieldErrors) -> JSONObject {
        var errors = FieldErrors()
        guard !request.body.isEmpty else {
            errors.add("$", "a JSON object body is required")
            throw errors
        }
        let value: JSONValue
        do { value = try JSONParser.parse(request.body) } catch {
            errors.add("$", "the body is not valid JSON: \(error)")
            throw errors
        }
        guard case .object(let object) = value else {
            errors.add("$", "the body must be a JSON object")
            throw errors
        }
        return object
    }
}
