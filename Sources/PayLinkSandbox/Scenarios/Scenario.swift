import PayLinkCore
import PayLinkJSON

/// A scenario file (docs/scenarios.md): a setup and steps, checked when loaded so
/// a broken file is reported (file, step, field) before anything runs.
public struct Scenario: Sendable {
    public static let supportedVersion = 1

    /// The file's `name`, else the file name without `.json`.
    public var name: String
    public var description: String
    /// Where it was read from (for messages).
    public var file: String
    package var setup: ScenarioSetup
    package var steps: [ScenarioStep]
}

/// What exists before the first step.
package struct ScenarioSetup: Sendable {
    /// Merchant objects as in the config file; `${receiver.url}` is the runner's notification receiver.
    package var merchants: [JSONValue]?
    package var clock = ClockSettings(start: SandboxInstant(secondsSince1970: 1_767_225_600), mode: .frozen)
    /// Whether the file set the clock (a loaded scenario then moves a running sandbox's clock).
    package var clockGiven = false
    package var seed: UInt64 = 1
    package var links: [SetupLink] = []
    package var faults: [JSONObject] = []
    package var notificationRetries: Int?
    package var notificationRetryIntervalSeconds: Int?
    /// The runner's notification receiver answers 500 to this many posts first.
    package var receiverFailures = 0
}

/// A link that exists at the start, in any state; `name` makes its fields available as
/// `${name.payment_link_id}`, `${name.token}`, `${name.merchant_reference}`.
package struct SetupLink: Sendable {
    package var name: String?
    package var id: String?
    package var merchantIdentifier: String?
    package var state: LinkState
    package var fields: JSONObject
}

/// One step: what kind it is and its JSON, kept as written (with `${…}` placeholders) and
/// interpreted when it runs, after the placeholders are filled in.
package struct ScenarioStep: Sendable {
    package enum Kind: String, Sendable, CaseIterable {
        case aps, paybylink, customer, clock, fault, control, http, parallel
        case paymentPage = "payment_page"
        case expectLink = "expect_link", expectOutbox = "expect_outbox", expectDeliveries = "expect_deliveries"
        case expectReceived = "expect_received"
    }

    package var index: Int
    package var name: String?
    package var kind: Kind
    package var object: JSONObject

    /// `step 3 (pay)` in messages.
    package var label: String { name.map { "step \(index + 1) (\($0))" } ?? "step \(index + 1)" }
}

/// Why a scenario file cannot run: the file, the step (if any) and the field.
public struct ScenarioError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var step: String?
    public var field: String
    public var message: String

    public var description: String {
        var text = file
        if let step { text += ": \(step)" }
        if !field.isEmpty { text += ": \(field)" }
        return text + ": " + message
    }
}
