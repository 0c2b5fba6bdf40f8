import PayLinkCore
import PayLinkJSON

/// A PURCHASE or AUTHORIZATION sent server to server to paymentApi (docs/aps-server-to-server.md).
///
/// The card is a saved one (`token_name`) or, on the trusted channel, the card's own data; the
/// `eci` says who is paying: `ECOMMERCE` (the customer, online: a 3-D Secure card is
/// challenged through `3ds_url`), `RECURRING` (a later charge of a saved card: PURCHASE only,
/// no security code, never challenged) or `MOTO` (mail or telephone order: never challenged).
/// The test card decides the outcome as on the hosted page, and every outcome but a pending
/// challenge is an order at once (its Direct Transaction Feedback follows from the engine).
enum ServerToServerPayment {
    enum Eci: String, CaseIterable {
        case ecommerce = "ECOMMERCE", recurring = "RECURRING", moto = "MOTO"
    }

    /// The fields this request reads; a nested value in one is refused (002).
    static let fieldNames = [
        "merchant_reference", "amount", "currency", "language", "customer_email", "token_name", "eci", "customer_ip",
        "card_number", "expiry_date", "card_security_code", "card_holder_name", "remember_me", "return_url",
        "payment_option", "order_description", "customer_name", "phone_number", "settlement_reference",
        "installments", "plan_code", "issuer_code",
    ] + APSFields.merchantExtraNames

    /// Request fields that never go into the order (nor its feedback): the card in clear.
    static let cardSecrets: Set<String> = ["card_number", "card_security_code", "signature"]

    static func run(_ command: TransactionCommand, _ parameters: APSParameters, merchant: Merchant,
                    context: APSContext) throws(APSFailure) -> APSCommandResult {
        try parameters.requireScalar(fieldNames)
        let reference = try parameters.required("merchant_reference")
        try APSFields.merchantReference.check(reference)
        let amount = try APSValues.amount(parameters.required("amount"))
        let currency = try APSValues.currency(parameters.required("currency"), merchant: merchant).code
        let language = try APSValues.language(parameters.required("language"))
        try APSValues.email(parameters.required("customer_email"))
        try checkOptionalFields(parameters)
        let eci = try readEci(parameters)
        if eci == .recurring && command == .authorization {
            throw ServerToServerCodes.failure(ServerToServerCodes.eciNotApplicable, "eci RECURRING is for PURCHASE only (recurring charges are single-message)")
        }
        let installments = try ServerToServerInstallments.read(parameters, command: command)
        // Card data is the trusted channel; the security code alone may come with a token.
        let sendsCard = parameters.isPresent("card_number") || parameters.isPresent("expiry_date")
        if sendsCard && !merchant.trustedChannel {
            throw ServerToServerCodes.failure(ServerToServerCodes.notTrustedChannel,
                                              "merchant \(merchant.identifier) may not send card data server to server (merchants[].trusted_channel is not true)")
        }
        let customerIP = parameters.text("customer_ip")
        if eci == .ecommerce && !sendsCard && customerIP == nil { throw .missing("customer_ip") }
        guard !context.engine.hasReference(merchant: merchant.identifier, reference: reference) else {
            throw ServerToServerCodes.failure(ServerToServerCodes.duplicateReference, "merchant_reference \(reference) is already used by a link or an order of \(merchant.identifier)")
        }
        let now = context.engine.now(for: merchant.identifier)

        var details: PaymentDetails
        let outcome: TestCards.Outcome
        let cardNumber: String
        var cardToSave: CardToken?
        if sendsCard {
            let card = try checkCard(parameters, eci: eci, now: now)
            details = card.details
            outcome = TestCards.outcome(for: card.number)
            cardNumber = card.number
            if parameters.text("remember_me") == "YES" { cardToSave = try tokenToSave(card, parameters, merchant: merchant, context: context, now: now) }
        } else {
            let token = try savedCard(parameters, merchant: merchant, context: context)
            // A code sent with a token is checked (ECOMMERCE, MOTO); RECURRING has none to check.
            if eci != .recurring, let code = parameters.text("card_security_code") { try checkSecurityCode(code, brand: token.brand) }
            details = token.paymentDetails
            outcome = token.outcome
            cardNumber = token.maskedCardNumber
        }
        details.customerIP = customerIP
        let plan = try installments.map { request throws(APSFailure) in
            try ServerToServerInstallments.choose(request, cardNumber: cardNumber, amount: amount, currency: currency,
                                                  merchant: merchant, context: context)
        }

        var requestFields: [String: String] = [:]
        for member in parameters.object.members where !cardSecrets.contains(member.key) {
            if let value = parameters.text(member.key) { requestFields[member.key] = value }
        }
        requestFields["eci"] = eci.rawValue
        if let plan { requestFields.merge(plan.requestFields) { _, chosen in chosen } }
        var terms = CheckoutTerms(merchantIdentifier: merchant.identifier, merchantReference: reference, command: command,
                                  currency: currency, amount: amount, requestFields: requestFields)
        var fields = cardFields(details, eci: eci)
        if let plan { fields.append(("number_of_installments", String(plan.plan.numberOfInstallments))) }

        let status: OrderStatus
        switch outcome {
        case .challenge where eci == .ecommerce:
            // A card to remember waits with the challenge: saved only if the customer passes it.
            let fortID = context.engine.reserveFortID()
            context.challenges.add(.init(fortID: fortID, terms: terms, details: details,
                                         returnURL: parameters.text("return_url") ?? merchant.redirectURL, language: language,
                                         cardToSave: cardToSave))
            fields = [("fort_id", fortID), ("3ds_url", ThreeDSecureChallengePage.url(base: context.links.baseURL, fortID: fortID))] + fields
            return APSCommandResult(code: ServerToServerCodes.threeDSecureRequested, fields: fields)
        case .approved, .challenge:
            // MOTO and RECURRING are not authenticated by the customer: a 3-D Secure card is charged as it is.
            status = .approved
        case .declined(let message):
            status = .declined(APSResponseCode(status: command.failureStatus, message: message))
        case .uncertain(let approves):
            status = .uncertain(resolvesAt: now.adding(seconds: TestCards.uncertainResolutionSeconds), approves: approves)
        }
        // `remember_me=YES` saves the card only when the payment is approved, as the hosted
        // checkout does: a declined card is not kept, and an uncertain payment saves none (its
        // token would tell the outcome before the payment settles).
        if let token = cardToSave, case .approved = status {
            terms.requestFields["token_name"] = try save(token, context: context)
            fields.append(("token_name", token.name))
        }
        let order = try record(terms, details: details, status: status, context: context)
        fields = [("fort_id", order.fortID), ("authorization_code", order.authorizationCode)] + fields
        return APSCommandResult(code: order.status.code(for: command), fields: fields)
    }

    /// Makes the order (its feedback follows from the engine's event).
    static func record(_ terms: CheckoutTerms, details: PaymentDetails, status: OrderStatus, fortID: String? = nil,
                       context: APSContext) throws(APSFailure) -> Order {
        do {
            return try context.engine.checkoutPayment(terms, details: details, status: status, fortID: fortID)
        } catch .duplicateReference {
            throw ServerToServerCodes.failure(ServerToServerCodes.duplicateReference, "merchant_reference \(terms.merchantReference) was used meanwhile")
        } catch {
            throw APSFailure(message: "006", detail: "fort_id \(fortID ?? "") was taken meanwhile")
        }
    }

    /// What the answer says of the card: masked number, expiry, holder, scheme, eci.
    private static func cardFields(_ details: PaymentDetails, eci: Eci) -> [(String, String)] {
        [
            ("payment_option", details.paymentOption ?? ""), ("eci", eci.rawValue),
            ("card_number", details.maskedCardNumber ?? ""), ("expiry_date", details.expiryDate ?? ""),
            ("card_holder_name", details.cardHolderName ?? ""),
        ]
    }

    private static func readEci(_ parameters: APSParameters) throws(APSFailure) -> Eci {
        guard let text = parameters.text("eci") else { return .ecommerce }
        guard let eci = Eci(rawValue: text) else { throw .format("eci", "must be ECOMMERCE, RECURRING or MOTO") }
        return eci
    }

    private static func checkOptionalFields(_ parameters: APSParameters) throws(APSFailure) {
        if let option = parameters.text("payment_option") { try APSFields.paymentOption.check(option) }
        if let description = parameters.text("order_description") { try APSFields.orderDescription.check(description) }
        if let name = parameters.text("customer_name") { try APSFields.customerName.check(name) }
        if let url = parameters.text("return_url") { try APSValues.returnURL(url) }
        if let name = parameters.text("token_name") { try ServerToServerFields.tokenName.check(name) }
        if let reference = parameters.text("settlement_reference") { try APSFields.settlementReference.check(reference) }
        if let phone = parameters.text("phone_number") { try ServerToServerFields.phoneNumber.check(phone) }
        if let ip = parameters.text("customer_ip"), !CustomerIP.isValid(ip) {
            throw .format("customer_ip", "must be an IPv4 or IPv6 address")
        }
        if let remember = parameters.text("remember_me"), remember != "YES" && remember != "NO" {
            throw .format("remember_me", "must be YES or NO")
        }
        for rule in APSFields.merchantExtras {
            if let extra = parameters.text(rule.name) { try rule.check(extra) }
        }
    }

    /// The merchant's active token: unknown (or another merchant's) 044, inactive 043.
    private static func savedCard(_ parameters: APSParameters, merchant: Merchant, context: APSContext) throws(APSFailure) -> CardToken {
        guard let name = parameters.text("token_name") else { throw .missing("token_name") }
        guard let token = context.tokens.token(named: name, merchant: merchant.identifier) else {
            throw ServerToServerCodes.failure(ServerToServerCodes.unknownToken, "merchant \(merchant.identifier) has no token \(name)")
        }
        guard token.status == .active else {
            throw ServerToServerCodes.failure(ServerToServerCodes.inactiveToken, "token \(name) is INACTIVE (UPDATE_TOKEN token_status=ACTIVE makes it usable again)")
        }
        return token
    }

    /// The card sent on the trusted channel, checked as the hosted page checks a card. The
    /// security code is required only for ECOMMERCE; RECURRING ignores one.
    private static func checkCard(_ parameters: APSParameters, eci: Eci, now: SandboxInstant) throws(APSFailure) -> CardEntry.Checked {
        var option: CardBrand?
        if let text = parameters.text("payment_option") {
            guard let brand = CardBrand(rawValue: text) else {
                throw .format("payment_option", "card data can only be paid as VISA, MASTERCARD, AMEX, MADA or MEEZA")
            }
            option = brand
        }
        let code = eci == .recurring ? nil : parameters.text("card_security_code")
        let entry = CardEntry(number: parameters.text("card_number") ?? "", expiryDate: parameters.text("expiry_date") ?? "",
                              securityCode: code ?? "", holderName: parameters.text("card_holder_name") ?? "")
        do {
            return try entry.check(option: option, at: now)
        } catch {
            let problems = error.problems.filter { problem in
                // Without a code to check (MOTO, RECURRING), its absence is no problem.
                !(problem.field == "card_security_code" && (eci == .recurring || (eci == .moto && code == nil)))
            }
            if let first = problems.first { throw ServerToServerCodes.failure(first) }
            // Only the code was missing: check again with a stand-in of the right length, never stored.
            let brand = CardBrand.of(String(entry.number.unicodeScalars.filter { $0 != " " && $0 != "-" }))
            var again = entry
            again.securityCode = String(repeating: "0", count: brand?.securityCodeLength ?? 3)
            do { return try again.check(option: option, at: now) } catch {
                throw error.problems.first.map(ServerToServerCodes.failure) ?? ServerToServerCodes.failure(field: "card_number", .invalidNumber)
            }
        }
    }

    /// A security code sent with a token (eci ECOMMERCE or MOTO): digits, 4 for AMEX and 3 for others.
    private static func checkSecurityCode(_ code: String, brand: String) throws(APSFailure) {
        let length = CardBrand(rawValue: brand)?.securityCodeLength ?? 3
        guard code.utf8.count == length, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ServerToServerCodes.failure(field: "card_security_code", .invalidSecurityCode)
        }
    }

    /// `remember_me=YES` on the trusted channel: the token the card becomes if the payment is
    /// approved, named `token_name` when sent (another token's name: 114, before anything is
    /// charged), else a new name.
    private static func tokenToSave(_ card: CardEntry.Checked, _ parameters: APSParameters, merchant: Merchant, context: APSContext,
                                    now: SandboxInstant) throws(APSFailure) -> CardToken {
        let name = parameters.text("token_name") ?? context.engine.drawTokenName()
        if context.tokens.isTaken(name) { throw nameTaken(name) }
        return CardToken(saving: card, name: name, merchantIdentifier: merchant.identifier, at: now)
    }

    /// Saves the card of an approved payment; its name, for the order's request fields.
    static func save(_ token: CardToken, context: APSContext) throws(APSFailure) -> String {
        do { try context.tokens.add(token) } catch { throw nameTaken(token.name) }
        return token.name
    }

    private static func nameTaken(_ name: String) -> APSFailure {
        ServerToServerCodes.failure(ServerToServerCodes.tokenNameTaken, "token_name \(name) is another token's")
    }
}
