import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS

/// A customer's browser on the simulated Tamara and Tabby checkouts (JavaScript off): it
/// follows the 303 to the provider's page, signs in, enters the OTP and presses a button.
struct BNPLBrowser {
    let browser: HostedCheckoutBrowser
    var aps: APSTestClient { browser.aps }

    /// A Tamara (or Tabby) hosted checkout request with its mandatory fields.
    static func request(_ reference: String, option: String = "TAMARA", currency: String = "SAR", language: String = "en",
                        _ extra: [(String, String)] = [], without: Set<String> = []) -> [(String, String)] {
        var fields = HostedCheckoutBrowser.redirectForm(reference, language: language, [
            ("payment_option", option), ("phone_number", "+966500000001"), ("order_description", "Order 42"),
        ] + extra)
        fields = fields.map { $0.0 == "currency" ? ($0.0, currency) : $0 }.filter { !without.contains($0.0) }
        return fields
    }

    /// Posts the request and follows the redirect: the provider's sign-in page and its address.
    func start(_ fields: [(String, String)]) throws -> (address: String, page: HTTPTestClient.Response) {
        let started = try browser.start(fields)
        guard started.status == 303, let location = started.header("Location") else {
            throw HTTPTestClient.ClientError(description: "start answered \(started.status): \(started.text)")
        }
        return (location, try aps.http.get(location))
    }

    func signIn(_ address: String, _ fields: [(String, String)]) throws -> HTTPTestClient.Response {
        try browser.post(address + "/signin", fields)
    }

    func otp(_ address: String, _ code: String) throws -> HTTPTestClient.Response {
        try browser.post(address + "/otp", [("otp", code)])
    }

    func decide(_ address: String, _ action: String) throws -> HTTPTestClient.Response {
        try browser.post(address + "/decision", [("action", action)])
    }

    static let tamaraSignIn = [("phone_number", "+966500000001"), ("password", BNPLTestAccounts.tamaraPassword)]
    static func tabbySignIn(_ email: String = BNPLTestAccounts.tabbySuccessEmail) -> [(String, String)] {
        [("email", email), ("phone_number", "+966500000001")]
    }

    /// Signs in, passes the OTP and answers the schedule with `action`; returns the last page.
    func complete(_ address: String, provider: BNPLProvider, action: String) throws -> HTTPTestClient.Response {
        let signedIn = try signIn(address, provider == .tamara ? Self.tamaraSignIn : Self.tabbySignIn())
        #expect(signedIn.status == 200 && signedIn.text.contains(#"name="otp""#))
        let schedule = try otp(address, provider.passingOTP)
        #expect(schedule.status == 200 && schedule.text.contains(#"data-testid="schedule""#))
        return try decide(address, action)
    }
}
