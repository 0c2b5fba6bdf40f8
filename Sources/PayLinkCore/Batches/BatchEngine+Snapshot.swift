import PayLinkJSON
extension BatchEngine {
    /// Every batch the engine holds, as plain values: taken by `BatchEngine.snapshot()` and put
    /// back by `BatchEngine.restore(_:)`.
    ///
    /// A batch's file is kept while the engine still needs it (Uploaded, Validating, Validated,
    /// Processing): an Uploaded batch can then be confirmed and a Validated one processed after
    /// a restore. A finished batch keeps only its counts, failures and results, as the engine
    /// does. Work in progress is not part of a snapshot: a batch restored while Validating or
    /// Processing stays as it was (see `restore(_:)`).
    package struct Snapshot: Sendable, Equatable {
        /// Every batch, in creation order.
        package var batches: [Batch]
        /// The files of the batches that still need them, by batch id.
        package var files: [String: [UInt8]]

        package init(batches: [Batch], files: [String: [UInt8]]) {
            self.batches = batches
            self.files = files
        }

        /// A batch read back from a snapshot, with its lifecycle rebuilt by
        /// `BatchLifecycle(restoring:…)` (which checks the counts).
        package static func batch(id: String, owner: Owner, fileName: String, reference: String?, createdAt: SandboxInstant,
                                 lifecycle: BatchLifecycle, uploadedAt: SandboxInstant?, confirmedAt: SandboxInstant?,
                                 finishedAt: SandboxInstant?, failureCode: String?, fileByteCount: Int,
                                 failures: [BatchRecordFailure], results: [BatchRecordResult], resultColumns: [String] = []) -> Batch {
            var batch = Batch(id: id, owner: owner, fileName: fileName, reference: reference, createdAt: createdAt)
            batch.lifecycle = lifecycle
            batch.uploadedAt = uploadedAt
            batch.confirmedAt = confirmedAt
            batch.finishedAt = finishedAt
            batch.failureCode = failureCode
            batch.fileByteCount = fileByteCount
            batch.failures = failures
            batch.results = results
            batch.resultColumns = resultColumns
            return batch
        }

        /// Whether the engine keeps a batch's file at this status.
        package static func keepsFile(_ status: BatchStatus) -> Bool {
            status == .uploaded || status == .validating || status == .validated || status == .processing
        }

        /// Checks what the engine relies on, naming the field by its path under `path`
        /// (`batches.batches[2].file`): unique ids, unique references per owner, a file exactly
        /// where the engine keeps one (of the recorded size), the times each status implies,
        /// and failures that fit the counts.
        package func validate(path base: String) throws(SnapshotError) {
            var ids: [String: Int] = [:]
            var references: [String: Int] = [:]
            for (i, batch) in batches.enumerated() {
                let path = "\(base)[\(i)]"
                func refuse(_ field: String, _ message: String) -> SnapshotError { SnapshotError(path: path + "." + field, message: message) }
                if let j = ids.updateValue(i, forKey: batch.id) { throw refuse("batch_id", "duplicates \(base)[\(j)]") }
                if let reference = batch.reference, let j = references.updateValue(i, forKey: batch.owner.description + "\u{0}" + reference) {
                    throw refuse("reference", "duplicates \(base)[\(j)] (a reference is unique per owner)")
                }
                let status = batch.status
                if Self.keepsFile(status) {
                    guard let file = files[batch.id] else { throw refuse("file", "is required while the status is \(status.rawValue)") }
                    guard file.count == batch.fileByteCount else {
                        throw refuse("file_size", "must be the file's size (\(file.count) bytes)")
                    }
                } else if files[batch.id] != nil {
                    throw refuse("file", "must be null when the status is \(status.rawValue) (the engine keeps no file then)")
                }
                guard batch.fileByteCount >= 0 else { throw refuse("file_size", "must not be negative") }
                guard (status == .awaitingUpload) == (batch.uploadedAt == nil) else {
                    throw refuse("uploaded_at", status == .awaitingUpload ? "must be null while the status is AwaitingUpload" : "is required once the file is uploaded")
                }
                let confirmed = status != .awaitingUpload && status != .uploaded
                guard confirmed == (batch.confirmedAt != nil) else {
                    throw refuse("confirmed_at", confirmed ? "is required once the batch is confirmed" : "must be null until the batch is confirmed")
                }
                guard status.isFinished == (batch.finishedAt != nil) else {
                    throw refuse("finished_at", status.isFinished ? "is required when the batch is finished" : "must be null until the batch is finished")
                }
                guard batch.failureCode == nil || status == .failed else { throw refuse("failure_code", "must be null unless the status is Failed") }
                guard batch.failures.count == batch.lifecycle.failedRecords else {
                    throw refuse("failures", "must list failed_records (\(batch.lifecycle.failedRecords)) records")
                }
                guard batch.results.count <= batch.lifecycle.processedRecords else {
                    throw refuse("results", "must hold at most one result per processed record (\(batch.lifecycle.processedRecords))")
                }
            }
            for id in files.keys where ids[id] == nil {
                throw SnapshotError(path: base, message: "a file belongs to no batch (\(id))")
            }
        }
    }
}
