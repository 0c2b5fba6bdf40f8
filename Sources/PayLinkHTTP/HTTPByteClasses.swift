#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// Byte classes and small scans the parser and the server share.

@inline(__always)
func findLF(_ buf: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
    guard from < buf.count, let base = buf.baseAddress else { return nil }
    guard let found = memchr(base + from, 0x0A, buf.count - from) else { return nil }
    return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found))
}

@inline(__always)
func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

@inline(__always)
func hexValue(_ c: UInt8) -> Int? {
    if c &- 0x30 < 10 { return Int(c &- 0x30) }
    let lower = c | 0x20
    if lower &- 0x61 < 6 { return Int(lower &- 0x61) + 10 }
    return nil
}

/// Decimal digits only; values past Int saturate to Int.max.
func parseDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
    guard !bytes.isEmpty else { return nil }
    var value = 0
    for c in bytes {
        guard isDigit(c) else { return nil }
        let (times10, o1) = value.multipliedReportingOverflow(by: 10)
        let (sum, o2) = times10.addingReportingOverflow(Int(c &- 0x30))
        value = (o1 || o2) ? Int.max : sum
    }
    return value
}

/// tchar from RFC 9110 §5.6.2.
@inline(__always)
func isTokenChar(_ c: UInt8) -> Bool {
    switch c {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        return true
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
         UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
         UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
        return true
    default:
        return false
    }
}
