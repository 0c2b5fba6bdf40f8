extension XLSXWriter {
    /// `xl/worksheets/sheet1.xml`: the frozen heading row, column widths, then the cells.
    /// Element order matters here: Excel refuses a sheet whose children are out of the schema's order.
    package static func worksheet(_ table: ExportTable) -> [UInt8] {
        var xml = xmlDeclaration
        xml += #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
        xml += #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#
        let lastReference = table.columns.isEmpty
            ? "A1" : SpreadsheetNames.cellReference(column: table.columns.count - 1, row: table.rows.count + 1)
        xml += #"<dimension ref="A1:\#(lastReference)"/>"#
        if !table.columns.isEmpty {
            // The headings stay on screen while scrolling through the links.
            xml += #"<sheetViews><sheetView workbookViewId="0">"#
            xml += #"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
            xml += #"<selection pane="bottomLeft"/></sheetView></sheetViews>"#
        }
        xml += #"<sheetFormatPr defaultRowHeight="15"/>"#
        if !table.columns.isEmpty {
            xml += "<cols>"
            for (index, width) in columnWidths(table).enumerated() {
                xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(width)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        if !table.columns.isEmpty {
            appendRow(table.columns, number: 1, numericColumns: [], style: headingStyle, to: &xml)
        }
        for (index, row) in table.rows.enumerated() {
            appendRow(row, number: index + 2, numericColumns: table.numericColumns, style: nil, to: &xml)
        }
        xml += "</sheetData></worksheet>"
        return Array(xml.utf8)
    }

    private static func appendRow(_ cells: [String], number: Int, numericColumns: Set<Int>, style: Int?,
                                  to xml: inout String) {
        xml += #"<row r="\#(number)">"#
        let styleAttribute = style.map { #" s="\#($0)""# } ?? ""
        for (column, text) in cells.enumerated() {
            let reference = SpreadsheetNames.cellReference(column: column, row: number)
            switch SpreadsheetCellValue(text, numeric: numericColumns.contains(column)) {
            case .empty:
                continue
            case .number(let digits):
                xml += #"<c r="\#(reference)"\#(styleAttribute)><v>\#(digits)</v></c>"#
            case .text(let text):
                // Without xml:space="preserve", readers may trim the spaces at either end.
                let preserve = text.first.map(\.isWhitespace) == true || text.last.map(\.isWhitespace) == true
                xml += #"<c r="\#(reference)"\#(styleAttribute) t="inlineStr"><is><t"#
                xml += preserve ? #" xml:space="preserve">"# : ">"
                xml += XMLText.escape(text)
                xml += "</t></is></c>"
            }
        }
        xml += "</row>"
    }

    /// Widths in Excel's unit (the width of a digit): the longest text in each column, headings
    /// included, plus a margin, kept between 8 and 60 so one long description does not push
    /// the other columns off screen.
    package static func columnWidths(_ table: ExportTable) -> [Int] {
        var longest = table.columns.map(\.count)
        for row in table.rows {
            for (column, text) in row.enumerated() where column < longest.count {
                longest[column] = max(longest[column], text.count)
            }
        }
        return longest.map { min(max($0, 8), 60) + 2 }
    }
}
