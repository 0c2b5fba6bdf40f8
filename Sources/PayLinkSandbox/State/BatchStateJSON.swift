import PayLinkCore
import PayLinkJSON
import PayLinkPayByLink

/// Batch files of both dialects in a state snapshot: each batch with its owner (`paybylink:`
/// and the subscription key, or `aps:` and the merchant), status and counts, failures and result
/// lines, and its file (base64) while the engine still keeps it; with the key that signs
/// PayByLink upload URLs (64 hex digits, so a URL handed out before the export works after the
/// import) and the generator of APS `batch_id`s.
package enum BatchStateJSON {
    package static let keys = ["upload_signing_key", "aps_batch_ids", "batches"]
    package static let batchKeys = [
        "batch_id", "owner", "file_name", "reference", "created_at", "status", "total_records", "succeeded_records", "failed_records",
        "failure_reason", "failure_code", "uploaded_at", "confirmed_at", "finished_at", "file_size", "file", "failures", "results",
        "result_columns",
    ]
    package static let failureKeys = ["line", "raw", "errors"]
    package static let errorKeys = ["field", "message"]
    package static let resultKeys = ["line", "fields"]
    package static let statuses = BatchStatus.allCases.map { ($0.rawValue, $0) }

    /// The decoded part, not yet applied.
    package struct Decoded {
        package var uploadKey: [UInt8]
        package var apsBatchIDs: IDGenerator.Snapshot
        package var engine: BatchEngine.Snapshot
    }

    package static func encode(uploadKey: [UInt8], apsBatchIDs: IDGenerator.Snapshot, engine snapshot: BatchEngine.Snapshot) -> JSONValue {
        [
            "upload_signing_key": .string(hex(uploadKey)),
            "aps_batch_ids": IDStateJSON.encode(apsBatchIDs),
            "batches": .array(snapshot.batches.map { encode($0, file: snapshot.files[$0.id]) }),
        ]
    }

    /// `records: false` leaves out `failures` and `results` (the change log writes the new ones
    /// apart, and encoding all of them for each chunk of a large batch would cost O(lines²)).
    package static func encode(_ batch: Batch, file: [UInt8]?, records: Bool = true) -> JSONValue {
        let lifecycle = batch.lifecycle
        var object: JSONObject = [
            "batch_id": .string(batch.id), "owner": .string(batch.owner.description), "file_name": .string(batch.fileName),
            "reference": StateValues.string(batch.reference), "created_at": StateValues.instant(batch.createdAt),
            "status": .string(batch.status.rawValue), "total_records": .number(lifecycle.totalRecords),
            "succeeded_records": .number(lifecycle.succeededRecords), "failed_records": .number(lifecycle.failedRecords),
            "failure_reason": StateValues.string(lifecycle.failureReason), "failure_code": StateValues.string(batch.failureCode),
            "uploaded_at": StateValues.instant(batch.uploadedAt), "confirmed_at": StateValues.instant(batch.confirmedAt),
            "finished_at": StateValues.instant(batch.finishedAt), "file_size": .number(batch.fileByteCount),
            "file": file.map { .string(StateBase64.encode($0)) } ?? .null,
        ]
        if records {
            object["failures"] = encode(failures: batch.failures[...])
            object["results"] = encode(results: batch.results[...])
        }
        // Written only when there are some, so the snapshots of batches without them read as before.
        if !batch.resultColumns.isEmpty { object["result_columns"] = .array(batch.resultColumns.map { .string($0) }) }
        return .object(object)
    }

    /// Failed records as the snapshot lists them (the change log writes the new ones only).
    static func encode(failures: ArraySlice<BatchRecordFailure>) -> JSONValue {
        .array(failures.map { failure in
            [
                "line": .number(failure.line), "raw": .string(failure.raw),
                "errors": .array(failure.errors.map { ["field": .string($0.path), "message": .string($0.message)] }),
            ]
        })
    }

    /// Result lines as the snapshot lists them (the change log writes the new ones only).
    static func encode(results: ArraySlice<BatchRecordResult>) -> JSONValue {
        .array(results.map { ["line": .number($0.line), "fields": .array($0.fields.map { .string($0) })] })
    }

    package static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> Decoded {
        let r = try JSONReader(value, path: path, keys: keys)
        let keyText = try r.string("upload_signing_key")
        guard let key = unhex(keyText), key.count == UploadSigningKey.length else {
            throw r.failure("upload_signing_key", "must be \(UploadSigningKey.length * 2) lowercase hex digits")
        }
        var batches: [Batch] = [], files: [String: [UInt8]] = [:]
        for element in try r.array("batches") {
            let (batch, file) = try decodeBatch(element.value, path: element.path)
            if let file { files[batch.id] = file }
            batches.append(batch)
        }
        return Decoded(uploadKey: key, apsBatchIDs: try IDStateJSON.decode(try r.value("aps_batch_ids"), path: r.path("aps_batch_ids")),
                       engine: BatchEngine.Snapshot(batches: batches, files: files))
    }

    package static func decodeBatch(_ value: JSONValue, path: String) throws(StateImportError) -> (Batch, [UInt8]?) {
        let r = try JSONReader(value, path: path, keys: batchKeys)
        guard let owner = Owner(stored: try r.string("owner")) else {
            throw r.failure("owner", "must be paybylink: and a subscription key, or aps: and a merchant identifier")
        }
        let (status, total, succeeded, failed) = (try r.choice("status", statuses), try r.integer("total_records"),
                                                  try r.integer("succeeded_records"), try r.integer("failed_records"))
        let failureReason = try r.optionalString("failure_reason")
        let lifecycle: BatchLifecycle
        do {
            lifecycle = try BatchLifecycle(restoring: status, totalRecords: total, succeededRecords: succeeded, failedRecords: failed,
                                           failureReason: failureReason)
        } catch {
            // The lifecycle names fields relative to the batch.
            throw FieldProblem(path: r.path(error.path), message: error.message)
        }
        var file: [UInt8]?
        if let text = try r.optionalString("file") {
            guard let bytes = StateBase64.decode(text) else { throw r.failure("file", "must be the file's bytes in canonical base64 (RFC 4648, padded)") }
            file = bytes
        }
        var failures: [BatchRecordFailure] = []
        for element in try r.array("failures") {
            let f = try JSONReader(element.value, path: element.path, keys: failureKeys)
            var errors: [FieldProblem] = []
            for item in try f.array("errors") {
                let e = try JSONReader(item.value, path: item.path, keys: errorKeys)
                errors.append(FieldProblem(path: try e.string("field"), message: try e.string("message")))
            }
            guard !errors.isEmpty else { throw f.failure("errors", "must give at least one reason") }
            failures.append(BatchRecordFailure(line: try f.integer("line"), raw: try f.string("raw"), errors: errors))
        }
        var results: [BatchRecordResult] = []
        for element in try r.array("results") {
            let x = try JSONReader(element.value, path: element.path, keys: resultKeys)
            var fields: [String] = []
            for item in try x.array("fields") {
                guard case .string(let text) = item.value else { throw StateImportError(path: item.path, message: "expected a string") }
                fields.append(text)
            }
            results.append(BatchRecordResult(line: try x.integer("line"), fields: fields))
        }
        // Missing in snapshots written before batches recorded them: none.
        let resultColumns = try r.optionalStringArray("result_columns") ?? []
        let batch = BatchEngine.Snapshot.batch(
            id: try r.string("batch_id"), owner: owner, fileName: try r.string("file_name"), reference: try r.optionalString("reference"),
            createdAt: try r.instant("created_at"), lifecycle: lifecycle, uploadedAt: try r.optionalInstant("uploaded_at"),
            confirmedAt: try r.optionalInstant("confirmed_at"), finishedAt: try r.optionalInstant("finished_at"),
            failureCode: try r.optionalString("failure_code"), fileByteCount: try r.integer("file_size"), failures: failures, results: results,
            resultColumns: resultColumns)
        return (batch, file)
    }

    package static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] }, as: UTF8.self)
    }

    /// Lowercase hex only, so one key has one spelling.
    package static func unhex(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 2 == 0 else { return nil }
        func value(_ byte: UInt8) -> UInt8? {
            switch byte {
            case 48...57: byte - 48
            case 97...102: byte - 87
            default: nil
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i < input.count {
            guard let high = value(input[i]), let low = value(input[i + 1]) else { return nil }
            out.append(high << 4 | low)
            i += 2
        }
        return out
    }
}
