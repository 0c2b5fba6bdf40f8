import PayLinkCore

/// A response code with its five digits and its message as the response writes them, made once
/// for the code answered most (a status check's `12000`): joining the digits and looking the
/// message up in the catalog cost more, on every request, than writing them.
struct APSCodeText: Sendable {
    let code: APSResponseCode
    /// `response_code`.
    let digits: String
    /// `response_message`.
    let message: String

    init(_ code: APSResponseCode) {
        self.code = code
        digits = code.code
        message = code.responseMessage
    }

    static let statusCheckSuccess = APSCodeText(CheckPaymentLinkStatusCommand.code)

    static func of(_ code: APSResponseCode) -> APSCodeText {
        code == statusCheckSuccess.code ? statusCheckSuccess : APSCodeText(code)
    }
}
