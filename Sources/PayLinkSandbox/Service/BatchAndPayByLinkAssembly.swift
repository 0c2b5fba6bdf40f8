import PayLinkCore
import PayLinkAPS
import PayLinkPayByLink

/// Builds what the PayByLink dialect and the batch engine of both dialects need, and wires
/// them to the link engine: the store following its links, the worker, the signed-upload key,
/// the endpoints. `SandboxService` keeps the pieces it serves.
package struct BatchAndPayByLinkAssembly {
    package let store: PayByLinkStore
    package let batches: BatchEngine
    package let payByLink: PayByLinkEndpoint
    package let apsBatches: APSBatchRoutes
    /// Signs PayByLink upload URLs; in the state snapshot.
    package let uploadKey: UploadSigningKey
    /// APS `batch_id`s; in the state snapshot.
    package let apsBatchIDs: APSBatchIDs
    /// PayByLink subscription keys, configured and added at run time; in the state snapshot.
    package let subscriptionKeys: SubscriptionKeys

    package init(configuration: SandboxConfiguration, context: APSContext, outbox: Outbox, deliveries: DeliveryQueue, batchQueue: BatchQueue, wake: @escaping @Sendable () -> Void, changes: (any StateChangeRecorder)? = nil) {
        let engine = context.engine
        // One stream for the whole core: batch progress goes out with the links' changes.
        let batches = BatchEngine(clock: engine.clock, scheduler: batchQueue, events: engine.events, recorder: changes, clocks: engine.clocks)
        self.batches = batches
        let store = PayByLinkStore(engine: engine, outbox: outbox, callbacks: PayByLinkCallbacks(queue: deliveries, wake: wake),
                                   urls: context.links, seed: configuration.seed, recorder: changes)
        self.store = store
        // Weak: the engine outlives the store, and a strong capture would make a cycle through it.
        engine.events.subscribe(to: PayByLinkStore.followedEvents) { [weak store] event in store?.handle(event) }
        // The key that signs upload URLs: from the seed when there is one, so runs repeat.
        var keyGenerator = IDGenerator(seed: configuration.seed.map { $0 ^ 0x424C_4F42_4B45_5953 })
        let signer = UploadSigningKey(key: (0..<4).flatMap { _ in withUnsafeBytes(of: keyGenerator.next()) { Array($0) } })
        uploadKey = signer
        let apsBatchIDs = APSBatchIDs(seed: configuration.seed, recorder: changes)
        let subscriptionKeys = SubscriptionKeys(configuration.payByLink.subscriptionKeys, recorder: changes)
        self.subscriptionKeys = subscriptionKeys
        self.apsBatchIDs = apsBatchIDs
        payByLink = PayByLinkEndpoint(
            basePath: configuration.payByLink.basePath, keys: subscriptionKeys, store: store,
            batches: PayByLinkBatchesAPI(engine: batches, store: store, signer: signer, urls: context.links),
            uploads: BlobUploadEndpoint(batches: batches, signer: signer))
        apsBatches = APSBatchRoutes(upload: APSBatchUploadEndpoint(context: context, batches: batches, ids: apsBatchIDs),
                                    batchAPI: APSBatchAPIEndpoint(context: context, batches: batches))
    }
}
