import PayLinkCore

/// Appends the state directory's binary encodings: unsigned integers as LEB128 varints, signed
/// ones zigzagged first (small magnitudes take a byte or two), strings as their UTF-8 length
/// then bytes, optionals behind a presence byte. No tags or names: each entity's codec writes
/// its fields in one fixed order and reads them back in the same order.
struct BinaryWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func unsigned(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    mutating func signed(_ value: Int64) { unsigned(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    mutating func int(_ value: Int) { signed(Int64(value)) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func string(_ text: String) {
        // A native string's bytes are read in place; only another kind (bridged) is copied first.
        let done: Void? = text.utf8.withContiguousStorageIfAvailable { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
        guard done == nil else { return }
        var text = text
        text.withUTF8 { utf8 in
            unsigned(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func optionalString(_ text: String?) {
        guard let text else { bytes.append(0); return }
        bytes.append(1)
        string(text)
    }

    mutating func instant(_ instant: SandboxInstant) { signed(instant.millisecondsSince1970) }

    mutating func optionalInstant(_ instant: SandboxInstant?) {
        guard let instant else { bytes.append(0); return }
        bytes.append(1)
        self.instant(instant)
    }

    /// Length-prefixed raw bytes (a JSON entry inside a binary frame).
    mutating func blob(_ data: [UInt8]) {
        unsigned(UInt64(data.count))
        bytes.append(contentsOf: data)
    }
}
