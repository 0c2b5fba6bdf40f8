/// A streaming cryptographic hash: feed it bytes in any number of pieces, then finalize once.
///
/// Conformers only have to implement the raw-buffer `update`; every other way of feeding
/// bytes funnels into it, so each algorithm has exactly one place that touches its blocks.
public protocol HashFunction: Sendable {
    /// The size of the compression function's input block, which HMAC pads its key to.
    static var blockByteCount: Int { get }
    /// The length of the digest that `finalize()` returns.
    static var digestByteCount: Int { get }

    /// A hasher that has seen no input yet.
    init()

    /// Absorbs `bytes`. The buffer is only read during the call and may be empty.
    mutating func update(_ bytes: UnsafeRawBufferPointer)

    /// Absorbs the bytes of any collection, for example `[UInt8]` or `String.UTF8View`.
    mutating func update(_ bytes: some Collection<UInt8>)

    /// Pads the message, and returns the digest. Consuming, because a hasher that has
    /// been padded cannot meaningfully take more input.
    consuming func finalize() -> [UInt8]
}

extension HashFunction {
    /// Absorbs the bytes of any collection without allocating per byte.
    ///
    /// Arrays and native strings hand over their storage directly. Anything else (a lazy
    /// view, a bridged string) is copied through a small stack buffer so the hash still
    /// sees whole runs of bytes rather than one call per byte.
    @inlinable
    public mutating func update(_ bytes: some Collection<UInt8>) {
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            update(UnsafeRawBufferPointer(buffer))
        }
        if handled != nil { return }

        let chunkSize = 256
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: chunkSize) { chunk in
            var filled = 0
            for byte in bytes {
                chunk[filled] = byte
                filled &+= 1
                if filled == chunkSize {
                    update(UnsafeRawBufferPointer(chunk))
                    filled = 0
                }
            }
            if filled > 0 {
                update(UnsafeRawBufferPointer(start: chunk.baseAddress, count: filled))
            }
        }
    }

    /// The digest of `bytes` in one call, e.g. `SHA256.hash(payload.utf8)`.
    @inlinable
    public static func hash(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var hasher = Self()
        hasher.update(bytes)
        return hasher.finalize()
    }
}
