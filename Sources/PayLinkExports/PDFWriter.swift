/// Writes an `ExportTable` as a PDF 1.4 document for printing or mailing: A4 landscape pages,
/// the title and a subtitle (what was filtered, when) at the top of the first page, then the
/// table, its heading row repeated at the top of every page, and "Page N of M" at the bottom.
///
/// Text is set in Helvetica and Helvetica-Bold, which every reader has built in, so no font
/// is embedded and the file stays small; the price is that only WinAnsi characters show, and
/// others print as `?` (see `WinAnsiEncoding`; the Excel export keeps them all). Columns are
/// sized from the real glyph widths of their contents; text that still does not fit its
/// column is cut and ends in `...`. Cells of `numericColumns` are aligned right, so amounts
/// line up on their last digit.
///
/// Nothing depends on the clock or on chance: the same table and subtitle give the same bytes.
/// Streams are not compressed (there is no deflate without Foundation); a page of text is a
/// few kilobytes anyway.
package enum PDFWriter {
    package static func document(_ table: ExportTable, subtitle: String) -> [UInt8] {
        let headings = table.columns.map(WinAnsiEncoding.encode)
        let rows = table.rows.map { $0.map(WinAnsiEncoding.encode) }
        let widths = PDFTableLayout.columnWidths(headings: headings, rows: rows)
        let pages = PDFTableLayout.pages(rowCount: rows.count)

        var objects: [String] = [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "",     // the page tree, once the pages' object numbers are known
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>",
            "<< /Title \(PDFSyntax.textString(table.title)) /Producer (PayLinkSandbox) >>",
        ]
        var pageObjectNumbers: [Int] = []
        for (index, rowRange) in pages.enumerated() {
            var content = PDFPageContent()
            var tableTop = PDFTableLayout.followingPageTableTop
            if index == 0 {
                drawTitleBlock(title: table.title, subtitle: subtitle, on: &content)
                tableTop = PDFTableLayout.firstPageTableTop
            }
            drawTable(rows: rows[rowRange], headings: headings, widths: widths, numericColumns: table.numericColumns,
                      top: tableTop, on: &content)
            drawFooter(page: index + 1, of: pages.count, on: &content)

            let stream = content.operators
            objects.append("<< /Length \(stream.utf8.count) >>\nstream\n\(stream)\nendstream")
            let contentNumber = objects.count
            objects.append("""
                << /Type /Page /Parent 2 0 R /MediaBox [0 0 \(PDFSyntax.number(PDFTableLayout.pageWidth)) \
                \(PDFSyntax.number(PDFTableLayout.pageHeight))] \
                /Resources << /Font << /F1 3 0 R /F2 4 0 R >> /ProcSet [/PDF /Text] >> /Contents \(contentNumber) 0 R >>
                """)
            pageObjectNumbers.append(objects.count)
        }
        let kids = pageObjectNumbers.map { "\($0) 0 R" }.joined(separator: " ")
        objects[1] = "<< /Type /Pages /Kids [\(kids)] /Count \(pageObjectNumbers.count) >>"
        return serialize(objects, catalog: 1, info: 5)
    }

    /// The file around the objects: header, `N 0 obj` bodies, the cross-reference table with
    /// each object's byte offset, and the trailer pointing at it. Readers find objects by these
    /// offsets, so they are counted in bytes of the output, not characters.
    package static func serialize(_ objects: [String], catalog: Int, info: Int) -> [UInt8] {
        // The comment of high bytes on line two marks the file as binary for transfer tools.
        var bytes = Array("%PDF-1.4\n%".utf8) + [0xE2, 0xE3, 0xCF, 0xD3, 0x0A]
        var offsets: [Int] = []
        for (index, body) in objects.enumerated() {
            offsets.append(bytes.count)
            bytes += Array("\(index + 1) 0 obj\n\(body)\nendobj\n".utf8)
        }
        let crossReferenceOffset = bytes.count
        // Each entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, two-byte end of line.
        var table = "xref\n0 \(objects.count + 1)\n0000000000 65535 f\r\n"
        for offset in offsets {
            let digits = String(offset)
            table += String(repeating: "0", count: max(0, 10 - digits.count)) + digits + " 00000 n\r\n"
        }
        table += "trailer\n<< /Size \(objects.count + 1) /Root \(catalog) 0 R /Info \(info) 0 R >>\n"
        table += "startxref\n\(crossReferenceOffset)\n%%EOF\n"
        bytes += Array(table.utf8)
        return bytes
    }

    private static func drawTitleBlock(title: String, subtitle: String, on content: inout PDFPageContent) {
        let left = PDFTableLayout.margin
        let width = PDFTableLayout.tableWidth
        let titleText = PDFTableLayout.fitted(WinAnsiEncoding.encode(title), font: .helveticaBold,
                                              size: PDFTableLayout.titleSize, width: width)
        content.text(titleText, font: .helveticaBold, size: PDFTableLayout.titleSize, x: left, y: PDFTableLayout.titleBaseline)
        let subtitleText = PDFTableLayout.fitted(WinAnsiEncoding.encode(subtitle), font: .helvetica,
                                                 size: PDFTableLayout.subtitleSize, width: width)
        content.text(subtitleText, font: .helvetica, size: PDFTableLayout.subtitleSize, x: left,
                     y: PDFTableLayout.subtitleBaseline, gray: 0.3)
    }

    private static func drawTable(rows: ArraySlice<[[UInt8]]>, headings: [[UInt8]], widths: [Double],
                                  numericColumns: Set<Int>, top: Double, on content: inout PDFPageContent) {
        guard !headings.isEmpty else { return }
        let left = PDFTableLayout.margin
        let right = left + PDFTableLayout.tableWidth
        let height = PDFTableLayout.rowHeight

        content.fill(x: left, y: top - height, width: PDFTableLayout.tableWidth, height: height, gray: 0.88)
        drawRow(headings, font: .helveticaBold, widths: widths, numericColumns: numericColumns, top: top, on: &content)
        var rowTop = top - height
        for row in rows {
            drawRow(row, font: .helvetica, widths: widths, numericColumns: numericColumns, top: rowTop, on: &content)
            rowTop -= height
            content.horizontalLine(fromX: left, toX: right, y: rowTop, gray: 0.8, lineWidth: 0.5)
        }
    }

    private static func drawRow(_ cells: [[UInt8]], font: PDFStandardFont, widths: [Double], numericColumns: Set<Int>,
                                top: Double, on content: inout PDFPageContent) {
        let padding = PDFTableLayout.cellPadding
        let size = PDFTableLayout.fontSize
        var x = PDFTableLayout.margin
        for (column, width) in widths.enumerated() {
            defer { x += width }
            guard column < cells.count else { continue }
            let text = PDFTableLayout.fitted(cells[column], font: font, size: size, width: width - 2 * padding)
            let textX = numericColumns.contains(column)
                ? x + width - padding - font.width(of: text, size: size)
                : x + padding
            content.text(text, font: font, size: size, x: textX, y: top - PDFTableLayout.baselineDrop)
        }
    }

    private static func drawFooter(page: Int, of pageCount: Int, on content: inout PDFPageContent) {
        let text = Array("Page \(page) of \(pageCount)".utf8)
        let width = PDFStandardFont.helvetica.width(of: text, size: PDFTableLayout.footerSize)
        content.text(text, font: .helvetica, size: PDFTableLayout.footerSize,
                     x: (PDFTableLayout.pageWidth - width) / 2, y: PDFTableLayout.footerBaseline, gray: 0.3)
    }
}
