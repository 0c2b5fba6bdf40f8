import PayLinkCrypto

/// Signs and checks the upload URLs the sandbox hands out for batch files, in the manner of an
/// Azure shared-access-signature URL (`?sv=…&sr=b&sp=cw&se=…&sig=…`). The HMAC-SHA256 covers
/// the whole path and every query parameter before `sig`, so changing any of them (the expiry
/// included) or adding one makes the URL tampered.
public struct UploadURLSigner: Sendable {
    /// The storage service version written into the URL, as Azure's SAS URLs carry one.
    public static let serviceVersion = "2024-11-04"

    public enum Verdict: Sendable, Equatable {
        case valid(expiry: SandboxInstant)
        /// No signature, or one that does not match the URL.
        case tampered
        /// The signature matches but the URL's `se` has passed.
        case expired(expiry: SandboxInstant)
    }

    private let key: [UInt8]

    public init(key: [UInt8]) { self.key = key }

    /// `path` with a signed query that stops working at `expiry`.
    public func sign(path: String, expiry: SandboxInstant) -> String {
        let unsigned = path + "?sv=" + Self.serviceVersion + "&sr=b&sp=cw&se=" + ISO8601.formatUTC(expiry)
        return unsigned + "&sig=" + signature(unsigned)
    }

    /// Checks a request's path and raw query at sandbox time `now`.
    public func verify(path: String, query: String?, now: SandboxInstant) -> Verdict {
        guard let query, let marker = query.ranges(of: "&sig=").last else { return .tampered }
        let unsignedQuery = query[..<marker.lowerBound]
        let given = query[marker.upperBound...]
        guard Self.constantTimeEqual(Array(given.utf8), Array(signature(path + "?" + unsignedQuery).utf8)) else { return .tampered }
        let expiryText = unsignedQuery.split(separator: "&").first { $0.hasPrefix("se=") }.map { String($0.dropFirst(3)) }
        guard let expiryText, let expiry = ISO8601.parseDateTime(expiryText) else { return .tampered }
        return now >= expiry ? .expired(expiry: expiry) : .valid(expiry: expiry)
    }

    private func signature(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array(text.utf8), key: key).hexString
    }

    private static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
