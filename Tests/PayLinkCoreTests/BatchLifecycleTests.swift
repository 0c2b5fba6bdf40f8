import PayLinkCore
import Testing

/// The batch state machine on its own: every allowed step and every refusal.
struct BatchLifecycleTests {
    func validated(records: Int) throws -> BatchLifecycle {
        var lifecycle = BatchLifecycle()
        try lifecycle.upload()
        try lifecycle.confirm()
        try lifecycle.validationSucceeded(records: records)
        return lifecycle
    }

    @Test func newBatch_awaitsUpload_andRefusesConfirm() {
        var lifecycle = BatchLifecycle()
        #expect(lifecycle.status == .awaitingUpload)
        #expect(throws: BatchError.notUploaded) { try lifecycle.confirm() }
        #expect(lifecycle.status == .awaitingUpload)
    }

    @Test func upload_canBeReplacedUntilConfirmed() throws {
        var lifecycle = BatchLifecycle()
        try lifecycle.upload()
        try lifecycle.upload()
        #expect(lifecycle.status == .uploaded)
        let started = try lifecycle.confirm()
        #expect(started)
        #expect(lifecycle.status == .validating)
        #expect(throws: BatchError.alreadyConfirmed) { try lifecycle.upload() }
    }

    @Test func confirmTwice_isHarmless() throws {
        var lifecycle = BatchLifecycle()
        try lifecycle.upload()
        try lifecycle.confirm()
        let again = try lifecycle.confirm()
        #expect(!again)
        #expect(lifecycle.status == .validating)
    }

    @Test func validationFailure_isFinal_withItsReason() throws {
        var lifecycle = BatchLifecycle()
        try lifecycle.upload()
        try lifecycle.confirm()
        try lifecycle.validationFailed(reason: "no header")
        #expect(lifecycle.status == .failed)
        #expect(lifecycle.status.isFinished)
        #expect(lifecycle.failureReason == "no header")
        #expect(throws: BatchError.validationFailed) { try lifecycle.startProcessing() }
    }

    @Test func processing_beforeValidationEnds_isRefused() throws {
        var lifecycle = BatchLifecycle()
        try lifecycle.upload()
        #expect(throws: BatchError.notConfirmed) { try lifecycle.startProcessing() }
        try lifecycle.confirm()
        #expect(throws: BatchError.stillValidating) { try lifecycle.startProcessing() }
    }

    @Test func allRecordsGood_completes() throws {
        var lifecycle = try validated(records: 3)
        #expect(lifecycle.status == .validated)
        try lifecycle.startProcessing()
        try lifecycle.recordsProcessed(succeeded: 2, failed: 0)
        #expect(lifecycle.status == .processing)
        try lifecycle.recordsProcessed(succeeded: 1, failed: 0)
        #expect(lifecycle.status == .completed)
        #expect(lifecycle.processedRecords == 3)
        #expect(throws: BatchError.alreadyProcessing) { try lifecycle.startProcessing() }
    }

    @Test func someRecordsFail_completesWithErrors() throws {
        var lifecycle = try validated(records: 2)
        try lifecycle.startProcessing()
        try lifecycle.recordsProcessed(succeeded: 1, failed: 1)
        #expect(lifecycle.status == .completedWithErrors)
        #expect(lifecycle.failedRecords == 1 && lifecycle.succeededRecords == 1)
    }

    @Test func noRecords_completesAtOnce() throws {
        var lifecycle = try validated(records: 0)
        try lifecycle.startProcessing()
        #expect(lifecycle.status == .completed)
    }

    @Test func countsBeforeProcessing_areRefused() throws {
        var lifecycle = try validated(records: 1)
        #expect(throws: BatchError.notConfirmed) { try lifecycle.recordsProcessed(succeeded: 1, failed: 0) }
        #expect(throws: BatchError.alreadyProcessing) { try lifecycle.validationFailed(reason: "late") }
    }
}
