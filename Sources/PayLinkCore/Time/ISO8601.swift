/// ISO 8601 date-times as the APS API uses them: `2024-12-31T23:59:59+04:00` on input,
/// `2025-12-27T06:55:42Z` on output. Written by hand because Foundation's formatters are slow
/// and locale-sensitive, and the emulator must parse these on the request path.
public enum ISO8601 {
    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]` followed by `Z` or `±HH:MM` (also `±HHMM`).
    /// A zone is required: the APS tables say "ISO 8601 format with timezone".
    public static func parseDateTime(_ text: String) -> SandboxInstant? {
        var bytes = Array(text.utf8)[...]
        guard let date = parseDate(&bytes), bytes.popFirst() == UInt8(ascii: "T") else { return nil }
        guard let hour = takeDigits(&bytes, 2), bytes.popFirst() == UInt8(ascii: ":"),
              let minute = takeDigits(&bytes, 2), bytes.popFirst() == UInt8(ascii: ":"),
              let second = takeDigits(&bytes, 2),
              hour < 24, minute < 60, second < 60
        else { return nil }
        var millis: Int64 = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes.removeFirst()
            var digits = 0
            while let b = bytes.first, b >= 48, b <= 57 {
                if digits < 3 { millis = millis * 10 + Int64(b - 48) }
                digits += 1
                bytes.removeFirst()
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        guard let zone = bytes.popFirst() else { return nil }
        var offsetSeconds: Int64 = 0
        switch zone {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            break
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let oh = takeDigits(&bytes, 2) else { return nil }
            if bytes.first == UInt8(ascii: ":") { bytes.removeFirst() }
            guard let om = takeDigits(&bytes, 2), oh <= 18, om < 60 else { return nil }
            offsetSeconds = Int64(oh * 3600 + om * 60) * (zone == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        guard bytes.isEmpty else { return nil }
        let days = daysFromCivil(year: date.year, month: date.month, day: date.day)
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return SandboxInstant(millisecondsSince1970: (local - offsetSeconds) * 1000 + millis)
    }

    /// Parses an ISO date `YYYY-MM-DD` to midnight UTC of that day.
    public static func parseDate(_ text: String) -> SandboxInstant? {
        var bytes = Array(text.utf8)[...]
        guard let date = parseDate(&bytes), bytes.isEmpty else { return nil }
        return SandboxInstant(secondsSince1970: daysFromCivil(year: date.year, month: date.month, day: date.day) * 86_400)
    }

    /// `2025-12-27T06:55:42Z`; milliseconds are dropped, as APS prints whole seconds.
    public static func formatUTC(_ instant: SandboxInstant) -> String {
        let seconds = instant.secondsSince1970
        var days = seconds / 86_400
        var rest = seconds % 86_400
        if rest < 0 { rest += 86_400; days -= 1 }
        let (y, m, d) = civilFromDays(days)
        guard (0...9999).contains(y) else {
            return String(y) + "-" + pad(m, 2) + "-" + pad(d, 2) + "T" + pad(Int(rest / 3600), 2) + ":"
                + pad(Int(rest % 3600 / 60), 2) + ":" + pad(Int(rest % 60), 2) + "Z"
        }
        // Twenty ASCII bytes written in place: this runs on the request path.
        return String(unsafeUninitializedCapacity: 20) { out in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var v = value
                for i in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[i] = UInt8(48 + v % 10)
                    v /= 10
                }
            }
            put(y, 4, at: 0); out[4] = UInt8(ascii: "-"); put(m, 2, at: 5); out[7] = UInt8(ascii: "-"); put(d, 2, at: 8)
            out[10] = UInt8(ascii: "T"); put(Int(rest / 3600), 2, at: 11); out[13] = UInt8(ascii: ":")
            put(Int(rest % 3600 / 60), 2, at: 14); out[16] = UInt8(ascii: ":"); put(Int(rest % 60), 2, at: 17)
            out[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    // MARK: - Calendar arithmetic (Howard Hinnant's days_from_civil / civil_from_days)

    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    package static func civilFromDays(_ days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (Int(y), Int(m), Int(d))
    }

    package static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    private static func parseDate(_ bytes: inout ArraySlice<UInt8>) -> (year: Int, month: Int, day: Int)? {
        guard let year = takeDigits(&bytes, 4), bytes.popFirst() == UInt8(ascii: "-"),
              let month = takeDigits(&bytes, 2), bytes.popFirst() == UInt8(ascii: "-"),
              let day = takeDigits(&bytes, 2),
              (1...12).contains(month), day >= 1
        else { return nil }
        let monthDays = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day <= monthDays[month - 1] else { return nil }
        return (year, month, day)
    }

    private static func takeDigits(_ bytes: inout ArraySlice<UInt8>, _ count: Int) -> Int? {
        guard bytes.count >= count else { return nil }
        var value = 0
        for _ in 0..<count {
            let b = bytes.removeFirst()
            guard b >= 48, b <= 57 else { return nil }
            value = value * 10 + Int(b - 48)
        }
        return value
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
