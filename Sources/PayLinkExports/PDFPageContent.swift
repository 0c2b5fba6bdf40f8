/// One page's content stream: the drawing operators, written as text.
struct PDFPageContent {
    private(set) var operators = ""

    /// Resource names of the page's fonts, as `PDFWriter` declares them on every page.
    static func resourceName(_ font: PDFStandardFont) -> String {
        switch font {
        case .helvetica: "F1"
        case .helveticaBold: "F2"
        }
    }

    /// Already encoded (WinAnsi) text with its baseline starting at `x`, `y`.
    mutating func text(_ bytes: [UInt8], font: PDFStandardFont, size: Double, x: Double, y: Double, gray: Double = 0) {
        guard !bytes.isEmpty else { return }
        operators += "BT /\(Self.resourceName(font)) \(PDFSyntax.number(size)) Tf "
        if gray != 0 { operators += "\(PDFSyntax.number(gray)) g " }
        operators += "\(PDFSyntax.number(x)) \(PDFSyntax.number(y)) Td \(PDFSyntax.literalString(bytes)) Tj ET\n"
        if gray != 0 { operators += "0 g\n" }
    }

    /// A filled rectangle in a shade of gray (0 black, 1 white).
    mutating func fill(x: Double, y: Double, width: Double, height: Double, gray: Double) {
        operators += "\(PDFSyntax.number(gray)) g \(PDFSyntax.number(x)) \(PDFSyntax.number(y)) "
        operators += "\(PDFSyntax.number(width)) \(PDFSyntax.number(height)) re f 0 g\n"
    }

    /// A horizontal hairline, for the rules between rows.
    mutating func horizontalLine(fromX: Double, toX: Double, y: Double, gray: Double, lineWidth: Double) {
        operators += "\(PDFSyntax.number(gray)) G \(PDFSyntax.number(lineWidth)) w "
        operators += "\(PDFSyntax.number(fromX)) \(PDFSyntax.number(y)) m \(PDFSyntax.number(toX)) \(PDFSyntax.number(y)) l S\n"
    }
}
