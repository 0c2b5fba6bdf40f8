import PayLinkCore
import Testing

/// Merchants and PayByLink keys changed at run time, over the configured ones.
struct MerchantDirectoryTests {
    static let shop = Merchant(identifier: "Shop1", accessCode: "code1", requestPhrase: "in", responsePhrase: "out")

    @Test func create_addsAMerchant_andRefusesATakenIdentifier() throws {
        let recorder = RecordedChanges()
        let directory = MerchantDirectory([.demo], recorder: recorder)
        try directory.create(Self.shop)
        #expect(directory["Shop1"] == Self.shop)
        #expect(directory.all.map(\.identifier) == ["CycHZxVj", "Shop1"])
        #expect(throws: MerchantDirectory.ChangeError.exists) { try directory.create(Self.shop) }
        #expect(throws: MerchantDirectory.ChangeError.exists) { try directory.create(.demo) }
        #expect(recorder.all.count == 1)
    }

    @Test func replace_changesAConfiguredMerchant_untilAReset() {
        let directory = MerchantDirectory([.demo])
        var demo = Merchant.demo
        demo.notificationURL = "http://127.0.0.1:40000/notify"
        #expect(directory.replace(demo) == false)
        #expect(directory["CycHZxVj"]?.notificationURL == "http://127.0.0.1:40000/notify")
        #expect(directory.replace(Self.shop) == true)
        #expect(directory.runtimeMerchants().map(\.identifier) == ["CycHZxVj", "Shop1"])
        directory.resetToConfigured()
        #expect(directory["CycHZxVj"] == .demo)
        #expect(directory["Shop1"] == nil)
    }

    @Test func remove_deletesARuntimeMerchant_butNeverAConfiguredOne() throws {
        let directory = MerchantDirectory([.demo])
        try directory.create(Self.shop)
        try directory.remove("Shop1")
        #expect(directory["Shop1"] == nil)
        #expect(throws: MerchantDirectory.ChangeError.notFound) { try directory.remove("Shop1") }
        #expect(throws: MerchantDirectory.ChangeError.configured) { try directory.remove("CycHZxVj") }
        #expect(directory.isConfigured("CycHZxVj"))
    }

    @Test func manyMerchants_areFoundByHash() throws {
        let directory = MerchantDirectory([.demo])
        for n in 0..<20 { try directory.create(Merchant(identifier: "M\(n)", accessCode: "a", requestPhrase: "p", responsePhrase: "q")) }
        #expect(directory["M17"]?.identifier == "M17")
        #expect(directory["CycHZxVj"] == .demo)
        directory.restore(runtime: [Self.shop])
        #expect(directory["M17"] == nil && directory["Shop1"] == Self.shop)
    }

    @Test func subscriptionKeys_addedAtRunTime_areAccepted_andOnlyThoseCanBeDeleted() throws {
        let keys = SubscriptionKeys(["configured"])
        try keys.add("k2")
        #expect(keys.contains("k2") && keys.contains("configured") && !keys.contains("k3"))
        #expect(keys.all == ["configured", "k2"])
        #expect(throws: MerchantDirectory.ChangeError.exists) { try keys.add("k2") }
        #expect(throws: MerchantDirectory.ChangeError.exists) { try keys.add("configured") }
        #expect(throws: MerchantDirectory.ChangeError.configured) { try keys.remove("configured") }
        #expect(throws: MerchantDirectory.ChangeError.notFound) { try keys.remove("k3") }
        try keys.remove("k2")
        #expect(!keys.contains("k2"))
        try keys.add("k4")
        keys.resetToConfigured()
        #expect(keys.all == ["configured"])
    }
}
