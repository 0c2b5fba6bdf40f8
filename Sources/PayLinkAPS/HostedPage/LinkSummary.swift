import PayLinkCore
import PayLinkSupport

/// The invoice details every link page shows at the top (`PageSummary` of the link).
enum LinkSummary {
    static func html(_ link: PaymentLink, text: PageText) -> String {
        PageSummary(link: link).html(text: text)
    }

    /// `2026-01-01 12:30 UTC`: the sandbox clock's time, to the minute.
    static func humanTime(_ instant: SandboxInstant) -> String {
        let iso = ISO8601.formatUTC(instant)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5)) + " UTC"
    }
}
