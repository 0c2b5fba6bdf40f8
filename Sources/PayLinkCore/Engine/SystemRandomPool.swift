#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The system's secure random numbers, drawn 256 bytes at a time (the most one `getentropy`
/// call gives): one system call serves 32 words, where `SystemRandomNumberGenerator` makes one
/// per word (a batch of 100,000 PayByLink requests drew about 500,000 times). The words are the
/// kernel's CSPRNG output, each used once, in order.
///
/// A value type, so a copy of a generator holds the words not yet used as well; the engines
/// keep theirs in one place under a lock and never use a copy beside the original.
struct SystemRandomPool: Sendable {
    private static let words = 32
    private var pool: [UInt64] = []
    private var position = 0

    mutating func next() -> UInt64 {
        if position == pool.count { refill() }
        defer { position += 1 }
        return pool[position]
    }

    private mutating func refill() {
        if pool.isEmpty { pool = Array(repeating: 0, count: Self.words) }
        let filled = pool.withUnsafeMutableBytes { getentropy($0.baseAddress!, $0.count) == 0 }
        if !filled {
            // Unavailable (a kernel without getrandom): the standard library's generator, a word at a time.
            var generator = SystemRandomNumberGenerator()
            for index in pool.indices { pool[index] = generator.next() }
        }
        position = 0
    }
}
