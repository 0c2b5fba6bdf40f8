import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import Synchronization

/// `POST /FortAPI/upload/` (multipart/form-data), `service_command=UPLOAD_BATCH_FILE`: stores the
/// CSV for the merchant under its `batch_reference`, answers `50000` with an 18-digit `batch_id`,
/// and starts validation in the background (`GET_BATCH_RESULTS` then reports 76 or 77).
///
/// The signature covers every form field but `signature` and the file. Refusals of the request
/// itself carry status `00` (as on `/FortAPI/paymentApi`); a well-formed upload refused for its
/// file or reference carries `51` "Upload batch file failed" (`51146` reference already used,
/// `51144` not a `.csv` file or a name over 50 characters).
package struct APSBatchUploadEndpoint: Sendable {
    package let context: APSContext
    package let batches: BatchEngine
    package let ids: APSBatchIDs

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard let boundary = MultipartFormData.boundary(contentType: request.headers["Content-Type"]) else {
            return invalidFormat("the body must be multipart/form-data with a boundary")
        }
        let form: MultipartFormData
        do { form = try MultipartFormData.parse(request.body, boundary: boundary) } catch { return invalidFormat("multipart body: \(error)") }
        var members: [JSONObject.Member] = []
        for part in form.parts where part.name != "file" {
            guard !members.contains(where: { $0.key == part.name }) else { return invalidFormat("field \(part.name) appears more than once") }
            members.append(.init(key: part.name, value: .string(part.text)))
        }
        let object = JSONObject(members)
        let parameters = APSParameters(object: object)
        var merchant: Merchant?
        do throws(APSFailure) {
            let (_, authenticated) = try APSBatchRequest.authenticate(parameters, commands: ["UPLOAD_BATCH_FILE"], context: context)
            merchant = authenticated
            let (reference, language) = try APSBatchRequest.referenceAndLanguage(parameters)
            guard let file = form.part("file") else { throw APSFailure.missing("file") }
            let name = file.fileName ?? ""
            guard name.lowercased().hasSuffix(".csv"), name.count <= 50 else {
                throw APSFailure(status: "51", message: "144", detail: "file must be a .csv file with a name of at most 50 characters, got \"\(name)\"")
            }
            let batch: Batch
            do {
                var created: Batch?
                while created == nil {
                    do { created = try batches.create(id: ids.next(), owner: APSBatchRequest.owner(authenticated), fileName: name, reference: reference) }
                    catch .duplicateID { continue }
                }
                batch = created!
            } catch {
                throw APSFailure(status: "51", message: "146", detail: "batch_reference \(reference) is already used by this merchant")
            }
            do {
                _ = try batches.upload(id: batch.id, owner: APSBatchRequest.owner(authenticated), file: file.body)
                _ = try batches.confirm(id: batch.id, owner: APSBatchRequest.owner(authenticated),
                                        handler: APSBatchFile.handler(merchant: authenticated, language: language, context: context), thenProcess: false)
            } catch {
                throw APSFailure(status: "51", message: "144", detail: "the batch could not be stored: \(error.explanation)")
            }
            return APSBatchRequest.reply(echoing: object, fields: [("batch_id", batch.id)], code: APSResponseCode(status: "50", message: "000"),
                                         merchant: authenticated)
        } catch {
            return APSBatchRequest.reply(echoing: object, code: error.code, merchant: merchant, detail: error.detail)
        }
    }

    private func invalidFormat(_ detail: String) -> HTTPResponse {
        APSBatchRequest.reply(echoing: [:], code: APSResponseCode(status: APSStatus.invalidRequest, message: "073"), merchant: nil, detail: detail)
    }

    package init(context: APSContext, batches: BatchEngine, ids: APSBatchIDs) {
        self.context = context
        self.batches = batches
        self.ids = ids
    }
}

/// APS `batch_id`s from the sandbox's seed: 18 digits, as in APS's examples
/// (`151791753100095172`), so that every id fits a signed 64-bit integer (a Java or C# `long`).
/// The field is "Numeric, max 20", so ids of 19 or 20 digits are still accepted in requests.
package final class APSBatchIDs: Sendable {
    package static let length = 18

    private let generator: Mutex<IDGenerator>
    /// Told every id drawn (`--state-dir`'s log).
    private let recorder: (any StateChangeRecorder)?

    package init(seed: UInt64?, recorder: (any StateChangeRecorder)? = nil) {
        generator = Mutex(IDGenerator(seed: seed.map { $0 ^ 0x4150_5342_4154_4348 }))
        self.recorder = recorder
    }

    package func next() -> String {
        generator.withLock { generator in
            defer { recorder?.record(.dialect(DialectChange(.apsBatchIDs, generator.snapshot))) }
            return generator.numericID(length: Self.length)
        }
    }

    /// Where the generator stands, for a state snapshot.
    package var snapshot: IDGenerator.Snapshot { generator.withLock { $0.snapshot } }

    /// Continues from a snapshot's generator.
    package func restore(_ snapshot: IDGenerator.Snapshot) { generator.withLock { $0 = IDGenerator(snapshot: snapshot) } }
}
