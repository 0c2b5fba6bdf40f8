/// What each payment option allows: the currencies it takes, the commands it runs and the
/// e-commerce indicators (`eci`) it accepts. nil means no limit.
public struct PaymentOptionRule: Sendable, Equatable {
    public var currencies: Set<String>?
    public var commands: Set<String>?
    public var eci: Set<String>?

    public init(currencies: Set<String>? = nil, commands: Set<String>? = nil, eci: Set<String>? = nil) {
        self.currencies = currencies
        self.commands = commands
        self.eci = eci
    }
}

/// The per-option rules the sandbox enforces wherever a payment option is chosen, and the
/// merchant's own list of options. The documented rules come from public sources:
/// - the old PayFort invoicing parameters: SADAD, NAPS and KNET "for Purchase operations only",
///   MADA and MEEZA "Purchase and ECOMMERCE eci only";
/// - the official WooCommerce plugin's gateways (`class-wc-gateway-aps-{knet,benefit,omannet,
///   stc-pay,tabby,valu}.php`): KNET KWD, BENEFIT BHD, OMANNET OMR, STC Pay SAR, Tabby SAR and
///   AED, valU EGP;
/// - APS's Tamara page: PURCHASE only, SAR and AED.
/// Whether the gateway itself enforces them is not public; `aps.payment_option_rules` overrides them.
public struct PaymentOptionRules: Sendable, Equatable {
    /// Every option the sandbox knows, cards first, then local schemes, wallets and BNPL.
    public static let knownOptions = [
        "VISA", "MASTERCARD", "AMEX", "MADA", "MEEZA", "SADAD", "NAPS", "KNET", "BENEFIT", "OMANNET",
        "STCPAY", "TABBY", "VALU", "TAMARA", "APPLE_PAY", "VISA_CHECKOUT",
    ]
    public static let commands: Set<String> = ["PURCHASE", "AUTHORIZATION"]
    public static let eciValues: Set<String> = ["ECOMMERCE", "MOTO", "RECURRING"]

    private var rules: [String: PaymentOptionRule]

    public init(_ rules: [String: PaymentOptionRule] = [:]) { self.rules = rules }

    /// The rules as documented (see the type's comment and docs/aps.md).
    public static let documented: PaymentOptionRules = {
        let purchase: Set<String> = ["PURCHASE"]
        return PaymentOptionRules([
            "SADAD": PaymentOptionRule(commands: purchase),
            "NAPS": PaymentOptionRule(commands: purchase),
            "KNET": PaymentOptionRule(currencies: ["KWD"], commands: purchase),
            "MADA": PaymentOptionRule(commands: purchase, eci: ["ECOMMERCE"]),
            "MEEZA": PaymentOptionRule(commands: purchase, eci: ["ECOMMERCE"]),
            "BENEFIT": PaymentOptionRule(currencies: ["BHD"]),
            "OMANNET": PaymentOptionRule(currencies: ["OMR"]),
            "STCPAY": PaymentOptionRule(currencies: ["SAR"]),
            "TABBY": PaymentOptionRule(currencies: ["SAR", "AED"]),
            "VALU": PaymentOptionRule(currencies: ["EGP"]),
            "TAMARA": PaymentOptionRule(currencies: ["SAR", "AED"], commands: purchase),
        ])
    }()

    /// The rule of one option (no limits when it has none).
    public subscript(option: String) -> PaymentOptionRule {
        get { rules[option] ?? PaymentOptionRule() }
        set { rules[option] = newValue }
    }

    /// Why `option` cannot pay in `currency` with `command` and `eci` for `merchant`, if it cannot.
    /// Checked in this order: unknown option, the merchant's list, command, eci, currency.
    public func refusal(option: String, currency: String, command: String, eci: String,
                        merchant: Merchant) -> PaymentOptionRefusal? {
        guard Self.knownOptions.contains(option) else { return .unknownOption(option) }
        guard merchant.accepts(paymentOption: option) else { return .notForMerchant(option: option, merchant: merchant.identifier) }
        let rule = self[option]
        if let commands = rule.commands, !commands.contains(command) {
            return .command(option: option, command: command, allowed: commands.sorted())
        }
        if let allowed = rule.eci, !allowed.contains(eci) { return .eci(option: option, eci: eci, allowed: allowed.sorted()) }
        if let currencies = rule.currencies, !currencies.contains(currency) {
            return .currency(option: option, currency: currency, allowed: currencies.sorted())
        }
        return nil
    }
}

/// Why a payment option was refused; each case knows its APS message code.
public enum PaymentOptionRefusal: Error, Sendable, Equatable {
    case unknownOption(String)
    case notForMerchant(option: String, merchant: String)
    case command(option: String, command: String, allowed: [String])
    case eci(option: String, eci: String, allowed: [String])
    case currency(option: String, currency: String, allowed: [String])

    public var apsMessageCode: String {
        switch self {
        case .unknownOption: "080"      // Invalid payment option
        case .notForMerchant: "003"     // Payment option is not available for this merchant's account
        case .command: "049"            // Operation not valid for this payment option
        case .eci: "113"                // Service not applicable for e-commerce indicator
        case .currency: "024"           // Currency not accepted by processor
        }
    }

    public var explanation: String {
        switch self {
        case .unknownOption(let option): "'\(option)' is not a payment option"
        case .notForMerchant(let option, let merchant): "merchant \(merchant) does not accept \(option) (merchants[].payment_options)"
        case .command(let option, let command, let allowed):
            "\(option) does not run \(command); it runs \(allowed.joined(separator: ", ")) only"
        case .eci(let option, let eci, let allowed): "\(option) does not take eci \(eci); it takes \(allowed.joined(separator: ", ")) only"
        case .currency(let option, let currency, let allowed):
            "\(option) does not take \(currency); it takes \(allowed.joined(separator: ", ")) only"
        }
    }
}
