import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// Merchants at run time: `GET|POST /__sandbox/merchants`,
/// `GET|PUT|DELETE /__sandbox/merchants/{merchant_identifier}`. A merchant is the object of a
/// config file entry, read and checked by the config file's own reader; a change applies from
/// the next request, on every surface.
extension ControlAPI {
    func merchantRoutes(_ router: inout Router) {
        router.get("merchants") { _, _ in JSONResponses.ok(array: merchants.all.map { .object(MerchantEntryJSON.encode($0)) }) }
        router.post("merchants") { request, _ in createMerchant(request) }
        router.get("merchants/{id}") { _, path in showMerchant(path["id"]) }
        router.put("merchants/{id}") { request, path in replaceMerchant(path["id"], request) }
        router.delete("merchants/{id}") { _, path in deleteMerchant(path["id"]) }
        router.get("merchants/{id}/clock") { _, path in merchantClock(path["id"]) }
        router.post("merchants/{id}/clock") { request, path in moveMerchantClock(path["id"], request) }
        router.delete("merchants/{id}/clock") { _, path in dropMerchantClock(path["id"]) }
        router.get("paybylink/subscription-keys") { _, _ in listSubscriptionKeys() }
        router.post("paybylink/subscription-keys") { request, _ in addSubscriptionKey(request) }
        router.delete("paybylink/subscription-keys/{key}") { _, path in deleteSubscriptionKey(path["key"]) }
    }

    /// `POST /__sandbox/merchants` with a config entry: 201 with the merchant as stored; 400
    /// naming the field the config file would refuse; 409 when the identifier is taken.
    func createMerchant(_ request: HTTPRequest) -> HTTPResponse {
        let merchant: Merchant
        do { merchant = try readMerchant(request, identifier: nil) } catch { return error.response }
        do { try merchants.create(merchant) } catch {
            return JSONResponses.error(409, "merchant_exists", "merchant \(merchant.identifier) exists; PUT /__sandbox/merchants/\(merchant.identifier) replaces it",
                                       extra: ["merchant_identifier": .string(merchant.identifier)])
        }
        return JSONResponses.ok(MerchantEntryJSON.encode(merchant), status: 201)
    }

    /// `GET /__sandbox/merchants/{merchant_identifier}`: the merchant as a config entry.
    func showMerchant(_ identifier: String) -> HTTPResponse {
        guard let merchant = merchants[identifier] else { return merchantNotFound(identifier) }
        return JSONResponses.ok(MerchantEntryJSON.encode(merchant))
    }

    /// `PUT /__sandbox/merchants/{merchant_identifier}`: replaces the merchant (200) or makes it
    /// (201). The body's `merchant_identifier` may be left out; given, it must be the path's.
    /// Its links and orders stay; its requests, pages and feedback use the new settings.
    func replaceMerchant(_ identifier: String, _ request: HTTPRequest) -> HTTPResponse {
        let merchant: Merchant
        do { merchant = try readMerchant(request, identifier: identifier) } catch { return error.response }
        let added = merchants.replace(merchant)
        return JSONResponses.ok(MerchantEntryJSON.encode(merchant), status: added ? 201 : 200)
    }

    /// `DELETE /__sandbox/merchants/{merchant_identifier}`: a merchant made at run time goes
    /// with everything it had (links, orders, messages, deliveries, batch files and its clock,
    /// as a reset of that merchant), so a test that made it leaves nothing behind and the
    /// identifier can be made again afresh. A configured merchant is refused (409): replace it,
    /// or leave it out of the config file.
    func deleteMerchant(_ identifier: String) -> HTTPResponse {
        do { try merchants.remove(identifier) } catch {
            switch error {
            case .configured:
                return JSONResponses.error(409, "merchant_configured", "merchant \(identifier) comes from the configuration and cannot be deleted; PUT replaces it",
                                           extra: ["merchant_identifier": .string(identifier)])
            case .notFound, .exists: return merchantNotFound(identifier)
            }
        }
        let removed = reset(.merchant(identifier))
        return JSONResponses.ok(["status": "deleted", "merchant_identifier": .string(identifier), "links_removed": .number(String(removed))])
    }

    /// The request's merchant, read as a config entry. `identifier` is the path's, for `PUT`.
    private func readMerchant(_ request: HTTPRequest, identifier: String?) throws(HTTPErrorResponse) -> Merchant {
        var body = try JSONResponses.objectBody(request)
        if let identifier {
            if body["merchant_identifier"] == nil { body["merchant_identifier"] = .string(identifier) }
            guard body["merchant_identifier"] == .string(identifier) else {
                throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", "merchant_identifier must be the path's, \(identifier)",
                                                            extra: ["field": "merchant_identifier"]))
            }
        }
        do { return try MerchantEntryJSON.decode(.object(body), path: "") } catch {
            throw HTTPErrorResponse(JSONResponses.error(400, "invalid_field", error.description, extra: ["field": .string(error.path)]))
        }
    }

    func merchantNotFound(_ identifier: String) -> HTTPResponse {
        JSONResponses.error(404, "merchant_not_found", "no merchant \(identifier)", extra: ["merchant_identifier": .string(identifier)])
    }
}
