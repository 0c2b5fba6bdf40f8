import PayLinkCore
import Testing

/// The documented per-option rules, the merchant's list, and the codes of each refusal.
struct PaymentOptionRulesTests {
    let rules = PaymentOptionRules.documented
    let merchant = Merchant(identifier: "M", accessCode: "A", requestPhrase: "in", responsePhrase: "out")

    func refusal(_ option: String, _ currency: String = "SAR", _ command: String = "PURCHASE", eci: String = "ECOMMERCE",
                 merchant: Merchant? = nil) -> PaymentOptionRefusal? {
        rules.refusal(option: option, currency: currency, command: command, eci: eci, merchant: merchant ?? self.merchant)
    }

    @Test func cards_takeAnyCurrencyAndBothCommands() {
        for option in ["VISA", "MASTERCARD", "AMEX"] {
            #expect(refusal(option, "USD", "AUTHORIZATION", eci: "MOTO") == nil)
        }
    }

    @Test func sadadNapsAndKnet_purchaseOnly_with049() {
        for option in ["SADAD", "NAPS", "KNET"] {
            #expect(refusal(option, "KWD", "AUTHORIZATION")?.apsMessageCode == "049")
        }
        #expect(refusal("KNET", "KWD") == nil && refusal("SADAD") == nil)
    }

    @Test func madaAndMeeza_purchaseWithEciEcommerceOnly_049And113() {
        for option in ["MADA", "MEEZA"] {
            #expect(refusal(option, "SAR", "AUTHORIZATION")?.apsMessageCode == "049")
            #expect(refusal(option, "SAR", "PURCHASE", eci: "RECURRING")?.apsMessageCode == "113")
            #expect(refusal(option, "SAR", "PURCHASE", eci: "MOTO") == .eci(option: option, eci: "MOTO", allowed: ["ECOMMERCE"]))
            #expect(refusal(option) == nil)
        }
    }

    @Test func currencies_asTheWooCommercePluginHasThem_with024() {
        let allowed = ["KNET": ["KWD"], "BENEFIT": ["BHD"], "OMANNET": ["OMR"], "STCPAY": ["SAR"], "TABBY": ["AED", "SAR"], "VALU": ["EGP"]]
        for (option, currencies) in allowed {
            for currency in currencies { #expect(refusal(option, currency) == nil, "\(option) \(currency)") }
            #expect(refusal(option, "USD") == .currency(option: option, currency: "USD", allowed: currencies))
            #expect(refusal(option, "USD")?.apsMessageCode == "024")
        }
    }

    @Test func aMerchantsPaymentOptions_limitIt_with003_andUnknownOptionsAre080() {
        var limited = merchant
        limited.paymentOptions = ["VISA", "STCPAY"]
        #expect(refusal("VISA", merchant: limited) == nil)
        #expect(refusal("MASTERCARD", merchant: limited)?.apsMessageCode == "003")
        #expect(refusal("BITCOIN")?.apsMessageCode == "080")
        #expect(merchant.paymentOptions == nil && merchant.accepts(paymentOption: "TAMARA"), "by default every option")
    }

    @Test func anOverride_replacesOneLimit_andKeepsTheOthers() {
        var custom = rules
        custom["KNET"].currencies = ["KWD", "USD"]
        #expect(custom.refusal(option: "KNET", currency: "USD", command: "PURCHASE", eci: "ECOMMERCE", merchant: merchant) == nil)
        #expect(custom.refusal(option: "KNET", currency: "USD", command: "AUTHORIZATION", eci: "ECOMMERCE", merchant: merchant)?.apsMessageCode == "049")
        custom["MADA"].commands = nil
        #expect(custom.refusal(option: "MADA", currency: "SAR", command: "AUTHORIZATION", eci: "ECOMMERCE", merchant: merchant) == nil)
    }
}
