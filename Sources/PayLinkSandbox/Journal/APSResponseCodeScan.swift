#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the `response_code` of an APS answer in its JSON text, for the request log: whatever
/// shaped the answer (the endpoint, a fault forcing a code or damaging the body), the log says
/// what the client was sent. Inside a JSON string a quote is escaped, so the first `"response_code":"`
/// in the text is the member itself (a request's own `response_code` is echoed in that place and
/// replaced there); nil when the body has none (a dropped or cut answer).
enum APSResponseCodeScan {
    static func code(in body: [UInt8]) -> String? {
        let marker: StaticString = #""response_code":""#
        return body.withUnsafeBufferPointer { bytes -> String? in
            guard let base = bytes.baseAddress else { return nil }
            let length = marker.utf8CodeUnitCount
            // From quote to quote (`memchr`), comparing the marker at each.
            var at = 0
            while true {
                guard bytes.count - at >= length, let quote = memchr(base + at, 0x22, bytes.count - length + 1 - at) else { return nil }
                at = UnsafeRawPointer(base).distance(to: UnsafeRawPointer(quote))
                if memcmp(base + at, marker.utf8Start, length) == 0 { break }
                at += 1
            }
            let start = at + length
            var end = start
            while end < bytes.count && bytes[end] != UInt8(ascii: "\"") && bytes[end] != UInt8(ascii: "\\") { end += 1 }
            guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        }
    }
}
