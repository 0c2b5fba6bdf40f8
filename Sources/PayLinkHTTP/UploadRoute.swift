#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A request that may carry a body up to `maxUploadBytes` instead of `maxBodyBytes`: a file
/// upload. The parser knows the method and path before the first body byte, so the choice is
/// made (and a 413 answered) from the head alone, as for every other body.
public struct UploadRoute: Sendable, Equatable {
    /// The method, exactly (`POST`, `PUT`).
    public var method: String
    /// The path (no query); with `matchesPrefix`, the start of every path it covers.
    public var path: String
    public var matchesPrefix: Bool

    public init(method: String, path: String, matchesPrefix: Bool = false) {
        self.method = method
        self.path = path
        self.matchesPrefix = matchesPrefix
    }

    /// Whether a request with `method` and this path (the target without its query) is this
    /// route's. Paths are compared byte for byte, as HTTP compares them.
    func matches(method: String, path: UnsafeBufferPointer<UInt8>) -> Bool {
        guard method == self.method else { return false }
        let matches = self.path.utf8.withContiguousStorageIfAvailable { own in
            guard matchesPrefix ? path.count >= own.count : path.count == own.count else { return false }
            return own.isEmpty || memcmp(own.baseAddress!, path.baseAddress!, own.count) == 0
        }
        // Bridged strings only (never on Linux); the general way.
        return matches ?? (matchesPrefix ? path.starts(with: self.path.utf8) : path.elementsEqual(self.path.utf8))
    }
}
