import PayLinkJSON
/// What a dialect does with a batch file: read the header, then each record. The engine does
/// the rest (lifecycle, counts, failures, running off the request path).
package struct BatchFileHandler: Sendable {
    /// Checks the header record; returns the processor for the records below it, or why the
    /// whole file is refused.
    package var header: @Sendable (CSVRecord) -> Result<BatchRecordProcessor, BatchFileRejection>

    package init(header: @escaping @Sendable (CSVRecord) -> Result<BatchRecordProcessor, BatchFileRejection>) {
        self.header = header
    }
}

/// Turns one record into a request or link, in two steps: `prepare` (reading and checking the
/// record, touching no shared state) and `commit` (creating it). The engine prepares the next
/// chunk of records on another thread while it commits the current one, in file order.
package struct BatchRecordProcessor: Sendable {
    package let prepare: @Sendable (CSVRecord) -> PreparedValue
    package let commit: @Sendable (CSVRecord, PreparedValue) -> BatchRecordOutcome
    /// Commits a run of consecutive records at once, in file order, one outcome each: a dialect
    /// whose store takes records in bulk holds its lock once per run and publishes the run's
    /// events together. By default, `commit` for each record in turn.
    package let commitRun: @Sendable ([(record: CSVRecord, prepared: PreparedValue)]) -> [BatchRecordOutcome]
    /// `commitRun`, leaving what can wait (publishing the run's events) to the work it returns:
    /// the engine runs that on its other thread while the next chunk commits, in run order, and
    /// always before the batch's end is written, so a batch seen finished has published
    /// everything. `commitRun` is this with the leftover work done at once.
    /// It takes the engine's records as they are, so a run is not copied into another array
    /// of tuples on its way (each copy retains and releases every record's strings).
    package let commitRunDeferring: @Sendable (ArraySlice<PreparedRecord>) -> RunCommit
    /// The names of the fields of each result line, when the dialect reports them (APS): the
    /// batch keeps them (`Batch.resultColumns`), as one file's results may differ from another's.
    package var resultColumns: [String] = []
    /// Called once before the records are processed, with how many there are, so the stores
    /// the records go into make room for them at once rather than growing (and rehashing) one
    /// record at a time. Changes nothing anyone can see.
    package var reserve: @Sendable (_ records: Int) -> Void = { _ in }

    /// A processor in two steps; whatever `prepare` returns is handed to `commit`.
    package init<Prepared: Sendable>(prepare: @escaping @Sendable (CSVRecord) -> Prepared,
                                    commit: @escaping @Sendable (CSVRecord, Prepared) -> BatchRecordOutcome) {
        self.prepare = Self.boxing(prepare)
        // The engine only ever hands `commit` what this processor's `prepare` returned.
        let one: @Sendable (CSVRecord, PreparedValue) -> BatchRecordOutcome = { record, prepared in
            commit(record, (prepared as! PreparedBox<Prepared>).value)
        }
        self.commit = one
        let run: @Sendable ([(record: CSVRecord, prepared: PreparedValue)]) -> [BatchRecordOutcome] = { run in run.map { one($0.record, $0.prepared) } }
        self.commitRun = run
        self.commitRunDeferring = { items in RunCommit(outcomes: run(items.map { ($0.record, $0.prepared) })) }
    }

    /// A processor in two steps whose second takes a run of records at once (see `commitRun`);
    /// whatever `prepare` returns is handed to `commitRun`, which returns one outcome a record.
    package init<Prepared: Sendable>(prepare: @escaping @Sendable (CSVRecord) -> Prepared,
                                    commitRun: @escaping @Sendable ([(record: CSVRecord, prepared: Prepared)]) -> [BatchRecordOutcome]) {
        self.prepare = Self.boxing(prepare)
        let run: @Sendable ([(record: CSVRecord, prepared: PreparedValue)]) -> [BatchRecordOutcome] = { items in
            let outcomes = commitRun(items.map { ($0.record, ($0.prepared as! PreparedBox<Prepared>).value) })
            precondition(outcomes.count == items.count, "one outcome a record")
            return outcomes
        }
        self.commit = { record, prepared in run([(record, prepared)])[0] }
        self.commitRun = run
        self.commitRunDeferring = { items in RunCommit(outcomes: run(items.map { ($0.record, $0.prepared) })) }
    }

    /// A processor whose second step takes a run of records at once and leaves its events to
    /// the engine's other thread (see `commitRunDeferring`); whatever `prepare` returns is
    /// handed to `commitRun`.
    package init<Prepared: Sendable>(prepare: @escaping @Sendable (CSVRecord) -> Prepared,
                                    deferringCommitRun commitRun: @escaping @Sendable (PreparedRun<Prepared>) -> RunCommit) {
        self.init(preparingObjects: Self.boxing(prepare), deferringCommitRun: { items in commitRun(PreparedRun(items)) })
    }

    /// A processor whose `prepare` makes an object of its own class, which crosses the engine as
    /// it is rather than in a `PreparedBox`: one object a record fewer to make and free, and
    /// `commitRun`, which gets the records as the engine holds them, casts each back to its
    /// dialect's own class (a plain class cast) where unboxing looked the generic box's type up
    /// through the runtime for every record (`PreparedRun.prepared(at:)`, about 450 instructions
    /// a record on the committing thread). For a dialect whose prepared value is a class already.
    package init(preparingObjects prepare: @escaping @Sendable (CSVRecord) -> PreparedValue,
                 deferringCommitRun commitRun: @escaping @Sendable (ArraySlice<PreparedRecord>) -> RunCommit) {
        self.prepare = prepare
        let deferring: @Sendable (ArraySlice<PreparedRecord>) -> RunCommit = { items in
            let committed = commitRun(items)
            precondition(committed.outcomes.count == items.count, "one outcome a record")
            return committed
        }
        let run: @Sendable ([(record: CSVRecord, prepared: PreparedValue)]) -> [BatchRecordOutcome] = { items in
            let committed = deferring(ArraySlice(items.map { PreparedRecord(record: $0.record, prepared: $0.prepared) }))
            committed.afterwards?()
            return committed.outcomes
        }
        self.commit = { record, prepared in run([(record, prepared)])[0] }
        self.commitRun = run
        self.commitRunDeferring = deferring
    }

    /// `prepare` with its result boxed for the engine. The box's type is named once, here:
    /// named inside the closure, which is not specialized for `Prepared`, its metadata was looked
    /// up through the runtime's cache for every record (about 330 instructions a record).
    private static func boxing<Prepared: Sendable>(_ prepare: @escaping @Sendable (CSVRecord) -> Prepared)
        -> @Sendable (CSVRecord) -> PreparedValue {
        let box = PreparedBox<Prepared>.self
        return { record in box.init(prepare(record)) }
    }

    /// A processor that reports only failures: the reasons a record failed, empty on success.
    package init(process: @escaping @Sendable (CSVRecord) -> [FieldProblem]) {
        self.init(prepare: { _ in () }, commit: { record, _ in BatchRecordOutcome(errors: process(record)) })
    }

    /// A processor that also reports a result line for records (APS lists every line's outcome).
    package init(reporting: @escaping @Sendable (CSVRecord) -> BatchRecordOutcome) {
        self.init(prepare: { _ in () }, commit: { record, _ in reporting(record) })
    }

    /// Both steps at once.
    package func process(_ record: CSVRecord) -> BatchRecordOutcome { commit(record, prepare(record)) }
}

/// A record and what its processor's `prepare` made of it, as the engine hands them over.
package struct PreparedRecord: Sendable {
    package var record: CSVRecord
    package var prepared: PreparedValue

    package init(record: CSVRecord, prepared: PreparedValue) {
        self.record = record
        self.prepared = prepared
    }
}

/// A run of records as a deferring processor commits it: each record with what its `prepare`
/// made, read in place from the engine's chunk (indexed from 0) rather than copied into another
/// array first, which retained and released every record's fields and text on the committing
/// thread. `prepared(at:)` reads only the prepared value.
package struct PreparedRun<Prepared: Sendable>: RandomAccessCollection, Sendable {
    private let items: ArraySlice<PreparedRecord>

    init(_ items: ArraySlice<PreparedRecord>) { self.items = items }

    /// A run of records and their prepared values, outside the engine (a single record's commit).
    package init(_ run: [(record: CSVRecord, prepared: Prepared)]) {
        items = ArraySlice(run.map { PreparedRecord(record: $0.record, prepared: PreparedBox($0.prepared)) })
    }

    package var startIndex: Int { 0 }
    package var endIndex: Int { items.count }

    package subscript(position: Int) -> (record: CSVRecord, prepared: Prepared) {
        (record(at: position), prepared(at: position))
    }

    package func record(at position: Int) -> CSVRecord { items[items.startIndex + position].record }

    /// The processor's `prepare` boxed what it made (`PreparedBox`), so this is the value it returned.
    package func prepared(at position: Int) -> Prepared {
        (items[items.startIndex + position].prepared as! PreparedBox<Prepared>).value
    }
}

/// What committing a run made of its records, one outcome each, and what it left to do once
/// they are committed (publishing their events), if anything.
package struct RunCommit: Sendable {
    package var outcomes: [BatchRecordOutcome]
    package var afterwards: (@Sendable () -> Void)?

    package init(outcomes: [BatchRecordOutcome], afterwards: (@Sendable () -> Void)? = nil) {
        self.outcomes = outcomes
        self.afterwards = afterwards
    }
}

/// What became of one record: the reasons it failed (none on success) and, for dialects that
/// report every line, its result fields.
package struct BatchRecordOutcome: Sendable, Equatable {
    package var errors: [FieldProblem]
    package var result: [String]?

    package init(errors: [FieldProblem] = [], result: [String]? = nil) {
        self.errors = errors
        self.result = result
    }
}

/// Why a whole file was refused.
package struct BatchFileRejection: Error, Sendable, Equatable {
    package var reason: String
    /// The dialect's own code for the refusal, if it has one (APS: `142` header invalid).
    package var code: String?

    package init(_ reason: String, code: String? = nil) {
        self.reason = reason
        self.code = code
    }
}

/// Where the engine runs validation and processing. `Sandbox` uses a background dispatch
/// queue so a request never waits for a batch; tests of the core run work inline.
package protocol BatchScheduler: Sendable {
    func schedule(_ work: @escaping @Sendable () -> Void)
    /// Runs `aside` on another thread while `here` runs on this one, and returns when both are
    /// done. The default runs them one after the other.
    func overlap(_ aside: @escaping @Sendable () -> Void, with here: () -> Void)
}

extension BatchScheduler {
    package func overlap(_ aside: @escaping @Sendable () -> Void, with here: () -> Void) {
        aside()
        here()
    }
}

/// Runs work at once on the caller's thread: deterministic, for tests.
package struct InlineBatchScheduler: BatchScheduler {
    package init() {}
    package func schedule(_ work: @escaping @Sendable () -> Void) { work() }
}

/// What a processor's `prepare` made of a record, as the engine holds it: a `PreparedBox` of
/// the processor's own type, or the dialect's own object (`init(preparingObjects:)`). A class
/// reference, so a large prepared value (a link's terms, a request's draft) crosses the engine
/// as one pointer, and the committing thread gets it back with a class cast (a comparison of
/// type metadata) where casting an `any Sendable` copied the existential out and retained it
/// first (a thirtieth of that thread in a 100,000-line PayByLink batch).
package typealias PreparedValue = any AnyObject & Sendable

/// A prepared record on its way from the thread that read it to the one that commits it.
private final class PreparedBox<Value: Sendable>: Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
