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

/// Whether `buf[start..<end]` holds only bytes a header value may: no control character but
/// tab, and no DEL (bytes from 0x80 up are obs-text, allowed). Eight bytes a step while a word
/// has neither kind of byte: tested one by one, the value's bytes cost about a third of
/// parsing a header line. A word with a tab (or a real error) is left to the byte test.
@inline(__always)
func isValidHeaderValue(_ buf: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Bool {
    guard let base = buf.baseAddress else { return start >= end }
    let ones: UInt64 = 0x0101_0101_0101_0101, highBits: UInt64 = 0x8080_8080_8080_8080
    var i = start
    while end &- i >= 8 {
        let word = UnsafeRawPointer(base).loadUnaligned(fromByteOffset: i, as: UInt64.self)
        // The word tests "some byte is below 0x20" and "some byte is zero" (here: is 0x7F);
        // each is exact about whether there is one.
        let belowSpace = (word &- ones &* 0x20) & ~word & highBits
        let del = word ^ (ones &* 0x7F)
        let hasDEL = (del &- ones) & ~del & highBits
        if belowSpace | hasDEL != 0 { break }
        i &+= 8
    }
    while i < end {
        let c = buf[i]
        if (c < 0x20 && c != 0x09) || c == 0x7F { return false }
        i &+= 1
    }
    return true
}
