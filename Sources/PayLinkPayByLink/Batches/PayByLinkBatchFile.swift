import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// The PayByLink batch file: CSV with a header row naming the columns in any order and any
/// case. Each record creates a request exactly as `POST /requests` would (the same checks, the
/// same messages); its failures name the column at fault.
///
/// Required columns: `ClientTransactionRef`, `AccountReference`, `Amount`, `FirstName`,
/// `LastName`, `MobileNumber`. Optional: `Reason`, `Passphrase`, `Email`, `Channel`,
/// `ExpiryDate`, `CallbackUrl`. An empty cell is a value left out.
enum PayByLinkBatchFile {
    static let required = ["ClientTransactionRef", "AccountReference", "Amount", "FirstName", "LastName", "MobileNumber"]
    static let optional = ["Reason", "Passphrase", "Email", "Channel", "ExpiryDate", "CallbackUrl"]
    static let customerColumns: Set<String> = ["FirstName", "LastName", "MobileNumber", "Email"]

    static func handler(store: PayByLinkStore, subscription: String) -> BatchFileHandler {
        BatchFileHandler { header in
            switch columns(header) {
            case .failure(let rejection): return .failure(rejection)
            case .success(let columns):
                let reader = PayByLinkRecordReader(columns: columns)
                var processor = BatchRecordProcessor(
                    preparingObjects: { record in
                        // Switched over rather than mapped: `map` lends its closure the draft, so
                        // preparing it copied the draft (a retain of each of its strings) and
                        // the `Result` then released them all.
                        switch read(record, columns: columns, reader: reader, now: store.engine.clock.now()) {
                        case .success(let draft): crossing(.success(store.prepare(draft, subscription: subscription)))
                        case .failure(let errors): crossing(.failure(errors))
                        }
                    },
                    deferringCommitRun: { run in create(run, store: store, subscription: subscription) })
                processor.reserve = { records in store.reserveCapacity(forMoreRequests: records) }
                return .success(processor)
            }
        }
    }

    /// The canonical column name of each header field, or why the header is not valid.
    static func columns(_ header: CSVRecord) -> Result<[String], BatchFileRejection> {
        if let error = header.syntaxError { return .failure(BatchFileRejection("the header row (line 1) is not valid CSV: \(error)")) }
        let known = required + optional
        var names: [String] = []
        for field in header.fields {
            let trimmed = field.trimmingWhitespace
            guard let name = known.first(where: { $0.lowercased() == trimmed.lowercased() }) else {
                return .failure(BatchFileRejection("the header row (line 1) has an unknown column \"\(trimmed)\"; the columns are \(known.joined(separator: ", "))"))
            }
            guard !names.contains(name) else { return .failure(BatchFileRejection("the header row (line 1) names \(name) twice")) }
            names.append(name)
        }
        let missing = required.filter { !names.contains($0) }
        guard missing.isEmpty else {
            return .failure(BatchFileRejection("the header row (line 1) lacks the required column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", ")); "
                                               + "it must name \(required.joined(separator: ", ")) in any order"))
        }
        return .success(names)
    }

    /// Reads and checks a record as `POST /requests` reads its body: touches no state, so the
    /// engine runs it ahead of the records being created (hence a `Result`: the outcome is
    /// handed from the reading thread to the creating one as a value).
    static func read(_ record: CSVRecord, columns: [String], reader: PayByLinkRecordReader, now: SandboxInstant) -> Result<RequestDraft, RecordErrors> {
        if let failure = framingFailure(record, columns: columns) { return .failure(failure) }
        do { return .success(try PayByLinkRecordReader.read(reader.fields(record.fields), now: now)) } catch { return .failure(RecordErrors(fieldErrors(error))) }
    }

    /// Why a record cannot be read at all: bad CSV, or not as many fields as the header.
    private static func framingFailure(_ record: CSVRecord, columns: [String]) -> RecordErrors? {
        if let error = record.syntaxError {
            let field = error.fieldIndex < columns.count ? columns[error.fieldIndex] : "Line"
            return RecordErrors([FieldProblem(path: field, message: "not valid CSV: \(error)")])
        }
        guard record.fields.count == columns.count else {
            return RecordErrors([FieldProblem(path: "Line", message: "has \(record.fields.count) fields where the header has \(columns.count)")])
        }
        return nil
    }

    /// `read` the way it was first written, and still the definition of what `read` must
    /// answer: the record made into the `POST /requests` body it stands for, read by
    /// `RequestDraft.read`. Kept for the test that compares the two.
    static func readAsBody(_ record: CSVRecord, columns: [String], places: ColumnPlaces, now: SandboxInstant) -> Result<RequestDraft, RecordErrors> {
        if let failure = framingFailure(record, columns: columns) { return .failure(failure) }
        // The members in column order, as setting them one by one would place them (a header
        // names each column once, so no key repeats), without looking each key up: what each
        // column is was worked out once for the file (`ColumnPlaces`).
        var body: [JSONObject.Member] = [], customer: [JSONObject.Member] = []
        body.reserveCapacity(places.body + 1)
        customer.reserveCapacity(places.customer)
        for (index, value) in record.fields.enumerated() where !value.isEmpty {
            let name = columns[index]
            switch places.kinds[index] {
            case .amount: body.append(.init(key: name, value: .number(value.trimmingWhitespace)))
            case .customer: customer.append(.init(key: name, value: .string(value)))
            case .body: body.append(.init(key: name, value: .string(value)))
            }
        }
        body.append(.init(key: "Customer", value: .object(JSONObject(customer))))
        do { return .success(try RequestDraft.read(JSONObject(body), now: now)) } catch { return .failure(RecordErrors(fieldErrors(error))) }
    }

    /// Where each column's value goes in the request body `readAsBody` makes: worked out once
    /// for a file's header rather than for every field of every record.
    struct ColumnPlaces: Sendable {
        enum Kind: Sendable { case amount, customer, body }
        var kinds: [Kind]
        /// How many columns go to the body and to `Customer`.
        var body = 0, customer = 0

        init(_ columns: [String]) {
            kinds = columns.map { name in
                name == "Amount" ? .amount : customerColumns.contains(name) ? .customer : .body
            }
            for kind in kinds {
                if kind == .customer { customer += 1 } else { body += 1 }
            }
        }
    }

    /// Creates the requests of a run of records that read well, in order, exactly as
    /// `POST /requests` would one after the other (the store takes them under one lock); the
    /// reasons each record failed, none for those created. The run's events are left to the work
    /// returned (a batch publishes them on its other thread).
    static func create(_ run: ArraySlice<PreparedRecord>, store: PayByLinkStore, subscription: String) -> RunCommit {
        // Only what was read is needed, not the records themselves.
        let reads = run.map { arrived($0.prepared) }
        var drafts: [PreparedDraft] = []
        drafts.reserveCapacity(reads.count)
        for case .success(let draft) in reads { drafts.append(draft) }
        let (created, events) = store.createDeferring(all: drafts, subscription: subscription)
        var failures = created.makeIterator()
        let outcomes = reads.map { read -> BatchRecordOutcome in
            switch read {
            case .failure(let errors): return BatchRecordOutcome(errors: errors.errors)
            case .success:
                switch failures.next() ?? nil {
                case nil: return BatchRecordOutcome()
                case .duplicate(let existing)?:
                    return BatchRecordOutcome(errors: [FieldProblem(path: "ClientTransactionRef", message: "is already used by request \(existing)")])
                case .invalid(let errors)?: return BatchRecordOutcome(errors: fieldErrors(errors))
                case let failure?: return BatchRecordOutcome(errors: [FieldProblem(path: "Line", message: "could not be created: \(failure)")])
                }
            }
        }
        guard !events.isEmpty else { return RunCommit(outcomes: outcomes) }
        let publish: @Sendable () -> Void = { store.publish(events) }
        return RunCommit(outcomes: outcomes, afterwards: publish)
    }

    /// A record read, as it crosses from the reading thread to the creating one (`crossing(_:)`):
    /// the draft by reference, so handing over a run copies no drafts.
    typealias ReadRecord = Result<PreparedDraft, RecordErrors>

    /// The reasons a record failed, as an error type for `Result`.
    struct RecordErrors: Error, Sendable {
        var errors: [FieldProblem]
        init(_ errors: [FieldProblem]) { self.errors = errors }
    }

    /// `Customer.MobileNumber` is the `MobileNumber` column; errors about the whole record are `Line`.
    private static func fieldErrors(_ errors: FieldErrors) -> [FieldProblem] {
        errors.entries.flatMap { entry in
            var field = entry.field
            if field.hasPrefix("Customer.") { field = String(field.dropFirst("Customer.".count)) }
            if field == "Customer" || field == "$" { field = "Line" }
            return entry.messages.map { FieldProblem(path: field, message: $0) }
        }
    }
}
