import PayLinkCore

/// A request the APS endpoint refuses: the code it answers with and, for people, why.
/// The `response_message` stays the catalog's text (as the real gateway words it); the
/// explanation travels in the `X-Sandbox-Detail` header and the journal.
package struct APSFailure: Error, Sendable {
    package var code: APSResponseCode
    package var detail: String

    package init(status: String = APSStatus.invalidRequest, message: String, detail: String) {
        self.code = APSResponseCode(status: status, message: message)
        self.detail = detail
    }

    package static func missing(_ field: String) -> APSFailure {
        APSFailure(message: "001", detail: "missing parameter \(field)")
    }

    package static func format(_ field: String, _ why: String) -> APSFailure {
        APSFailure(message: "002", detail: "\(field): \(why)")
    }

    package static func length(_ field: String, max: Int) -> APSFailure {
        APSFailure(message: "032", detail: "\(field) is longer than \(max) characters")
    }
}

/// Two-digit statuses the payment-link commands answer with.
///
/// Documented choice (APS does not publish which prefix goes with which failure): problems
/// with the request itself (missing or malformed fields, credentials, signature, unknown
/// command) carry `00` "Invalid Request"; a well-formed request refused by the link's state
/// carries the command's failure status: `49` for PAYMENT_LINK, `11` for
/// CHECK_PAYMENT_LINK_STATUS. UPDATE_PAYMENT_LINK has no documented failure status (79 is
/// undefined), so its refusals carry `00`.
enum APSStatus {
    static let invalidRequest = "00"
}
