import PayLinkCore
import Testing

/// Values by key in insertion order (the engine's orders): reads and writes as a dictionary's,
/// removals that leave gaps closed later without losing, mixing up or reordering a value.
struct OrderedTableTests {
    func link(_ id: String, reference: String? = nil) -> PaymentLink {
        PaymentLink(id: id, token: "t" + id,
                    terms: LinkTerms(merchantIdentifier: "M", merchantReference: reference ?? "r" + id, amount: 100, currency: "SAR",
                                     customerEmail: "c@example.com", expiry: SandboxInstant(secondsSince1970: 2_000_000_000)),
                    createdAt: SandboxInstant(secondsSince1970: 1_767_225_600))
    }

    @Test func behavesAsADictionary_throughInsertsReplacementsAndRemovals() {
        var table = OrderedTable<PaymentLink>()
        var reference: [String: PaymentLink] = [:]
        table.reserveCapacity(50)
        for i in 0..<200 {
            let id = "id\(i)"
            #expect(table.updateValue(link(id), forKey: id) == nil)
            reference[id] = link(id)
        }
        // Replacements keep their place; removals of most links make the table close its gaps.
        for i in stride(from: 0, to: 200, by: 3) {
            let id = "id\(i)"
            let replaced = link(id, reference: "again")
            #expect(table.updateValue(replaced, forKey: id) == reference[id])
            reference[id] = replaced
        }
        for i in 0..<200 where i % 5 != 0 {
            #expect(table.removeValue(forKey: "id\(i)") == reference.removeValue(forKey: "id\(i)"))
            #expect(table.removeValue(forKey: "id\(i)") == nil)
        }
        table["late"] = link("late")
        reference["late"] = link("late")
        table["id0"] = nil
        reference["id0"] = nil
        #expect(table.count == reference.count)
        for i in 0..<200 { #expect(table["id\(i)"] == reference["id\(i)"]) }
        #expect(table["late"] == reference["late"])
        #expect(Set(table.values.map(\.id)) == Set(reference.keys))
        // Insertion order survives the replacements and the closing of gaps.
        let order = table.values.map(\.id)
        #expect(order == (0..<200).filter { $0 % 5 == 0 && $0 != 0 }.map { "id\($0)" } + ["late"])
        table.removeAll()
        #expect(table.count == 0 && table["id5"] == nil && Array(table.values).isEmpty)
    }
}
