import PayLinkCore
import PayLinkJSON

/// Batches and their failed records as the PayByLink API shows them.
enum BatchRepresentation {
    static func json(_ batch: Batch) -> JSONObject {
        let lifecycle = batch.lifecycle
        var object: JSONObject = [
            "BatchId": .string(batch.id),
            "FileName": .string(batch.fileName),
            "Status": .string(batch.status.rawValue),
            "CreatedAt": .string(ISO8601.formatUTC(batch.createdAt)),
            "FileSize": .number(batch.fileByteCount),
            "TotalRecords": .number(lifecycle.totalRecords),
            "ProcessedRecords": .number(lifecycle.processedRecords),
            "SucceededRecords": .number(lifecycle.succeededRecords),
            "FailedRecords": .number(lifecycle.failedRecords),
        ]
        if let at = batch.uploadedAt { object["UploadedAt"] = .string(ISO8601.formatUTC(at)) }
        if let at = batch.confirmedAt { object["ConfirmedAt"] = .string(ISO8601.formatUTC(at)) }
        if let at = batch.finishedAt { object["CompletedAt"] = .string(ISO8601.formatUTC(at)) }
        if let reason = lifecycle.failureReason { object["FailureReason"] = .string(reason) }
        return object
    }

    static func json(_ failure: BatchRecordFailure) -> JSONObject {
        var errors = FieldErrors()
        for error in failure.errors { errors.add(error.path, error.message) }
        return ["LineNumber": .number(failure.line), "RawLine": .string(failure.raw), "Errors": .object(errors.json)]
    }
}
