/// Writes an `ExportTable` as an Excel workbook (Office Open XML, ECMA-376): one sheet, the
/// column headings in a bold first row that stays in view when scrolling, then one row per
/// table row.
///
/// Cells are inline strings (`t="inlineStr"`) rather than a shared-string table: one part
/// fewer, and every reader accepts them. Cells of `numericColumns` become real numbers when
/// their text is a plain decimal (see `SpreadsheetCellValue`), so amounts sum and sort.
///
/// The bytes depend only on the table and the sheet name (no dates, no random ids), so the
/// same export twice is the same file.
package enum XLSXWriter {
    /// Excel's sheet size: 1,048,576 rows (the headings take one) by 16,384 columns. A table
    /// past either stops the program with a precondition failure instead of producing a file
    /// Excel opens only after a "repair" that drops the rest.
    package static let maximumRows = 1_048_576
    package static let maximumColumns = 16_384

    package static func workbook(_ table: ExportTable, sheetName: String = "Links") -> [UInt8] {
        precondition(table.columns.count <= maximumColumns, "an Excel sheet has at most 16,384 columns")
        precondition(table.rows.count < maximumRows, "an Excel sheet has at most 1,048,575 rows below the headings")
        var zip = ZipWriter()
        zip.add(path: "[Content_Types].xml", contents: Array(contentTypes.utf8))
        zip.add(path: "_rels/.rels", contents: Array(packageRelationships.utf8))
        zip.add(path: "docProps/core.xml", contents: Array(coreProperties(title: table.title).utf8))
        zip.add(path: "xl/workbook.xml", contents: Array(workbookPart(sheetName: SpreadsheetNames.sheetName(sheetName)).utf8))
        zip.add(path: "xl/_rels/workbook.xml.rels", contents: Array(workbookRelationships.utf8))
        zip.add(path: "xl/styles.xml", contents: Array(styles.utf8))
        zip.add(path: "xl/worksheets/sheet1.xml", contents: worksheet(table))
        return zip.finish()
    }

    package static let xmlDeclaration = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"

    /// Every part's type; a reader finds the workbook and sheet through these, not by file name.
    package static let contentTypes = xmlDeclaration + """
    <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
    <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
    <Default Extension="xml" ContentType="application/xml"/>\
    <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
    <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
    <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
    <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
    </Types>
    """

    package static let packageRelationships = xmlDeclaration + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
    </Relationships>
    """

    /// The document title Excel shows under File › Info; no dates, to keep the output reproducible.
    package static func coreProperties(title: String) -> String {
        xmlDeclaration + """
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\
        <dc:title>\(XMLText.escape(title))</dc:title>\
        </cp:coreProperties>
        """
    }

    package static func workbookPart(sheetName: String) -> String {
        xmlDeclaration + """
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <sheets><sheet name="\(XMLText.escape(sheetName))" sheetId="1" r:id="rId1"/></sheets>\
        </workbook>
        """
    }

    package static let workbookRelationships = xmlDeclaration + """
    <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
    <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
    <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
    </Relationships>
    """

    /// Cell format 0 is the default, 1 (`headingStyle`) uses the bold font. Excel insists on
    /// the two fills (none, gray125) and one border being present even when unused.
    package static let styles = xmlDeclaration + """
    <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
    <fonts count="2">\
    <font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
    <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
    </fonts>\
    <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
    <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
    <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
    <cellXfs count="2">\
    <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
    <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
    </cellXfs>\
    <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
    </styleSheet>
    """
    package static let headingStyle = 1
}
