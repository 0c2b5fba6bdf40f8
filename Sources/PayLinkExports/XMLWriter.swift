/// The export as XML: one element per row, one child per column named by its API field name,
/// text escaped by `XMLText` (characters XML 1.0 forbids are left out: no parser would read the
/// document otherwise).
///
/// ```xml
/// <?xml version="1.0" encoding="UTF-8"?>
/// <payment_links title="…" count="2">
///   <payment_link><payment_link_id>…</payment_link_id>…</payment_link>
/// </payment_links>
/// ```
package enum XMLWriter {
    package static func document(_ table: ExportTable, keys: [String], root: String = "payment_links", row: String = "payment_link") -> [UInt8] {
        precondition(keys.count == table.columns.count, "one element name per column")
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<\(root) title=\"\(XMLText.escape(table.title))\" count=\"\(table.rows.count)\">\n"
        for cells in table.rows {
            out += "  <\(row)>"
            for (key, cell) in zip(keys, cells) {
                out += cell.isEmpty ? "<\(key)/>" : "<\(key)>\(XMLText.escape(cell))</\(key)>"
            }
            out += "</\(row)>\n"
        }
        out += "</\(root)>\n"
        return Array(out.utf8)
    }
}
