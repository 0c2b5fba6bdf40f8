import PayLinkCore
import PayLinkJSON

/// What a person does in APS's back office (the dashboard), as the API does it: the same
/// `PAYMENT_LINK` and `UPDATE_PAYMENT_LINK` commands with their checks, codes and state machine,
/// and batch records read as the batch upload reads them.
package struct APSBackOffice: Sendable {
    private let context: APSContext

    package init(context: APSContext) { self.context = context }

    /// `PAYMENT_LINK` for `merchant`; the fields it answers with (`payment_link_id`, `payment_link`).
    package func createLink(_ parameters: JSONObject, merchant: Merchant) throws(APSFailure) -> APSCommandResult {
        try PaymentLinkCommand.run(APSParameters(object: parameters), merchant: merchant, context: context)
    }

    /// `UPDATE_PAYMENT_LINK` for `merchant`.
    package func updateLink(_ parameters: JSONObject, merchant: Merchant) throws(APSFailure) -> APSCommandResult {
        try UpdatePaymentLinkCommand.run(APSParameters(object: parameters), merchant: merchant, context: context)
    }

    /// One line of a bulk file, in the batch files' columns, created as the batch upload would.
    package func createFromBatchRecord(_ record: CSVRecord, columns: [String], merchant: Merchant, language: String) -> BatchRecordOutcome {
        APSBatchFile.process(record, columns: columns, merchant: merchant, language: language, context: context)
    }
}
