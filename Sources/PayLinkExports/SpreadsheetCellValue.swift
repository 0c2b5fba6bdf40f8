/// How one cell of an `ExportTable` goes into a worksheet: as a number, as text, or not at all.
enum SpreadsheetCellValue: Equatable {
    case number(String)
    case text(String)
    case empty

    /// Excel's limit for the text of one cell, in UTF-16 units; longer text makes Excel report
    /// the file as damaged.
    static let maximumTextLength = 32_767

    /// Cells of numeric columns become numbers when their text is one Excel would give back
    /// unchanged in meaning, so sums and sorting work on amounts and counts. Anything else stays
    /// text, so nothing is lost:
    /// - only plain decimals, `-?digits(.digits)?` (no exponents, spaces, `+`, grouping);
    /// - no leading zero before another digit (`007` is a code, and a number would show `7`);
    /// - at most 15 significant digits, Excel's precision (a 20-digit reference would otherwise
    ///   come back rounded).
    ///
    /// Empty cells are left out, as Excel writes them; other text is cut to Excel's limit.
    init(_ text: String, numeric: Bool) {
        if text.isEmpty {
            self = .empty
        } else if numeric, Self.isPlainNumber(text) {
            self = .number(text)
        } else {
            self = .text(Self.truncated(text))
        }
    }

    static func isPlainNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let integer = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }
        guard !integer.isEmpty else { return false }
        if integer.count > 1, integer.first == UInt8(ascii: "0") { return false }
        var rest = bytes.dropFirst(integer.count)
        var fraction = rest.prefix(0)
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            fraction = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }
            guard !fraction.isEmpty else { return false }
            rest = rest.dropFirst(fraction.count)
        }
        guard rest.isEmpty else { return false }
        let digits = Array(integer) + Array(fraction)
        let significant = digits.drop { $0 == UInt8(ascii: "0") }.count
        return significant <= 15
    }

    /// `text` cut to `maximumTextLength` UTF-16 units, never inside a character's surrogate pair.
    static func truncated(_ text: String) -> String {
        guard text.utf16.count > maximumTextLength else { return text }
        var kept = String.UnicodeScalarView()
        var length = 0
        for scalar in text.unicodeScalars {
            let width = UTF16.width(scalar)
            guard length + width <= maximumTextLength else { break }
            kept.append(scalar)
            length += width
        }
        return String(kept)
    }
}
