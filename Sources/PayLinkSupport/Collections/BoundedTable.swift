/// A table that keeps at most `capacity` values, forgetting the oldest first.
///
/// What the sandbox holds in memory only while a customer is in the middle of something (a
/// hosted checkout session, a 3-D Secure challenge, a provider checkout, a valU journey) lives in
/// one of these: such work lasts minutes, so a bound keeps a client that starts and abandons
/// sessions forever from growing the process, and losing the oldest costs nothing but a restart
/// of that customer's step. A value type: its owner keeps it under its own lock, beside whatever
/// else that lock guards.
package struct BoundedTable<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    package let capacity: Int
    private var values: [Key: Value] = [:]
    /// Keys from oldest to newest. Removing one is linear, which at the few thousand entries
    /// these tables hold costs less than keeping a linked order would.
    private var order: [Key] = []

    package init(capacity: Int) {
        precondition(capacity > 0, "a bounded table holds at least one value")
        self.capacity = capacity
    }

    package var count: Int { values.count }

    package subscript(key: Key) -> Value? { values[key] }

    /// Keeps `value` as the newest under `key` (replacing what `key` held), forgetting the
    /// oldest values past `capacity`.
    package mutating func insert(_ value: Value, for key: Key) {
        if values.updateValue(value, forKey: key) != nil { order.removeAll { $0 == key } }
        order.append(key)
        if order.count > capacity {
            let dropped = order.count - capacity
            for old in order.prefix(dropped) { values[old] = nil }
            order.removeFirst(dropped)
        }
    }

    /// Changes the value under `key` in place and returns what `body` returns; nil, and no call,
    /// when there is none.
    @discardableResult
    package mutating func update<Result>(_ key: Key, _ body: (inout Value) -> Result) -> Result? {
        guard var value = values.removeValue(forKey: key) else { return nil }
        defer { values[key] = value }
        return body(&value)
    }

    /// Takes the value under `key` out.
    @discardableResult
    package mutating func remove(_ key: Key) -> Value? {
        guard let value = values.removeValue(forKey: key) else { return nil }
        order.removeAll { $0 == key }
        return value
    }

    /// The first value, oldest first, that `matches`.
    package func first(where matches: (Value) -> Bool) -> (key: Key, value: Value)? {
        for key in order { if let value = values[key], matches(value) { return (key, value) } }
        return nil
    }

    /// The keys whose values match, oldest first.
    package func keys(where matches: (Value) -> Bool) -> [Key] {
        order.filter { values[$0].map(matches) ?? false }
    }

    /// Forgets the values that match.
    package mutating func removeAll(where matches: (Value) -> Bool) {
        let dropped = Set(keys(where: matches))
        guard !dropped.isEmpty else { return }
        for key in dropped { values[key] = nil }
        order.removeAll { dropped.contains($0) }
    }

    package mutating func removeAll() {
        values.removeAll()
        order.removeAll()
    }
}
