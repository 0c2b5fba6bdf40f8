#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Real time spent answering a request, for the journal and the request log: the monotonic
/// clock in nanoseconds as one integer. `ContinuousClock`'s `Duration` gave microseconds
/// through two 128-bit divisions a reading (`components`), on every request.
struct Stopwatch {
    private let started: Int64

    init() { started = Self.nanoseconds() }

    /// Microseconds since `init`.
    var microseconds: Int64 { (Self.nanoseconds() &- started) / 1_000 }

    private static func nanoseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }
}
