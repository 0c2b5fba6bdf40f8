/// Catches a `public_url` that names this machine on a port other than the one bound: every
/// `payment_link` would then point at nothing (or at another program). The usual cause is a
/// config written for port 8080 served with `--port 0`.
package enum PublicURLCheck {
    /// One line for standard error, or nil when the URL is fine (or names another machine,
    /// such as a tunnel or a proxy in front of the sandbox, which may well use another port).
    package static func warning(publicURL: String?, boundHost: String, boundPort: Int) -> String? {
        guard let publicURL, let (host, port) = hostAndPort(publicURL), port != boundPort,
              isThisMachine(host, boundHost: boundHost) else { return nil }
        return "warning: public_url \(publicURL) names port \(port) of this machine, but the sandbox listens on port \(boundPort): "
            + "payment_link URLs will not reach it (drop public_url, or pass --public-url with the port)"
    }

    /// The host (without brackets, lowercased) and port of an http(s) URL; the scheme's default port when none is given.
    static func hostAndPort(_ url: String) -> (host: String, port: Int)? {
        let defaultPort: Int
        let rest: Substring
        if url.hasPrefix("http://") { (defaultPort, rest) = (80, url.dropFirst(7)) }
        else if url.hasPrefix("https://") { (defaultPort, rest) = (443, url.dropFirst(8)) }
        else { return nil }
        var authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        let host: Substring, portText: Substring?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            portText = after.hasPrefix(":") ? after.dropFirst() : nil
        } else if let colon = authority.lastIndex(of: ":") {
            (host, portText) = (authority[..<colon], authority[authority.index(after: colon)...])
        } else {
            (host, portText) = (authority, nil)
        }
        guard let portText else { return (host.lowercased(), defaultPort) }
        guard let port = Int(portText) else { return nil }
        return (host.lowercased(), port)
    }

    private static func isThisMachine(_ host: String, boundHost: String) -> Bool {
        let bound = boundHost.lowercased().trimmingBrackets
        return host == "localhost" || host.hasSuffix(".localhost") || host.hasPrefix("127.") || host == "::1" || host == "0.0.0.0"
            || host == "::" || host == bound
    }
}

private extension String {
    var trimmingBrackets: String { hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self }
}
