import PayLinkHTTP

/// The paying browser's address, APS's `customer_ip` ("We support IPv4 and IPv6").
package enum CustomerIP {
    /// What the sandbox reports when it cannot see a browser: a request that did not come over
    /// a socket, and the control API's `/pay` without `customer_ip`.
    package static let fallback = "127.0.0.1"

    /// The address of the connection the request came on. A proxy's `X-Forwarded-For` is not
    /// read: the sandbox runs on the developer's machine, where the peer is the browser.
    package static func of(_ request: HTTPRequest) -> String {
        request.peerAddress.flatMap { $0.isEmpty ? nil : $0 } ?? fallback
    }

    /// Whether `text` is an IPv4 address in dotted decimal or an IPv6 address in its text forms
    /// (`::` shortening and a trailing IPv4 part included), within the field's 45 characters.
    package static func isValid(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 45 else { return false }
        return text.contains(":") ? isIPv6(Substring(text)) : isIPv4(Substring(text))
    }

    private static func isIPv4(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in
            (1...3).contains(part.count) && part.allSatisfy { $0.isASCII && $0.isNumber } && Int(part)! <= 255
                && (part.count == 1 || part.first != "0")
        }
    }

    private static func isIPv6(_ text: Substring) -> Bool {
        let halves = text.split(separator: "::", omittingEmptySubsequences: false)
        guard halves.count <= 2 else { return false }
        var groups = 0
        for (index, half) in halves.enumerated() where !half.isEmpty {
            let parts = half.split(separator: ":", omittingEmptySubsequences: false)
            for (position, part) in parts.enumerated() {
                // An IPv4 tail counts as two groups, and only at the very end.
                if position == parts.count - 1, index == halves.count - 1, part.contains(".") {
                    guard isIPv4(part) else { return false }
                    groups += 2
                    continue
                }
                guard (1...4).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return false }
                groups += 1
            }
        }
        return halves.count == 2 ? groups <= 7 : groups == 8
    }
}
