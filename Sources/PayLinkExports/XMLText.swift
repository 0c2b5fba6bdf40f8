/// Text made safe for XML 1.0 element content and attribute values, as the XLSX parts need it.
package enum XMLText {
    /// `& < > " '` become entities. Tab, line feed and carriage return become character
    /// references: a parser keeps them as written then, where a literal one would be turned into
    /// a space (in an attribute) or a CR dropped (line-end normalisation).
    ///
    /// Characters XML 1.0 forbids anywhere, even as references (the other C0 controls, U+FFFE,
    /// U+FFFF), are dropped: one of them makes the whole file unreadable, and they carry nothing a
    /// reader of a spreadsheet would miss. (Swift strings cannot hold lone surrogates, the
    /// other forbidden kind.)
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default:
                if isAllowed(scalar) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// XML 1.0's `Char` production.
    package static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }
}
