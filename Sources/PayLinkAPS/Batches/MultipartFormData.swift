import PayLinkSupport
/// A `multipart/form-data` body (RFC 7578) split into its parts: each part's name, file name
/// and bytes. Enough for APS's `UPLOAD_BATCH_FILE`; refuses what it cannot read with a reason.
struct MultipartFormData: Sendable {
    struct Part: Sendable {
        var name: String
        var fileName: String?
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    var parts: [Part]

    func part(_ name: String) -> Part? { parts.first { $0.name == name } }

    /// The boundary of a `multipart/form-data; boundary=…` content type.
    static func boundary(contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingWhitespaceCharacters.lowercased() == "boundary" else { continue }
            var value = pair[1].trimmingWhitespaceCharacters
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty || value.utf8.count > 70 ? nil : value
        }
        return nil
    }

    static func parse(_ body: [UInt8], boundary: String) throws(Failure) -> MultipartFormData {
        let delimiter = Array(("--" + boundary).utf8)
        guard var position = find(delimiter, in: body, from: 0) else { throw Failure(description: "the body has no part delimited by the boundary") }
        var parts: [Part] = []
        while true {
            position += delimiter.count
            // "--" after a delimiter ends the body.
            if body.count >= position + 2, body[position] == UInt8(ascii: "-"), body[position + 1] == UInt8(ascii: "-") { break }
            guard body.count >= position + 2, body[position] == 13, body[position + 1] == 10 else {
                throw Failure(description: "a boundary line is not followed by CRLF")
            }
            position += 2
            guard let headEnd = find([13, 10, 13, 10], in: body, from: position) else { throw Failure(description: "a part has no end of headers") }
            let head = String(decoding: body[position..<headEnd], as: UTF8.self)
            guard let next = find([13, 10] + delimiter, in: body, from: headEnd + 4) else {
                throw Failure(description: "the body ends without a closing boundary")
            }
            let (name, fileName) = try disposition(head)
            parts.append(Part(name: name, fileName: fileName, body: Array(body[(headEnd + 4)..<next])))
            position = next + 2
        }
        return MultipartFormData(parts: parts)
    }

    /// `name` and `filename` from a part's `Content-Disposition: form-data; name="…"; filename="…"`.
    private static func disposition(_ head: String) throws(Failure) -> (String, String?) {
        for line in head.split(separator: "\r\n") {
            let pair = line.split(separator: ":", maxSplits: 1)
            guard pair.count == 2, pair[0].lowercased() == "content-disposition" else { continue }
            var name: String?, fileName: String?
            for parameter in pair[1].split(separator: ";").dropFirst() {
                let field = parameter.split(separator: "=", maxSplits: 1)
                guard field.count == 2 else { continue }
                var value = field[1].trimmingWhitespaceCharacters
                if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                switch field[0].trimmingWhitespaceCharacters.lowercased() {
                case "name": name = value
                case "filename": fileName = value
                default: break
                }
            }
            guard let name else { throw Failure(description: "a part's Content-Disposition has no name") }
            return (name, fileName)
        }
        throw Failure(description: "a part has no Content-Disposition header")
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = start
        let last = haystack.count - needle.count
        while index <= last {
            if haystack[index] == first {
                var match = true
                for offset in 1..<needle.count where haystack[index + offset] != needle[offset] {
                    match = false
                    break
                }
                if match { return index }
            }
            index += 1
        }
        return nil
    }
}

extension Substring {
    var trimmingWhitespaceCharacters: String { String(self).trimmingWhitespace }
}
