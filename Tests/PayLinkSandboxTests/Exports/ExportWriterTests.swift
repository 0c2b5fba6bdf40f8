import Foundation
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport
import PayLinkTestSupport

/// The Excel and PDF export writers, checked by readers that share no code with them:
/// Python's standard `zipfile` and `xml.etree` for the workbook, poppler's `pdftotext` and
/// `pdfinfo` for the PDF.
struct ExportWriterTests {
    // MARK: CRC-32 and names

    @Test func crc32_matchesPublishedCheckValues() {
        #expect(CRC32.checksum("123456789".utf8) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum("The quick brown fox jumps over the lazy dog".utf8) == 0x414F_A339)
    }

    @Test func spreadsheetNames_columnLettersAndSheetNames() {
        #expect(SpreadsheetNames.columnLetters(0) == "A")
        #expect(SpreadsheetNames.columnLetters(25) == "Z")
        #expect(SpreadsheetNames.columnLetters(26) == "AA")
        #expect(SpreadsheetNames.columnLetters(701) == "ZZ")
        #expect(SpreadsheetNames.columnLetters(702) == "AAA")
        #expect(SpreadsheetNames.columnLetters(16_383) == "XFD")   // Excel's last column
        #expect(SpreadsheetNames.sheetName("Links [2025/06]: a*b?c\\d") == "Links 202506 abcd")
        #expect(SpreadsheetNames.sheetName("'quoted'") == "quoted")
        #expect(SpreadsheetNames.sheetName(String(repeating: "x", count: 40)).count == 31)
        #expect(SpreadsheetNames.sheetName("[]") == "Sheet1")
        #expect(SpreadsheetNames.sheetName("History") == "Sheet1")
        #expect(SpreadsheetNames.sheetName("روابط الدفع") == "روابط الدفع")
    }

    @Test func spreadsheetCellValue_numbersOnlyWhenExcelKeepsThem() {
        #expect(SpreadsheetCellValue("1050.25", numeric: true) == .number("1050.25"))
        #expect(SpreadsheetCellValue("-3", numeric: true) == .number("-3"))
        #expect(SpreadsheetCellValue("0.5", numeric: true) == .number("0.5"))
        #expect(SpreadsheetCellValue("1050.25", numeric: false) == .text("1050.25"))
        for text in ["007", "1e5", "1,000", " 5", "5.", ".5", "+5", "-", "1234567890123456", "n/a"] {
            #expect(SpreadsheetCellValue(text, numeric: true) == .text(text), "\(text)")
        }
        #expect(SpreadsheetCellValue("", numeric: true) == .empty)
        let long = String(repeating: "😀", count: 20_000)     // 40,000 UTF-16 units
        guard case .text(let cut) = SpreadsheetCellValue(long, numeric: false) else { Issue.record("not text"); return }
        #expect(cut.utf16.count == 32_766 && cut.unicodeScalars.allSatisfy { $0 == "😀" })
    }

    /// Python's zipfile decodes names as UTF-8 only when bit 11 is set, and checks every CRC.
    @Test func zip_readsBackWithPythonZipfile() throws {
        var zip = ZipWriter()
        zip.add(path: "données/ملف.txt", contents: Array("مرحبا, zip".utf8))
        zip.add(path: "empty", contents: [])
        zip.add(path: "bytes.bin", contents: (0...255).map(UInt8.init))
        let file = try Self.temporaryFile(zip.finish(), suffix: "zip")
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys, zipfile
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            for i in z.infolist():
                print(i.filename, i.flag_bits & 0x800, i.compress_type, i.date_time, len(z.read(i)), sep='|')
            print(z.read('données/ملف.txt').decode())
            """
        let result = try Self.run(try Self.python(), ["-c", script, file.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            données/ملف.txt|2048|0|(1980, 1, 1, 0, 0, 0)|15
            empty|2048|0|(1980, 1, 1, 0, 0, 0)|0
            bytes.bin|2048|0|(1980, 1, 1, 0, 0, 0)|256
            مرحبا, zip

            """)
    }

    // MARK: XLSX

    /// 30 columns (to reach `AD`), 250 rows, and the cells that need care.
    static func spreadsheetTable(rowCount: Int = 250) -> ExportTable {
        let columns = ["Link ID", "Amount", "Customer", "Note"] + (4..<30).map { "Extra \($0)" }
        var rows: [[String]] = []
        for index in 0..<rowCount {
            var row = ["PL-\(index)", "\(index * 10 + 5).25", "Customer \(index)", "Note \(index)"]
            row += (4..<30).map { index == 0 && $0 == 29 ? "1234" : "r\(index)c\($0)" }
            rows.append(row)
        }
        if rowCount >= 6 {
            rows[0][2] = #"Fish & Chips <Ltd> "quoted" 'single'"#
            rows[1][2] = "عبد الله — دفعة الفاتورة"
            rows[2][2] = "bell\u{07}here\u{0B}and\u{FFFE}there"
            rows[3][3] = "  spaced out  "
            rows[4][3] = "line one\nline two\r\nwith\ttab"
            rows[1][1] = "007"          // a code, not a number: stays text
            rows[2][1] = "n/a"
            rows[3][1] = ""             // empty: no cell at all
            rows[5][1] = "-42"
        }
        return ExportTable(title: "Payment links & <co>", columns: columns, rows: rows, numericColumns: [1, 29])
    }

    /// What an independent reader should find in each cell, keyed by zero-based (row, column)
    /// with the heading row as row 0.
    static func expectedCells(_ table: ExportTable) -> [String: ReadCell] {
        func clean(_ text: String) -> String {
            String(String.UnicodeScalarView(text.unicodeScalars.filter {
                [0x9, 0xA, 0xD].contains($0.value) || ($0.value >= 0x20 && $0.value != 0xFFFE && $0.value != 0xFFFF)
            }))
        }
        var cells: [String: ReadCell] = [:]
        for (column, heading) in table.columns.enumerated() {
            cells["0,\(column)"] = ReadCell(type: "inlineStr", value: heading, bold: true)
        }
        for (rowIndex, row) in table.rows.enumerated() {
            for (column, text) in row.enumerated() where !text.isEmpty {
                let isNumber = table.numericColumns.contains(column)
                    && text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$"#, options: .regularExpression) != nil
                cells["\(rowIndex + 1),\(column)"] = isNumber
                    ? ReadCell(type: "n", value: text, bold: false)
                    : ReadCell(type: "inlineStr", value: clean(text), bold: false)
            }
        }
        return cells
    }

    @Test func xlsx_readsBackWithPythonStandardLibrary() throws {
        let table = Self.spreadsheetTable()
        let bytes = XLSXWriter.workbook(table, sheetName: "Links: June/July")
        let read = try Self.readWorkbook(bytes)

        #expect(read.testzip == nil)
        for part in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                     "xl/worksheets/sheet1.xml", "xl/styles.xml", "docProps/core.xml"] {
            #expect(read.names.contains(part), "missing \(part)")
        }
        #expect(read.overrides["/xl/workbook.xml"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
        #expect(read.overrides["/xl/worksheets/sheet1.xml"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")
        #expect(read.overrides["/xl/styles.xml"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml")
        #expect(read.defaults["rels"] == "application/vnd.openxmlformats-package.relationships+xml")
        #expect(read.sheetPath == "xl/worksheets/sheet1.xml")
        #expect(read.sheetName == "Links JuneJuly")
        #expect(read.title == table.title)
        #expect(read.frozenRows == "1")
        #expect(read.referencesMatchRows)
        #expect(read.dimension == "A1:AD251")

        let expected = Self.expectedCells(table)
        // Spot checks first, so a failure names the cell; then everything.
        #expect(read.cells["0,0"] == ReadCell(type: "inlineStr", value: "Link ID", bold: true))
        #expect(read.cells["0,26"] == ReadCell(type: "inlineStr", value: "Extra 26", bold: true))   // AA1
        #expect(read.cells["1,2"]?.value == #"Fish & Chips <Ltd> "quoted" 'single'"#)
        #expect(read.cells["2,2"]?.value == "عبد الله — دفعة الفاتورة")
        #expect(read.cells["3,2"]?.value == "bellhereandthere")
        #expect(read.cells["4,3"]?.value == "  spaced out  ")
        #expect(read.cells["5,3"]?.value == "line one\nline two\r\nwith\ttab")
        #expect(read.cells["1,1"] == ReadCell(type: "n", value: "5.25", bold: false))
        #expect(read.cells["6,1"] == ReadCell(type: "n", value: "-42", bold: false))
        #expect(read.cells["2,1"] == ReadCell(type: "inlineStr", value: "007", bold: false))
        #expect(read.cells["4,1"] == nil)
        #expect(read.cells["1,29"] == ReadCell(type: "n", value: "1234", bold: false))              // AD2
        #expect(read.cells["250,0"] == ReadCell(type: "inlineStr", value: "PL-249", bold: false))
        #expect(read.cells["250,1"] == ReadCell(type: "n", value: "2495.25", bold: false))
        #expect(read.cells.count == expected.count)
        let wrong = expected.filter { read.cells[$0.key] != $0.value }.map(\.key).sorted()
        #expect(wrong.isEmpty, "cells read back differently: \(wrong.prefix(10))")
    }

    @Test func xlsx_emptyTableAndNoColumnsAreValid() throws {
        let empty = ExportTable(title: "Nothing", columns: ["Link ID", "Amount"], rows: [], numericColumns: [1])
        let read = try Self.readWorkbook(XLSXWriter.workbook(empty))
        #expect(read.testzip == nil)
        #expect(read.sheetName == "Links")
        #expect(read.cells == Self.expectedCells(empty))
        #expect(read.dimension == "A1:B1")

        let bare = try Self.readWorkbook(XLSXWriter.workbook(ExportTable(title: "", columns: [], rows: [])))
        #expect(bare.testzip == nil)
        #expect(bare.cells.isEmpty)
    }

    @Test func xlsx_sameTableGivesSameBytes() {
        let table = Self.spreadsheetTable(rowCount: 40)
        #expect(XLSXWriter.workbook(table) == XLSXWriter.workbook(table))
        #expect(XLSXWriter.workbook(table) != XLSXWriter.workbook(table, sheetName: "Other"))
    }

    // MARK: PDF

    static let pdfColumns = ["Link ID", "Customer", "Description", "Amount", "Currency", "Status"]

    static func pdfTable(rowCount: Int) -> ExportTable {
        let rows = (0..<rowCount).map { index in
            ["PL-\(1000 + index)", "Customer \(index)", "Order \(index)",
             String(index * 137 % 100_000) + ".50", "SAR", index.isMultiple(of: 3) ? "Paid" : "Pending"]
        }
        return ExportTable(title: "Payment links — Café Zoë €", columns: pdfColumns, rows: rows, numericColumns: [3])
    }

    @Test(.enabled(if: popplerInstalled, popplerMissing)) func pdf_readsBackWithPoppler() throws {
        var table = Self.pdfTable(rowCount: 120)
        let longDescription = "Annual subscription renewal " + String(repeating: "with many extra words ", count: 30) + "THE-END"
        table.rows[7][2] = longDescription
        table.rows[8][1] = "عبد الله"
        table.rows[9][1] = #"Back\slash (paren) “quoted” ‘single’"#
        let expectedPages = PDFTableLayout.pages(rowCount: 120).count
        #expect(expectedPages >= 3)

        let file = try Self.temporaryFile(PDFWriter.document(table, subtitle: "All links, created 1–30 June"), suffix: "pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        let info = try Self.run(Self.poppler("pdfinfo"), [file.path])
        #expect(info.status == 0)
        #expect(info.stderr.isEmpty, "pdfinfo complained: \(info.stderr)")
        #expect(Self.infoField("Pages", info.stdout) == String(expectedPages))
        #expect(Self.infoField("Title", info.stdout) == table.title)
        #expect(Self.infoField("PDF version", info.stdout) == "1.4")
        #expect(Self.infoField("Page size", info.stdout)?.hasPrefix("842 x 595 pts (A4)") == true)

        let text = try Self.run(Self.poppler("pdftotext"), ["-layout", file.path, "-"])
        #expect(text.status == 0)
        #expect(text.stderr.isEmpty, "pdftotext complained: \(text.stderr)")
        let pages = text.stdout.split(separator: "\u{0C}", omittingEmptySubsequences: true)
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        #expect(pages.count == expectedPages)
        #expect(pages.first?.contains("Payment links — Café Zoë €") == true)
        #expect(pages.first?.contains("All links, created 1–30 June") == true)
        for (index, page) in pages.enumerated() {
            for heading in Self.pdfColumns {
                #expect(page.contains(heading), "page \(index + 1) lacks heading \(heading)")
            }
            #expect(page.contains("Page \(index + 1) of \(expectedPages)"))
        }
        for row in [0, 60, 119] {
            let line = text.stdout.split(separator: "\n").first { $0.contains(table.rows[row][0] + " ") }
            #expect(line != nil, "row \(row) missing")
            #expect(line?.contains(table.rows[row][1]) == true && line?.contains(table.rows[row][3]) == true,
                    "row \(row): \(line ?? "")")
        }
        #expect(text.stdout.contains("Annual subscription renewal with many"))
        #expect(text.stdout.contains("..."))
        #expect(!text.stdout.contains("THE-END"))
        #expect(text.stdout.contains("??? ????"))                // Arabic: outside WinAnsi
        #expect(text.stdout.contains(#"Back\slash (paren) “quoted” ‘single’"#))
    }

    /// Amounts end at the same x on the page; text columns start at the same x.
    @Test(.enabled(if: popplerInstalled, popplerMissing)) func pdf_numericColumnIsRightAligned() throws {
        let table = Self.pdfTable(rowCount: 20)
        let file = try Self.temporaryFile(PDFWriter.document(table, subtitle: ""), suffix: "pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        let boxes = try Self.run(Self.poppler("pdftotext"), ["-bbox", file.path, "-"])
        #expect(boxes.status == 0)
        let words = Self.words(boxes.stdout)
        let amounts = Set(table.rows.map { $0[3] })
        let amountRights = words.filter { amounts.contains($0.text) }.map(\.xMax)
        let idLefts = words.filter { $0.text.hasPrefix("PL-") }.map(\.xMin)
        #expect(amountRights.count == 20 && idLefts.count == 20)
        #expect((amountRights.max() ?? 0) - (amountRights.min() ?? 1) < 0.5, "\(amountRights)")
        #expect((idLefts.max() ?? 0) - (idLefts.min() ?? 1) < 0.5, "\(idLefts)")
        #expect(Set(table.rows.map { $0[3].count }).count > 1)    // the test means something
    }

    @Test(.enabled(if: popplerInstalled, popplerMissing)) func pdf_pageBoundaries() throws {
        let onePage = PDFTableLayout.rowsOnFirstPage
        for (rows, pages) in [(0, 1), (onePage, 1), (onePage + 1, 2),
                              (onePage + PDFTableLayout.rowsOnFollowingPages, 2)] {
            let file = try Self.temporaryFile(PDFWriter.document(Self.pdfTable(rowCount: rows), subtitle: "s"), suffix: "pdf")
            defer { try? FileManager.default.removeItem(at: file) }
            let info = try Self.run(Self.poppler("pdfinfo"), [file.path])
            #expect(info.status == 0 && info.stderr.isEmpty, "\(rows) rows: \(info.stderr)")
            #expect(Self.infoField("Pages", info.stdout) == String(pages), "\(rows) rows")
            let text = try Self.run(Self.poppler("pdftotext"), ["-layout", file.path, "-"])
            #expect(text.stdout.contains("Page \(pages) of \(pages)"), "\(rows) rows")
            #expect(Self.pdfColumns.allSatisfy { text.stdout.contains($0) })
            if rows > 0 { #expect(text.stdout.contains("PL-\(1000 + rows - 1) ")) }
        }
    }

    @Test(.enabled(if: popplerInstalled, popplerMissing)) func pdf_sameTableGivesSameBytesAndExactCrossReferences() throws {
        let table = Self.pdfTable(rowCount: 70)
        let bytes = PDFWriter.document(table, subtitle: "x")
        #expect(bytes == PDFWriter.document(table, subtitle: "x"))
        #expect(bytes != PDFWriter.document(table, subtitle: "y"))

        // Every in-use entry of the cross-reference table points at its `N 0 obj`.
        let text = String(decoding: bytes, as: UTF8.self)
        let startxref = try #require(text.range(of: "startxref\n", options: .backwards))
        let xrefOffset = try #require(Int(text[startxref.upperBound...].prefix { $0.isNumber }))
        let xref = Array(bytes[xrefOffset...])
        #expect(xref.starts(with: Array("xref\n0 ".utf8)))
        let lines = String(decoding: xref, as: UTF8.self).components(separatedBy: "\r\n")
        let header = lines[0].split(separator: "\n")
        let count = try #require(Int(header[1].split(separator: " ")[1]))
        #expect(String(header[2]) == "0000000000 65535 f")
        for number in 1..<count {
            let entry = lines[number]
            #expect(entry.count == 18 && entry.hasSuffix(" 00000 n"), "entry \(number): \(entry)")
            let offset = try #require(Int(entry.prefix(10)))
            let found = String(decoding: bytes[offset..<min(offset + 12, bytes.count)], as: UTF8.self)
            #expect(found.hasPrefix("\(number) 0 obj\n"), "object \(number) at \(offset): \(found)")
        }
        #expect(text.hasSuffix("%%EOF\n"))
    }

    @Test func pdf_textEncodingAndFitting() {
        #expect(WinAnsiEncoding.encode("A€’é\u{07}\tب") == [0x41, 0x80, 0x92, 0xE9, 0x20, 0x3F])
        #expect(PDFSyntax.literalString(Array(#"a\(b)"#.utf8) + [0xE9]) == #"(a\\\(b\)\351)"#)
        #expect(PDFSyntax.number(12.5) == "12.5" && PDFSyntax.number(-0.07) == "-0.07" && PDFSyntax.number(3) == "3")
        // Helvetica's widths from Adobe's AFM: "Hello" is 722 + 556 + 222 + 222 + 556 = 2278 units.
        #expect(PDFStandardFont.helvetica.width(of: "Hello".utf8, size: 10) == 22.78)
        #expect(PDFStandardFont.helveticaBold.width(of: "Hello".utf8, size: 10) == 24.45)   // H e l l o: 722 556 278 278 611
        let fitted = PDFTableLayout.fitted(Array("abcdefghij".utf8), font: .helvetica, size: 10, width: 30)
        #expect(String(decoding: fitted, as: UTF8.self) == "abc...")
        #expect(PDFTableLayout.fitted(Array("abc".utf8), font: .helvetica, size: 10, width: 5).isEmpty)
        let widths = PDFTableLayout.columnWidths(headings: [Array("ID".utf8), Array("Text".utf8)],
                                                 rows: [[Array("1".utf8), Array(String(repeating: "w", count: 500).utf8)]])
        #expect(abs(widths.reduce(0, +) - PDFTableLayout.tableWidth) < 0.001)
        #expect(widths[0] < 30)     // the narrow column keeps its natural width
    }

    @Test(.enabled(if: popplerInstalled, popplerMissing)) func pdf_emptyTableIsValid() throws {
        let table = ExportTable(title: "No links", columns: Self.pdfColumns, rows: [], numericColumns: [3])
        let file = try Self.temporaryFile(PDFWriter.document(table, subtitle: "Nothing matched"), suffix: "pdf")
        defer { try? FileManager.default.removeItem(at: file) }
        let info = try Self.run(Self.poppler("pdfinfo"), [file.path])
        #expect(info.status == 0 && info.stderr.isEmpty, "\(info.stderr)")
        #expect(Self.infoField("Pages", info.stdout) == "1")
        let text = try Self.run(Self.poppler("pdftotext"), ["-layout", file.path, "-"])
        #expect(text.stdout.contains("No links") && text.stdout.contains("Nothing matched") && text.stdout.contains("Page 1 of 1"))

        let bare = try Self.temporaryFile(PDFWriter.document(ExportTable(title: "", columns: [], rows: []), subtitle: ""), suffix: "pdf")
        defer { try? FileManager.default.removeItem(at: bare) }
        let bareInfo = try Self.run(Self.poppler("pdfinfo"), [bare.path])
        #expect(bareInfo.status == 0 && bareInfo.stderr.isEmpty, "\(bareInfo.stderr)")
    }
}

// MARK: - Readers

extension ExportWriterTests {
    struct ReadCell: Codable, Equatable {
        var type: String
        var value: String
        var bold: Bool
    }

    struct ReadWorkbook: Codable {
        var testzip: String?
        var names: [String]
        var overrides: [String: String]
        var defaults: [String: String]
        var sheetPath: String
        var sheetName: String
        var title: String?
        var frozenRows: String?
        var dimension: String?
        var referencesMatchRows: Bool
        /// Keyed `"row,column"`, zero-based, worked out by the reader from the `r` attribute.
        var cells: [String: ReadCell]
    }

    /// Reads a workbook the way a consumer would, following the relationships from
    /// `_rels/.rels` to the sheet, with nothing but Python's standard library.
    static let workbookReader = #"""
    import json, posixpath, re, sys, zipfile
    import xml.etree.ElementTree as ET
    M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'
    R = '{http://schemas.openxmlformats.org/officeDocument/2006/relationships}'
    PR = '{http://schemas.openxmlformats.org/package/2006/relationships}'
    CT = '{http://schemas.openxmlformats.org/package/2006/content-types}'
    z = zipfile.ZipFile(sys.argv[1])
    out = {'testzip': z.testzip(), 'names': z.namelist()}
    types = ET.fromstring(z.read('[Content_Types].xml'))
    out['overrides'] = {e.get('PartName'): e.get('ContentType') for e in types.iter(CT + 'Override')}
    out['defaults'] = {e.get('Extension'): e.get('ContentType') for e in types.iter(CT + 'Default')}
    def relationships(part):
        folder, name = posixpath.split(part)
        root = ET.fromstring(z.read(posixpath.join(folder, '_rels', name + '.rels')))
        return {r.get('Id'): (r.get('Type').rsplit('/', 1)[1], posixpath.normpath(posixpath.join(folder, r.get('Target'))))
                for r in root.iter(PR + 'Relationship')}
    package = relationships('')
    workbook_path = next(target for kind, target in package.values() if kind == 'officeDocument')
    core_path = next(target for kind, target in package.values() if kind == 'core-properties')
    title = ET.fromstring(z.read(core_path)).find('{http://purl.org/dc/elements/1.1/}title')
    out['title'] = None if title is None else (title.text or '')
    workbook = ET.fromstring(z.read(workbook_path))
    workbook_rels = relationships(workbook_path)
    sheet = workbook.find(M + 'sheets/' + M + 'sheet')
    out['sheetName'] = sheet.get('name')
    out['sheetPath'] = workbook_rels[sheet.get(R + 'id')][1]
    styles = ET.fromstring(z.read(next(t for k, t in workbook_rels.values() if k == 'styles')))
    fonts = list(styles.find(M + 'fonts'))
    formats = list(styles.find(M + 'cellXfs'))
    def bold(style):
        return fonts[int(formats[int(style)].get('fontId'))].find(M + 'b') is not None
    def index(reference):
        letters, digits = re.fullmatch('([A-Z]+)([0-9]+)', reference).groups()
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        return int(digits) - 1, column - 1
    sheet_xml = ET.fromstring(z.read(out['sheetPath']))
    pane = sheet_xml.find(M + 'sheetViews/' + M + 'sheetView/' + M + 'pane')
    out['frozenRows'] = pane.get('ySplit') if pane is not None and pane.get('state') == 'frozen' else None
    dimension = sheet_xml.find(M + 'dimension')
    out['dimension'] = None if dimension is None else dimension.get('ref')
    cells, consistent = {}, True
    for row in sheet_xml.iter(M + 'row'):
        for c in row.iter(M + 'c'):
            r, col = index(c.get('r'))
            consistent = consistent and r + 1 == int(row.get('r'))
            kind = c.get('t', 'n')
            if kind == 'inlineStr':
                value = ''.join(t.text or '' for t in c.iter(M + 't'))
            else:
                value = c.find(M + 'v').text
                float(value)
            cells['%d,%d' % (r, col)] = {'type': kind, 'value': value, 'bold': bold(c.get('s', '0'))}
    out['cells'] = cells
    out['referencesMatchRows'] = consistent
    print(json.dumps(out))
    """#

    static func readWorkbook(_ bytes: [UInt8]) throws -> ReadWorkbook {
        let file = try temporaryFile(bytes, suffix: "xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try run(try python(), ["-c", workbookReader, file.path])
        try #require(result.status == 0, "python3 could not read the workbook:\n\(result.stderr)")
        return try JSONDecoder().decode(ReadWorkbook.self, from: Data(result.stdout.utf8))
    }

    static func python() throws -> String {
        let path = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        return try #require(path, "python3 not found: it reads the exports back with its standard library")
    }

    /// The path of a poppler-utils program (`.ci/run` installs poppler-utils).
    static func poppler(_ program: String) throws -> String {
        try #require(popplerPath(program), "\(program) not found: install poppler-utils to check the PDF export")
    }

    static func popplerPath(_ program: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/", "/opt/homebrew/bin/"].map { $0 + program }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Tests that read a PDF back are skipped, saying what to install, where poppler is missing.
    static var popplerInstalled: Bool { popplerPath("pdftotext") != nil && popplerPath("pdfinfo") != nil }
    static let popplerMissing: Comment = "pdftotext/pdfinfo not found: install poppler-utils (the Debian package; .ci/run installs it)"

    static func infoField(_ name: String, _ output: String) -> String? {
        output.split(separator: "\n").first { $0.hasPrefix(name + ":") }
            .map { $0.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces) }
    }

    struct Word { var text: String; var xMin: Double; var xMax: Double }

    /// The words of `pdftotext -bbox` output with their horizontal extent.
    static func words(_ html: String) -> [Word] {
        let pattern = #/<word xMin="([0-9.]+)" yMin="[0-9.]+" xMax="([0-9.]+)" yMax="[0-9.]+">([^<]*)</word>/#
        return html.matches(of: pattern).compactMap { match in
            guard let xMin = Double(match.1), let xMax = Double(match.2) else { return nil }
            return Word(text: String(match.3), xMin: xMin, xMax: xMax)
        }
    }

    static func temporaryFile(_ bytes: [UInt8], suffix: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).\(suffix)")
        try Data(bytes).write(to: file)
        return file
    }

    /// Runs a program to completion, keeping its standard output and standard error apart
    /// (standard error goes through a file, so neither pipe can fill up and stall the program).
    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let errorFile = try temporaryFile([], suffix: "stderr")
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let errorHandle = try FileHandle(forWritingTo: errorFile)
        defer { try? errorHandle.close() }
        let process = ChildProcess()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe()
        process.standardOutput = stdout
        process.standardError = errorHandle
        try process.run()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let error = try Data(contentsOf: errorFile)
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: error, as: UTF8.self))
    }
}
