
/// `Thu, 01 Jan 2026 00:00:00 GMT` (RFC 9110 IMF-fixdate), as Azure storage writes times in
/// headers and error details.
package enum HTTPDate {
    package static func format(_ instant: SandboxInstant) -> String {
        let iso = ISO8601.formatUTC(instant)  // 2026-01-01T00:00:00Z
        let days = instant.secondsSince1970 >= 0 ? instant.secondsSince1970 / 86_400 : (instant.secondsSince1970 - 86_399) / 86_400
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = weekdays[Int(((days + 4) % 7 + 7) % 7)]
        let chars = Array(iso)
        guard chars.count == 20, let month = Int(String(chars[5...6])) else { return iso }
        return "\(weekday), \(String(chars[8...9])) \(months[month - 1]) \(String(chars[0...3])) \(String(chars[11...18])) GMT"
    }
}
