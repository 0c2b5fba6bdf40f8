/// HMAC (RFC 2104) over any `HashFunction`, e.g. `HMAC<SHA256>` for webhook signatures.
///
/// An uninhabited enum: the only useful operation is the one-shot `authenticationCode`,
/// and a namespace keeps the call site reading like the algorithm's name.
public enum HMAC<H: HashFunction> {
    /// The HMAC of `message` under `key`, `H.digestByteCount` bytes long.
    ///
    /// Keys longer than the hash's block size are hashed first, as RFC 2104 requires;
    /// shorter keys (including an empty one) are zero-padded to the block size.
    @inlinable
    public static func authenticationCode(
        for message: some Collection<UInt8>,
        key: some Collection<UInt8>
    ) -> [UInt8] {
        let blockSize = H.blockByteCount
        // The padded key is block-sized (64 or 128 bytes), so it fits on the stack.
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: blockSize) { pad in
            pad.initialize(repeating: 0)
            if key.count > blockSize {
                let hashedKey = H.hash(key)
                for (index, byte) in hashedKey.enumerated() { pad[index] = byte }
            } else {
                var index = 0
                for byte in key {
                    pad[index] = byte
                    index &+= 1
                }
            }

            for index in 0..<blockSize { pad[index] ^= 0x36 }
            var inner = H()
            inner.update(UnsafeRawBufferPointer(pad))
            inner.update(message)
            let innerDigest = inner.finalize()

            // Turn the inner pad into the outer one in place: (k ^ ipad) ^ ipad ^ opad == k ^ opad.
            for index in 0..<blockSize { pad[index] ^= 0x36 ^ 0x5C }
            var outer = H()
            outer.update(UnsafeRawBufferPointer(pad))
            outer.update(innerDigest)
            return outer.finalize()
        }
    }
}
