import PayLinkAPS
import PayLinkCore
import PayLinkJSON

/// Puts a scenario's setup links and faults into a sandbox: used by `run` before the first
/// step, by `serve --scenario` and by `POST /__sandbox/scenarios`.
package enum ScenarioSetupApplier {
    package static func apply(_ setup: ScenarioSetup, to service: SandboxService, variables: inout ScenarioVariables) throws(FieldProblem) {
        try apply(setup, engine: service.engine, faults: service.faults, merchants: service.configuration.merchants, urls: service.urls,
                  variables: &variables)
    }

    package static func apply(_ setup: ScenarioSetup, engine: LinkEngine, faults: FaultRegistry, merchants: [Merchant], urls: LinkURLs,
                      variables: inout ScenarioVariables) throws(FieldProblem) {
        let now = engine.clock.now()
        for (index, link) in setup.links.enumerated() {
            let path = "setup.links[\(index)]"
            let fields: JSONObject
            do {
                guard case .object(let filled) = try variables.substitute(.object(link.fields)) else { continue }
                fields = filled
            } catch {
                throw FieldProblem(path: path, message: "unknown variable ${\(error.name)}")
            }
            let merchant = link.merchantIdentifier ?? merchants[0].identifier
            guard merchants.contains(where: { $0.identifier == merchant }) else {
                throw FieldProblem(path: path + ".merchant_identifier", message: "no merchant \(merchant) is configured")
            }
            func text(_ key: String) -> String? { fields[key]?.stringValue }
            let defaultExpiry = link.state == .expired ? now.adding(seconds: -1) : now.adding(seconds: 86_400)
            let expiry = text("request_expiry_date").flatMap(ISO8601.parseDateTime) ?? defaultExpiry
            if link.state == .expired && expiry > now {
                throw FieldProblem(path: path + ".request_expiry_date", message: "an Expired link needs an expiry before the sandbox's start")
            }
            if link.state != .expired && expiry <= now {
                throw FieldProblem(path: path + ".request_expiry_date", message: "a \(link.state.rawValue) link needs an expiry after the sandbox's start")
            }
            let amount: Int64 = switch fields["amount"] {
            case .number(let literal)?: Int64(literal) ?? 10_000
            case .string(let digits)?: Int64(digits) ?? 10_000
            default: 10_000
            }
            let terms = LinkTerms(
                merchantIdentifier: merchant, merchantReference: text("merchant_reference") ?? "setup-\(index + 1)", amount: amount,
                currency: text("currency") ?? "SAR", language: text("language") ?? "en", customerEmail: text("customer_email") ?? "customer@example.com",
                customerName: text("customer_name"), customerPhone: text("customer_phone"), orderDescription: text("order_description"),
                notificationType: text("notification_type") ?? "NONE", linkCommand: text("link_command") ?? "PURCHASE",
                paymentOption: text("payment_option"), returnURL: text("return_url"), expiry: expiry,
                merchantExtras: Dictionary(uniqueKeysWithValues: APSFields.merchantExtraNames.compactMap { name in text(name).map { (name, $0) } }),
                settlementReference: text("settlement_reference"))
            let view: LinkView
            do { view = try engine.seedLink(terms, requestedID: link.id, state: link.state) } catch {
                throw FieldProblem(path: path, message: error.explanation)
            }
            if let name = link.name {
                variables.set(name, ["payment_link_id": view.link.id, "token": view.link.token, "merchant_reference": view.link.merchantReference,
                                     "payment_link": urls.paymentLink(token: view.link.token)])
            }
        }
        for (index, object) in setup.faults.enumerated() {
            do {
                guard case .object(let filled) = try variables.substitute(.object(object)) else { continue }
                faults.arm(try FaultJSON.fault(filled))
            } catch let error as ScenarioVariables.Unknown {
                throw FieldProblem(path: "setup.faults[\(index)]", message: "unknown variable ${\(error.name)}")
            } catch let error as FieldProblem {
                throw FieldProblem(path: "setup.faults[\(index)].\(error.path)", message: error.message)
            } catch {
                throw FieldProblem(path: "setup.faults[\(index)]", message: "\(error)")
            }
        }
    }
}
