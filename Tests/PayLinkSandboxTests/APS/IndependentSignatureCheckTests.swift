import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport
import PayLinkTestSupport

/// Response signatures checked by a second implementation that shares no code with ours:
/// `fixtures/verify_response_signatures.py`, on Python's hashlib and hmac.
struct IndependentSignatureCheckTests {
    @Test func responseSignatures_verifyWithPythonHashlib() async throws {
        let hmacMerchant = Merchant(identifier: "KwHmac512", accessCode: "Hq7LmZp2Vx9RtY4nBc3D", shaType: .hmacSHA512,
                                    requestPhrase: "kw-request-phrase", responsePhrase: "kw-response-phrase")
        let sha512Merchant = Merchant(identifier: "Sha512Mer", accessCode: "Sha512Access", shaType: .sha512,
                                      requestPhrase: "five-twelve-in", responsePhrase: "five-twelve-out")
        var config = SandboxConfiguration.testing(merchants: [.demo, hmacMerchant, sha512Merchant])
        config.usesDemoMerchant = false
        var cases: [JSONValue] = []
        try await withSandbox(config) { sandbox, _ in
            for merchant in [Merchant.demo, hmacMerchant, sha512Merchant] {
                let aps = APSTestClient(port: sandbox.port, merchant: merchant)
                let id = try aps.createLink("ind-\(merchant.identifier)", ["customer_name": "عبد الله", "amount": .number("5000")])
                var replies = [
                    try aps.check(id: id),
                    try aps.send(["service_command": "UPDATE_PAYMENT_LINK", "payment_link_id": .string(id), "language": "ar",
                                  "payment_link_status": "Closed"]),
                    try aps.send(APSTestClient.paymentLink("ind-\(merchant.identifier)")),   // 49066
                    try aps.send(APSTestClient.paymentLink("x", ["amount": "-1"])),          // 00005
                ]
                var badSignature = APSTestClient.paymentLink("bad-sig")
                badSignature["signature"] = "00"
                replies.append(try aps.send(badSignature))                                 // 00008
                for reply in replies {
                    #expect(reply["signature"] != nil)
                    cases.append(.object(["sha_type": .string(merchant.shaType.rawValue), "phrase": .string(merchant.responsePhrase),
                                          "response": .object(reply.object)]))
                }
            }
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("aps-responses-\(UUID().uuidString).json")
        try Data(JSONValue.array(cases).serialized()).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = Repository.file("fixtures/verify_response_signatures.py")
        let (status, output) = try runProcess("/usr/bin/env", ["python3", script.path, file.path])
        #expect(status == 0, "python3 verification failed:\n\(output)")
        #expect(output.contains("15 passed, 0 failed"), "\(output)")
    }
}

/// Runs a program to completion, returning its exit status and combined output.
func runProcess(_ executable: String, _ arguments: [String], input: [UInt8]? = nil) throws -> (Int32, String) {
    let process = ChildProcess()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    let stdin = Pipe()
    if input != nil { process.standardInput = stdin }
    try process.run()
    if let input {
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
    }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
