import PayLinkHTTP
import PayLinkCore
import PayLinkAPS

/// Everything a sandbox instance runs with. Built from the config file and the
/// command line, or directly in Swift when embedding.
public struct SandboxConfiguration: Sendable {
    /// APS merchant accounts. Defaults to the demo merchant (`Merchant.demo`).
    public var merchants: [Merchant]
    public var payByLink: PayByLinkSettings
    public var clock: ClockSettings
    /// Base of the URLs the sandbox hands out (`payment_link`); default `http://HOST:PORT`.
    public var publicURL: String?
    /// Limits and address of the HTTP listener. Port 0 picks a free port.
    public var server: HTTPServerConfiguration
    /// Makes IDs and tokens reproducible.
    public var seed: UInt64?
    /// How empty-valued request parameters enter signature verification (APS's own rule is
    /// unconfirmed; see `EmptyValuePolicy`).
    public var emptyValueSignatures: EmptyValuePolicy
    /// True when no config file named merchants, so `serve` prints the demo credentials.
    public var usesDemoMerchant: Bool
    /// Retries after a notification that was not acknowledged ("10 times with 10 seconds in between").
    public var notificationRetries = 10
    public var notificationRetryIntervalSeconds = 10
    /// `notifications.rewrite`: feedback URLs whose start is mapped to another address, so an
    /// `https://` production URL can be delivered to a plain `http://` receiver here.
    public var notificationRewrite = NotificationRewrite.none
    /// How many requests `GET /__sandbox/journal` keeps (a ring buffer: the oldest go first).
    public var journalCapacity = 10_000
    /// Where the state is kept across restarts (`serve --state-dir`, see `StateDirectory`);
    /// nil keeps it in memory only.
    public var stateDirectory: String?
    /// With `stateDirectory`: whether each change is flushed to disk before its answer is sent
    /// (`fsync`, the default) or only written (`os`). See docs/state.md.
    public var durability: Durability = .fsync
    /// The change log is compacted into a new snapshot once it has grown past this many bytes
    /// since the last one (or past the last snapshot's size, if larger).
    package var stateCompactionBytes = 64 << 20
    /// When deliveries, settlements, batch files and expiry sweeps run: by themselves
    /// (`automatic`), or only when the sandbox is settled (`manual`).
    public var backgroundWork: BackgroundSchedule = .automatic
    /// What each payment option allows (currencies, commands, eci): the documented rules with
    /// `aps.payment_option_rules` applied over them.
    public var paymentOptionRules = PaymentOptionRules.documented
    /// `installments`: the issuers and plans `GET_INSTALLMENTS_PLANS` offers, and to which merchants.
    package var installments = InstallmentCatalog.sandboxDefault
    /// Where a line per answered request goes (`serve`, unless `--quiet`); nil logs nothing.
    public var requestLog: RequestLog?

    public init(merchants: [Merchant] = [.demo], payByLink: PayByLinkSettings = .init(), clock: ClockSettings = .init(),
                publicURL: String? = nil, server: HTTPServerConfiguration = .init(), seed: UInt64? = nil,
                emptyValueSignatures: EmptyValuePolicy = .either) {
        self.merchants = merchants
        self.payByLink = payByLink
        self.clock = clock
        self.publicURL = publicURL
        self.server = server
        self.seed = seed
        self.emptyValueSignatures = emptyValueSignatures
        self.usesDemoMerchant = merchants == [.demo]
    }

    /// A configuration for tests: port 0, frozen clock at `start`, seeded IDs.
    public static func testing(start: SandboxInstant = SandboxInstant(secondsSince1970: 1_767_225_600), seed: UInt64 = 1,
                               merchants: [Merchant] = [.demo]) -> SandboxConfiguration {
        var server = HTTPServerConfiguration()
        server.port = 0
        return SandboxConfiguration(merchants: merchants, clock: ClockSettings(start: start, mode: .frozen), server: server, seed: seed)
    }
}

/// PayByLink settings (the dialect itself arrives with a later issue).
public struct PayByLinkSettings: Sendable, Equatable {
    public var subscriptionKeys: [String]
    public var basePath: String

    public init(subscriptionKeys: [String] = ["test-subscription-key"], basePath: String = "/paybylink/v1") {
        self.subscriptionKeys = subscriptionKeys
        self.basePath = basePath
    }
}

/// Where the sandbox clock starts and whether it runs.
public struct ClockSettings: Sendable, Equatable {
    /// nil: the real time at start.
    public var start: SandboxInstant?
    public var mode: SandboxClock.Mode

    public init(start: SandboxInstant? = nil, mode: SandboxClock.Mode = .running) {
        self.start = start
        self.mode = mode
    }
}
