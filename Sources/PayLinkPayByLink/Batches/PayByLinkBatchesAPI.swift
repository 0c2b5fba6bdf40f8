import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// `POST /batches`, `GET /batches`, `GET /batches/{BatchId}`, `POST /batches/{BatchId}/confirm`,
/// `GET /batches/{BatchId}/failures`, on the shared `BatchEngine`.
package struct PayByLinkBatchesAPI: Sendable {
    /// How long an upload URL works, in sandbox time: one hour.
    package static let uploadURLLifetimeSeconds: Int64 = 3_600

    package let engine: BatchEngine

    /// The batch engine's owner for a subscription: no key sees an APS merchant's batches
    /// (the engine serves both dialects).
    package static func owner(_ subscription: String) -> Owner { .payByLink(subscription: subscription) }
    package let store: PayByLinkStore
    package let signer: UploadSigningKey
    package let urls: LinkURLs

    /// `POST /batches` with `{"FileName": "…"}`: 201 with `BatchId` and a signed `UploadUrl`.
    package func create(_ request: HTTPRequest, subscription: String) -> HTTPResponse {
        let object: JSONObject
        do { object = try PayByLinkEndpoint.objectBody(request) } catch { return PayByLinkProblem.validation(error) }
        var errors = FieldErrors()
        let reader = PropertyReader(object, path: "", known: ["FileName"], errors: &errors)
        let fileName = reader.string("FileName", required: true, maxLength: 255, errors: &errors)
        if let fileName, fileName.contains(where: { $0 == "/" || $0 == "\\" }) {
            errors.add("FileName", "must be a file name without a directory")
        }
        guard errors.isEmpty, let fileName else { return PayByLinkProblem.validation(errors) }
        var batch: Batch?
        while batch == nil {
            let id = store.newGUID()
            batch = try? engine.create(id: id, owner: Self.owner(subscription), fileName: fileName)
        }
        guard let batch else { return PayByLinkProblem.resourceNotFound(request) }
        let expiry = batch.createdAt.adding(seconds: Self.uploadURLLifetimeSeconds)
        var body = BatchRepresentation.json(batch)
        let upload = signer.sign(path: BlobUploadEndpoint.containerPath + batch.id, expiry: expiry)
        body["UploadUrl"] = .string(urls.baseURL + upload)
        // The query alone, as Azure hands out a "SAS token" for clients that build the URL themselves.
        body["SasToken"] = .string(String(upload.drop { $0 != "?" }.dropFirst()))
        body["UploadUrlExpiresAt"] = .string(ISO8601.formatUTC(expiry))
        var response = ok(body, status: 201)
        response.headers.add(name: "Location", value: request.path + "/" + batch.id)
        return response
    }

    package func show(id: String, subscription: String) -> HTTPResponse {
        guard let batch = engine.batch(id: id, owner: Self.owner(subscription)) else { return notFound(id) }
        return ok(BatchRepresentation.json(batch))
    }

    /// `POST /batches/{BatchId}/confirm`: 202 and validation starts in the background; 409
    /// before the upload. Confirming again answers 202 with the batch as it stands.
    package func confirm(id: String, subscription: String) -> HTTPResponse {
        do {
            let batch = try engine.confirm(id: id, owner: Self.owner(subscription),
                                           handler: PayByLinkBatchFile.handler(store: store, subscription: subscription), thenProcess: true)
            return ok(BatchRepresentation.json(batch), status: 202)
        } catch .notFound {
            return notFound(id)
        } catch {
            return PayByLinkProblem.conflict("the batch cannot be confirmed: \(error.explanation)",
                                             extra: ["Status": .string(engine.batch(id: id, owner: Self.owner(subscription))?.status.rawValue ?? "")])
        }
    }

    /// `GET /batches?Page=&PageSize=`: newest first.
    package func list(_ request: HTTPRequest, subscription: String) -> HTTPResponse {
        let paging: Paging
        do { paging = try Paging.read(QueryParameters.parse(request.query)) } catch { return PayByLinkProblem.validation(error) }
        let all = engine.batches(owner: Self.owner(subscription))
        let page = all.dropFirst((paging.page - 1) * paging.pageSize).prefix(paging.pageSize)
        return ok(paging.envelope(total: all.count, items: page.map { .object(BatchRepresentation.json($0)) }))
    }

    /// `GET /batches/{BatchId}/failures?Page=&PageSize=`: each failed record with its line,
    /// the line as written and every reason by field.
    package func failures(_ request: HTTPRequest, id: String, subscription: String) -> HTTPResponse {
        let paging: Paging
        do { paging = try Paging.read(QueryParameters.parse(request.query)) } catch { return PayByLinkProblem.validation(error) }
        guard let batch = engine.batch(id: id, owner: Self.owner(subscription)) else { return notFound(id) }
        let page = batch.failures.dropFirst((paging.page - 1) * paging.pageSize).prefix(paging.pageSize)
        var body = paging.envelope(total: batch.failures.count, items: page.map { .object(BatchRepresentation.json($0)) })
        body["BatchId"] = .string(batch.id)
        body["Status"] = .string(batch.status.rawValue)
        return ok(body)
    }

    private func notFound(_ id: String) -> HTTPResponse { PayByLinkProblem.notFound("no batch \(id) for this subscription") }

    private func ok(_ object: JSONObject, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: PayByLinkProblem.jsonHeaders, body: object.serialized())
    }

    package init(engine: BatchEngine, store: PayByLinkStore, signer: UploadSigningKey, urls: LinkURLs) {
        self.engine = engine
        self.store = store
        self.signer = signer
        self.urls = urls
    }
}

/// `Page` (from 1) and `PageSize` (1 to 100, default 20) of a listing.
struct Paging: Sendable {
    var page = 1
    var pageSize = 20

    static func read(_ parameters: [(name: String, value: String)]) throws(FieldErrors) -> Paging {
        var errors = FieldErrors()
        var paging = Paging()
        for (name, value) in parameters {
            switch name.lowercased() {
            case "page":
                if let page = Int(value), page >= 1, page <= 1_000_000 { paging.page = page } else { errors.add("Page", "must be a whole number from 1") }
            case "pagesize":
                if let size = Int(value), (1...100).contains(size) { paging.pageSize = size } else { errors.add("PageSize", "must be a whole number from 1 to 100") }
            case "subscription-key": break
            default: errors.add(name, "is not a known parameter; use Page, PageSize")
            }
        }
        guard errors.isEmpty else { throw errors }
        return paging
    }

    func envelope(total: Int, items: [JSONValue]) -> JSONObject {
        ["Page": .number(page), "PageSize": .number(pageSize), "TotalCount": .number(total),
         "TotalPages": .number((total + pageSize - 1) / pageSize), "Items": .array(items)]
    }
}
