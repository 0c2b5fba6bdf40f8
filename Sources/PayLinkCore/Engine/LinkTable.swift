/// The links by id: the links themselves in one array, in insertion order, and a map from id
/// to position. A `PaymentLink` is a value of some 350 bytes; a dictionary of them keeps a
/// bucket of that size for every slot of its hash table, used or not (a table holds at most
/// three quarters full, so 100,000 links take 262,144 buckets, about 95 MB), where a map to
/// positions keeps 24 bytes a bucket and the array one value a link. Reads and writes look the
/// same as a dictionary's.
package struct LinkTable: Sendable {
    private var positions: [String: Int] = [:]
    /// Nil where a link was removed, until `compact` closes the gaps.
    private var slots: [PaymentLink?] = []
    private var removed = 0

    package init() {}

    package var count: Int { positions.count }
    package var capacity: Int { positions.capacity }

    package subscript(id: String) -> PaymentLink? {
        get { positions[id].flatMap { slots[$0] } }
        set {
            if let newValue { updateValue(newValue, forKey: id) } else { removeValue(forKey: id) }
        }
    }

    /// Stores `link` under `id`; returns the link it replaced, if any.
    @discardableResult
    package mutating func updateValue(_ link: PaymentLink, forKey id: String) -> PaymentLink? {
        guard let position = positions[id] else {
            positions[id] = slots.count
            slots.append(link)
            return nil
        }
        let old = slots[position]
        slots[position] = link
        return old
    }

    @discardableResult
    package mutating func removeValue(forKey id: String) -> PaymentLink? {
        guard let position = positions.removeValue(forKey: id) else { return nil }
        let old = slots[position]
        slots[position] = nil
        removed += 1
        if removed > slots.count / 2 { compact() }
        return old
    }

    /// Every link, in no order to rely on.
    package var values: some Sequence<PaymentLink> { slots.lazy.compactMap { $0 } }

    package mutating func reserveCapacity(_ count: Int) {
        positions.reserveCapacity(count)
        slots.reserveCapacity(count + removed)
    }

    package mutating func removeAll() {
        positions.removeAll()
        slots.removeAll()
        removed = 0
    }

    /// Closes the gaps removals left.
    private mutating func compact() {
        var moved = [Int](repeating: 0, count: slots.count)
        var kept: [PaymentLink?] = []
        kept.reserveCapacity(positions.count)
        for (position, link) in slots.enumerated() where link != nil {
            moved[position] = kept.count
            kept.append(link)
        }
        slots = kept
        positions = positions.mapValues { moved[$0] }
        removed = 0
    }
}
