import PayLinkJSON
extension BatchLifecycle {
    /// A lifecycle at `status` with these counts, as a state snapshot recorded it. It is built
    /// by taking the same steps the engine takes (upload, confirm, validate, process), so only
    /// a combination the engine can reach is accepted; anything else throws, naming the field
    /// (the path is relative to the batch: `status`, `succeeded_records`, …).
    public init(restoring status: BatchStatus, totalRecords: Int, succeededRecords: Int, failedRecords: Int,
                failureReason: String?) throws(SnapshotError) {
        self.init()
        let counted = totalRecords != 0 || succeededRecords != 0 || failedRecords != 0
        func refuse(_ field: String, _ message: String) -> SnapshotError { SnapshotError(path: field, message: message) }
        guard totalRecords >= 0, totalRecords <= EngineSnapshot.counterLimit else {
            throw refuse("total_records", "must be between 0 and \(EngineSnapshot.counterLimit)")
        }
        guard succeededRecords >= 0, failedRecords >= 0, succeededRecords <= totalRecords - failedRecords else {
            throw refuse("succeeded_records", "succeeded_records and failed_records must be at least 0 and add up to at most total_records (\(totalRecords))")
        }
        guard failureReason == nil || status == .failed else { throw refuse("failure_reason", "must be null unless the status is Failed") }
        do {
            switch status {
            case .awaitingUpload, .uploaded, .validating, .failed:
                guard !counted else { throw refuse("total_records", "must be 0 (with no records processed) while the status is \(status.rawValue)") }
                if status == .awaitingUpload { return }
                try upload()
                if status == .uploaded { return }
                try confirm()
                if status == .validating { return }
                guard let failureReason else { throw refuse("failure_reason", "is required when the status is Failed") }
                try validationFailed(reason: failureReason)
            case .validated:
                guard succeededRecords == 0 && failedRecords == 0 else {
                    throw refuse("succeeded_records", "must be 0 (with failed_records) until processing starts")
                }
                try upload(); try confirm(); try validationSucceeded(records: totalRecords)
            case .processing, .completed, .completedWithErrors:
                try upload(); try confirm(); try validationSucceeded(records: totalRecords); try startProcessing()
                if self.status == .processing { try recordsProcessed(succeeded: succeededRecords, failed: failedRecords) }
                guard self.status == status else {
                    let expected = status == .processing ? "fewer processed records than total_records"
                        : status == .completed ? "every record processed and none failed" : "every record processed and at least one failed"
                    throw refuse("status", "\(status.rawValue) needs \(expected) (total_records \(totalRecords), succeeded_records \(succeededRecords), failed_records \(failedRecords))")
                }
            }
        } catch let error as SnapshotError {
            throw error
        } catch {
            throw refuse("status", "cannot be reached with these counts: \(error)")
        }
    }
}
