import PayLinkCore
import Synchronization
import Testing

struct ISO8601Tests {
    @Test func parsesOffsetsAndZ_toTheSameInstant() throws {
        let z = try #require(ISO8601.parseDateTime("2024-12-31T19:59:59Z"))
        #expect(ISO8601.parseDateTime("2024-12-31T23:59:59+04:00") == z)
        #expect(ISO8601.parseDateTime("2024-12-31T18:29:59-01:30") == z)
        #expect(ISO8601.parseDateTime("2024-12-31T23:59:59+0400") == z)
    }

    @Test func formatsUTCWithZ_asAPSDoes() throws {
        let instant = try #require(ISO8601.parseDateTime("2025-12-27T09:55:42+03:00"))
        #expect(ISO8601.formatUTC(instant) == "2025-12-27T06:55:42Z")
        #expect(ISO8601.formatUTC(SandboxInstant(secondsSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(ISO8601.formatUTC(SandboxInstant(secondsSince1970: -1)) == "1969-12-31T23:59:59Z")
    }

    @Test func fractionalSeconds_areKeptToTheMillisecond() throws {
        let a = try #require(ISO8601.parseDateTime("2026-01-01T00:00:00.5Z"))
        let b = try #require(ISO8601.parseDateTime("2026-01-01T00:00:00.123456Z"))
        #expect(a.millisecondsSince1970 % 1000 == 500)
        #expect(b.millisecondsSince1970 % 1000 == 123)
    }

    @Test(arguments: [
        "2024-12-31T23:59:59", "2024-12-31 23:59:59Z", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-12-31T24:00:00Z", "2024-12-31T23:60:00Z", "2024-12-31T23:59:59+4:00", "2024-12-31T23:59:59Zjunk",
        "", "tomorrow", "2024-12-31T23:59:59.Z", "2024-1-01T00:00:00Z",
    ])
    func rejects_malformedOrZonelessTimes(_ text: String) {
        #expect(ISO8601.parseDateTime(text) == nil)
    }

    @Test func leapDay_isAcceptedInLeapYears() {
        #expect(ISO8601.parseDateTime("2024-02-29T12:00:00Z") != nil)
        #expect(ISO8601.parseDate("2000-02-29") != nil)
        #expect(ISO8601.parseDate("1900-02-29") == nil)
    }

    @Test func roundTrip_overManyInstants() {
        var t: Int64 = -86_400 * 400
        while t < 86_400 * 365 * 200 {
            let instant = SandboxInstant(secondsSince1970: t)
            #expect(ISO8601.parseDateTime(ISO8601.formatUTC(instant)) == instant)
            t += 86_400 * 37 + 3_607
        }
    }
}

/// A real-time source the test moves by hand.
final class ManualTimeSource: RealTimeSource {
    private let value: Mutex<Int64>
    init(_ ms: Int64) { value = Mutex(ms) }
    func now() -> SandboxInstant { SandboxInstant(millisecondsSince1970: value.withLock { $0 }) }
    func move(_ ms: Int64) { value.withLock { $0 += ms } }
}

struct SandboxClockTests {
    @Test func runningClock_followsRealTimeFromItsStart() {
        let real = ManualTimeSource(1_000_000)
        let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 10), mode: .running, source: real)
        real.move(2_500)
        #expect(clock.now() == SandboxInstant(millisecondsSince1970: 12_500))
    }

    @Test func frozenClock_movesOnlyWhenTold() throws {
        let real = ManualTimeSource(0)
        let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 100), mode: .frozen, source: real)
        real.move(60_000)
        #expect(clock.now() == SandboxInstant(secondsSince1970: 100))
        try clock.advance(milliseconds: 5_000)
        #expect(clock.now() == SandboxInstant(secondsSince1970: 105))
        clock.set(SandboxInstant(secondsSince1970: 7))
        #expect(clock.now() == SandboxInstant(secondsSince1970: 7))
    }

    @Test func switchingModes_doesNotJump() {
        let real = ManualTimeSource(0)
        let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .running, source: real)
        real.move(3_000)
        clock.setMode(.frozen)
        real.move(10_000)
        #expect(clock.now() == SandboxInstant(secondsSince1970: 3))
        clock.setMode(.running)
        real.move(1_000)
        #expect(clock.now() == SandboxInstant(secondsSince1970: 4))
    }

    @Test func negativeAdvance_isRefused() {
        let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen)
        #expect(throws: ClockError.negativeAdvance) { try clock.advance(milliseconds: -1) }
    }
}

struct CurrencyTests {
    @Test func decimals_followTheAPSPluginTable() {
        #expect(Currency(code: "SAR")?.decimals == 2)
        #expect(Currency(code: "KWD")?.decimals == 3)
        #expect(Currency(code: "JOD")?.decimals == 3)
        #expect(Currency(code: "JPY")?.decimals == 0)
        #expect(Currency(code: "CLF")?.decimals == 4)
    }

    @Test func unknownOrLowercaseCodes_areNotCurrencies() {
        #expect(Currency(code: "XYZ") == nil)
        #expect(Currency(code: "sar") == nil)
        #expect(Currency(code: "SA") == nil)
    }

    @Test func formatting_usesTheCurrencysDecimals() {
        #expect(Currency(code: "SAR")!.format(minorUnits: 125_000) == "1,250.00")
        #expect(Currency(code: "KWD")!.format(minorUnits: 1_250_500) == "1,250.500")
        #expect(Currency(code: "JPY")!.format(minorUnits: 1_000_000) == "1,000,000")
        #expect(Currency(code: "USD")!.format(minorUnits: 5) == "0.05")
    }
}

struct APSCatalogTests {
    @Test func responseCode_splitsIntoStatusAndMessage() {
        let code = APSResponseCode("48000")
        #expect(code?.status == "48")
        #expect(code?.message == "000")
        #expect(code?.responseMessage == "Success")
        #expect(APSResponseCode("4800") == nil)
        #expect(APSResponseCode("48a00") == nil)
    }

    @Test func messages_dropTheCatalogsFullStop() {
        #expect(APSCatalog.messageText("008") == "Signature mismatch")
        #expect(APSCatalog.messageText("149") == "Payment link request id not found")
        #expect(APSCatalog.statusText("12") == "Check status success")
    }
}
