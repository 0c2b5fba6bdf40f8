import PayLinkCore
import PayLinkJSON
import PayLinkHTTP

/// A fault to inject: what goes wrong, which requests or notifications it hits,
/// and how often. Armed from a scenario or with `POST /__sandbox/faults`.
package struct Fault: Sendable, Equatable {
    package enum Action: Sendable, Equatable {
        /// The request is processed; the response leaves after this many milliseconds.
        case delay(milliseconds: Int)
        /// Not processed: this HTTP status and body instead.
        case httpStatus(Int, body: String)
        /// The connection closes without a response, before (not processed) or after
        /// (processed: "did it go through?") the sandbox handles the request.
        case dropConnection(afterProcessing: Bool)
        /// Processed; the response announces its full length but stops halfway and the connection closes.
        case truncatedBody
        /// Processed; the response body is not valid JSON.
        case malformedJSON
        /// Processed; the response's `signature` does not verify.
        case wrongSignature
        /// Not processed: a signed APS response with this `response_code` (e.g. `00006`).
        case responseCode(String)
        /// Processed; the response is sent `bytes` at a time, `intervalMilliseconds` apart.
        case slowDrip(bytes: Int, intervalMilliseconds: Int)
        /// A notification attempt fails without reaching the merchant.
        case failNotification
        /// A notification is delivered twice.
        case duplicateNotification
        /// A notification waits this many sandbox seconds before its first attempt.
        case delayNotification(seconds: Int)
        /// A notification is held back until the merchant's next one has been sent.
        case reorderNotification

        package var affectsNotifications: Bool {
            switch self {
            case .failNotification, .duplicateNotification, .delayNotification, .reorderNotification: true
            default: false
            }
        }

        /// A forced APS code and a wrong APS signature only mean something in an APS answer:
        /// they pass other traffic by (and are not used up by it).
        package var isAPSOnly: Bool {
            switch self {
            case .responseCode, .wrongSignature: true
            default: false
            }
        }
    }

    /// Which traffic a fault hits; every field given must match.
    package struct Match: Sendable, Equatable {
        /// `aps`, `paybylink`, `hosted_page` (or, for notification faults, ignored).
        package var dialect: String?
        /// The APS command (`service_command`, `query_command` or `command`), or a notification's event.
        package var command: String?
        /// A path prefix.
        package var path: String?
        package var paymentLinkID: String?
        package var merchantReference: String?
        package var merchantIdentifier: String?
        /// The HTTP method, uppercase: `POST` aims at the hosted page's payment, not the GET that shows it.
        package var method: String?
        /// The `response_code` the answer (or the notification) carries: such a fault is decided
        /// once the request has been processed, so it can only act on a processed request.
        package var responseCode: String?

        package init(dialect: String? = nil, command: String? = nil, path: String? = nil, paymentLinkID: String? = nil,
                    merchantReference: String? = nil, merchantIdentifier: String? = nil, method: String? = nil, responseCode: String? = nil) {
            self.dialect = dialect
            self.command = command
            self.path = path
            self.paymentLinkID = paymentLinkID
            self.merchantReference = merchantReference
            self.merchantIdentifier = merchantIdentifier
            self.method = method
            self.responseCode = responseCode
        }

        package func accepts(_ target: FaultTarget) -> Bool {
            if let dialect, dialect != target.dialect { return false }
            if let method, method != target.method { return false }
            if let responseCode, responseCode != target.responseCode { return false }
            if let command, command != target.command { return false }
            if let path, !target.path.hasPrefix(path) { return false }
            if let paymentLinkID, paymentLinkID != target.paymentLinkID { return false }
            if let merchantReference, merchantReference != target.merchantReference { return false }
            if let merchantIdentifier, merchantIdentifier != target.merchantIdentifier { return false }
            return true
        }
    }

    package var action: Action
    package var match: Match
    /// How many matches it hits before it disarms itself; nil: every match (until disarmed).
    package var times: Int?
    /// Each match is hit with this probability, drawn from a generator seeded with `seed`, so
    /// a run repeats exactly.
    package var probability: Double?
    package var seed: UInt64

    package init(action: Action, match: Match = Match(), times: Int? = 1, probability: Double? = nil, seed: UInt64 = 1) {
        self.action = action
        self.match = match
        self.times = times
        self.probability = probability
        self.seed = seed
    }
}

/// What a fault is matched against: one request or one notification.
package struct FaultTarget: Sendable {
    package var dialect: String
    package var path: String
    package var command: String?
    package var paymentLinkID: String?
    package var merchantReference: String?
    package var merchantIdentifier: String?
    /// The request's method (a notification is a `POST`).
    package var method: String?
    /// The answer's `response_code`, once known (a notification's is in its payload).
    package var responseCode: String?
}
