import PayLinkCore

/// Reads what `BinaryWriter` wrote, from a buffer borrowed for the reader's lifetime (use it
/// inside the `withUnsafeBytes` that lends it); running past its end, or a value
/// out of range, throws rather than traps (a file can be damaged in ways its checksum misses
/// only by a bug, but a bug must not crash a start).
struct BinaryReader {
    private let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int

    init(_ buffer: UnsafeRawBufferPointer, offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= buffer.count }

    mutating func byte() throws(LogReadError) -> UInt8 {
        guard offset < buffer.count else { throw LogReadError("a binary record ends early (at byte \(offset))") }
        defer { offset += 1 }
        return buffer[offset]
    }

    mutating func unsigned() throws(LogReadError) -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            let next = try byte()
            guard shift < 64 else { throw LogReadError("a binary record holds an integer too long (at byte \(offset))") }
            value |= UInt64(next & 0x7F) << shift
            if next < 0x80 { return value }
            shift += 7
        }
    }

    mutating func signed() throws(LogReadError) -> Int64 {
        let raw = try unsigned()
        return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
    }

    mutating func int() throws(LogReadError) -> Int {
        let value = try signed()
        guard let int = Int(exactly: value) else { throw LogReadError("a binary record holds an integer out of range") }
        return int
    }

    mutating func bool() throws(LogReadError) -> Bool {
        switch try byte() {
        case 0: false
        case 1: true
        case let other: throw LogReadError("a binary record holds \(other) where a flag belongs (at byte \(offset - 1))")
        }
    }

    mutating func string() throws(LogReadError) -> String {
        let count = try length()
        defer { offset += count }
        return String(decoding: UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)]), as: UTF8.self)
    }

    mutating func optionalString() throws(LogReadError) -> String? { try bool() ? try string() : nil }

    mutating func instant() throws(LogReadError) -> SandboxInstant { SandboxInstant(millisecondsSince1970: try signed()) }

    mutating func optionalInstant() throws(LogReadError) -> SandboxInstant? { try bool() ? try instant() : nil }

    /// The bytes of a `blob`, borrowed.
    mutating func blob() throws(LogReadError) -> UnsafeRawBufferPointer {
        let count = try length()
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + count)])
    }

    private mutating func length() throws(LogReadError) -> Int {
        let count = try unsigned()
        guard count <= UInt64(buffer.count - offset) else { throw LogReadError("a binary record ends inside a value (at byte \(offset))") }
        return Int(count)
    }
}
