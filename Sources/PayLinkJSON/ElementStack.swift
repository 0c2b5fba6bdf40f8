/// The parser's stack of finished elements (array values or object members) belonging to
/// containers that are still open.
///
/// Each container pushes its children here and, at its closing bracket, moves them out into
/// an array of exactly the right size: one allocation per container, no regrowth, and no
/// copying (retain, then release) of the children as `Array(slice)` plus `removeSubrange`
/// would do.
struct ElementStack<Element>: ~Copyable {
    private var base: UnsafeMutablePointer<Element>?
    private(set) var count = 0
    private var capacity = 0

    init() {}

    deinit {
        if let base {
            base.deinitialize(count: count)
            base.deallocate()
        }
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (base! + count).initialize(to: element)
        count &+= 1
    }

    /// Moves the elements from index `first` to the top into a new array, leaving the stack
    /// as it was before they were pushed.
    mutating func popAll(from first: Int) -> [Element] {
        let moved = count &- first
        guard moved > 0, let base else { return [] }
        let elements = [Element](unsafeUninitializedCapacity: moved) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: base + first, count: moved)
            initialized = moved
        }
        count = first
        return elements
    }

    @inline(never)
    private mutating func grow() {
        let newCapacity = Swift.max(16, capacity * 2)
        let newBase = UnsafeMutablePointer<Element>.allocate(capacity: newCapacity)
        if let base {
            newBase.moveInitialize(from: base, count: count)
            base.deallocate()
        }
        base = newBase
        capacity = newCapacity
    }
}
