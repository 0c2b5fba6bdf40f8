import PayLinkCore
import PayLinkJSON

/// A response code with its five digits and its message as the response writes them, made once
/// for the code answered most (a status check's `12000`): joining the digits and looking the
/// message up in the catalog cost more, on every request, than writing them.
///
/// A final class of constants: the shared one is handed out with one retain, where a struct of
/// its four strings was copied out of the static (a retain of each, and a release of each when
/// done, about 200 instructions a status check).
final class APSCodeText: Sendable {
    let code: APSResponseCode
    /// `response_code`.
    let digits: String
    /// `response_message`.
    let message: String
    /// Whether the digits, the message and the status go into the JSON text as they are:
    /// checked here, so the code answered most is not checked again on every request.
    let needsNoEscaping: Bool

    init(_ code: APSResponseCode) {
        self.code = code
        digits = code.code
        message = code.responseMessage
        needsNoEscaping = [digits, message, code.status].allSatisfy { text in
            var text = text
            return text.withUTF8 { JSONObjectStream.needsNoEscaping($0) }
        }
    }

    static let statusCheckSuccess = APSCodeText(CheckPaymentLinkStatusCommand.code)

    static func of(_ code: APSResponseCode) -> APSCodeText {
        code == statusCheckSuccess.code ? statusCheckSuccess : APSCodeText(code)
    }
}
