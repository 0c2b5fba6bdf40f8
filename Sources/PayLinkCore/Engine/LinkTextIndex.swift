#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The searched text of every link (ID, merchant reference, customer e-mail and name), lower
/// case, in one contiguous byte buffer, so a search is one pass over memory rather
/// than four lowercased strings per link: about 75 bytes a link, scanned at memory speed.
///
/// Each link has one live record: its fields, each followed by a NUL (a searched text never
/// holds a control character, so no match spans two fields or two links). A link whose text
/// changes gets a new record at the end and its old one is dead; when dead bytes outweigh live
/// ones the buffer is rewritten.
package struct LinkTextIndex: Sendable {
    private var bytes: [UInt8] = []
    /// Where each record starts, ascending (records are only ever appended).
    private var recordStarts: [UInt32] = []
    /// The ordinal of the link each record belongs to.
    private var recordOwners: [UInt32] = []
    /// Each link's live record, by ordinal.
    private var liveRecords: [UInt32] = []
    private var deadBytes = 0
    /// How often each byte value occurs, to anchor a search on the needle's rarest byte.
    private var frequency = [Int](repeating: 0, count: 256)

    package init() {}

    /// Adds the record of the link with the next ordinal: `fields`, then `foldedTail`, the
    /// record (`record(of:)`) of any fields that follow, made in advance.
    package mutating func append(_ fields: [String], foldedTail: [UInt8] = []) {
        let start = beginRecord()
        for field in fields { appendField(field) }
        endRecord(from: start, foldedTail: foldedTail)
    }

    /// `append([id, reference], foldedTail:)` with no array of the two: a batch's every link is
    /// added this way, under the store's lock, and the array was an allocation, two retains
    /// and its destruction a link.
    package mutating func append(id: String, reference: String, foldedTail: [UInt8]) {
        let start = beginRecord()
        appendField(id)
        appendField(reference)
        endRecord(from: start, foldedTail: foldedTail)
    }

    /// About what a link's record takes (`LinkQuery.searchedFields`: an ID, a reference, an
    /// e-mail and a name, each with its NUL): 50 to 90 bytes for a batch file's links.
    static let expectedBytesPerLink = 128

    /// Makes room for `more` links' records, so a batch's appends do not grow the buffer (a
    /// copy of all of it, and page faults on the new one) while the store's lock is held.
    /// Over-reserving costs address space only: pages are touched when written.
    package mutating func reserveCapacity(forMore more: Int) {
        bytes.reserveCapacity(bytes.count + more * Self.expectedBytesPerLink)
        recordStarts.reserveCapacity(recordStarts.count + more)
        recordOwners.reserveCapacity(recordOwners.count + more)
        liveRecords.reserveCapacity(liveRecords.count + more)
    }

    /// `fields` as a record keeps them: each folded and followed by a NUL.
    package static func record(of fields: [String]) -> [UInt8] {
        // Room for all of it first (each field's bytes and its NUL; lowering ASCII keeps the
        // length): grown from empty, the buffer was allocated, copied and freed twice a record.
        var out: [UInt8] = []
        out.reserveCapacity(fields.reduce(0) { $0 + $1.utf8.count + 1 })
        for field in fields { fold(field, into: &out); out.append(0) }
        return out
    }

    /// Gives the link at `ordinal` new text, when it differs.
    package mutating func replace(ordinal: Int, _ fields: [String]) {
        let record = Int(liveRecords[ordinal])
        var fresh: [UInt8] = []
        for field in fields { Self.fold(field, into: &fresh); fresh.append(0) }
        guard !bytes[range(of: record)].elementsEqual(fresh) else { return }
        deadBytes += range(of: record).count
        liveRecords[ordinal] = UInt32(recordStarts.count)
        recordStarts.append(UInt32(bytes.count))
        recordOwners.append(UInt32(ordinal))
        bytes.append(contentsOf: fresh)
        for byte in fresh { frequency[Int(byte)] += 1 }
        if deadBytes > 1 << 20 && deadBytes > bytes.count / 2 { compact() }
    }

    /// The ordinals of the links whose text holds `needle` (from `LinkQuery.textNeedle`), as
    /// a bitset of `count` bits.
    package func search(_ needle: [UInt8]) -> OrdinalSet {
        var found = OrdinalSet(count: liveRecords.count)
        guard !needle.isEmpty, !needle.contains(where: { $0 < 0x20 || $0 == 0x7F }), !bytes.isEmpty else { return found }
        // Look for the needle's rarest byte with `memchr` (vectorised in the C library), and
        // compare the whole needle around each occurrence.
        let anchor = needle.indices.min { frequency[Int(needle[$0])] < frequency[Int(needle[$1])] } ?? 0
        bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { pattern in
                guard let base = haystack.baseAddress, let first = pattern.baseAddress else { return }
                let length = pattern.count, end = haystack.count
                var start = 0
                while start + length <= end {
                    guard let hit = memchr(base + start + anchor, Int32(pattern[anchor]), end - length + 1 - start) else { break }
                    let candidate = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - base - anchor
                    guard memcmp(base + candidate, first, length) == 0 else { start = candidate + 1; continue }
                    let record = recordContaining(candidate)
                    let owner = Int(recordOwners[record])
                    if liveRecords[owner] == record { found.insert(owner) }
                    // One hit per record is enough: go on from the next one.
                    start = record + 1 < recordStarts.count ? Int(recordStarts[record + 1]) : end
                }
            }
        }
        return found
    }

    /// `text` as the index compares it: lower case (ASCII directly, anything else through
    /// `lowercased()`), UTF-8.
    package static func folded(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        fold(text, into: &out)
        return out
    }

    /// Copies the bytes and lowers ASCII capitals in place (one copy, no iterator), going back
    /// to `lowercased()` for the rare text that is not ASCII.
    private static func fold(_ text: String, into out: inout [UInt8]) {
        let start = out.count
        // Through a buffer: appending `utf8` copies a short (inline) string byte by byte.
        // A native string's bytes are contiguous; only a bridged one is not.
        if text.utf8.withContiguousStorageIfAvailable({ out.append(contentsOf: $0) }) == nil {
            out.append(contentsOf: text.utf8)
        }
        let ascii = out.withUnsafeMutableBufferPointer { all in
            // No exit from the loop and no branch in it, so the compiler can work on many bytes
            // at once: every byte is lowered, and whether any was not ASCII is looked at after.
            var highBits: UInt8 = 0
            for i in start..<all.count {
                let byte = all[i]
                highBits |= byte
                all[i] = byte | (byte &- 0x41 < 26 ? 0x20 : 0)
            }
            return highBits < 0x80
        }
        if !ascii {
            out.removeSubrange(start...)
            out.append(contentsOf: text.lowercased().utf8)
        }
    }

    /// Starts the record of the newest link; returns where its bytes start.
    private mutating func beginRecord() -> Int {
        liveRecords.append(UInt32(recordStarts.count))
        recordStarts.append(UInt32(bytes.count))
        recordOwners.append(UInt32(liveRecords.count - 1))
        return bytes.count
    }

    private mutating func appendField(_ field: String) {
        Self.fold(field, into: &bytes)
        bytes.append(0)
    }

    /// Ends the record begun at `start` with `foldedTail`, and counts its bytes.
    private mutating func endRecord(from start: Int, foldedTail: [UInt8]) {
        bytes.append(contentsOf: foldedTail)
        bytes.withUnsafeBufferPointer { all in
            frequency.withUnsafeMutableBufferPointer { counts in
                // By index and wrapping: a slice's iterator and a checked add cost more than
                // the count itself (no count comes near overflowing).
                for i in start..<all.count { counts[Int(all[i])] &+= 1 }
            }
        }
    }

    private func range(of record: Int) -> Range<Int> {
        Int(recordStarts[record])..<(record + 1 < recordStarts.count ? Int(recordStarts[record + 1]) : bytes.count)
    }

    /// The record whose bytes hold `offset` (binary search over the ascending starts).
    private func recordContaining(_ offset: Int) -> Int {
        var low = 0, high = recordStarts.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if Int(recordStarts[middle]) <= offset { low = middle } else { high = middle }
        }
        return low
    }

    /// Rewrites the buffer with the live records only, in ordinal order.
    private mutating func compact() {
        var next = LinkTextIndex()
        next.bytes.reserveCapacity(bytes.count - deadBytes)
        for ordinal in liveRecords.indices {
            let record = Int(liveRecords[ordinal])
            next.liveRecords.append(UInt32(next.recordStarts.count))
            next.recordStarts.append(UInt32(next.bytes.count))
            next.recordOwners.append(UInt32(ordinal))
            next.bytes.append(contentsOf: bytes[range(of: record)])
        }
        for byte in next.bytes { next.frequency[Int(byte)] += 1 }
        self = next
    }
}
