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
        guard members.count == count else { return false }
        return bytes.withUnsafeBufferPointer { table in
            starts.withUnsafeBufferPointer { starts in
                for position in members.indices {
                    let member = members[position]
                    if member.isNested || member.isEmptyString { return false }
                    let start = starts[position]
                    guard member.keyCount == starts[position &+ 1] &- start,
                          Self.sameKey(arena, member.keyStart, table, start, count: member.keyCount) else { return false }
                }
                return true
            }
        }
    }

    /// Whether `count` bytes from `a[aStart]` and `b[bStart]` are the same, a word at a time:
    /// the words from the start, then the last eight bytes (overlapping the word before). Under
    /// eight bytes, a byte at a time.
    @inline(__always)
    private static func sameKey(_ a: UnsafeBufferPointer<UInt8>, _ aStart: Int,
                                _ b: UnsafeBufferPointer<UInt8>, _ bStart: Int, count: Int) -> Bool {
        let x = UnsafeRawPointer(a.baseAddress! + aStart), y = UnsafeRawPointer(b.baseAddress! + bStart)
        guard count >= 8 else {
            var i = 0
            while i < count {
                if a[aStart &+ i] != b[bStart &+ i] { return false }
                i &+= 1
            }
            return true
        }
        var offset = 0
        while offset &+ 8 <= count {
            if x.loadUnaligned(fromByteOffset: offset, as: UInt64.self) != y.loadUnaligned(fromByteOffset: offset, as: UInt64.self) {
                return false
            }
            offset &+= 8
        }
        let last = count &- 8
        return x.loadUnaligned(fromByteOffset: last, as: UInt64.self) == y.loadUnaligned(fromByteOffset: last, as: UInt64.self)
    }
}
