/// Finds the `response_code` of an APS answer in its JSON text, for the request log: whatever
/// shaped the answer (the endpoint, a fault forcing a code or damaging the body), the log says
/// what the client was sent. The writer never escapes inside a code (five digits), so a byte
/// search for the member is exact; nil when the body has none (a dropped or cut answer).
enum APSResponseCodeScan {
    private static let marker = Array(#""response_code":""#.utf8)

    static func code(in body: [UInt8]) -> String? {
        body.withUnsafeBufferPointer { bytes -> String? in
            let m = marker.count
            guard bytes.count > m else { return nil }
            var i = 0
            while i + m <= bytes.count {
                if bytes[i] == UInt8(ascii: "\""), bytes[i + 1] == UInt8(ascii: "r"), matches(bytes, at: i) {
                    let start = i + m
                    var end = start
                    while end < bytes.count && bytes[end] != UInt8(ascii: "\"") && bytes[end] != UInt8(ascii: "\\") { end += 1 }
                    guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return nil }
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
                }
                i += 1
            }
            return nil
        }
    }

    private static func matches(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        for (k, byte) in marker.enumerated() where bytes[offset + k] != byte { return false }
        return true
    }
}
