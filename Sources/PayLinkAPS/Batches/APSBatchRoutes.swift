import PayLinkHTTP
import PayLinkSupport

/// The APS batch paths: `POST /FortAPI/upload/` and `POST /FortAPI/batchApi/` (with or without
/// the trailing slash). Anything else is not theirs.
package struct APSBatchRoutes: Sendable {
    package let upload: APSBatchUploadEndpoint
    package let batchAPI: APSBatchAPIEndpoint

    package func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let path = request.path
        guard path.hasPrefix("/FortAPI/") else { return nil }
        let isUpload = path == "/FortAPI/upload/" || path == "/FortAPI/upload"
        let isBatchAPI = path == "/FortAPI/batchApi/" || path == "/FortAPI/batchApi"
        guard isUpload || isBatchAPI else { return nil }
        guard request.method == "POST" else { return JSONResponses.methodNotAllowed(request, allowed: ["POST"]) }
        return isUpload ? upload.handle(request) : batchAPI.handle(request)
    }

    package init(upload: APSBatchUploadEndpoint, batchAPI: APSBatchAPIEndpoint) {
        self.upload = upload
        self.batchAPI = batchAPI
    }
}
