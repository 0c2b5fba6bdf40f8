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
        // The pure core: money, codes, signatures, links, the engine and its clock. No I/O.
        .target(name: "PayLinkCore", dependencies: ["PayLinkCrypto", "PayLinkJSON"], swiftSettings: strict),
        // Dialects, control API, configuration and the embeddable Sandbox.
        .target(name: "PayLinkSandbox", dependencies: ["PayLinkCore", "PayLinkCrypto", "PayLinkJSON", "PayLinkHTTP"], swiftSettings: strict),
        // The thin executable: argument parsing and wiring.
        .executableTarget(name: "paylink-sandbox", dependencies: ["PayLinkSandbox"], swiftSettings: strict),

        .testTarget(name: "PayLinkCryptoTests", dependencies: ["PayLinkCrypto"], swiftSettings: strict),
        .testTarget(name: "PayLinkJSONTests", dependencies: ["PayLinkJSON"], swiftSettings: strict),
        .testTarget(name: "PayLinkHTTPTests", dependencies: ["PayLinkHTTP"], swiftSettings: strict),
        .testTarget(name: "PayLinkCoreTests", dependencies: ["PayLinkCore", "PayLinkJSON"], swiftSettings: strict),
        .testTarget(name: "PayLinkSandboxTests", dependencies: ["PayLinkSandbox", "PayLinkCore", "PayLinkJSON", "PayLinkHTTP", "PayLinkCrypto", "paylink-sandbox"], swiftSettings: strict),
    ]
)
