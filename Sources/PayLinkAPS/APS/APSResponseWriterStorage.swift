/// The storage `APSResponseWriter` builds an answer in: its bytes, its members, and the copy
/// between them (kept apart from the writer, which is about what goes where).

/// The writer's bytes: one heap block that doubles when full, so an append is a capacity check
/// and a copy (appending to `[UInt8]` costs a uniqueness check and generic dispatch besides).
struct ByteArena: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// Valid until the next append.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ text: String) {
        // Without copying `text` (a retain and release) as `withUTF8` would need; native and
        // small strings are always contiguous, so the fallback is for bridged oddities only.
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { append($0) }
        if done == nil { Array(text.utf8).withUnsafeBufferPointer { append($0) } }
    }

    /// Makes room for `extra` more bytes, so `freeSpace` can take them.
    mutating func reserve(_ extra: Int) {
        if capacity &- count < extra { grow(minimum: extra) }
    }

    /// The memory after the bytes, valid until the next append or reserve.
    var freeSpace: UnsafeMutablePointer<UInt8> { base + count }

    @inline(__always)
    mutating func append(_ source: UnsafeBufferPointer<UInt8>) {
        guard let from = source.baseAddress, source.count > 0 else { return }
        if capacity &- count < source.count { grow(minimum: source.count) }
        copyBytes(to: base + count, from: from, count: source.count)
        count &+= source.count
    }

    private mutating func grow(minimum: Int) {
        let newCapacity = Swift.max(capacity &* 2, count &+ minimum)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.initialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

/// The writer's members: one heap block that doubles when full, read and changed through its
/// pointer (an `Array` of them checked uniqueness and bounds on every change).
struct MemberList: ~Copyable {
    typealias Member = APSResponseWriter.Member
    private var base: UnsafeMutablePointer<Member>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 1)
        base = UnsafeMutablePointer<Member>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// Valid until the next append.
    var buffer: UnsafeBufferPointer<Member> { UnsafeBufferPointer(start: base, count: count) }

    func withBuffer<R>(_ body: (UnsafeBufferPointer<Member>) -> R) -> R { body(buffer) }

    subscript(index: Int) -> Member {
        get {
            precondition(index >= 0 && index < count)
            return base[index]
        }
        set {
            precondition(index >= 0 && index < count)
            base[index] = newValue
        }
    }

    /// Removes one member, the later ones moving up a place (order kept).
    mutating func remove(at index: Int) {
        precondition(index >= 0 && index < count)
        var position = index
        while position &+ 1 < count {
            base[position] = base[position &+ 1]
            position &+= 1
        }
        count &-= 1
    }

    /// In line (a call for each of the twenty-odd members of an answer cost about a fifth
    /// of what appending them does); growing is not.
    @inline(__always)
    mutating func append(_ member: Member) {
        if count == capacity { grow() }
        (base + count).initialize(to: member)
        count &+= 1
    }

    private mutating func grow() {
        let newCapacity = capacity &* 2
        let newBase = UnsafeMutablePointer<Member>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}

/// Copies `count` bytes. Most copies here are a key or a value of a few to a few dozen bytes,
/// for which calling `memcpy` (what `initialize(from:count:)` becomes) cost more than the
/// copy: up to 32 bytes are moved as overlapping words in line, longer runs by `memcpy`.
@inline(__always)
func copyBytes(to destination: UnsafeMutablePointer<UInt8>, from source: UnsafePointer<UInt8>, count: Int) {
    let to = UnsafeMutableRawPointer(destination), from = UnsafeRawPointer(source)
    if count >= 8 {
        if count > 32 {
            destination.initialize(from: source, count: count)
            return
        }
        // All loads before any store: correct even if the ranges touched (they never overlap here).
        let first = from.loadUnaligned(as: UInt64.self)
        let last = from.loadUnaligned(fromByteOffset: count &- 8, as: UInt64.self)
        if count > 16 {
            let second = from.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
            let third = from.loadUnaligned(fromByteOffset: count &- 16, as: UInt64.self)
            to.storeBytes(of: second, toByteOffset: 8, as: UInt64.self)
            to.storeBytes(of: third, toByteOffset: count &- 16, as: UInt64.self)
        }
        to.storeBytes(of: first, as: UInt64.self)
        to.storeBytes(of: last, toByteOffset: count &- 8, as: UInt64.self)
    } else if count >= 4 {
        let first = from.loadUnaligned(as: UInt32.self)
        let last = from.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self)
        to.storeBytes(of: first, as: UInt32.self)
        to.storeBytes(of: last, toByteOffset: count &- 4, as: UInt32.self)
    } else if count > 0 {
        // One to three bytes: the first, the middle and the last (some the same).
        let a = source[0], b = source[count &>> 1], c = source[count &- 1]
        destination[0] = a
        destination[count &>> 1] = b
        destination[count &- 1] = c
    }
}
