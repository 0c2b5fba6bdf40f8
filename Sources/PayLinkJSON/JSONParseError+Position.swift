extension JSONParseError {
    /// Where `offset` falls in the document, as an editor shows it: the line (from 1) and the
    /// column (from 1, in characters, so a multi-byte character counts once). A file's author
    /// finds `line 12, column 7` at once; a byte offset they would have to count.
    public func position(in document: [UInt8]) -> (line: Int, column: Int) {
        let end = min(max(offset, 0), document.count)
        var line = 1
        var lineStart = 0
        for index in 0..<end where document[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        // UTF-8 continuation bytes (10xxxxxx) do not start a character.
        let column = document[lineStart..<end].count { $0 & 0xC0 != 0x80 } + 1
        return (line, column)
    }
}
