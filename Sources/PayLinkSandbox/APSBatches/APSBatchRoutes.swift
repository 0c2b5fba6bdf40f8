import PayLinkHTTP

/// The APS batch paths: `POST /FortAPI/upload/` and `POST /FortAPI/batchApi/` (with or without
/// the trailing slash). Anything else is not theirs.
struct APSBatchRoutes: Sendable {
    let upload: APSBatchUploadEndpoint
    let batchAPI: APSBatchAPIEndpoint

    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let path = request.path
        guard path.hasPrefix("/FortAPI/") else { return nil }
        let isUpload = path == "/FortAPI/upload/" || path == "/FortAPI/upload"
        let isBatchAPI = path == "/FortAPI/batchApi/" || path == "/FortAPI/batchApi"
        guard isUpload || isBatchAPI else { return nil }
        guard request.method == "POST" else { return JSONResponses.methodNotAllowed(request, allowed: ["POST"]) }
        return isUpload ? upload.handle(request) : batchAPI.handle(request)
    }
}
