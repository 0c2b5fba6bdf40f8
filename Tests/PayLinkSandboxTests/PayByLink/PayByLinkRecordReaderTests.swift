import PayLinkCore
import Testing
@testable import PayLinkPayByLink

/// The batch's direct record reader (`PayByLinkRecordReader`) must answer exactly as the record
/// made into a `POST /requests` body and read by `RequestDraft.read` does: the same draft for a
/// good record, the same errors in the same order for a bad one.
struct PayByLinkRecordReaderTests {
    static let now = SandboxInstant(secondsSince1970: 1_767_225_600) // 2026-01-01T00:00:00Z

    /// Values of each column, good and bad: empty, blank, too long, control characters,
    /// non-ASCII, and each column's own wrong forms.
    static let values: [String: [String]] = [
        "ClientTransactionRef": ["ref-1", "", "  ", String(repeating: "r", count: 51), "a\u{1}b", String(repeating: "é", count: 50), " ref "],
        "AccountReference": ["ACC-1", "", "\t", String(repeating: "a", count: 51), "acc\u{7F}"],
        "Amount": ["12.50", " 12.50 ", "0", "0.00", "abc", "1.234", "99999999", "-1", "", "  ", "\u{A0}5.00", "5"],
        "Reason": ["Rent", "", " ", String(repeating: "x", count: 256), "line\nbreak"],
        "Passphrase": ["", "secret", String(repeating: "p", count: 51)],
        "FirstName": ["Ann", "", " ", String(repeating: "f", count: 51)],
        "LastName": ["Lee", "", "\u{2003}"],
        "MobileNumber": ["07700900123", "+447700900123", "0770090012", "08700900123", "", "07700 900123", String(repeating: "0", count: 14)],
        "Email": ["ann@example.com", "", "bad", "a@b", "a b@example.com", String(repeating: "e", count: 250) + "@x.uk"],
        "Channel": ["", "SMS", "email", "Both", "fax", " ", String(repeating: "c", count: 11)],
        "ExpiryDate": ["", "2027-01-01T00:00:00Z", "2025-01-01T00:00:00Z", "tomorrow", "2026-01-01T00:00:00Z"],
        "CallbackUrl": ["", "https://example.com/cb", "ftp://example.com", "http://", "http://a b", "HTTPS://EXAMPLE.COM"],
    ]

    static func compare(header columns: [String], lines: [String]) throws {
        let text = ([columns.joined(separator: ",")] + lines).joined(separator: "\r\n") + "\r\n"
        var reader = CSVReader(Array(text.utf8))
        let first = reader.next()
        let header = try #require(first)
        guard case .success(let names) = PayByLinkBatchFile.columns(header) else {
            Issue.record("header \(columns) refused")
            return
        }
        let direct = PayByLinkRecordReader(columns: names), places = PayByLinkBatchFile.ColumnPlaces(names)
        var count = 0
        while let record = reader.next() {
            count += 1
            let fast = PayByLinkBatchFile.read(record, columns: names, reader: direct, now: now)
            let body = PayByLinkBatchFile.readAsBody(record, columns: names, places: places, now: now)
            switch (fast, body) {
            case (.success(let a), .success(let b)): #expect(a == b, "line \(record.line): \(record.raw)")
            case (.failure(let a), .failure(let b)): #expect(a.errors == b.errors, "line \(record.line): \(record.raw)")
            default: Issue.record("line \(record.line) \(record.raw): \(fast) against \(body)")
            }
        }
        #expect(count == lines.count)
    }

    @Test func everyValueOfEveryColumn_readsAsTheRequestBodyWould() throws {
        let columns = PayByLinkBatchFile.required + PayByLinkBatchFile.optional
        let good = columns.map { Self.values[$0]![$0 == "Passphrase" ? 1 : 0] }
        var lines = [good.map(csvField).joined(separator: ",")]
        // One column at a time through all its values, the others good.
        for (index, column) in columns.enumerated() {
            for value in Self.values[column]! {
                var fields = good
                fields[index] = value
                lines.append(fields.map(csvField).joined(separator: ","))
            }
        }
        try Self.compare(header: columns, lines: lines)
    }

    @Test func randomRecords_inShuffledHeaders_readAsTheRequestBodyWould() throws {
        var random = Seeded(state: 13)
        for round in 0..<40 {
            // The required columns and some of the optional ones, in a random order and case.
            var columns = PayByLinkBatchFile.required + PayByLinkBatchFile.optional.filter { _ in random.next(2) == 0 }
            for index in columns.indices.reversed() { columns.swapAt(index, random.next(index + 1)) }
            var lines: [String] = []
            for _ in 0..<100 {
                lines.append(columns.map { column in
                    let choices = Self.values[column]!
                    return csvField(choices[random.next(choices.count)])
                }.joined(separator: ","))
            }
            // A record with a field too many, one too few, and one that is not valid CSV.
            lines.append(Array(repeating: "x", count: columns.count + 1).joined(separator: ","))
            lines.append(Array(repeating: "x", count: columns.count - 1).joined(separator: ","))
            lines.append(Array(repeating: "a\"b", count: columns.count).joined(separator: ","))
            let header = columns.map { round % 3 == 0 ? $0.uppercased() : round % 3 == 1 ? $0.lowercased() : $0 }
            try Self.compare(header: header, lines: lines)
        }
    }
}
