import PayLinkCore
import PayLinkJSON

/// The merchants' part of a state snapshot: what was changed at run time, over the
/// configuration the importing sandbox has.
///
/// ```json
/// "merchants": {"version": 1,
///   "merchants": [{…a config entry…}],
///   "subscription_keys": ["added-key"],
///   "clocks": [{"merchant_identifier": "Shop1", "now": "2026-01-01T00:00:00.000Z", "mode": "frozen"}]}
/// ```
///
/// `merchants` are those made or replaced at run time (as config entries, phrases included),
/// `subscription_keys` the PayByLink keys added at run time, `clocks` the merchants' own clocks
/// (a running one runs on from its reading, as the sandbox clock does). A snapshot written
/// before this part existed has none of them, nor has a list left out; `version` (required)
/// lets a later format say so.
enum MerchantStateJSON {
    static let version = 1
    static let keys = ["version", "merchants", "subscription_keys", "clocks"]
    static let clockKeys = ["merchant_identifier", "now", "mode"]

    struct Decoded {
        var merchants: [Merchant] = []
        var subscriptionKeys: [String] = []
        var clocks: [MerchantClocks.Entry] = []
    }

    static func encode(merchants: [Merchant], subscriptionKeys: [String], clocks: [MerchantClocks.Entry]) -> JSONValue {
        ["version": .number(version), "merchants": encode(merchants: merchants),
         "subscription_keys": encode(subscriptionKeys: subscriptionKeys), "clocks": encode(clocks: clocks)]
    }

    static func encode(merchants: [Merchant]) -> JSONValue { .array(merchants.map { .object(MerchantEntryJSON.encode($0)) }) }

    static func encode(subscriptionKeys: [String]) -> JSONValue { .array(subscriptionKeys.map { .string($0) }) }

    static func encode(clocks: [MerchantClocks.Entry]) -> JSONValue {
        .array(clocks.map { entry in
            guard case .object(var object) = ClockStateJSON.encode(entry.reading) else { return .null }
            object["merchant_identifier"] = .string(entry.merchantIdentifier)
            return .object(object)
        })
    }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> Decoded {
        let r = try JSONReader(value, path: path, keys: keys)
        guard try JSONReader.integer(try r.value("version"), as: Int.self, path: r.path("version")) == version else {
            throw r.failure("version", "must be \(version), the only version of this part this sandbox reads")
        }
        var decoded = Decoded()
        var seen = Set<String>()
        // A list left out is empty, so a hand-written part may name only what it changes.
        func list(_ key: String) throws(StateImportError) -> [(value: JSONValue, path: String)] {
            r.optionalValue(key) == nil ? [] : try r.array(key)
        }
        for element in try list("merchants") {
            let merchant = try MerchantEntryJSON.decode(element.value, path: element.path)
            guard seen.insert(merchant.identifier).inserted else {
                throw StateImportError(path: element.path + ".merchant_identifier", message: "\(merchant.identifier) appears twice")
            }
            decoded.merchants.append(merchant)
        }
        for element in try list("subscription_keys") {
            guard case .string(let key) = element.value, !key.isEmpty else { throw StateImportError(path: element.path, message: "expected a non-empty string") }
            decoded.subscriptionKeys.append(key)
        }
        seen = []
        for element in try list("clocks") {
            guard case .object(var object) = element.value else { throw StateImportError(path: element.path, message: "expected an object") }
            let merchant = try JSONReader(element.value, path: element.path, keys: clockKeys).nonEmptyString("merchant_identifier")
            guard seen.insert(merchant).inserted else {
                throw StateImportError(path: element.path + ".merchant_identifier", message: "\(merchant) appears twice")
            }
            object["merchant_identifier"] = nil
            decoded.clocks.append(MerchantClocks.Entry(merchantIdentifier: merchant, reading: try ClockStateJSON.decode(.object(object), path: element.path)))
        }
        return decoded
    }
}
