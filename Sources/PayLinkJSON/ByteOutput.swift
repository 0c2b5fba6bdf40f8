/// A growable byte buffer for the writer that starts in caller-provided (stack) memory and
/// moves to the heap only if the output outgrows it.
///
/// Appending to `[UInt8]` directly costs a uniqueness check and a capacity check per call,
/// which for a response of a few hundred bytes written in dozens of small pieces was most
/// of the writer's time. Here an append is a bounds check and a store.
struct ByteOutput: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    private var ownsStorage = false

    init(initial: UnsafeMutableBufferPointer<UInt8>) {
        base = initial.baseAddress!
        capacity = initial.count
    }

    deinit {
        if ownsStorage { base.deallocate() }
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(minimum: 1) }
        base[count] = byte
        count &+= 1
    }

    @inline(__always)
    mutating func append(_ source: UnsafePointer<UInt8>, count length: Int) {
        if capacity &- count < length { grow(minimum: length) }
        (base + count).update(from: source, count: length)
        count &+= length
    }

    @inline(__always)
    mutating func append(_ literal: StaticString) {
        append(literal.utf8Start, count: literal.utf8CodeUnitCount)
    }

    @inline(never)
    private mutating func grow(minimum: Int) {
        let newCapacity = Swift.max(capacity * 2, count + minimum)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }

    /// Runs `body` with an output that starts in `stackBytes` of stack memory.
    static func withStackBuffer<R>(_ body: (inout ByteOutput) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: stackBytes) { stack in
            var output = ByteOutput(initial: stack)
            return body(&output)
        }
    }

    /// Large enough for typical request and response bodies.
    static var stackBytes: Int { 2048 }
}
