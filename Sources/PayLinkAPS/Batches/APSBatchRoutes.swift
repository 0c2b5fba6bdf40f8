import PayLinkHTTP
import PayLinkSupport

/// The APS batch paths: `POST /FortAPI/upload/` and `POST /FortAPI/batchApi/` (with or without
/// the trailing slash); the batch API also under the old docs' sandbox prefix `/integration-batch/`.
package struct APSBatchRoutes: Sendable {
    package let upload: APSBatchUploadEndpoint
    package let batchAPI: APSBatchAPIEndpoint
    /// The upload paths, relative to `/FortAPI/`: their bodies are batch files.
    package static let uploadPaths = ["upload", "upload/"]

    /// Adds the batch routes, relative to `/FortAPI/`, to the APS surface's router. They run off
    /// the event loop: an upload parses a file of up to `server.max_upload_bytes`, and the results
    /// of a 100,000-line file are a 10 MB answer to write and sign, which would hold up every
    /// other request meanwhile.
    package func add(to router: inout Router) {
        for path in Self.uploadPaths { router.post(path, offLoop: true) { request, _ in upload.handle(request) } }
        addBatchAPI(to: &router)
    }

    /// Adds only `batchApi` (with or without the slash), for a router under another prefix.
    package func addBatchAPI(to router: inout Router) {
        for path in ["batchApi", "batchApi/"] { router.post(path, offLoop: true) { request, _ in batchAPI.handle(request) } }
    }

    package init(upload: APSBatchUploadEndpoint, batchAPI: APSBatchAPIEndpoint) {
        self.upload = upload
        self.batchAPI = batchAPI
    }
}
