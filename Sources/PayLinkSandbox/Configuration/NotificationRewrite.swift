/// `notifications.rewrite`: where feedback is really posted. A merchant's feedback URL is often
/// its production `https://` address, which an offline sandbox cannot reach (it has no TLS
/// client); a rule maps the start of such URLs to a plain `http://` address on this machine:
/// `{"https://shop.example": "http://127.0.0.1:9000"}` posts feedback for
/// `https://shop.example/aps/notify` to `http://127.0.0.1:9000/aps/notify`. The delivery keeps
/// the original URL; each attempt records where it went.
public struct NotificationRewrite: Sendable, Equatable {
    public struct Rule: Sendable, Equatable {
        /// The start of a feedback URL, compared as text (`https://shop.example`).
        public let prefix: String
        /// What replaces it: an `http://` URL.
        public let replacement: String
    }

    /// Longest prefix first, so a rule for one path wins over the rule for its whole host.
    public let rules: [Rule]

    public static let none = NotificationRewrite(rules: [])

    /// A trailing slash on one side and not the other is made to agree, so
    /// `"https://shop.example/": "http://127.0.0.1:9000"` cannot post to `…:9000aps/notify`.
    public init(rules: [Rule]) {
        self.rules = rules.map { rule in
            var replacement = rule.replacement
            if rule.prefix.hasSuffix("/") && !replacement.hasSuffix("/") { replacement += "/" }
            if !rule.prefix.hasSuffix("/") && replacement.hasSuffix("/") { replacement.removeLast() }
            return Rule(prefix: rule.prefix, replacement: replacement)
        }.sorted { $0.prefix.count != $1.prefix.count ? $0.prefix.count > $1.prefix.count : $0.prefix < $1.prefix }
    }

    public init(_ pairs: [String: String]) {
        self.init(rules: pairs.map { Rule(prefix: $0.key, replacement: $0.value) })
    }

    /// Where feedback for `url` goes: the rewritten URL when a rule covers it, else nil.
    public func rewrite(_ url: String) -> String? {
        guard let rule = rules.first(where: { url.hasPrefix($0.prefix) }) else { return nil }
        return rule.replacement + url.dropFirst(rule.prefix.count)
    }
}
