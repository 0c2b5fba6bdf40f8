/// The names a spreadsheet gives its columns, cells and sheets.
enum SpreadsheetNames {
    /// Column letters for a zero-based index: 0 → `A`, 25 → `Z`, 26 → `AA`, 701 → `ZZ`,
    /// 702 → `AAA`. Base 26 without a zero digit ("bijective"), which is why it is not a plain
    /// radix conversion.
    static func columnLetters(_ index: Int) -> String {
        precondition(index >= 0, "column index is zero-based and not negative")
        var letters: [UInt8] = []
        var remaining = index + 1
        while remaining > 0 {
            remaining -= 1
            letters.append(UInt8(ascii: "A") + UInt8(remaining % 26))
            remaining /= 26
        }
        return String(decoding: letters.reversed(), as: UTF8.self)
    }

    /// A cell reference such as `AA12` from a zero-based column and a one-based row, as Excel shows them.
    static func cellReference(column: Int, row: Int) -> String {
        columnLetters(column) + String(row)
    }

    /// A name Excel accepts for a sheet: it refuses a file whose sheet name has any of
    /// `[ ] : * ? / \`, is longer than 31 characters, is empty, starts or ends with an
    /// apostrophe, or is the reserved `History`. Forbidden characters are dropped, the rest cut
    /// to 31 UTF-16 units (Excel's count) on a character boundary; nothing left gives `Sheet1`.
    static func sheetName(_ wanted: String) -> String {
        var kept = String.UnicodeScalarView()
        var length = 0
        for scalar in wanted.unicodeScalars where !"[]:*?/\\".unicodeScalars.contains(scalar) {
            guard XMLText.isAllowed(scalar), scalar.value >= 0x20 else { continue }
            let width = UTF16.width(scalar)
            guard length + width <= 31 else { break }
            kept.append(scalar)
            length += width
        }
        var name = Substring(String(kept))
        while name.first == "'" || name.first == " " { name.removeFirst() }
        while name.last == "'" || name.last == " " { name.removeLast() }
        if name.isEmpty || name.lowercased() == "history" { return "Sheet1" }
        return String(name)
    }
}
