/// Open links by expiry, earliest first (a binary min-heap), so the expiry sweep finds the
/// links the clock has passed without looking at the others. An entry may be stale (the link
/// was paid, closed, extended or forgotten since); the sweep checks each against the link.
package struct ExpiryQueue: Sendable {
    package struct Entry: Sendable, Equatable {
        package var expiry: SandboxInstant
        /// The link's ordinal in the store.
        package var ordinal: UInt32
    }

    private var heap: [Entry] = []

    package init() {}

    package var isEmpty: Bool { heap.isEmpty }
    /// Every entry, in no order to rely on.
    package var entries: [Entry] { heap }
    package var count: Int { heap.count }

    package mutating func insert(ordinal: Int, expiry: SandboxInstant) {
        heap.append(Entry(expiry: expiry, ordinal: UInt32(ordinal)))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].expiry < heap[parent].expiry else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns every entry due at or before `now`, earliest first.
    package mutating func popDue(at now: SandboxInstant) -> [Entry] {
        var due: [Entry] = []
        while let first = heap.first, first.expiry <= now {
            due.append(first)
            let last = heap.removeLast()
            guard !heap.isEmpty else { break }
            heap[0] = last
            var parent = 0
            while true {
                let left = 2 * parent + 1, right = left + 1
                var smallest = parent
                if left < heap.count && heap[left].expiry < heap[smallest].expiry { smallest = left }
                if right < heap.count && heap[right].expiry < heap[smallest].expiry { smallest = right }
                guard smallest != parent else { break }
                heap.swapAt(parent, smallest)
                parent = smallest
            }
        }
        return due
    }

    package mutating func removeAll() { heap.removeAll() }

    package mutating func reserveCapacity(_ count: Int) { heap.reserveCapacity(count) }
}
