import PayLinkJSON
import PayLinkCore
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// The config file: the sample loads; unknown keys and bad values are refused
/// with the key named.
struct ConfigurationTests {
    static let sample = """
        {
          "merchants": [{
            "merchant_identifier": "CycHZxVj",
            "access_code": "zx0IPmPy5jp1vAz8Kpg7",
            "sha_type": "SHA-256",
            "sha_request_phrase": "request-secret",
            "sha_response_phrase": "response-secret",
            "notification_url": "http://127.0.0.1:9000/aps/notify",
            "redirect_url": "http://127.0.0.1:9000/aps/return",
            "currencies": ["SAR", "AED", "USD"]
          }],
          "paybylink": { "subscription_keys": ["test-subscription-key"], "base_path": "/paybylink/v1" },
          "clock": { "start": "2026-01-01T00:00:00Z", "mode": "running" },
          "public_url": "http://127.0.0.1:8080"
        }
        """

    @Test func designSample_loads() throws {
        let config = try ConfigurationFile.parse(Array(Self.sample.utf8))
        #expect(config.merchants.count == 1)
        let m = config.merchants[0]
        #expect(m.identifier == "CycHZxVj" && m.shaType == .sha256 && m.currencies == ["SAR", "AED", "USD"])
        #expect(m.notificationURL == "http://127.0.0.1:9000/aps/notify")
        #expect(config.clock.start == ISO8601.parseDateTime("2026-01-01T00:00:00Z"))
        #expect(config.clock.mode == .running)
        #expect(config.publicURL == "http://127.0.0.1:8080")
        #expect(config.payByLink.basePath == "/paybylink/v1")
        #expect(!config.usesDemoMerchant)
    }

    @Test func fixtureConfig_loads() throws {
        let data = try #require(FileManagerShim.read(fixture: "config.example.json"))
        #expect(try ConfigurationFile.parse(data).merchants.count == 2)
    }

    @Test(arguments: [
        (#"{"merchant": []}"#, "merchant"),
        (#"{"merchants": [{"merchant_identifier": "A", "access_code": "B", "sha_request_phrase": "x", "sha_response_phrase": "y", "colour": "red"}]}"#, "merchants[0].colour"),
        (#"{"merchants": [{"merchant_identifier": "A", "access_code": "B", "sha_type": "MD5", "sha_request_phrase": "x", "sha_response_phrase": "y"}]}"#, "merchants[0].sha_type"),
        (#"{"merchants": [{"merchant_identifier": "A", "sha_request_phrase": "x", "sha_response_phrase": "y"}]}"#, "merchants[0].access_code"),
        (#"{"merchants": [{"merchant_identifier": "A", "access_code": "B", "sha_request_phrase": "x", "sha_response_phrase": "y", "currencies": ["SAR", "XXQ"]}]}"#, "merchants[0].currencies[1]"),
        (#"{"merchants": []}"#, "merchants"),
        (#"{"clock": {"mode": "paused"}}"#, "clock.mode"),
        (#"{"clock": {"start": "2026-01-01"}}"#, "clock.start"),
        (#"{"clock": {"speed": 2}}"#, "clock.speed"),
        (#"{"public_url": "ftp://x"}"#, "public_url"),
        (#"{"paybylink": {"base_path": "paybylink"}}"#, "paybylink.base_path"),
        (#"{"paybylink": {"subscription_keys": "k"}}"#, "paybylink.subscription_keys"),
        (#"{"aps": {"empty_value_signatures": "sometimes"}}"#, "aps.empty_value_signatures"),
        (#"{"server": {"max_body_bytes": -1}}"#, "server.max_body_bytes"),
        (#"{"journal": {"capacity": 0}}"#, "journal.capacity"),
        (#"{"journal": {"size": 10}}"#, "journal.size"),
        ("[1]", ""),
        ("{oops", ""),
    ])
    func badConfig_isRefused_namingTheKey(_ text: String, _ key: String) {
        #expect {
            _ = try ConfigurationFile.parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? ConfigurationError else { return false }
            return error.key == key && (key.isEmpty || error.description.hasPrefix("\(key): "))
        }
    }

    @Test func duplicateMerchants_areRefused() {
        let m = #"{"merchant_identifier": "A", "access_code": "B", "sha_request_phrase": "x", "sha_response_phrase": "y"}"#
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.parse(Array("{\"merchants\": [\(m), \(m)]}".utf8)) }
    }

    @Test func emptyValuePolicy_canBeOverridden() throws {
        #expect(try ConfigurationFile.parse(Array(#"{"journal": {"capacity": 50}}"#.utf8)).journalCapacity == 50)
        let config = try ConfigurationFile.parse(Array(#"{"aps": {"empty_value_signatures": "omit"}}"#.utf8))
        #expect(config.emptyValueSignatures == .omit)
        #expect(SandboxConfiguration().emptyValueSignatures == .either)
    }
}

import Foundation

enum FileManagerShim {
    static func read(fixture name: String) -> [UInt8]? {
        let url = Repository.file("fixtures/" + name)
        return FileManager.default.contents(atPath: url.path).map(Array.init)
    }
}

struct NotificationConfigurationTests {
    @Test func notificationSettings_load() throws {
        let text = #"{"merchants": [{"merchant_identifier": "A", "access_code": "B", "sha_request_phrase": "x", "sha_response_phrase": "y", "notification_url": "http://127.0.0.1:9000/n", "notification_format": "form"}], "notifications": {"retries": 3, "retry_interval_seconds": 30}}"#
        let config = try ConfigurationFile.parse(Array(text.utf8))
        #expect(config.merchants[0].notificationsFormEncoded)
        #expect(config.notificationRetries == 3 && config.notificationRetryIntervalSeconds == 30)
    }

    @Test(arguments: [
        (#"{"notifications": {"retries": -1}}"#, "notifications.retries"),
        (#"{"notifications": {"retry_interval_seconds": 0}}"#, "notifications.retry_interval_seconds"),
        (#"{"notifications": {"backoff": "exponential"}}"#, "notifications.backoff"),
        (#"{"merchants": [{"merchant_identifier": "A", "access_code": "B", "sha_request_phrase": "x", "sha_response_phrase": "y", "notification_format": "xml"}]}"#, "merchants[0].notification_format"),
    ])
    func badNotificationSettings_areRefused_namingTheKey(_ text: String, _ key: String) {
        #expect {
            _ = try ConfigurationFile.parse(Array(text.utf8))
        } throws: { error in (error as? ConfigurationError)?.key == key }
    }
}
