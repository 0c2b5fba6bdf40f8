/// Merchants by `merchant_identifier`.
package struct MerchantDirectory: Sendable {
    private let byIdentifier: [String: Merchant]
    /// The same merchants as a list when there are few: a scan comparing lengths first beats
    /// hashing the identifier on every request. Empty when the dictionary is used.
    private let few: [Merchant]

    package init(_ merchants: [Merchant]) {
        var map: [String: Merchant] = [:]
        for merchant in merchants { map[merchant.identifier] = merchant }
        byIdentifier = map
        few = map.count <= 8 ? Array(map.values) : []
    }

    package subscript(identifier: String) -> Merchant? {
        guard !few.isEmpty || byIdentifier.isEmpty else { return byIdentifier[identifier] }
        let length = identifier.utf8.count
        return few.first { $0.identifier.utf8.count == length && $0.identifier == identifier }
    }
    package var all: [Merchant] { Array(byIdentifier.values).sorted { $0.identifier < $1.identifier } }
}
