import PayLinkCore
import PayLinkCrypto
import PayLinkSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The `batch_results` of a payment-link file's final `GET_BATCH_RESULTS`, made while its
/// records are processed: the text (the header and each result line, each followed by CRLF),
/// the same text escaped as the JSON answer carries it, and, for a merchant signing with
/// SHA-256, the hash of the signature's canonical string up to the end of the text.
///
/// Why: made when asked, escaping and hashing the 14.5 MB of a 100,000-line batch took about
/// 47 ms of CPU after the batch was done, on the way to the client that waits for it. Made a
/// run at a time with the run's other deferred work (`RunCommit.afterwards`, on whichever of
/// the batch's two threads is free), the answer is left to check the text and copy it.
///
/// The answer uses it only when its text is exactly the batch's (`largeText(matching:)`, a
/// byte comparison, a fraction of the cost of escaping) and the canonical string before the
/// text is exactly the one hashed (`APSResponseWriter.writeSignature`): a batch forgotten,
/// replaced or restored since, a maintenance file, or a merchant whose phrase, algorithm or
/// request differ, gets the answer built in full, the same bytes.
final class APSPreparedResults: Sendable {
    /// What is hashed before the text (see `init`); nil when nothing is hashed ahead.
    let canonicalPrefix: [UInt8]?
    private let text: Mutex<Text>

    private struct Text {
        var raw: [UInt8] = []
        var escaped: [UInt8] = []
        /// Fed the canonical prefix, then `raw` as it grows.
        var hasher: SHA256?

        mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            hasher?.update(UnsafeRawBufferPointer(bytes))
            raw.append(contentsOf: bytes)
            let count = JSONStringEscaping.escapedCount(bytes)
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { room in
                var p = room.baseAddress!
                JSONStringEscaping.write(bytes, to: &p)
                escaped.append(contentsOf: UnsafeBufferPointer(rebasing: room[..<count]))
            }
        }
    }

    /// Results for the batch `batchID` (its `batch_reference`, `reference`) of a payment-link
    /// file (`header`, its result columns), answered to `merchant`. For SHA-256 the hash starts
    /// with the canonical string's bytes before `batch_results` as a `GET_BATCH_RESULTS` with
    /// the usual parameters has them: the response phrase, then `access_code`, `batch_id` and
    /// `batch_reference` (the only signed keys that sort before it), then `batch_results=`.
    init(header: [String], batchID: String, reference: String?, merchant: Merchant) {
        var prefix: [UInt8]?
        var text = Text()
        if merchant.shaType == .sha256, let reference {
            let members = [("access_code", merchant.accessCode), ("batch_id", batchID), ("batch_reference", reference)]
            var bytes = Array(merchant.responsePhrase.utf8)
            for (key, value) in members where !value.isEmpty { bytes += Array("\(key)=\(value)".utf8) }
            bytes += Array("batch_results=".utf8)
            var hasher = SHA256()
            bytes.withUnsafeBytes { hasher.update($0) }
            text.hasher = hasher
            prefix = bytes
        }
        canonicalPrefix = prefix
        Array(header.joined(separator: ",").utf8 + Self.lineEnd).withUnsafeBufferPointer { text.append($0) }
        self.text = Mutex(text)
    }

    static let lineEnd: [UInt8] = [13, 10]

    /// Room for `records` more lines, at about what a payment-link file's line takes (a little
    /// over 100 bytes, 130 escaped): reserving more than is written costs address space only.
    func reserve(records: Int) {
        text.withLock { text in
            text.raw.reserveCapacity(text.raw.count + records * 128)
            text.escaped.reserveCapacity(text.escaped.count + records * 160)
        }
    }

    /// Adds the result lines of a run's outcomes, in order, as `Batch.results` keeps them
    /// (`BatchRecordResult`'s CSV, each line followed by CRLF): the run's text is written
    /// apart, into an array of its exact size, then added under the lock.
    func append(_ outcomes: [BatchRecordOutcome]) {
        var size = 0
        for outcome in outcomes {
            guard let fields = outcome.result else { continue }
            for field in fields { size &+= Self.quotedSize(field) }
            // Commas between the fields, then CRLF.
            size &+= Swift.max(0, fields.count &- 1) &+ 2
        }
        let run = [UInt8](unsafeUninitializedCapacity: size) { run, count in
            var p = run.baseAddress!
            for outcome in outcomes {
                guard let fields = outcome.result else { continue }
                for index in fields.indices {
                    if index > 0 { Self.put(Self.comma, at: &p) }
                    Self.putQuoted(fields[index], at: &p)
                }
                Self.put(13, at: &p)
                Self.put(10, at: &p)
            }
            count = run.baseAddress!.distance(to: p)
            precondition(count == size, "a run's results text was counted wrong")
        }
        run.withUnsafeBufferPointer { run in text.withLock { $0.append(run) } }
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")

    /// The size of `field` quoted as `BatchRecordResult`'s CSV quotes it: in quotes, a quote
    /// inside doubled.
    private static func quotedSize(_ field: String) -> Int {
        // Over the contiguous bytes: `reduce` over the `UTF8View` itself walks its indices.
        let utf8 = field.utf8
        return utf8.withContiguousStorageIfAvailable { quotedSize(of: $0) } ?? quotedSize(of: utf8)
    }

    private static func quotedSize(of bytes: some Sequence<UInt8>) -> Int {
        bytes.reduce(2) { $1 == quote ? $0 &+ 2 : $0 &+ 1 }
    }

    /// Writes `field` quoted (see `quotedSize`) at `p`, moving it past. Written here, a run
    /// at a time: a `BatchRecordResult` a line (an array each) cost this thread more than
    /// escaping and hashing the line together.
    private static func putQuoted(_ field: String, at p: inout UnsafeMutablePointer<UInt8>) {
        put(quote, at: &p)
        let utf8 = field.utf8
        let copied: Bool? = utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.isEmpty, !bytes.contains(quote) else { return false }
            p.initialize(from: bytes.baseAddress!, count: bytes.count)
            p += bytes.count
            return true
        }
        if copied != true {
            for byte in utf8 {
                if byte == quote { put(quote, at: &p) }
                put(byte, at: &p)
            }
        }
        put(quote, at: &p)
    }

    @inline(__always)
    private static func put(_ byte: UInt8, at p: inout UnsafeMutablePointer<UInt8>) {
        p.initialize(to: byte)
        p += 1
    }

    /// The batch's results text with its escaped form and, when made, its hash, if the text
    /// made here is exactly `batch`'s (`APSBatchFile.resultsText`); nil otherwise.
    func largeText(matching batch: Batch) -> APSLargeText? {
        let (raw, escaped, hasher) = text.withLock { ($0.raw, $0.escaped, $0.hasher) }
        let expected = APSBatchFile.resultsText(batch)
        guard raw.count == expected.byteCount else { return nil }
        var same = true
        var offset = 0
        raw.withUnsafeBufferPointer { raw in
            expected.forEachPart { part in
                guard same, part.count > 0 else { return }
                same = memcmp(raw.baseAddress! + offset, part.baseAddress!, part.count) == 0
                offset += part.count
            }
        }
        guard same else { return nil }
        var text = APSLargeText(byteCount: raw.count) { body in raw.withUnsafeBufferPointer(body) }
        text.escaped = escaped
        if let hasher, let canonicalPrefix { text.hashed = (canonicalPrefix, hasher) }
        return text
    }
}

/// The prepared results of the batches processed last, by batch id: two, so that two
/// merchants' batches at once both keep theirs; an older one's answer is built in full.
final class APSPreparedResultsCache: Sendable {
    private let entries = Mutex(BoundedTable<String, APSPreparedResults>(capacity: 2))

    func keep(_ results: APSPreparedResults, for batchID: String) {
        entries.withLock { $0.insert(results, for: batchID) }
    }

    /// `batch`'s results text as prepared while it was processed, if they are its own.
    func largeText(for batch: Batch) -> APSLargeText? {
        entries.withLock { $0[batch.id] }?.largeText(matching: batch)
    }
}
