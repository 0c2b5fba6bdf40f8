/// The signed keys of one answer shape, in the order the response writer emits them, with
/// their byte order worked out once.
///
/// Why: sorting an answer's keys for its canonical string is about 2,000 instructions for a
/// status check's seventeen. When the keys written are exactly these, in this order, the
/// canonical string follows `sortedPositions` instead (`APSResponseWriter.expectedKeys`);
/// any other answer (a key more or less, another order, an empty value) is sorted as before.
/// A table is immutable once made (a `static let` of the command), so it needs no lock.
final class APSAnswerKeys: Sendable {
    /// The keys one after the other, in the writer's order.
    let bytes: [UInt8]
    /// Where each key starts in `bytes`, then where the last one ends.
    let starts: [Int]
    /// The keys' positions in the writer's order, taken in byte order of the keys.
    let sortedPositions: [Int]

    /// `keys` in the order the writer emits them: unique, none of them `signature` (which the
    /// canonical string leaves out).
    init(_ keys: [StaticString]) {
        var bytes: [UInt8] = []
        var starts: [Int] = []
        for key in keys {
            starts.append(bytes.count)
            bytes.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        }
        starts.append(bytes.count)
        let texts = keys.map { Array(UnsafeBufferPointer(start: $0.utf8Start, count: $0.utf8CodeUnitCount)) }
        precondition(Set(texts).count == texts.count && !texts.contains(Array("signature".utf8)),
                     "an answer's keys are unique and leave out the signature")
        self.bytes = bytes
        self.starts = starts
        sortedPositions = texts.indices.sorted { texts[$0].lexicographicallyPrecedes(texts[$1]) }
    }

    var count: Int { starts.count &- 1 }

    /// Whether `members` (keys and values in `arena`) are exactly this table's keys, in order,
    /// all of them signed (no nested, unsigned or empty value, no `signature` member).
    func matches(_ members: UnsafeBufferPointer<APSResponseWriter.Member>, in arena: UnsafeBufferPointer<UInt8>) -> Bool {
        guard members.count == count, let arenaBase = arena.baseAddress else { return members.isEmpty && count == 0 }
        return bytes.withUnsafeBufferPointer { table in
            starts.withUnsafeBufferPointer { starts in
                let tableBase = UnsafeRawPointer(table.baseAddress!)
                for position in members.indices {
                    let member = members[position]
                    // A nested or large value ends below zero, an empty one where it starts:
                    // either way not after its start.
                    guard member.valueEnd > member.valueStart else { return false }
                    let start = starts[position], keyCount = member.keyCount
                    guard keyCount == starts[position &+ 1] &- start,
                          Self.sameKey(UnsafeRawPointer(arenaBase + member.keyStart), tableBase + start, count: keyCount) else { return false }
                }
                return true
            }
        }
    }

    /// Whether `count` bytes at `x` and `y` are the same: as overlapping words, the differences
    /// or-ed together, without a branch per word. Keys here are six to nineteen bytes; a byte
    /// loop for the six-byte ones and a branch per word cost about 48 instructions a key, this
    /// about 25 (callgrind, a status check's seventeen: 810 before).
    @inline(__always)
    static func sameKey(_ x: UnsafeRawPointer, _ y: UnsafeRawPointer, count: Int) -> Bool {
        if count >= 8 {
            let tail = count &- 8
            var difference = (x.loadUnaligned(as: UInt64.self) ^ y.loadUnaligned(as: UInt64.self))
                | (x.loadUnaligned(fromByteOffset: tail, as: UInt64.self) ^ y.loadUnaligned(fromByteOffset: tail, as: UInt64.self))
            var offset = 8
            while offset < tail {
                difference |= x.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ y.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                offset &+= 8
            }
            return difference == 0
        }
        if count >= 4 {
            let tail = count &- 4
            return (x.loadUnaligned(as: UInt32.self) ^ y.loadUnaligned(as: UInt32.self))
                | (x.loadUnaligned(fromByteOffset: tail, as: UInt32.self) ^ y.loadUnaligned(fromByteOffset: tail, as: UInt32.self)) == 0
        }
        var i = 0
        while i < count {
            if x.load(fromByteOffset: i, as: UInt8.self) != y.load(fromByteOffset: i, as: UInt8.self) { return false }
            i &+= 1
        }
        return true
    }
}
