import PayLinkCore

/// `processor_response_code` and `acquirer_response_code`, which `CHECK_STATUS` adds when asked
/// with `return_third_party_response_codes=YES`. APS passes on what the processor and the
/// acquirer answered; their values are not public, so the sandbox gives each payment outcome
/// the ISO 8583 response code an acquirer would send for it, the same for both fields:
///
/// | payment | code |
/// |---|---|
/// | approved (also after capture, refund, void) | `00` approved |
/// | declined, insufficient funds (`029`) | `51` |
/// | declined, card expired (`012`) | `54` |
/// | declined otherwise (`666`, 3-D Secure `030`, wallet OTP `787`, …) | `05` do not honour |
/// | uncertain (`15777`, not confirmed yet) | `91` issuer or switch inoperative |
enum ThirdPartyResponseCodes {
    static func code(for order: Order) -> String {
        switch order.status {
        case .approved: "00"
        case .uncertain: "91"
        case .declined(let code):
            switch code.message {
            case "029": "51"
            case "012": "54"
            default: "05"
            }
        }
    }

    static func fields(for order: Order) -> [(String, String)] {
        let code = code(for: order)
        return [("processor_response_code", code), ("acquirer_response_code", code)]
    }
}
