/// What the dashboard exports (links as listed, after its filters), independent of the format:
/// a title, column headings, and rows of cell text in column order.
///
/// Every writer (CSV, XML, Excel, PDF) takes one of these, so the four exports of one list hold
/// the same cells.
package struct ExportTable: Sendable, Equatable {
    /// For the document's title (the PDF's heading, the XML root's `title`).
    package var title: String
    package var columns: [String]
    /// Each row has `columns.count` cells.
    package var rows: [[String]]
    /// Columns whose cells are whole numbers or decimals written as digits (amounts, counts):
    /// Excel stores them as numbers, the PDF aligns them right.
    package var numericColumns: Set<Int> = []

    package init(title: String, columns: [String], rows: [[String]], numericColumns: Set<Int> = []) {
        self.title = title
        self.columns = columns
        self.rows = rows
        self.numericColumns = numericColumns
    }
}
