import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// The APS maintenance batch file: one CAPTURE, REFUND or VOID_AUTHORIZATION per line, on orders
/// that exist, as the old PayFort batch service describes ("Maintenance operations (capture,
/// refund, and void authorization)", docs/batchservice.md in bhaskarndas/payfortdoc) and APS's
/// Services/Batch page lists them.
///
/// APS does not publish the file's columns ("You will specify the order of the fields in the
/// batch file"), so the sandbox takes the header as naming them, in any order and any case,
/// with the `paymentApi` parameter names of those commands (docs/maintenanceparameters.md):
/// a header with a `command` column makes the file a maintenance file.
///
/// | column | lines |
/// |---|---|
/// | `command` | required: `CAPTURE`, `REFUND` or `VOID_AUTHORIZATION` |
/// | `merchant_reference`, `fort_id` | at least one of the two columns; each line names its order with one or both |
/// | `amount`, `currency` | CAPTURE and REFUND: required; VOID_AUTHORIZATION: optional, the whole authorization if given |
/// | `language` | optional (default: the upload's) |
/// | `order_description` | optional |
/// | `maintenance_reference` | optional, REFUND only |
///
/// Each line runs the `paymentApi` command itself (`CaptureCommand`, `RefundCommand`,
/// `VoidAuthorizationCommand`): the same checks, codes, state changes and notifications.
package enum APSMaintenanceBatchFile {
    package static let commandColumn = "command"
    package static let columnNames = [commandColumn, "merchant_reference", "fort_id", "amount", "currency", "language",
                                      "order_description", "maintenance_reference"]
    /// The columns of `batch_results`, as the old batch service's processed results show them.
    package static let resultHeader = ["Line_Number", "response_code", "response_message", "status", "eci", "fort_id",
                                       "merchant_reference", "amount", "card_number", "expiry_date", "currency"]

    /// Whether a header (already checked as CSV) names a maintenance file.
    static func isMaintenance(_ header: CSVRecord) -> Bool {
        header.fields.contains { $0.trimmingWhitespace.lowercased() == commandColumn }
    }

    static func processor(_ header: CSVRecord, merchant: Merchant, language: String,
                          context: APSContext) -> Result<BatchRecordProcessor, BatchFileRejection> {
        var names: [String] = []
        for field in header.fields {
            let name = field.trimmingWhitespace.lowercased()
            guard columnNames.contains(name) else {
                return .failure(BatchFileRejection("unknown column \"\(field)\" in a maintenance file (columns: \(columnNames.joined(separator: ", ")))", code: "142"))
            }
            guard !names.contains(name) else { return .failure(BatchFileRejection("column \(name) appears twice", code: "142")) }
            names.append(name)
        }
        guard names.contains("merchant_reference") || names.contains("fort_id") else {
            return .failure(BatchFileRejection("a maintenance file needs a merchant_reference or fort_id column", code: "142"))
        }
        let columns = names
        var processor = BatchRecordProcessor(reporting: { record in
            process(record, columns: columns, merchant: merchant, language: language, context: context)
        })
        processor.resultColumns = resultHeader
        return .success(processor)
    }

    static func process(_ record: CSVRecord, columns: [String], merchant: Merchant, language: String,
                        context: APSContext) -> BatchRecordOutcome {
        guard record.syntaxError == nil, record.fields.count == columns.count else {
            let why = record.syntaxError.map { "not valid CSV: \($0)" } ?? "has \(record.fields.count) fields where the header has \(columns.count)"
            return outcome(record, failure: APSFailure.format("Line", why), values: [:], order: nil)
        }
        var values: [String: String] = [:]
        var members: [JSONObject.Member] = []
        for (name, value) in zip(columns, record.fields) where !value.isEmpty {
            members.append(.init(key: name, value: .string(value)))
            values[name] = value
        }
        if values["language"] == nil { members.append(.init(key: "language", value: .string(language))) }
        let parameters = APSParameters(object: JSONObject(members))
        let command: any APSCommand.Type
        switch values[commandColumn] {
        case CaptureCommand.name: command = CaptureCommand.self
        case RefundCommand.name: command = RefundCommand.self
        case VoidAuthorizationCommand.name: command = VoidAuthorizationCommand.self
        case nil: return outcome(record, failure: .missing(commandColumn), values: values, order: nil)
        case let other?:
            return outcome(record, failure: APSFailure(message: "004", detail: "command \(other) is not a maintenance operation (CAPTURE, REFUND, VOID_AUTHORIZATION)"),
                           values: values, order: nil)
        }
        // The order the line names, for the result line's card, expiry and eci; a line that
        // names none is refused by the command itself.
        let order = try? OrderResolution.resolve(parameters, merchant: merchant, context: context, failureStatus: command.failureStatus)
        do throws(APSFailure) {
            let result = try command.run(parameters, merchant: merchant, context: context)
            return outcome(record, code: result.code, values: values, order: order)
        } catch {
            return outcome(record, failure: error, values: values, order: order)
        }
    }

    private static func outcome(_ record: CSVRecord, failure: APSFailure, values: [String: String], order: Order?) -> BatchRecordOutcome {
        var outcome = outcome(record, code: failure.code, values: values, order: order)
        outcome.errors = [FieldProblem(path: field(of: failure.detail), message: failure.detail)]
        return outcome
    }

    /// The result line: the line's own values, completed from the order when it was found.
    private static func outcome(_ record: CSVRecord, code: APSResponseCode, values: [String: String], order: Order?) -> BatchRecordOutcome {
        let amount = values["amount"] ?? (values[commandColumn] == VoidAuthorizationCommand.name ? order.map { String($0.amount) } : nil)
        return BatchRecordOutcome(result: [
            String(record.line), code.code, code.responseMessage, code.status,
            // Orders come from payment links paid on the hosted page, so their eci is ECOMMERCE.
            order == nil ? "" : "ECOMMERCE",
            values["fort_id"] ?? order?.fortID ?? "", values["merchant_reference"] ?? order?.merchantReference ?? "",
            amount ?? "", order?.maskedCardNumber ?? "", order?.payment.expiryDate ?? "", values["currency"] ?? order?.currency ?? "",
        ])
    }

    /// The column a refusal is about: `missing parameter amount`, `amount: …`, else the line.
    private static func field(of detail: String) -> String {
        if detail.hasPrefix("missing parameter ") { return String(detail.dropFirst("missing parameter ".count).prefix { $0 != " " }) }
        if let colon = detail.firstIndex(of: ":"), columnNames.contains(String(detail[..<colon])) { return String(detail[..<colon]) }
        return columnNames.first { detail.hasPrefix($0) } ?? "Line"
    }
}
