/// Values by key, kept in one array in insertion order with a map from key to position (the
/// engine's orders by `fort_id`). A dictionary of large values keeps a bucket of that size
/// for every slot of its hash table, used or not (a table is at most three quarters full);
/// a map to positions keeps 24 bytes a bucket and the array one value an entry. Reads and
/// writes look the same as a dictionary's; `values` are in insertion order.
package struct OrderedTable<Value: Sendable>: Sendable {
    private var positions: [String: Int] = [:]
    /// Nil where a value was removed, until `compact` closes the gaps.
    private var slots: [Value?] = []
    private var removed = 0

    package init() {}

    package var count: Int { positions.count }
    package var capacity: Int { positions.capacity }

    package subscript(key: String) -> Value? {
        get { positions[key].flatMap { slots[$0] } }
        set {
            if let newValue { updateValue(newValue, forKey: key) } else { removeValue(forKey: key) }
        }
    }

    /// Where `key`'s value is in insertion order, counting only values still held.
    package func position(of key: String) -> Int? {
        guard let slot = positions[key] else { return nil }
        return removed == 0 ? slot : slots[..<slot].lazy.filter { $0 != nil }.count
    }

    /// Stores `value` under `key` (a new key goes last); returns the value it replaced, if any.
    @discardableResult
    package mutating func updateValue(_ value: Value, forKey key: String) -> Value? {
        guard let position = positions[key] else {
            positions[key] = slots.count
            slots.append(value)
            return nil
        }
        let old = slots[position]
        slots[position] = value
        return old
    }

    @discardableResult
    package mutating func removeValue(forKey key: String) -> Value? {
        guard let position = positions.removeValue(forKey: key) else { return nil }
        let old = slots[position]
        slots[position] = nil
        removed += 1
        if removed > slots.count / 2 { compact() }
        return old
    }

    /// Every value, in insertion order.
    package var values: some Sequence<Value> { slots.lazy.compactMap { $0 } }

    package mutating func reserveCapacity(_ count: Int) {
        positions.reserveCapacity(count)
        slots.reserveCapacity(count + removed)
    }

    package mutating func removeAll() {
        positions.removeAll()
        slots.removeAll()
        removed = 0
    }

    /// Closes the gaps removals left, keeping the order.
    private mutating func compact() {
        var moved = [Int](repeating: 0, count: slots.count)
        var kept: [Value?] = []
        kept.reserveCapacity(positions.count)
        for (position, value) in slots.enumerated() where value != nil {
            moved[position] = kept.count
            kept.append(value)
        }
        slots = kept
        positions = positions.mapValues { moved[$0] }
        removed = 0
    }
}
