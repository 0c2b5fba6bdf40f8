import PayLinkJSON

/// Earlier results a later step refers to as `${step.field}`: each named step's response
/// fields (and `status`), each named setup link's `payment_link_id`, `token`,
/// `merchant_reference` and `payment_link`, and `${receiver.url}`.
package struct ScenarioVariables: Sendable {
    private var values: [String: [String: String]] = [:]

    package struct Unknown: Error {
        package var name: String
    }

    package mutating func set(_ scope: String, _ fields: [String: String]) {
        values[scope, default: [:]].merge(fields) { _, new in new }
    }

    /// Records a response's top-level scalar fields under the step's name, plus `token`
    /// taken from a `payment_link` URL.
    package mutating func record(step: String, status: Int?, body: [UInt8]) {
        var fields: [String: String] = [:]
        if let status { fields["status"] = String(status) }
        if body.first == UInt8(ascii: "{"), let value = try? JSONParser.parse(body), case .object(let object) = value {
            for (key, value) in object {
                switch value {
                case .string(let text): fields[key] = text
                case .number(let literal): fields[key] = literal
                case .bool(let flag): fields[key] = flag ? "true" : "false"
                default: break
                }
            }
            if let url = fields["payment_link"], let token = url.split(separator: "/").last { fields["token"] = String(token) }
        }
        set(step, fields)
    }

    /// Fills every `${scope.field}` in the strings of a JSON value.
    package func substitute(_ value: JSONValue) throws(Unknown) -> JSONValue {
        switch value {
        case .string(let text): return .string(try substitute(text))
        case .array(let items): return .array(try items.map { (item) throws(Unknown) in try substitute(item) })
        case .object(let object):
            var result = JSONObject()
            for (key, item) in object { result[key] = try substitute(item) }
            return .object(result)
        default: return value
        }
    }

    package func substitute(_ text: String) throws(Unknown) -> String {
        guard text.contains("${") else { return text }
        var result = ""
        var rest = Substring(text)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else { throw Unknown(name: String(rest[start.lowerBound...])) }
            let name = String(rest[start.upperBound..<end])
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = values[parts[0]]?[parts[1]] else { throw Unknown(name: name) }
            result += value
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}

private extension Substring {
    func range(of needle: String) -> Range<Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(needle) { return index..<self.index(index, offsetBy: needle.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
