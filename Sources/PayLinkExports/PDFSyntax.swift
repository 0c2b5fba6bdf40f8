/// The few pieces of PDF syntax (ISO 32000-1, section 7.3) the writer needs, spelled out
/// exactly: a reader is strict about them, and no library is at hand.
enum PDFSyntax {
    /// A real number with at most two decimals and no exponent (`12.5`, `-3`, `0.07`):
    /// PDF numbers have no exponent form, and a hundredth of a point is far below what shows.
    static func number(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let magnitude = hundredths.magnitude
        var text = hundredths < 0 ? "-" : ""
        text += String(magnitude / 100)
        let fraction = magnitude % 100
        if fraction != 0 {
            text += fraction < 10 ? ".0" : "."
            text += String(fraction % 10 == 0 ? fraction / 10 : fraction)
        }
        return text
    }

    /// A literal string `( … )` of already encoded bytes. `\`, `(` and `)` are escaped as the
    /// syntax requires; bytes outside printable ASCII are written as octal escapes, so the
    /// content streams stay 7-bit text that no line-ending conversion can corrupt.
    static func literalString(_ bytes: [UInt8]) -> String {
        var out = "("
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"), UInt8(ascii: "("), UInt8(ascii: ")"):
                out += "\\"
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case 0x20...0x7E:
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let octal = String(byte, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            }
        }
        return out + ")"
    }

    /// A text string for the document information dictionary (title): UTF-16BE with a byte
    /// order mark, as a hex string, so every character survives there even when the page
    /// itself can only show WinAnsi.
    static func textString(_ text: String) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = Array("<FEFF".utf8)
        for unit in text.utf16 {
            for shift in stride(from: 12, through: 0, by: -4) {
                out.append(digits[Int((unit >> UInt16(shift)) & 0xF)])
            }
        }
        out.append(UInt8(ascii: ">"))
        return String(decoding: out, as: UTF8.self)
    }
}
