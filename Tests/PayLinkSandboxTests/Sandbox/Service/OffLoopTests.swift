import Dispatch
import Foundation
import PayLinkCore
import PayLinkHTTP
import Synchronization
import Testing
@testable import PayLinkSandbox
@testable import PayLinkAPS

/// Slow work leaves the event loop: the loop answers everyone else meanwhile.
struct OffLoopTests {
    final class Outcome: Sendable {
        let response = Mutex<HTTPTestClient.Response?>(nil)
        let done = DispatchSemaphore(value: 0)
    }

    /// While a PDF export of 20,000 links is in progress on the slow-work queue (held there by
    /// the test, so "in progress" is certain rather than a matter of timing), a signed
    /// CHECK_PAYMENT_LINK_STATUS from another client is answered in under 50 ms.
    @Test func aSignedCheck_isAnsweredWithin50ms_whileA20000LinkPDFExportIsBuilt() async throws {
        try await withSandbox { sandbox, aps in
            let expiry = SandboxInstant(secondsSince1970: 1_767_225_600 + 86_400)
            for index in 0..<19_999 {
                _ = try sandbox.engine.createLink(LinkTerms(merchantIdentifier: aps.merchant.identifier, merchantReference: "bulk-\(index)",
                                                            amount: 1_000, currency: "SAR", customerEmail: "c@example.com", expiry: expiry))
            }
            let probe = try aps.createLink("probe")
            let inProgress = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
            sandbox.service.slowWork.onStart {
                inProgress.signal()
                release.wait()
            }
            let export = Outcome()
            let http = aps.http
            Thread {
                export.response.withLock { $0 = try? http.get("/dashboard/export.pdf") }
                export.done.signal()
            }.start()
            let begun = inProgress.wait(timeout: .now() + 30)
            sandbox.service.slowWork.onStart(nil)
            guard begun == .success else {
                release.signal()
                export.done.wait()
                Issue.record("the export never reached the slow-work queue")
                return
            }

            let started = ContinuousClock.now
            let reply = try aps.check(id: probe)
            let elapsed = ContinuousClock.now - started
            #expect(reply.code == "12000" && reply["payment_link_status"] == "Open")
            #expect(elapsed < .milliseconds(50), "the check took \(elapsed) while the export was in progress")
            #expect(export.done.wait(timeout: .now()) == .timedOut, "the export was still in progress")

            release.signal()
            export.done.wait()
            let pdf = try #require(export.response.withLock { $0 })
            #expect(pdf.status == 200 && pdf.header("Content-Type") == "application/pdf")
            #expect(pdf.body.starts(with: Array("%PDF-".utf8)) && pdf.body.count > 1_000_000)
        }
    }

    /// The APS batch API answers off the event loop (the results of a large file are a long
    /// answer to write and sign): while GET_BATCH_RESULTS is held on the slow-work queue, a
    /// signed CHECK_PAYMENT_LINK_STATUS (paymentApi stays on the loop) is answered at once, and
    /// the held answer is the one it would have been.
    @Test func aSignedCheck_isAnswered_whileBatchResultsAreWrittenOffTheLoop() async throws {
        try await withSandbox { sandbox, aps in
            let batches = APSBatchTests()
            #expect(try batches.upload(aps).code == "50000")
            _ = sandbox.settle()
            #expect(try batches.batchAPI(aps, "PROCESS_BATCH").code == "72147")
            _ = sandbox.settle()
            let probe = try aps.createLink("probe")
            let inProgress = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
            sandbox.service.slowWork.onStart {
                inProgress.signal()
                release.wait()
            }
            let results = Mutex<APSTestClient.Reply?>(nil)
            let done = DispatchSemaphore(value: 0)
            Thread {
                results.withLock { $0 = try? batches.batchAPI(aps, "GET_BATCH_RESULTS") }
                done.signal()
            }.start()
            let begun = inProgress.wait(timeout: .now() + 30)
            sandbox.service.slowWork.onStart(nil)
            guard begun == .success else {
                release.signal()
                done.wait()
                Issue.record("GET_BATCH_RESULTS never reached the slow-work queue")
                return
            }
            let reply = try aps.check(id: probe)
            #expect(reply.code == "12000")
            #expect(done.wait(timeout: .now()) == .timedOut, "the results were still held")
            release.signal()
            done.wait()
            let answer = try #require(results.withLock { $0 })
            #expect(answer.code == "70000" && answer["batch_results"]?.hasPrefix(APSBatchFile.resultHeader.joined(separator: ",")) == true)
        }
    }

    /// Stopping finishes the slow request in progress and starts none of those queued behind it
    /// (a stop must not wait for a hundred exports nobody will read).
    @Test func stopping_finishesTheWorkInProgress_andStartsNoMore() {
        let slowWork = SlowWork()
        let ran = Mutex<[Int]>([])
        let inProgress = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        slowWork.onStart {
            slowWork.onStart(nil)
            inProgress.signal()
            release.wait()
        }
        for index in 0..<3 {
            _ = slowWork.answer {
                ran.withLock { $0.append(index) }
                return HTTPResponse(status: 200)
            }
        }
        inProgress.wait()
        slowWork.startNoMore()
        release.signal()
        slowWork.drain()
        #expect(ran.withLock { $0 } == [0])
    }

    /// The same request answered in memory (no event loop) runs inline, slow routes included.
    @Test func inMemory_slowRoutesAnswerInline() throws {
        let service = SandboxService(configuration: .testing())
        let client = HTTPTestClient(service: service)
        let state = try client.get("/__sandbox/state")
        #expect(state.status == 200 && state.text.contains("state_version"))
    }
}
