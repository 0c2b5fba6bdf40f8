/// Text as the PDF's standard fonts take it: one byte per character in WinAnsiEncoding
/// (Windows code page 1252: Latin-1 plus `€ ‚ „ … † ‡ ‰ Š Œ Ž ‘ ’ “ ” • – — ˜ ™ š œ ž Ÿ ƒ ˆ ‹ ›`).
///
/// The PDF uses Helvetica without embedding a font, which keeps it small and needs no font
/// files, but those fonts only have glyphs for this set. A character outside it (Arabic
/// names, for one) is written as `?` rather than dropped, so the reader sees that something
/// was there; the Excel export keeps every character. Characters are taken one Unicode
/// scalar at a time, so a letter written with a combining accent comes out as the letter and
/// a `?`.
///
/// Tab, line breaks and other whitespace controls become a space (a cell is one line); the
/// remaining control characters, which show nothing, are dropped.
enum WinAnsiEncoding {
    static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let byte = byte(for: scalar) {
                bytes.append(byte)
            } else if scalar.properties.isWhitespace {
                bytes.append(UInt8(ascii: " "))
            } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                continue
            } else {
                bytes.append(UInt8(ascii: "?"))
            }
        }
        return bytes
    }

    /// The code for a character the encoding has, or nil.
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x20...0x7E, 0xA0...0xFF: UInt8(scalar.value)
        default: windows1252Extras[scalar.value]
        }
    }

    /// Codes 0x80–0x9F, where Windows-1252 (and so WinAnsi) puts typographic characters that
    /// Latin-1 leaves to control codes. 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned.
    static let windows1252Extras: [UInt32: UInt8] = [
        0x20AC: 0x80, 0x201A: 0x82, 0x0192: 0x83, 0x201E: 0x84, 0x2026: 0x85, 0x2020: 0x86,
        0x2021: 0x87, 0x02C6: 0x88, 0x2030: 0x89, 0x0160: 0x8A, 0x2039: 0x8B, 0x0152: 0x8C,
        0x017D: 0x8E, 0x2018: 0x91, 0x2019: 0x92, 0x201C: 0x93, 0x201D: 0x94, 0x2022: 0x95,
        0x2013: 0x96, 0x2014: 0x97, 0x02DC: 0x98, 0x2122: 0x99, 0x0161: 0x9A, 0x203A: 0x9B,
        0x0153: 0x9C, 0x017E: 0x9E, 0x0178: 0x9F,
    ]
}
