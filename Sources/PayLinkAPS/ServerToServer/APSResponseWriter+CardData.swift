import PayLinkCore

extension APSResponseWriter {
    /// Every answer repeats the request, but never a card in clear: `card_number` is echoed
    /// masked (`400555******0001`, as APS's sample answers show it) and `card_security_code`
    /// not at all. Called once the request's signature was checked (the echo is what it covers).
    mutating func redactCardData(_ parameters: APSParameters) {
        if parameters.has("card_number"), let number = parameters.text("card_number") {
            set("card_number", TestCards.masked(String(number.unicodeScalars.filter { $0 != " " && $0 != "-" })))
        }
        if parameters.has("card_security_code") { remove("card_security_code") }
    }
}
