import PayLinkCore
import PayLinkJSON

/// The card of a control-API payment: only the number is required (expiry, security code
/// and holder name default to a valid card's), but whatever is given is checked as the hosted
/// page checks it, so a script meets the same refusals as a browser.
enum ControlCard {
    struct Problem: Error {
        var field: String
        var apsMessage: String
        var explanation: String
    }

    /// The page's own check (`CardEntry`), with what the body leaves out filled in as a valid
    /// card's, and each problem mapped to the APS message code a script expects.
    static func check(_ body: JSONObject, number: String, at now: SandboxInstant) throws(Problem) -> CardEntry.Checked {
        let holder = body["card_holder_name"]?.stringValue
        let entry = CardEntry(number: number, expiryDate: body["expiry_date"]?.stringValue ?? "3005",
                              securityCode: body["card_security_code"]?.stringValue
                                  ?? String(repeating: "1", count: CardBrand.of(number)?.securityCodeLength ?? 3),
                              holderName: holder ?? "Card Holder")
        do {
            var checked = try entry.check(option: nil, at: now)
            checked.details.cardHolderName = holder
            return checked
        } catch {
            let problem = error.problems[0]
            switch (problem.field, problem.kind) {
            case ("expiry_date", .expired):
                throw Problem(field: problem.field, apsMessage: "012", explanation: "the card expired before the sandbox's current month")
            case ("expiry_date", _):
                throw Problem(field: problem.field, apsMessage: "100", explanation: "expiry_date must be YYMM with a month 01 to 12")
            case ("card_security_code", _):
                throw Problem(field: problem.field, apsMessage: "002",
                                        explanation: "card_security_code must be 4 digits on Amex and 3 on other cards")
            case ("card_holder_name", _):
                throw Problem(field: problem.field, apsMessage: "002", explanation: "card_holder_name must not be blank")
            default:
                throw Problem(field: "card_number", apsMessage: "016",
                                        explanation: "card_number must be a Visa, Mastercard, Amex, mada or Meeza number of the right length passing the Luhn check")
            }
        }
    }
}
