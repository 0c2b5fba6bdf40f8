import PayLinkHTTP
import PayLinkCore
import PayLinkJSON

/// `POST /FortAPI/batchApi/` (JSON): `GET_BATCH_RESULTS` and `PROCESS_BATCH` for a batch named
/// by `batch_reference` (and `batch_id`, when given, which must be the same batch).
///
/// | batch | GET_BATCH_RESULTS | PROCESS_BATCH |
/// |---|---|---|
/// | unknown reference | `71141` | `73141` |
/// | under validation | `71138` | `73138` |
/// | file refused | `77142` (header) or `77144` (file) | `73136` |
/// | validated | `76000` with `transactions_count` | `72147`, processing starts |
/// | processing | `71140` | `72148` |
/// | processed | `70000` with `transactions_count` and `batch_results` (CSV) | `72148` |
package struct APSBatchAPIEndpoint: Sendable {
    package let context: APSContext
    package let batches: BatchEngine

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        let object: JSONObject
        do {
            guard case .object(let parsed) = try JSONParser.parse(request.body) else { return invalidFormat("the body must be a JSON object of parameters") }
            object = parsed
        } catch {
            return invalidFormat("\(error)")
        }
        if let key = object.duplicateKeys.first { return invalidFormat("parameter \(key) appears more than once") }
        let parameters = APSParameters(object: object)
        var merchant: Merchant?
        var found: String?
        do throws(APSFailure) {
            let (command, authenticated) = try APSBatchRequest.authenticate(parameters, commands: ["GET_BATCH_RESULTS", "PROCESS_BATCH"], context: context)
            merchant = authenticated
            let (reference, language) = try APSBatchRequest.referenceAndLanguage(parameters)
            let failed = command == "PROCESS_BATCH" ? "73" : "71"
            guard let batch = batches.batch(owner: APSBatchRequest.owner(authenticated), reference: reference) else {
                throw APSFailure(status: failed, message: "141", detail: "no batch with batch_reference \(reference)")
            }
            found = batch.id
            if let id = parameters.text("batch_id") {
                try APSBatchRequest.batchID.check(id)
                guard id == batch.id else {
                    found = nil
                    throw APSFailure(status: failed, message: "141", detail: "batch_id \(id) is not the batch of batch_reference \(reference)")
                }
            }
            if command == "PROCESS_BATCH" {
                let (code, fields) = try process(batch, merchant: authenticated, language: language)
                return APSBatchRequest.reply(echoing: object, fields: [("batch_id", batch.id)] + fields, code: code, merchant: authenticated)
            }
            let (code, fields, results) = try results(batch)
            return APSBatchRequest.reply(echoing: object, fields: [("batch_id", batch.id)] + fields, results: results,
                                         code: code, merchant: authenticated)
        } catch {
            // A refusal about a batch that exists names it, as the answers that succeed do.
            let fields = found.map { [("batch_id", $0)] } ?? []
            return APSBatchRequest.reply(echoing: object, fields: fields, code: error.code, merchant: merchant, detail: error.detail)
        }
    }

    /// The code and fields of `GET_BATCH_RESULTS`, and the result lines (`batch_results`, after
    /// the fields) once the batch is processed.
    private func results(_ batch: Batch) throws(APSFailure) -> (APSResponseCode, [(String, String)], APSLargeText?) {
        let count = ("transactions_count", String(batch.lifecycle.totalRecords))
        switch batch.status {
        case .awaitingUpload, .uploaded, .validating:
            throw APSFailure(status: "71", message: "138", detail: "the batch file is still under validation")
        case .failed:
            throw APSFailure(status: "77", message: batch.failureCode ?? "144", detail: batch.lifecycle.failureReason ?? "the batch file is invalid")
        case .validated:
            return (APSResponseCode(status: "76", message: "000"), [count], nil)
        case .processing:
            throw APSFailure(status: "71", message: "140", detail: "processed \(batch.lifecycle.processedRecords) of \(batch.lifecycle.totalRecords) records")
        case .completed, .completedWithErrors:
            return (APSResponseCode(status: "70", message: "000"), [count], APSBatchFile.resultsText(batch))
        }
    }

    private func process(_ batch: Batch, merchant: Merchant, language: String) throws(APSFailure) -> (APSResponseCode, [(String, String)]) {
        do {
            _ = try batches.process(id: batch.id, owner: APSBatchRequest.owner(merchant),
                                    handler: APSBatchFile.handler(merchant: merchant, language: language, context: context))
            return (APSResponseCode(status: "72", message: "147"), [])
        } catch .stillValidating, .notConfirmed, .notUploaded {
            throw APSFailure(status: "73", message: "138", detail: "the batch file is still under validation")
        } catch .validationFailed {
            throw APSFailure(status: "73", message: "136", detail: batch.lifecycle.failureReason ?? "the batch file failed validation")
        } catch .alreadyProcessing {
            return (APSResponseCode(status: "72", message: "148"), [])
        } catch {
            throw APSFailure(status: "73", message: "141", detail: error.explanation)
        }
    }

    private func invalidFormat(_ detail: String) -> HTTPResponse {
        APSBatchRequest.reply(echoing: [:], code: APSResponseCode(status: APSStatus.invalidRequest, message: "073"), merchant: nil, detail: detail)
    }

    package init(context: APSContext, batches: BatchEngine) {
        self.context = context
        self.batches = batches
    }
}
