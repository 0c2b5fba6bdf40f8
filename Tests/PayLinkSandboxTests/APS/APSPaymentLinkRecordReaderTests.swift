import PayLinkCore
import PayLinkJSON
import Testing
@testable import PayLinkAPS

/// An APS payment-link file's direct record reader (`APSPaymentLinkRecordReader`, behind
/// `APSBatchFile.prepare`) must answer exactly as the record made into a `PAYMENT_LINK` request
/// and checked as one (`APSBatchFile.prepareAsRequest`): the same terms for a good record, the
/// same refusal (code, detail, column, echoed values) for a bad one.
struct APSPaymentLinkRecordReaderTests {
    static let context = APSContext(
        merchants: MerchantDirectory([.demo]),
        engine: LinkEngine(clock: SandboxClock(start: SandboxInstant(secondsSince1970: 1_767_225_600), mode: .frozen), seed: 5),
        links: LinkURLs(base: "http://sandbox.test"), emptyValues: .either)

    /// Values of each column, good first, then bad: empty, blank, too long, control
    /// characters, non-ASCII, commas and quotes, and each column's own wrong forms.
    static let values: [String: [String]] = [
        "merchant_reference": ["ref-1", "", " ", String(repeating: "r", count: 41), "a b", "ref\u{1}", "réf", "a,b", "a\"b", "ref.1_x-2"],
        "amount": ["1000", "", "0", "-5", "10.5", "abc", " 1000", "99999999999999", "1e3", "٣"],
        "currency": ["SAR", "", "sar", "USD", "XYZ", "SA", "SARR", " SAR"],
        "customer_email": ["c@example.com", "", "bad", "a@b", "a b@example.com", String(repeating: "e", count: 250) + "@x.uk", "é@example.com"],
        "request_expiry_date": ["2099-12-31T23:59:59+03:00", "", "2020-01-01T00:00:00Z", "tomorrow", "2026-01-01T00:00:00Z", "2099-12-31"],
        "notification_type": ["EMAIL", "", "NONE", "SMS", "EMAIL,SMS", "SMS,EMAIL", "FAX", "email", "SMS,NONE", " EMAIL"],
        "language": ["en", "", "ar", "fr", "EN", "english"],
        "customer_name": ["Ann Lee", "", String(repeating: "n", count: 51), "Ann\u{7F}", "عبد الله", "O'Brien", "a\nb"],
        "customer_phone": ["00966500000002", "", "+966500000002", "abc", String(repeating: "9", count: 20), "0500 000 002"],
        "order_description": ["Rent", "", String(repeating: "d", count: 200), "line\r\nbreak", "\"quoted\"", "comma, here"],
        "payment_option": ["", "VISA", "MASTERCARD", "MADA", "TAMARA", "CASH", "visa", String(repeating: "P", count: 30)],
        "link_command": ["", "PURCHASE", "AUTHORIZATION", "CAPTURE", "purchase"],
        "return_url": ["", "https://example.com/r", "ftp://example.com", "example.com", "http://" + String(repeating: "u", count: 400)],
        "payment_link_id": ["", "link-1", "LINK_2", "a b", String(repeating: "i", count: 80), "lïnk"],
    ]

    /// Whether two prepared records are the same: the same refusal, or the same link.
    static func same(_ a: APSBatchFile.PreparedRecord, _ b: APSBatchFile.PreparedRecord) -> Bool {
        switch (a, b) {
        case (.refused(let x), .refused(let y)): x == y
        case (.ready(let t1, let id1, let v1), .ready(let t2, let id2, let v2)): t1 == t2 && id1 == id2 && v1 == v2
        default: false
        }
    }

    /// Reads `lines` under `columns` both ways and compares every record (a quote left open
    /// joins lines, a line break in a quoted value may split one); returns how many were ready
    /// (so a test can see it covered good records too).
    @discardableResult
    static func compare(header columns: [String], lines: [String], language: String = "en") throws -> Int {
        let text = ([columns.joined(separator: ",")] + lines).joined(separator: "\r\n") + "\r\n"
        var csv = CSVReader(Array(text.utf8))
        let first = csv.next()
        let header = try #require(first)
        guard case .success(let names) = APSBatchFile.columns(header) else {
            Issue.record("header \(columns) refused")
            return 0
        }
        let reader = APSPaymentLinkRecordReader(columns: names)
        var count = 0, ready = 0
        while let record = csv.next() {
            count += 1
            let direct = APSBatchFile.prepare(record, columns: names, reader: reader, merchant: .demo, language: language, context: context)
            let asRequest = APSBatchFile.prepareAsRequest(record, columns: names, merchant: .demo, language: language, context: context)
            #expect(same(direct, asRequest), "line \(record.line) \(record.raw): \(direct) against \(asRequest)")
            if case .ready = direct { ready += 1 }
        }
        #expect(count >= lines.count / 2, "the records must be read")
        return ready
    }

    static let columns = APSBatchFile.required + APSBatchFile.optional

    @Test func everyValueOfEveryColumn_readsAsTheRequestWould() throws {
        let good = Self.columns.map { Self.values[$0]![0] }
        var lines = [good.map(csvField).joined(separator: ",")]
        // One column at a time through all its values, the others good.
        for (index, column) in Self.columns.enumerated() {
            for value in Self.values[column]! {
                var fields = good
                fields[index] = value
                lines.append(fields.map(csvField).joined(separator: ","))
            }
        }
        let ready = try Self.compare(header: Self.columns, lines: lines)
        #expect(ready > Self.columns.count, "the good values must make links")
    }

    @Test func withoutALanguageColumn_theUploadsLanguageIsUsed() throws {
        let columns = APSBatchFile.required
        let good = columns.map { Self.values[$0]![0] }.joined(separator: ",")
        for language in ["en", "ar", "fr"] {
            try Self.compare(header: columns, lines: [good], language: language)
        }
    }

    /// Thousands of random records under shuffled headers (the optional columns a random
    /// subset), with records of too many or too few fields and quotes left open or misplaced.
    @Test func randomRecords_underShuffledHeaders_readAsTheRequestWould() throws {
        var random = Seeded(state: 13)
        var ready = 0
        for _ in 0..<40 {
            var columns = APSBatchFile.required + APSBatchFile.optional.filter { _ in random.next(2) == 0 }
            for index in columns.indices.reversed() { columns.swapAt(index, random.next(index + 1)) }
            var lines: [String] = []
            for _ in 0..<100 {
                var fields = columns.map { column -> String in
                    let values = Self.values[column]!
                    // Mostly good values, so that the later checks are reached too.
                    return csvField(random.next(3) == 0 ? values[random.next(values.count)] : values[0])
                }
                switch random.next(20) {
                case 0: fields.append("extra")
                case 1: fields.removeLast()
                case 2: fields[random.next(fields.count)] = "\"open"
                case 3: fields[random.next(fields.count)] = "mis\"placed"
                default: break
                }
                lines.append(fields.joined(separator: ","))
            }
            ready += try Self.compare(header: columns, lines: lines)
        }
        #expect(ready > 100)
    }
}
