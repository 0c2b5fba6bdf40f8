// swift-tools-version:6.0
// PayLinkSandbox: an offline, stateful emulator of payment-link services.
// Zero package dependencies by design: the toolchain only.
import PackageDescription

let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "PayLinkSandbox",
    products: [
        .library(name: "PayLinkSandbox", targets: ["PayLinkSandbox"]),
        .executable(name: "paylink-sandbox", targets: ["paylink-sandbox"]),
    ],
    targets: [
        // Exposes <sys/epoll.h> and friends to Swift; Glibc's module map leaves them out.
        .target(name: "CEpoll"),
        // SHA-256 block compression with the x86 SHA instructions, chosen at run time.
        .target(name: "CSHAExtensions"),
        // SHA-256, SHA-512 and HMAC: no crypto package exists for us.
        .target(name: "PayLinkCrypto", dependencies: ["CSHAExtensions"], swiftSettings: strict),
        // An order-preserving JSON value, parser and writer, fast enough for the request path.
        .target(name: "PayLinkJSON", swiftSettings: strict),
        // The HTTP/1.1 server: sockets, epoll loop, parser, limits.
        .target(name: "PayLinkHTTP", dependencies: ["CEpoll"], swiftSettings: strict),
        // The pure core: money, codes, signatures, links, orders, batches, deliveries, the engine
        // and its clock. No I/O, and no dialect: both dialects are built on it.
        .target(name: "PayLinkCore", dependencies: ["PayLinkCrypto", "PayLinkJSON"], swiftSettings: strict),
        // What every HTTP surface shares: JSON and HTML responses, query and form parsing,
        // escaping, text helpers, the blocking HTTP client.
        .target(name: "PayLinkSupport", dependencies: ["PayLinkHTTP", "PayLinkJSON"], swiftSettings: strict),
        // CSV, XML, XLSX and PDF writers for the dashboard's exports: the standard library only.
        .target(name: "PayLinkExports", swiftSettings: strict),
        // The APS dialect: paymentApi commands, batch files, the hosted payment page, checkout and feedback.
        .target(name: "PayLinkAPS", dependencies: ["PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP", "PayLinkSupport"], swiftSettings: strict),
        // The PayByLink dialect: requests for payment, repayment plans, batches and blob uploads.
        .target(name: "PayLinkPayByLink", dependencies: ["PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP", "PayLinkSupport"], swiftSettings: strict),
        // The runtime and the embeddable `Sandbox`: service assembly, routing, control API,
        // dashboard, faults, journal, state, scenarios, configuration and background workers.
        .target(name: "PayLinkSandbox", dependencies: ["PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP", "PayLinkSupport",
                                                       "PayLinkExports", "PayLinkAPS", "PayLinkPayByLink"], swiftSettings: strict),
        // The command line: serve, run, sign.
        .target(name: "PayLinkCLI", dependencies: ["PayLinkSandbox", "PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP", "PayLinkSupport", "PayLinkExports"],
                swiftSettings: strict),
        // The thin executable.
        .executableTarget(name: "paylink-sandbox", dependencies: ["PayLinkCLI"], swiftSettings: strict),

        // Test helpers shared by the test targets (not a product; nothing ships it).
        .target(name: "PayLinkTestSupport", path: "Tests/PayLinkTestSupport", swiftSettings: strict),
        .testTarget(name: "PayLinkCryptoTests", dependencies: ["PayLinkCrypto"], swiftSettings: strict),
        .testTarget(name: "PayLinkJSONTests", dependencies: ["PayLinkJSON", "PayLinkTestSupport"], swiftSettings: strict),
        .testTarget(name: "PayLinkHTTPTests", dependencies: ["PayLinkHTTP", "PayLinkTestSupport"], swiftSettings: strict),
        .testTarget(name: "PayLinkCoreTests", dependencies: ["PayLinkCore", "PayLinkJSON"], swiftSettings: strict),
        .testTarget(name: "PayLinkSandboxTests", dependencies: ["PayLinkSandbox", "PayLinkCLI", "PayLinkAPS", "PayLinkPayByLink", "PayLinkSupport",
                                                                "PayLinkExports", "PayLinkCore", "PayLinkJSON", "PayLinkHTTP", "PayLinkCrypto",
                                                                "paylink-sandbox", "PayLinkTestSupport"], swiftSettings: strict),
    ]
)
