import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// Keeps card data out of the journal (card numbers masked, CVV never stored):
/// `card_number` becomes first six and last four digits, `card_security_code` is removed.
/// Bodies that do not mention `card_` are returned untouched, without being parsed.
enum CardDataMask {
    /// `asForm`: read the body as a form whatever its content type says (the hosted page's
    /// parser does the same, so the journal must not be laxer).
    static func masked(_ body: [UInt8], contentType: String?, asForm: Bool = false) -> [UInt8] {
        guard mentionsCard(body) else { return body }
        if asForm || contentType?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true { return maskedForm(body) }
        if let value = try? JSONParser.parse(body), case .object(let object) = value { return maskedJSON(object).serialized() }
        // Text (an HTML page that re-shows the form): every run of 13 to 19 digits is masked.
        return maskedDigitRuns(body)
    }

    /// Runs of 13 to 19 digits (spaces or dashes allowed between them, as typed) masked like card numbers.
    static func maskedDigitRuns(_ body: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count)
        var i = 0
        while i < body.count {
            guard body[i] >= 48 && body[i] <= 57 else { out.append(body[i]); i += 1; continue }
            var j = i, digits: [UInt8] = []
            while j < body.count && ((body[j] >= 48 && body[j] <= 57)
                || ((body[j] == 32 || body[j] == 45) && j + 1 < body.count && body[j + 1] >= 48 && body[j + 1] <= 57)) {
                if body[j] >= 48 && body[j] <= 57 { digits.append(body[j]) }
                j += 1
            }
            if (13...19).contains(digits.count) {
                out += Array(mask(String(decoding: digits, as: UTF8.self)).utf8)
            } else {
                out += body[i..<j]
            }
            i = j
        }
        return out
    }

    /// Whether `card_` occurs in the body. It runs on every journaled request, so it is one
    /// pass over the body, sixteen positions a step with vector compares (a wider step of 32
    /// compiled to byte-wise code): first whether any of them ends a `d_` (rare in any body),
    /// and only then whether a whole `card_` does.
    /// It used to hop with `memchr` from one `_` to the next (eight calls for a status check,
    /// 349 instructions; an APS body is full of underscores).
    static func mentionsCard(_ body: [UInt8]) -> Bool {
        body.withUnsafeBytes { bytes -> Bool in
            // `end` is where a `card_`'s underscore would be: 4 ..< bytes.count.
            let lastStep = bytes.count &- 16
            guard lastStep >= 4 else { return endsCardField(in: bytes, from: 4) }
            var end = 4
            while true {
                if endsCardField(in: bytes, sixteenFrom: end) { return true }
                if end == lastStep { return false }
                // The last step overlaps the one before it rather than reading past the body.
                end = min(end &+ 16, lastStep)
            }
        }
    }

    /// Whether a `card_` ends at one of `bytes[end ..< end + 16]`.
    @inline(__always)
    private static func endsCardField(in bytes: UnsafeRawBufferPointer, sixteenFrom end: Int) -> Bool {
        func positions(_ ascii: Unicode.Scalar, before: Int) -> SIMDMask<SIMD16<Int8>> {
            bytes.loadUnaligned(fromByteOffset: end &- before, as: SIMD16<UInt8>.self) .== SIMD16(repeating: UInt8(ascii: ascii))
        }
        let endings = positions("_", before: 0) .& positions("d", before: 1)
        guard any(endings) else { return false }
        return any(endings .& positions("r", before: 2) .& positions("a", before: 3) .& positions("c", before: 4))
    }

    /// The same, a byte at a time, for bodies too short for a step of sixteen.
    private static func endsCardField(in bytes: UnsafeRawBufferPointer, from first: Int) -> Bool {
        var end = first
        while end < bytes.count {
            if bytes[end] == UInt8(ascii: "_") && bytes[end - 1] == UInt8(ascii: "d") && bytes[end - 2] == UInt8(ascii: "r")
                && bytes[end - 3] == UInt8(ascii: "a") && bytes[end - 4] == UInt8(ascii: "c") { return true }
            end += 1
        }
        return false
    }

    private static func maskedJSON(_ object: JSONObject) -> JSONObject {
        var result = JSONObject()
        for (key, value) in object {
            switch (key, value) {
            case ("card_security_code", _): continue
            case ("card_number", .string(let number)): result[key] = .string(mask(number))
            case (_, .object(let nested)): result[key] = .object(maskedJSON(nested))
            default: result[key] = value
            }
        }
        return result
    }

    private static func maskedForm(_ body: [UInt8]) -> [UInt8] {
        let pairs = String(decoding: body, as: UTF8.self).split(separator: "&", omittingEmptySubsequences: false)
        let kept: [String] = pairs.compactMap { pair in
            let name = pair.split(separator: "=", maxSplits: 1).first.map(String.init) ?? ""
            if name == "card_security_code" { return nil }
            guard name == "card_number" else { return String(pair) }
            let value = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).dropFirst().first ?? ""
            return "card_number=" + mask(QueryParameters.decode(value).filter { $0 != " " && $0 != "-" })
        }
        return Array(kept.joined(separator: "&").utf8)
    }

    /// `4005550000000001` → `400555******0001`.
    static func mask(_ number: String) -> String { TestCards.masked(number) }
}
