/// CRC-32 as ZIP, PNG and Ethernet use it (IEEE 802.3: reflected polynomial 0xEDB88320,
/// register starting at all ones, result inverted). Every ZIP entry carries one, and readers
/// (Excel included) reject or "repair" an archive whose entries do not match theirs.
enum CRC32 {
    /// The checksum of `bytes`; `checksum("123456789".utf8) == 0xCBF43926`, the published check value.
    static func checksum(_ bytes: some Sequence<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = table[Int(UInt8(truncatingIfNeeded: crc) ^ byte)] ^ (crc >> 8)
        }
        return ~crc
    }

    /// What eight bit-at-a-time rounds do to each possible low byte, worked out once, so a
    /// byte costs one lookup instead of eight shifts.
    static let table: [UInt32] = (0..<256).map { (byte: UInt32) in
        var remainder = byte
        for _ in 0..<8 {
            remainder = remainder & 1 == 1 ? (remainder >> 1) ^ 0xEDB8_8320 : remainder >> 1
        }
        return remainder
    }
}
