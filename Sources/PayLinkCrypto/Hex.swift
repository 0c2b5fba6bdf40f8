extension Collection<UInt8> {
    /// The bytes as lowercase hexadecimal, two characters per byte, no separators: the form
    /// payment providers put in signature headers and the form test vectors are written in.
    @inlinable
    public var hexString: String {
        let byteCount = count
        return String(unsafeUninitializedCapacity: byteCount &* 2) { output in
            var position = 0
            for byte in self {
                output[position] = hexDigit(byte &>> 4)
                output[position &+ 1] = hexDigit(byte & 0x0F)
                position &+= 2
            }
            return position
        }
    }
}

/// The ASCII code of a lowercase hex digit for a nibble; arithmetic rather than a table
/// lookup so the inlinable `hexString` needs no module-level storage.
@inlinable @inline(__always)
internal func hexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? nibble &+ 0x30 : nibble &+ (0x61 &- 10)
}
