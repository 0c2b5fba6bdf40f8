import PayLinkCore

/// The Merchant Page's own words (the outcome headings) over the hosted page's text.
struct TokenizationText: Sendable {
    let page: PageText
    let saved: String
    let failed: String

    static func forLanguage(_ code: String) -> TokenizationText {
        code == "ar"
            ? TokenizationText(page: .forLanguage("ar"), saved: "تم حفظ البطاقة", failed: "تعذّر حفظ البطاقة")
            : TokenizationText(page: .forLanguage("en"), saved: "Card saved", failed: "The card could not be saved")
    }
}
