import PayLinkCore
@testable import PayLinkSandbox
import Testing
@testable import PayLinkAPS
@testable import PayLinkCLI
@testable import PayLinkExports
@testable import PayLinkPayByLink
@testable import PayLinkSupport

/// A sandbox that is gone leaves nothing behind: the PayByLink store and the batch engine do
/// not keep the link engine alive through its observers.
struct PayByLinkLifetimeTests {
    @Test func aDroppedService_freesItsEngineStoreAndBatches() {
        weak var engine: LinkEngine?
        weak var store: PayByLinkStore?
        weak var batches: BatchEngine?
        do {
            let service = SandboxService(configuration: .testing())
            engine = service.engine
            store = service.payByLink
            batches = service.batches
            #expect(engine != nil && store != nil && batches != nil)
        }
        #expect(store == nil)
        #expect(batches == nil)
        #expect(engine == nil)
    }
}
