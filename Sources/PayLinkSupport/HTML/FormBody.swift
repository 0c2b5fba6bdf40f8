import PayLinkHTTP

/// An `application/x-www-form-urlencoded` body as the hosted page's forms send it: each name's
/// first value, percent-decoded, with surrounding spaces trimmed.
package struct FormBody: Sendable {
    private let values: [String: String]

    package init(_ request: HTTPRequest) {
        var values: [String: String] = [:]
        for (name, value) in QueryParameters.parse(String(decoding: request.body, as: UTF8.self)) where values[name] == nil {
            values[name] = value.trimmingCharacters(in: [" ", "\t", "\r", "\n"])
        }
        self.values = values
    }

    /// The value, or "" when the field was not sent.
    package subscript(name: String) -> String { values[name] ?? "" }

    /// The value, or nil when the field was not sent or is empty.
    package func nonEmpty(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }
}

private extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}
