/// Links or orders while the log is replayed: the snapshot's, in creation order, and what the
/// log put since, by key. An entry costs a lookup in a map of the keys the log names (not one
/// of every item); `finish` walks the snapshot's items once, replacing those the log changed,
/// then appends the new ones in the order they first appeared. Neither is ever taken out by
/// the log (a reset or an import writes a new snapshot instead).
struct LoggedList<Item> {
    private var snapshot: [Item]
    private let key: KeyPath<Item, String>
    private var logged: [Item] = []
    private var slots: [String: Int] = [:]

    init(snapshot: [Item], key: KeyPath<Item, String>) {
        self.snapshot = snapshot
        self.key = key
    }

    mutating func put(_ item: Item) {
        let name = item[keyPath: key]
        if let slot = slots[name] {
            logged[slot] = item
        } else {
            slots[name] = logged.count
            logged.append(item)
        }
    }

    consuming func finish() -> [Item] {
        guard !logged.isEmpty else { return snapshot }
        var placed = [Bool](repeating: false, count: logged.count)
        for index in snapshot.indices {
            guard let slot = slots[snapshot[index][keyPath: key]] else { continue }
            snapshot[index] = logged[slot]
            placed[slot] = true
        }
        snapshot.reserveCapacity(snapshot.count + logged.count)
        for (slot, item) in logged.enumerated() where !placed[slot] { snapshot.append(item) }
        return snapshot
    }
}
