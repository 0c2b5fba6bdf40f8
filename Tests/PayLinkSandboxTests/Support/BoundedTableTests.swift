import PayLinkSupport
import Testing

/// The table behind every in-memory session and challenge: bounded, oldest forgotten first.
struct BoundedTableTests {
    @Test func pastItsCapacity_theOldestAreForgotten_inOrder() {
        var table = BoundedTable<String, Int>(capacity: 3)
        for (index, key) in ["a", "b", "c", "d", "e"].enumerated() { table.insert(index, for: key) }
        #expect(table.count == 3)
        #expect(table["a"] == nil && table["b"] == nil)
        #expect(table["c"] == 2 && table["d"] == 3 && table["e"] == 4)
        #expect(table.keys(where: { _ in true }) == ["c", "d", "e"])
    }

    @Test func insertingAnExistingKey_replacesItsValue_andMakesItTheNewest() {
        var table = BoundedTable<String, Int>(capacity: 2)
        table.insert(1, for: "a")
        table.insert(2, for: "b")
        table.insert(10, for: "a")
        table.insert(3, for: "c")
        #expect(table["b"] == nil, "b was the oldest once a was inserted again")
        #expect(table["a"] == 10 && table["c"] == 3 && table.count == 2)
    }

    @Test func update_changesInPlace_andReportsAMissingKey() {
        var table = BoundedTable<String, Int>(capacity: 2)
        table.insert(1, for: "a")
        #expect(table.update("a") { value -> Int in value += 5; return value } == 6)
        #expect(table["a"] == 6)
        #expect(table.update("missing") { $0 += 1 } == nil)
        #expect(table.count == 1)
    }

    @Test func remove_takesTheValueOut_once_andFreesItsPlace() {
        var table = BoundedTable<String, Int>(capacity: 2)
        table.insert(1, for: "a")
        table.insert(2, for: "b")
        #expect(table.remove("a") == 1)
        #expect(table.remove("a") == nil)
        table.insert(3, for: "c")
        #expect(table["b"] == 2 && table["c"] == 3, "removing a left room: nothing else was forgotten")
        #expect(table.first(where: { $0 > 2 })?.key == "c")
        table.removeAll()
        #expect(table.count == 0 && table["b"] == nil)
    }
}
