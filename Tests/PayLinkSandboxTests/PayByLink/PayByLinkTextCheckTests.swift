import Testing
@testable import PayLinkPayByLink

/// The byte-level helpers of reading a request: each answers as the plainer code it replaced.
struct PayByLinkTextCheckTests {
    /// Short (inline) and long strings, ASCII and not, with a control character or DEL at the
    /// start, middle and end, or none; and a substring's copy, which is not stored on its own.
    static let texts: [String] = {
        var texts = ["", "a", "Ann Lee", "ann12345@example.com", "Ünïcödé name", "名前", String(repeating: "x", count: 300)]
        for control in ["\u{0}", "\t", "\n", "\u{1F}", "\u{7F}"] {
            for base in ["ab", "a long reason for the payment, well past fifteen bytes", "Zoë"] {
                texts += [control + base, base + control, String(base.prefix(1)) + control + String(base.dropFirst())]
            }
        }
        texts.append(String("prefix\u{7F}suffix".dropFirst(3)))
        return texts
    }()

    @Test(arguments: texts)
    func hasControlCharacter_answersAsScanningTheUTF8View(_ text: String) {
        #expect(PropertyReader.hasControlCharacter(text) == text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }))
    }

    @Test(arguments: [1, 2, 9, 10, 12, 100])
    func merchantReference_isTheIDSlashTheInstalment(_ instalment: Int) {
        let id = "2f1c7e9a-0b3d-4e5f-8a6b-7c8d9e0f1a2b"
        #expect(PayByLinkStore.merchantReference(id, instalment: instalment) == id + "/" + String(instalment))
    }

    /// The first instalment's reference, written byte by byte, for ids of every kind: empty,
    /// short enough to stay inline with or without its suffix, long, not ASCII, a substring's copy.
    @Test(arguments: ["", "a", "0123456789abc", "0123456789abcd", "2f1c7e9a-0b3d-4e5f-8a6b-7c8d9e0f1a2b", "Zoë-名前",
                      String(repeating: "9", count: 300), String("xx2f1c7e9a-0b3d-4e5f".dropFirst(2))])
    func firstReference_isTheIDSlashOne(_ id: String) {
        let reference = PayByLinkStore.merchantReference(id, instalment: 1)
        #expect(reference == id + "/1")
        #expect(Array(reference.utf8) == Array(id.utf8) + Array("/1".utf8))
    }
}
