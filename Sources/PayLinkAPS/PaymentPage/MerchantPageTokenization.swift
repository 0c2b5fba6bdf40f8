import PayLinkCore
import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport

/// The Merchant Page: `service_command=TOKENIZATION` posted to `/FortAPI/paymentPage` by the
/// merchant's own card form (payfortdoc `merchantpage2.md`; PHP SDK `CCCustomTokenization`).
/// The card fields travel with the signed fields but are left out of the signature; the card is
/// checked as the hosted page checks it, saved as a token of the merchant (nothing is charged,
/// no order is made), and the browser goes back to `return_url` with the token, the masked
/// card and `18000`, signed with the response phrase. A refusal goes back the same way, signed,
/// with status `00` and the problem's message code.
package struct MerchantPageTokenization: Sendable {
    package static let serviceCommand = "TOKENIZATION"
    package let context: APSContext

    /// What is left out of the signature: always the number, expiry and security code; the
    /// docs leave out `card_holder_name` and `remember_me` too, while the PHP SDK signs each of
    /// them when the merchant sets it on the model (and its `custom.html` lets the customer type
    /// the holder name, unsigned). So each of the two may be signed or not: four sets, the
    /// docs' first. An installment plan the customer picked on the form (`issuer_code`,
    /// `plan_code`) may be signed or not too: each set again without them.
    static let signatureExclusions: [[String]] = {
        let always = ["card_security_code", "card_number", "expiry_date"]
        let sets = [always + ["card_holder_name", "remember_me"], always, always + ["card_holder_name"], always + ["remember_me"]]
        return sets + sets.map { $0 + ["issuer_code", "plan_code"] }
    }()

    /// Routes of its own pages (if any), relative to `/FortAPI/`.
    package func add(to router: inout Router) {}

    func answer(_ form: PaymentPageRequest) -> HTTPResponse {
        let text = TokenizationText.forLanguage(form["language"] ?? "en")
        guard let merchant = form.merchant(in: context) else { return unknownMerchant(form, text: text) }
        do {
            let (token, plan) = try tokenize(form, merchant: merchant)
            return ReturnForm.page(success(form, token: token, plan: plan, merchant: merchant), returnURL: returnURL(form, merchant: merchant),
                                   title: text.saved, text: text.page)
        } catch {
            return ReturnForm.page(refusal(form, error.code, merchant: merchant), returnURL: returnURL(form, merchant: merchant),
                                   title: text.failed, text: text.page, detail: error.detail)
        }
    }

    /// Checks the request and the card, then saves the token.
    private func tokenize(_ form: PaymentPageRequest, merchant: Merchant) throws(APSFailure) -> (CardToken, InstallmentOption?) {
        guard let accessCode = form["access_code"] else { throw .missing("access_code") }
        guard accessCode == merchant.accessCode else {
            throw APSFailure(message: "010", detail: "access_code does not match merchant \(merchant.identifier)")
        }
        guard form["signature"] != nil else { throw .missing("signature") }
        if let failed = form.signatureFailure(merchant: merchant, context: context, exclusions: Self.signatureExclusions) {
            let verification = failed.verification
            throw APSFailure(message: "008", detail: "signature mismatch: expected \(verification.expectedSignature) (\(merchant.shaType.rawValue)) over \(verification.redactedCanonicalString), with the card fields left out")
        }
        try TokenizationRequestCheck.fields(form, merchant: merchant)
        let installments = try Self.installmentRequest(form, merchant: merchant)
        let now = context.engine.now(for: merchant.identifier)
        let card = try TokenizationRequestCheck.card(form, at: now)
        let plan = try installments.flatMap { request throws(APSFailure) in try installmentPlan(request, card: card, merchant: merchant) }
        return (try save(card, chosenName: form["token_name"], merchant: merchant, at: now), plan)
    }

    /// The merchant's own `token_name` when it sent one (taken: `00114`), else a drawn one.
    private func save(_ card: CardEntry.Checked, chosenName: String?, merchant: Merchant, at now: SandboxInstant) throws(APSFailure) -> CardToken {
        if let chosenName {
            let token = CardToken(saving: card, name: chosenName, merchantIdentifier: merchant.identifier, at: now)
            do { try context.tokens.add(token) } catch {
                throw ServerToServerCodes.failure(ServerToServerCodes.tokenNameTaken, "token_name \(chosenName) is already a token's name")
            }
            return token
        }
        // 128 random bits: a clash is next to impossible, but a drawn name never fails the request.
        while true {
            let token = CardToken(saving: card, name: context.engine.drawTokenName(), merchantIdentifier: merchant.identifier, at: now)
            do { try context.tokens.add(token); return token } catch { continue }
        }
    }

    /// The documented response: the request's own fields (card fields masked or left out),
    /// the token and the card, then the outcome; signed with the response phrase.
    private func success(_ form: PaymentPageRequest, token: CardToken, plan: InstallmentOption?, merchant: Merchant) -> JSONObject {
        let code = TokenCodes.tokenized
        var candidates: [(String, String?)] = [
            ("service_command", Self.serviceCommand), ("access_code", merchant.accessCode),
            ("merchant_identifier", merchant.identifier), ("merchant_reference", form["merchant_reference"]),
            ("language", form["language"]), ("token_name", token.name), ("card_number", token.maskedCardNumber),
            ("card_bin", token.cardBin), ("expiry_date", token.expiryDate), ("card_holder_name", token.cardHolderName),
            ("remember_me", form["remember_me"]), ("return_url", form["return_url"]),
            ("number_of_installments", plan.map { String($0.plan.numberOfInstallments) }),
            ("plan_code", plan?.plan.code), ("issuer_code", plan?.issuer.code),
            ("response_code", code.code), ("response_message", code.responseMessage), ("status", code.status),
        ]
        candidates += echoed(form, except: Set(candidates.map(\.0)))
        return signed(candidates, merchant: merchant)
    }

    /// Every field sent (the card's number and security code left out), then the failure.
    private func refusal(_ form: PaymentPageRequest, _ code: APSResponseCode, merchant: Merchant) -> JSONObject {
        let outcome = [("response_code", code.code), ("response_message", code.responseMessage), ("status", code.status)]
        return signed(echoed(form, except: Set(outcome.map(\.0))) + outcome.map { ($0.0, Optional($0.1)) }, merchant: merchant)
    }

    /// The sent fields to echo, in the order sent: never `signature`, the clear card number or
    /// the security code.
    private func echoed(_ form: PaymentPageRequest, except named: Set<String>) -> [(String, String?)] {
        form.parameters.members.compactMap { member in
            guard !named.contains(member.key), member.key != "signature", member.key != "card_number",
                  member.key != "card_security_code" else { return nil }
            return (member.key, member.value.stringValue)
        }
    }

    private func signed(_ candidates: [(String, String?)], merchant: Merchant) -> JSONObject {
        var object = JSONObject(candidates.compactMap { name, value in
            guard let value, !value.isEmpty else { return nil }
            return JSONObject.Member(key: name, value: .string(value))
        })
        object["signature"] = .string(merchant.signer.sign(object, phrase: merchant.responsePhrase))
        return object
    }

    /// `return_url` when it is a usable URL, else the merchant's configured redirect URL; nil
    /// shows the parameters on the page.
    private func returnURL(_ form: PaymentPageRequest, merchant: Merchant) -> String? {
        if let sent = form["return_url"], (try? APSValues.returnURL(sent)) != nil { return sent }
        return merchant.redirectURL
    }

    /// No merchant to sign for: the parameters are shown, unsigned, and go nowhere.
    private func unknownMerchant(_ form: PaymentPageRequest, text: TokenizationText) -> HTTPResponse {
        let failure: APSFailure = form["merchant_identifier"].map { APSFailure(message: "009", detail: "no merchant \($0) is configured") }
            ?? .missing("merchant_identifier")
        let outcome = [("response_code", failure.code.code), ("response_message", failure.code.responseMessage), ("status", failure.code.status)]
        let object = JSONObject((echoed(form, except: []) + outcome.map { ($0.0, Optional($0.1)) }).compactMap { name, value in
            value.flatMap { $0.isEmpty ? nil : JSONObject.Member(key: name, value: .string($0)) }
        })
        return ReturnForm.page(object, returnURL: nil, title: text.failed, text: text.page, status: 400, detail: failure.detail)
    }

    package init(context: APSContext) { self.context = context }
}
