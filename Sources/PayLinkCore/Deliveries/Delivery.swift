import PayLinkJSON

/// A server-to-server notification to a merchant and every attempt to deliver it.
public struct Delivery: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable { case pending, delivered, failed }

    public let id: Int
    public let url: String
    public let format: NotificationFormat
    /// What happened: `PURCHASE`, `AUTHORIZATION`, `CAPTURE`, `REFUND`, `VOID_AUTHORIZATION`.
    public let event: String
    /// The signed parameters, as posted.
    public let payload: JSONObject
    public let merchantIdentifier: String
    public let fortID: String?
    public let paymentLinkID: String?
    public let createdAt: SandboxInstant
    public var attempts: [DeliveryAttempt]
    public var state: State
    /// When the next attempt is due on the sandbox clock; nil once delivered or given up.
    public var nextAttemptAt: SandboxInstant?
    /// Which feedback it is: a payment attempt's immediate result (`direct`) or a later change
    /// (`notification`; PayByLink's callbacks too).
    public let channel: FeedbackChannel

    package init(id: Int, url: String, format: NotificationFormat, event: String, payload: JSONObject, merchantIdentifier: String, fortID: String?, paymentLinkID: String?, createdAt: SandboxInstant, attempts: [DeliveryAttempt], state: State, nextAttemptAt: SandboxInstant?,
                 channel: FeedbackChannel = .notification) {
        self.id = id
        self.url = url
        self.format = format
        self.event = event
        self.payload = payload
        self.merchantIdentifier = merchantIdentifier
        self.fortID = fortID
        self.paymentLinkID = paymentLinkID
        self.createdAt = createdAt
        self.attempts = attempts
        self.state = state
        self.nextAttemptAt = nextAttemptAt
        self.channel = channel
    }
}

/// APS's two feedback channels: Direct Transaction Feedback, "the immediate payments response
/// in all cases", and Notification Feedback, "the transaction final status update whenever
/// received" (an uncertain payment settling, captures, refunds, voids).
public enum FeedbackChannel: String, Sendable, CaseIterable {
    case direct, notification
}

/// One try: the merchant's status code, or why there was none.
public struct DeliveryAttempt: Sendable, Equatable {
    public var at: SandboxInstant
    public var status: Int?
    public var error: String?
    /// Where it was posted when that was not the delivery's `url`: the address a
    /// `notifications.rewrite` rule put in its place.
    public var deliveredTo: String?

    /// "it must also return a 2xx (like 200, 201, etc…) or 302 HTTP status code".
    public var acknowledged: Bool { status.map { (200..<300).contains($0) || $0 == 302 } ?? false }

    package init(at: SandboxInstant, status: Int?, error: String?, deliveredTo: String? = nil) {
        self.at = at
        self.status = status
        self.error = error
        self.deliveredTo = deliveredTo
    }
}

/// How notifications are posted: JSON (what the current APS docs say) or form-encoded (the
/// older default, which many merchant endpoints still read).
public enum NotificationFormat: String, Sendable, CaseIterable {
    case json, form

    package var contentType: String { self == .json ? "application/json" : "application/x-www-form-urlencoded" }

    package func encode(_ payload: JSONObject) -> [UInt8] {
        switch self {
        case .json: return payload.serialized()
        case .form:
            return Array(payload.map { key, value in
                formEscape(key) + "=" + formEscape(value.stringValue ?? String(decoding: value.serialized(), as: UTF8.self))
            }.joined(separator: "&").utf8)
        }
    }

    private func formEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "*"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default:
                let hex = Array("0123456789ABCDEF")
                out.append("%"); out.append(hex[Int(byte >> 4)]); out.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}
