import PayLinkCore
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// The PayByLink pieces without a server: amounts, mobile numbers, plan schedules, the status
/// derived from a core link, and the multipart reader of APS uploads.
struct PayByLinkUnitTests {
    @Test(arguments: [("12", 1_200), ("12.5", 1_250), ("12.50", 1_250), ("0.01", 1), ("999999999.99", 99_999_999_999)])
    func poundAmounts_parse(text: String, pence: Int64) {
        #expect(PoundAmount.pence(text) == pence)
    }

    @Test(arguments: ["", ".5", "12.", "12.345", "-1", "1e3", "1,000", " 1", "1 ", "1.2.3", "1234567890"])
    func poundAmounts_refuse(text: String) {
        #expect(PoundAmount.pence(text) == nil)
    }

    @Test func poundAmounts_format() {
        #expect(PoundAmount.format(1_250) == "12.50")
        #expect(PoundAmount.format(7) == "0.07")
        #expect(PoundAmount.display(123_456_789) == "£1,234,567.89")
    }

    @Test func ukMobileNumbers() {
        #expect(UKMobileNumber.isValid("07700900123"))
        #expect(UKMobileNumber.isValid("+447700900123"))
        for bad in ["7700900123", "0770090012", "077009001234", "+44770090012", "+4477009001x3", "07700 900123", "01632960000"] {
            #expect(!UKMobileNumber.isValid(bad), "\(bad)")
        }
        // Checked byte by byte: a non-ASCII digit, a combining mark after the prefix or a
        // full-width plus is no part of a number.
        for bad in ["07700900\u{0663}23", "+4\u{0301}47700900123", "0\u{0301}7700900123", "\u{FF0B}447700900123", "07700900123\u{0301}"] {
            #expect(!UKMobileNumber.isValid(bad), "\(bad)")
        }
        #expect(UKMobileNumber.isUndeliverable("+447700900999"))
        #expect(!UKMobileNumber.isUndeliverable("07700900998"))
    }

    /// Addresses are checked in their bytes, short (inline) strings and long ones alike.
    @Test func emailAddresses() {
        for good in ["a@b.c", "first.last+tag@example.co.uk", "zo\u{EB}@exampl\u{E9}.com", String(repeating: "x", count: 60) + "@example.com"] {
            #expect(RequestDraft.isEmail(good), "\(good)")
        }
        for bad in ["", "@b.c", "a@", "a@b", "a@.b.c", "a@b.c.", "a@b@c.d", "a b@c.d", "a@b.c\t", "a\u{7F}@b.c",
                    String(repeating: "x", count: 60) + "@example com"] {
            #expect(!RequestDraft.isEmail(bad), "\(bad)")
        }
    }

    @Test func monthlyPlan_keepsTheDay_orTheMonthsLastDay() throws {
        let plan = RepaymentPlan(instalmentAmount: 100, frequency: .monthly, numberOfInstalments: 4,
                                 firstPaymentDate: try #require(ISO8601.parseDate("2027-11-30")))
        #expect((1...4).map { isoDate(plan.dueDate(ofInstalment: $0)) } == ["2027-11-30", "2027-12-30", "2028-01-30", "2028-02-29"])
        let weekly = RepaymentPlan(instalmentAmount: 100, frequency: .fortnightly, numberOfInstalments: 2,
                                   firstPaymentDate: try #require(ISO8601.parseDate("2026-12-25")))
        #expect(isoDate(weekly.dueDate(ofInstalment: 2)) == "2027-01-08")
    }

    @Test func plan_lastInstalmentTakesTheRest_andMustFit() {
        let plan = RepaymentPlan(instalmentAmount: 4_000, frequency: .weekly, numberOfInstalments: 3, firstPaymentDate: SandboxInstant(secondsSince1970: 0))
        #expect(plan.fits(total: 10_000))
        #expect(plan.amount(ofInstalment: 3, total: 10_000) == 2_000)
        #expect(plan.fits(total: 12_000))
        #expect(!plan.fits(total: 12_001))
        #expect(!plan.fits(total: 8_000))
    }

    /// A link in `state` at `now` seconds, read from a real engine (views are the engine's to make).
    func view(_ state: LinkLifecycle, expiry: Int64 = 100, now: Int64 = 50, opened: Int = 0) throws -> LinkView {
        let clock = SandboxClock(start: SandboxInstant(secondsSince1970: 0), mode: .frozen)
        let engine = LinkEngine(clock: clock, seed: 1)
        let terms = LinkTerms(merchantIdentifier: "pay-by-link", merchantReference: "r", amount: 1, currency: "GBP", customerEmail: "",
                              expiry: SandboxInstant(secondsSince1970: expiry))
        let id = try engine.createLink(terms).link.id
        for _ in 0..<opened { _ = try engine.recordOpening(id: id) }
        switch state {
        case .paid: _ = try engine.pay(id: id)
        case .closed: _ = try engine.update(id: id, .init(status: .closed))
        case .open: break
        }
        clock.set(SandboxInstant(secondsSince1970: now))
        return try #require(engine.link(id: id))
    }

    @Test func status_followsTheLink() throws {
        let expiry = SandboxInstant(secondsSince1970: 100)
        func derive(_ link: LinkView, failed: Bool = false, sent: Bool = true, paid: Int = 0, of: Int = 1) -> PayByLinkStatus {
            PayByLinkStatus.derive(link: link, deliveryFailed: failed, sent: sent, instalmentsPaid: paid, instalments: of, requestExpiry: expiry)
        }
        let open = try view(.open), opened = try view(.open, opened: 2), paid = try view(.paid), closed = try view(.closed)
        #expect(derive(open, sent: false) == .pending)
        #expect(derive(open) == .sent)
        #expect(derive(opened) == .opened)
        #expect(derive(paid, paid: 1) == .paid)
        #expect(derive(paid, paid: 1, of: 3) == .partiallyPaid)
        #expect(derive(opened, paid: 1, of: 3) == .partiallyPaid)
        #expect(derive(closed) == .cancelled)
        #expect(derive(closed, failed: true) == .failed)
        #expect(derive(try view(.open, now: 100)) == .expired)
        #expect(derive(try view(.paid, now: 100), paid: 1, of: 2) == .expired)
    }

    @Test func multipart_readsFieldsAndFile() throws {
        let body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\none\r\n"
            + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x.csv\"\r\nContent-Type: text/csv\r\n\r\nh\r\n1\r\n--b--\r\n"
        #expect(MultipartFormData.boundary(contentType: "multipart/form-data; boundary=\"b\"") == "b")
        #expect(MultipartFormData.boundary(contentType: "application/json") == nil)
        let form = try MultipartFormData.parse(Array(body.utf8), boundary: "b")
        #expect(form.part("a")?.text == "one")
        #expect(form.part("file")?.fileName == "x.csv")
        #expect(form.part("file")?.text == "h\r\n1")
    }

    @Test(arguments: ["no parts here", "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nunclosed", "--b\r\nX: y\r\n\r\nv\r\n--b--\r\n", "--bX"])
    func multipart_refusesBrokenBodies(body: String) {
        #expect(throws: MultipartFormData.Failure.self) { try MultipartFormData.parse(Array(body.utf8), boundary: "b") }
    }
}
