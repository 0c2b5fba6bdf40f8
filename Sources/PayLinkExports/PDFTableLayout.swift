/// Where things go on the PDF's pages: A4 landscape, the title block on the first page only,
/// a table whose heading row starts every page, and a footer line. Lengths are PDF points
/// (1/72 inch), measured from the bottom left corner of the page.
enum PDFTableLayout {
    /// A4 turned on its side (297 × 210 mm), rounded to whole points as is usual.
    static let pageWidth = 842.0
    static let pageHeight = 595.0
    static let margin = 36.0
    static var tableWidth: Double { pageWidth - 2 * margin }

    static let titleSize = 16.0
    static let titleBaseline = pageHeight - margin - 13
    static let subtitleSize = 10.0
    static let subtitleBaseline = titleBaseline - 18

    static let fontSize = 9.0
    static let rowHeight = 16.0
    /// From a row's top edge down to its text baseline: centres capitals in the row.
    static let baselineDrop = 11.0
    static let cellPadding = 4.0

    /// Top of the table: below the title block on the first page, at the margin after it.
    static let firstPageTableTop = subtitleBaseline - 14
    static let followingPageTableTop = pageHeight - margin
    /// The table stops here, leaving room for the footer.
    static let tableBottom = 40.0
    static let footerBaseline = 20.0
    static let footerSize = 8.0

    /// Table rows that fit under the heading row on the first page.
    static var rowsOnFirstPage: Int { Int((firstPageTableTop - tableBottom) / rowHeight) - 1 }
    /// And on every page after it, where the title block is not repeated.
    static var rowsOnFollowingPages: Int { Int((followingPageTableTop - tableBottom) / rowHeight) - 1 }

    /// The rows each page shows, in order; a table without rows still gets a page with its
    /// title and headings.
    static func pages(rowCount: Int) -> [Range<Int>] {
        var pages = [0..<min(rowCount, rowsOnFirstPage)]
        var start = pages[0].upperBound
        while start < rowCount {
            let end = min(rowCount, start + rowsOnFollowingPages)
            pages.append(start..<end)
            start = end
        }
        return pages
    }

    /// Column widths that add up to the table width, from each column's natural width (its
    /// widest heading or cell, measured in the fonts the page uses, plus padding).
    ///
    /// When everything fits, the spare width is shared in proportion to the natural widths.
    /// When it does not, narrow columns (amounts, dates, statuses) keep their full width and
    /// only the widest ones are cut, all to the same width ("water filling"): shrinking every
    /// column in proportion would cut the short values people scan for, to make room for a
    /// description that gets cut anyway.
    static func columnWidths(headings: [[UInt8]], rows: [[[UInt8]]]) -> [Double] {
        guard !headings.isEmpty else { return [] }
        var natural = headings.map { PDFStandardFont.helveticaBold.width(of: $0, size: fontSize) }
        for row in rows {
            for (column, cell) in row.enumerated() where column < natural.count {
                natural[column] = max(natural[column], PDFStandardFont.helvetica.width(of: cell, size: fontSize))
            }
        }
        natural = natural.map { $0 + 2 * cellPadding }
        let total = natural.reduce(0, +)
        if total <= tableWidth {
            return natural.map { $0 * tableWidth / total }
        }
        // The widest columns share what the narrower ones leave, equally.
        var remainingWidth = tableWidth
        var remainingColumns = natural.count
        var cap = tableWidth / Double(natural.count)
        for width in natural.sorted() {
            cap = remainingWidth / Double(remainingColumns)
            if width > cap { break }
            remainingWidth -= width
            remainingColumns -= 1
        }
        return natural.map { min($0, cap) }
    }

    /// `text` as it fits in `width` points: whole if it fits, otherwise as much as fits
    /// followed by `...`, so a cut is visible instead of overflowing into the next column.
    /// Nothing when not even the dots fit.
    static func fitted(_ text: [UInt8], font: PDFStandardFont, size: Double, width: Double) -> [UInt8] {
        if font.width(of: text, size: size) <= width { return text }
        let ellipsis = Array("...".utf8)
        let room = width - font.width(of: ellipsis, size: size)
        guard room >= 0 else { return [] }
        var kept = 0
        var used = 0.0
        while kept < text.count {
            let next = font.width(of: CollectionOfOne(text[kept]), size: size)
            if used + next > room { break }
            used += next
            kept += 1
        }
        var prefix = text[..<kept]
        while prefix.last == UInt8(ascii: " ") { prefix = prefix.dropLast() }
        return Array(prefix) + ellipsis
    }
}
