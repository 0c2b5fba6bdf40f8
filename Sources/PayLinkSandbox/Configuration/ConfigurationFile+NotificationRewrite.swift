import PayLinkJSON
import PayLinkSupport

extension ConfigurationFile {
    /// `notifications.rewrite`: an object from the start of a feedback URL (`http://` or
    /// `https://`) to the plain `http://` URL that replaces it (see `NotificationRewrite`).
    static func notificationRewrite(_ reader: JSONReader) throws(ConfigurationError) -> NotificationRewrite {
        var rules: [NotificationRewrite.Rule] = []
        for member in reader.object.members {
            let key = "\(reader.path)[\"\(member.key)\"]"
            guard !rules.contains(where: { $0.prefix == member.key }) else { throw ConfigurationError(key: key, "appears twice") }
            guard member.key.hasPrefix("http://") || member.key.hasPrefix("https://"),
                  member.key.split(separator: "/", omittingEmptySubsequences: true).count >= 2 else {
                throw ConfigurationError(key: key, "the start of a feedback URL must name its scheme and host, e.g. https://shop.example")
            }
            guard let replacement = member.value.stringValue else {
                throw ConfigurationError(key: key, "expected an http:// URL as text, e.g. \"http://127.0.0.1:9000\"")
            }
            do { _ = try HTTPClient.parse(replacement) } catch {
                throw ConfigurationError(key: key, "\"\(replacement)\" cannot be posted to (\(error)); give an http:// URL, e.g. \"http://127.0.0.1:9000\"")
            }
            rules.append(.init(prefix: member.key, replacement: replacement))
        }
        return NotificationRewrite(rules: rules)
    }
}
