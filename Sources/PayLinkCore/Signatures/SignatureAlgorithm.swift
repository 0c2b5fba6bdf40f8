import PayLinkCrypto

/// The hash a merchant account signs with (`sha_type`).
///
/// APS documents SHA-256 and SHA-512; the official WooCommerce and Magento plugins also offer
/// HMAC variants, where the message is the same phrase-wrapped string and the key is that phrase.
public enum SignatureAlgorithm: String, Sendable, CaseIterable {
    case sha256 = "SHA-256"
    case sha512 = "SHA-512"
    case hmacSHA256 = "HMAC-SHA256"
    case hmacSHA512 = "HMAC-SHA512"

    /// Accepts the configuration names and the plugins' dashboard labels (`HMAC-256`, `HMAC-512`).
    public init?(name: String) {
        switch name.uppercased() {
        case "SHA-256", "SHA256": self = .sha256
        case "SHA-512", "SHA512": self = .sha512
        case "HMAC-SHA256", "HMAC-256", "HMACSHA256": self = .hmacSHA256
        case "HMAC-SHA512", "HMAC-512", "HMACSHA512": self = .hmacSHA512
        default: return nil
        }
    }

    /// Lowercase hex digest of `message`, keyed by `phrase` for the HMAC variants.
    public func digestHex(message: [UInt8], phrase: String) -> String {
        message.withUnsafeBytes { digestHex(message: $0, phrase: phrase) }
    }

    /// Lowercase hex digest of the bytes in `message` (read during the call only).
    public func digestHex(message: UnsafeRawBufferPointer, phrase: String) -> String {
        switch self {
        case .sha256: Self.sha256Hex(message)
        case .sha512: SHA512.hash(message).hexString
        case .hmacSHA256: HMAC<SHA256>.authenticationCode(for: message, key: phrase.utf8).hexString
        case .hmacSHA512: HMAC<SHA512>.authenticationCode(for: message, key: phrase.utf8).hexString
        }
    }

    /// SHA-256 straight to hex: the algorithm almost every merchant signs with.
    private static func sha256Hex(_ message: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(message)
        return hasher.finalizeHex()
    }
}
