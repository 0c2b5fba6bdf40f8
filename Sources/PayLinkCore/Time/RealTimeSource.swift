#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where "real" time comes from. Injected so tests can drive a running clock by hand.
public protocol RealTimeSource: Sendable {
    func now() -> SandboxInstant
}

/// The machine's wall clock (`CLOCK_REALTIME`).
public struct SystemTimeSource: RealTimeSource {
    public init() {}
    public func now() -> SandboxInstant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return SandboxInstant(millisecondsSince1970: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
    }
}
