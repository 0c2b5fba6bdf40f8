import PayLinkHTTP
import PayLinkSupport

/// The APS batch paths: `POST /FortAPI/upload/` and `POST /FortAPI/batchApi/` (with or without
/// the trailing slash).
package struct APSBatchRoutes: Sendable {
    package let upload: APSBatchUploadEndpoint
    package let batchAPI: APSBatchAPIEndpoint

    /// Adds the batch routes, relative to `/FortAPI/`, to the APS surface's router.
    package func add(to router: inout Router) {
        for path in ["upload", "upload/"] { router.post(path) { request, _ in upload.handle(request) } }
        for path in ["batchApi", "batchApi/"] { router.post(path) { request, _ in batchAPI.handle(request) } }
    }

    package init(upload: APSBatchUploadEndpoint, batchAPI: APSBatchAPIEndpoint) {
        self.upload = upload
        self.batchAPI = batchAPI
    }
}
