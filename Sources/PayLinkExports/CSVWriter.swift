/// RFC 4180 CSV: a heading line, then one line per row, CRLF line ends, fields quoted only
/// when they hold a comma, a quote, CR or LF (quotes doubled inside). UTF-8 with a byte-order
/// mark, so Excel opens Arabic names as text rather than mojibake; every other reader skips it
/// or is told to (Python's `utf-8-sig`).
package enum CSVWriter {
    package static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    package static func document(_ table: ExportTable) -> [UInt8] {
        var out = byteOrderMark
        appendLine(table.columns, to: &out)
        for row in table.rows { appendLine(row, to: &out) }
        return out
    }

    private static func appendLine(_ fields: [String], to out: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            let needsQuotes = field.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 13 || $0 == 10 }
            guard needsQuotes else {
                out.append(contentsOf: field.utf8)
                continue
            }
            out.append(UInt8(ascii: "\""))
            for byte in field.utf8 {
                if byte == UInt8(ascii: "\"") { out.append(byte) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(contentsOf: [13, 10])
    }
}
