import PayLinkCore
import Testing

/// A merchant is a value although its settings sit behind one shared reference: a change to
/// one copy is seen by no other.
struct MerchantTests {
    @Test func everySetting_readsBackWhatWasSet_andLeavesOtherCopiesAsTheyWere() {
        let original = Merchant.demo
        var changed = original
        changed.identifier = "Shop9"
        changed.accessCode = "code9"
        changed.shaType = .sha512
        changed.requestPhrase = "in9"
        changed.responsePhrase = "out9"
        changed.notificationURL = "http://127.0.0.1:1/notify"
        changed.redirectURL = "http://127.0.0.1:1/back"
        changed.currencies = ["SAR"]
        changed.notificationsFormEncoded = true
        changed.directFeedbackURL = "http://127.0.0.1:1/direct"
        changed.paymentOptions = ["VISA"]
        changed.trustedChannel = true
        changed.applePay = ApplePayCredentials(accessCode: "apple9", requestPhrase: "ain", responsePhrase: "aout")

        #expect(changed.identifier == "Shop9")
        #expect(changed.accessCode == "code9")
        #expect(changed.shaType == .sha512)
        #expect(changed.requestPhrase == "in9")
        #expect(changed.responsePhrase == "out9")
        #expect(changed.notificationURL == "http://127.0.0.1:1/notify")
        #expect(changed.redirectURL == "http://127.0.0.1:1/back")
        #expect(changed.currencies == ["SAR"])
        #expect(changed.notificationsFormEncoded)
        #expect(changed.directFeedbackURL == "http://127.0.0.1:1/direct")
        #expect(changed.paymentOptions == ["VISA"])
        #expect(changed.trustedChannel)
        #expect(changed.applePay?.accessCode == "apple9")

        #expect(original == Merchant.demo)
        #expect(original.identifier == "CycHZxVj")
        #expect(original.accessCode == "zx0IPmPy5jp1vAz8Kpg7")
        #expect(original.shaType == .sha256)
        #expect(original.notificationURL == nil)
        #expect(original.currencies == nil)
        #expect(!original.notificationsFormEncoded)
        #expect(original.paymentOptions == nil)
        #expect(!original.trustedChannel)
        #expect(original.applePay == nil)
        #expect(changed != original)
    }

    @Test func equality_isByValue_notByTheSharedSettings() {
        var a = Merchant(identifier: "Shop1", accessCode: "code1", requestPhrase: "in", responsePhrase: "out")
        var b = Merchant(identifier: "Shop1", accessCode: "code1", requestPhrase: "in", responsePhrase: "out")
        #expect(a == b)
        a.currencies = ["SAR", "USD"]
        #expect(a != b)
        b.currencies = ["SAR"]
        b.currencies?.append("USD")
        #expect(a == b)
        b.trustedChannel = true
        #expect(a != b)
    }
}
