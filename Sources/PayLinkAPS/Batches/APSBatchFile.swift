import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// The APS bulk payment-link file, the emulator's documented choice (APS's template is a
/// dashboard download, not public): CSV whose header names `PAYMENT_LINK` parameters as
/// columns, in any order. A header with a `command` column is a maintenance file instead
/// (`APSMaintenanceBatchFile`). Each record runs `PAYMENT_LINK` exactly as the API does (the same
/// checks, codes, outbox messages) for the uploading merchant, and reports a result line.
///
/// Required columns: `merchant_reference`, `amount`, `currency`, `customer_email`,
/// `request_expiry_date`, `notification_type`. Optional: `language` (default: the upload's),
/// `customer_name`, `customer_phone`, `order_description`, `payment_option`, `link_command`,
/// `return_url`, `payment_link_id`.
package enum APSBatchFile {
    package static let required = ["merchant_reference", "amount", "currency", "customer_email", "request_expiry_date", "notification_type"]
    package static let optional = ["language", "customer_name", "customer_phone", "order_description", "payment_option", "link_command",
                           "return_url", "payment_link_id"]
    /// The columns of `batch_results`, after APS's sample (`Line_Number,response_code,response_message,status,…`).
    package static let resultHeader = ["Line_Number", "response_code", "response_message", "status", "merchant_reference", "payment_link_id",
                               "payment_link", "amount", "currency"]

    package static func handler(merchant: Merchant, language: String, context: APSContext) -> BatchFileHandler {
        BatchFileHandler { header in
            if header.syntaxError == nil, APSMaintenanceBatchFile.isMaintenance(header) {
                return APSMaintenanceBatchFile.processor(header, merchant: merchant, language: language, context: context)
            }
            switch columns(header) {
            case .failure(let rejection): return .failure(rejection)
            case .success(let columns):
                let reader = APSPaymentLinkRecordReader(columns: columns)
                // A `PreparedLink` is a class already, so it crosses the engine as it is, not
                // boxed again (`preparingObjects`): one object a record fewer, and no lookup of
                // the box's generic type for every record on the committing thread.
                var processor = BatchRecordProcessor(
                    preparingObjects: { record in
                        PreparedLink(prepare(record, columns: columns, reader: reader, merchant: merchant, language: language, context: context))
                    },
                    deferringCommitRun: { run in commitDeferring(run, columns: columns, context: context) })
                processor.resultColumns = resultHeader
                processor.reserve = { records in context.engine.reserveCapacity(forMoreLinks: records) }
                return .success(processor)
            }
        }
    }

    package static func columns(_ header: CSVRecord) -> Result<[String], BatchFileRejection> {
        if let error = header.syntaxError {
            return .failure(BatchFileRejection("the header row is not valid CSV: \(error)", code: "142"))
        }
        var names: [String] = []
        for field in header.fields {
            let name = field.trimmingWhitespace.lowercased()
            guard required.contains(name) || optional.contains(name) else {
                return .failure(BatchFileRejection("unknown column \"\(field)\"", code: "142"))
            }
            guard !names.contains(name) else { return .failure(BatchFileRejection("column \(name) appears twice", code: "142")) }
            names.append(name)
        }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            return .failure(BatchFileRejection("missing column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))", code: "142"))
        }
        return .success(names)
    }

    package static func process(_ record: CSVRecord, columns: [String], merchant: Merchant, language: String, context: APSContext) -> BatchRecordOutcome {
        let reader = APSPaymentLinkRecordReader(columns: columns)
        let prepared = prepare(record, columns: columns, reader: reader, merchant: merchant, language: language, context: context)
        return commit(record, prepared, columns: columns, context: context)
    }

    /// A record read and checked as `PAYMENT_LINK` checks a request, touching no state (the
    /// engine does it for the next records while it creates the current ones), or its outcome
    /// when it is refused already.
    package enum PreparedRecord: Sendable {
        case refused(BatchRecordOutcome)
        case ready(terms: LinkTerms, requestedID: String?, values: Echo)
    }

    /// A prepared record as it crosses from the reading thread to the committing one: a
    /// reference, so handing over a run copies no link terms. Its parts are stored apart, so
    /// reading one (the echo for the result line) copies nothing else out.
    final class PreparedLink: Sendable {
        /// The outcome of a record refused already; nil when its link is to be created.
        let refusal: BatchRecordOutcome?
        /// The link to create, when not refused, and the id the record asks for. Kept as two
        /// values rather than an optional tuple: copying such a tuple out went through the
        /// runtime's generic tuple copy (3 % of the committing thread).
        let terms: LinkTerms?
        let requestedID: String?
        let values: Echo

        init(_ value: PreparedRecord) {
            switch value {
            case .refused(let outcome):
                refusal = outcome
                terms = nil
                self.requestedID = nil
                values = Echo()
            case .ready(let terms, let requestedID, let values):
                refusal = nil
                self.terms = terms
                self.requestedID = requestedID
                self.values = values
            }
        }
    }

    /// The values a result line repeats from its record, as written.
    package struct Echo: Sendable, Equatable {
        var merchantReference = ""
        var amount = ""
        var currency = ""
    }

    /// Reads a record straight into `PAYMENT_LINK`'s values (`reader`, made once a file) and
    /// checks them as the request it stands for would be checked.
    static func prepare(_ record: CSVRecord, columns: [String], reader: APSPaymentLinkRecordReader, merchant: Merchant, language: String,
                        context: APSContext) -> PreparedRecord {
        if let refusal = refusedAsCSV(record, columns: columns) { return refusal }
        let fields = reader.fields(record.fields, language: language)
        // The values a result line repeats, as written (an empty cell repeats as empty).
        let values = Echo(merchantReference: fields.merchantReference ?? "", amount: fields.amount ?? "", currency: fields.currency ?? "")
        do {
            let (terms, requestedID) = try PaymentLinkCommand.terms(fields, merchant: merchant, context: context)
            return .ready(terms: terms, requestedID: requestedID, values: values)
        } catch {
            return .refused(failure(record, error.code, field: field(of: error.detail, columns: columns), error.detail, values: values))
        }
    }

    /// `prepare` as its definition: the record made into the `PAYMENT_LINK` request it stands
    /// for (its non-empty cells as string parameters, the upload's language when it has none)
    /// and checked as a request. Slower (a `JSONObject` a record, each parameter looked up by
    /// name); the tests hold `prepare` to it.
    static func prepareAsRequest(_ record: CSVRecord, columns: [String], merchant: Merchant, language: String,
                                 context: APSContext) -> PreparedRecord {
        if let refusal = refusedAsCSV(record, columns: columns) { return refusal }
        var values = Echo()
        var hasLanguage = false
        var members: [JSONObject.Member] = [.init(key: "service_command", value: "PAYMENT_LINK")]
        for (name, value) in zip(columns, record.fields) where !value.isEmpty {
            members.append(.init(key: name, value: .string(value)))
            switch name {
            case "merchant_reference": values.merchantReference = value
            case "amount": values.amount = value
            case "currency": values.currency = value
            case "language": hasLanguage = true
            default: break
            }
        }
        if !hasLanguage { members.append(.init(key: "language", value: .string(language))) }
        do {
            let (terms, requestedID) = try PaymentLinkCommand.terms(APSParameters(object: JSONObject(members)), merchant: merchant, context: context)
            return .ready(terms: terms, requestedID: requestedID, values: values)
        } catch {
            return .refused(failure(record, error.code, field: field(of: error.detail, columns: columns), error.detail, values: values))
        }
    }

    /// The refusal of a record that is not valid CSV or has not the header's number of fields.
    private static func refusedAsCSV(_ record: CSVRecord, columns: [String]) -> PreparedRecord? {
        guard record.syntaxError == nil, record.fields.count == columns.count else {
            let why = record.syntaxError.map { "not valid CSV: \($0)" } ?? "has \(record.fields.count) fields where the header has \(columns.count)"
            return .refused(failure(record, APSResponseCode(status: APSStatus.invalidRequest, message: "002"), field: "Line", why, values: Echo()))
        }
        return nil
    }

    /// Creates the link of a record that passed `prepare` and reports its result line.
    package static func commit(_ record: CSVRecord, _ prepared: PreparedRecord, columns: [String], context: APSContext) -> BatchRecordOutcome {
        commit([(record, PreparedLink(prepared))], columns: columns, context: context)[0]
    }

    /// Creates the links of a run of records, in order, as `PAYMENT_LINK` creates one (the
    /// engine's bulk entry point takes the run's links together), and reports each result line.
    static func commit(_ run: [(record: CSVRecord, prepared: PreparedLink)], columns: [String], context: APSContext) -> [BatchRecordOutcome] {
        let items = run.map { PayLinkCore.PreparedRecord(record: $0.record, prepared: $0.prepared) }
        let committed = commitDeferring(items[...], columns: columns, context: context)
        committed.afterwards?()
        return committed.outcomes
    }

    /// `commit`, leaving the links' creation events (through which their e-mail and SMS go
    /// out) to the work it returns: a batch publishes them on its other thread.
    /// `run` is as the engine holds it: each record with the `PreparedLink` `prepare` made.
    static func commitDeferring(_ run: ArraySlice<PayLinkCore.PreparedRecord>, columns: [String], context: APSContext) -> RunCommit {
        // The records themselves are read only for their line numbers and failures.
        let prepared = run.map { $0.prepared as! PreparedLink }
        let record = { (index: Int) in run[run.startIndex + index].record }
        let ready = prepared.compactMap { item in item.terms.map { (terms: $0, requestedID: item.requestedID) } }
        let links = context.engine.createLinks(ready, publishing: false)
        var nextLink = links.startIndex
        // The success's texts once a run, not once a record (the message is a table lookup).
        let success = APSResponseCode(status: "48", message: "000")
        let (code, message, status) = (success.code, success.responseMessage, success.status)
        let events = context.engine.events
        let outcomes = prepared.indices.map { index -> BatchRecordOutcome in
            let item = prepared[index]
            if let refusal = item.refusal { return refusal }
            precondition(nextLink < links.endIndex, "one outcome a link")
            defer { nextLink += 1 }
            // Read in place: an iterator's `next()` copied each link's view out, then released it.
            switch links[nextLink] {
            case .success(let view):
                // What `PAYMENT_LINK` answers: the link's id and its URL (its e-mail and SMS
                // go out from the link's creation event).
                let values = item.values
                return BatchRecordOutcome(result: [
                    String(record(index).line), code, message, status, values.merchantReference,
                    view.link.id, context.links.paymentLink(token: view.link.token), values.amount, values.currency,
                ])
            case .failure(let error):
                let refusal = PaymentLinkCommand.failure(error)
                return failure(record(index), refusal.code, field: field(of: refusal.detail, columns: columns), refusal.detail, values: item.values)
            }
        }
        return RunCommit(outcomes: outcomes, afterwards: {
            let created = links.compactMap { try? $0.get() }
            if !created.isEmpty { events.publish(.linksCreated(created)) }
        })
    }

    private static func failure(_ record: CSVRecord, _ code: APSResponseCode, field: String, _ why: String, values: Echo) -> BatchRecordOutcome {
        BatchRecordOutcome(errors: [FieldProblem(path: field, message: why)], result: [
            String(record.line), code.code, code.responseMessage, code.status, values.merchantReference, "", "", values.amount, values.currency,
        ])
    }

    /// The column an APS refusal is about: `missing parameter amount`, `amount: …`, or the first column named in it.
    private static func field(of detail: String, columns: [String]) -> String {
        if detail.hasPrefix("missing parameter ") {
            return String(detail.dropFirst("missing parameter ".count).prefix { $0 != " " })
        }
        if let colon = detail.firstIndex(of: ":"), columns.contains(String(detail[..<colon])) { return String(detail[..<colon]) }
        return columns.first { detail.contains($0) } ?? "Line"
    }

    /// The result lines as CSV under the batch's own header (a payment-link file's or a
    /// maintenance file's), every value quoted as in APS's sample.
    package static func resultsCSV(_ batch: Batch) -> String {
        resultsText(batch).string
    }

    /// `resultsCSV` as its parts: the header, then each result line (kept as CSV already,
    /// `BatchRecordResult.csv`), each followed by CRLF. The answer hashes and escapes them
    /// where they lie: joined, 100,000 lines made 14.5 MB copied several times over.
    static func resultsText(_ batch: Batch) -> APSLargeText {
        // A batch restored from a snapshot older than `resultColumns` was a payment-link file.
        let header = Array((batch.resultColumns.isEmpty ? resultHeader : batch.resultColumns).joined(separator: ",").utf8)
        let results = batch.results
        let lineEnd: [UInt8] = [13, 10]
        // Never empty: the header and its line end are always there.
        return APSLargeText(isEmpty: false, countingBytes: { results.reduce(header.count + 2) { $0 + $1.csv.count + 2 } }) { body in
            lineEnd.withUnsafeBufferPointer { lineEnd in
                header.withUnsafeBufferPointer(body)
                body(lineEnd)
                for result in results {
                    result.csv.withUnsafeBufferPointer(body)
                    body(lineEnd)
                }
            }
        }
    }
}
