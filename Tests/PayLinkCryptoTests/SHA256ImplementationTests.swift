@testable import PayLinkCrypto
import Testing

/// SHA-256 has two compression functions: the x86 SHA instructions where the CPU has them,
/// and portable Swift everywhere. Both must agree with hashlib, whichever this machine uses.
@Suite struct SHA256ImplementationTests {
    func hash(_ bytes: [UInt8], hardware: Bool, chunk: Int? = nil) -> String {
        var hasher = SHA256(hardware: hardware)
        if let chunk {
            var offset = 0
            while offset < bytes.count {
                hasher.update(bytes[offset..<min(offset + chunk, bytes.count)])
                offset += chunk
            }
        } else {
            hasher.update(bytes)
        }
        return hasher.finalize().hexString
    }

    @Test func portableCode_matchesHashlib_onEveryVector() throws {
        for vector in try HashVectorFileTests.loadVectors() {
            #expect(hash(vector.input, hardware: false) == vector.sha256, "length \(vector.input.count)")
            #expect(hash(vector.input, hardware: false, chunk: 37) == vector.sha256, "length \(vector.input.count)")
        }
    }

    @Test func hardwarePath_matchesHashlib_onEveryVector_whenTheCPUHasIt() throws {
        for vector in try HashVectorFileTests.loadVectors() {
            #expect(hash(vector.input, hardware: true) == vector.sha256, "length \(vector.input.count)")
            #expect(hash(vector.input, hardware: true, chunk: 64) == vector.sha256, "length \(vector.input.count)")
        }
    }

    @Test func finalizeHex_matchesHashlib_onEveryVector() throws {
        for vector in try HashVectorFileTests.loadVectors() {
            for hardware in [false, true] {
                var hasher = SHA256(hardware: hardware)
                hasher.update(vector.input)
                #expect(hasher.finalizeHex() == vector.sha256, "length \(vector.input.count)")
            }
        }
    }

    @Test func bothPaths_agree_onSeededRandomInputs() {
        var state: UInt64 = 0x5EED
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        for _ in 0..<300 {
            let bytes = (0..<Int(next() % 2_000)).map { _ in UInt8(truncatingIfNeeded: next()) }
            #expect(hash(bytes, hardware: true) == hash(bytes, hardware: false), "length \(bytes.count)")
        }
    }

    @Test func machineReport() {
        // Not an assertion: says which path the other tests exercised here.
        print("SHA-256 hardware (x86 SHA extensions) available: \(SHA256.hardwareAvailable)")
    }
}
