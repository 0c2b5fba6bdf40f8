import PayLinkCore
import Testing
@testable import PayLinkSandbox

/// `Surface.of` compares the path's bytes with each prefix: on the paths the parser hands over
/// (printable ASCII) that is what `hasPrefix` answered before.
struct SurfaceTests {
    @Test(arguments: [
        ("/FortAPI/paymentApi", Surface.aps), ("/FortAPI/", .aps), ("/FortAPI", .other),
        ("/integration-batch/batchApi/", .aps), ("/__sandbox/links", .control), ("/__sandbox", .other),
        ("/pay/abc", .hostedPage), ("/paybylink/v1/links", .payByLink), ("/paybylink/v1", .payByLink),
        ("/paybylink/v2", .other), ("/dashboard", .dashboard), ("/dashboard/links", .dashboard),
        ("/", .other), ("", .other), ("/fortapi/paymentApi", .other),
    ])
    func aPath_isOfItsSurface(_ path: String, _ surface: Surface) {
        #expect(Surface.of(path, payByLinkBasePath: "/paybylink/v1") == surface)
    }

    @Test
    func theByteComparison_agreesWithHasPrefix_onPrintableASCII() {
        var random = SplitMix64(seed: 9)
        let prefixes = [Surface.apsPrefix, Surface.apsIntegrationBatchPrefix, Surface.controlPrefix, "/pay/", "/dashboard", "", "/"]
        for _ in 0..<2_000 {
            let prefix = prefixes.randomElement(using: &random)!
            // Often the prefix itself, cut short, changed in one byte or followed by more.
            var bytes = Array(prefix.utf8.prefix(Int.random(in: 0...prefix.utf8.count, using: &random)))
            if !bytes.isEmpty, Bool.random(using: &random) {
                bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0x21...0x7E, using: &random)
            }
            for _ in 0..<Int.random(in: 0...20, using: &random) { bytes.append(UInt8.random(in: 0x21...0x7E, using: &random)) }
            let path = String(decoding: bytes, as: UTF8.self)
            #expect(path.startsWithBytes(of: prefix) == path.hasPrefix(prefix), "\(path) and \(prefix)")
        }
    }
}
