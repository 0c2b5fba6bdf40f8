import PayLinkCrypto
import Testing

@Suite struct HexTests {
    @Test func hexString_ofEmptyBytes_isEmpty() {
        #expect([UInt8]().hexString == "")
    }

    @Test func hexString_ofEveryByteValue_isTwoLowercaseDigitsEach() {
        let all = (0...255).map { UInt8($0) }
        let expected = all.map { ($0 < 16 ? "0" : "") + String($0, radix: 16, uppercase: false) }.joined()
        #expect(all.hexString == expected)
    }

    @Test func hexString_worksOnSlicesAndOtherCollections() {
        let digest: [UInt8] = [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x0F]
        #expect(digest[2...].hexString == "beef000f")
        #expect("Az".utf8.hexString == "417a")
    }
}
