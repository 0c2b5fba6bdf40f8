import PayLinkJSON
import PayLinkSupport

/// Text as the console shows it: escaped, web addresses made links, JSON indented.
enum ConsoleText {
    /// `text` escaped, line breaks kept (the caller's CSS keeps them), and every `http://` or
    /// `https://` address a link. An address ends at a space, a quote or an angle bracket; a
    /// full stop, comma or closing bracket right after it is the sentence's, not the address's.
    static func linkified(_ text: String) -> String {
        var html = ""
        var rest = Substring(text)
        while let start = firstAddress(in: rest) {
            html += HTML.escape(String(rest[..<start]))
            var end = rest[start...].firstIndex { $0.isWhitespace || "\"'<>".contains($0) } ?? rest.endIndex
            while end > start, ".,;:!?)]".contains(rest[rest.index(before: end)]) { end = rest.index(before: end) }
            let address = HTML.escape(String(rest[start..<end]))
            html += "<a href=\"\(address)\" rel=\"noreferrer\">\(address)</a>"
            rest = rest[end...]
        }
        return html + HTML.escape(String(rest))
    }

    private static func firstAddress(in text: Substring) -> Substring.Index? {
        var search = text.startIndex
        while let range = text[search...].firstRange(of: "http") {
            let after = text[range.upperBound...]
            if after.hasPrefix("://") || after.hasPrefix("s://") { return range.lowerBound }
            search = range.upperBound
        }
        return nil
    }

    /// A JSON value indented two spaces a level, members in their order, for reading.
    static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: "", to: &out)
        return out
    }

    private static func write(_ value: JSONValue, indent: String, to out: inout String) {
        let inner = indent + "  "
        switch value {
        case .object(let object) where !object.members.isEmpty:
            out += "{\n"
            for (index, member) in object.members.enumerated() {
                out += inner + String(decoding: JSONValue.string(member.key).serialized(), as: UTF8.self) + ": "
                write(member.value, indent: inner, to: &out)
                out += index == object.members.count - 1 ? "\n" : ",\n"
            }
            out += indent + "}"
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                write(item, indent: inner, to: &out)
                out += index == items.count - 1 ? "\n" : ",\n"
            }
            out += indent + "]"
        default:
            out += String(decoding: value.serialized(), as: UTF8.self)
        }
    }

    /// `<pre>` of escaped text.
    static func block(_ text: String) -> String { "<pre class=\"code\">\(HTML.escape(text))</pre>" }

    /// A definition list of label and (already escaped) HTML pairs, empty values left out.
    static func fields(_ rows: [(String, String)]) -> String {
        "<dl class=\"fields\">" + rows.filter { !$0.1.isEmpty }.map { "<dt>\(HTML.escape($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
    }

    /// A select of `options` (value, label) with `chosen` selected and "Any" first.
    static func select(_ label: String, _ name: String, _ options: [(String, String)], _ chosen: String?, any: String = "Any") -> String {
        "<label>\(HTML.escape(label))<select name=\"\(name)\"><option value=\"\">\(HTML.escape(any))</option>" + options.map { value, text in
            "<option value=\"\(HTML.escape(value))\"\(value == chosen ? " selected" : "")>\(HTML.escape(text))</option>"
        }.joined() + "</select></label>"
    }

    /// A text input.
    static func input(_ label: String, _ name: String, _ value: String?, type: String = "text", extra: String = "") -> String {
        "<label>\(HTML.escape(label))<input type=\"\(type)\" name=\"\(name)\" value=\"\(HTML.escape(value ?? ""))\"\(extra)></label>"
    }
}
