/// The text of one link as the store keeps it: the fields below in this order, each as a
/// length (a varint of length + 1; 0 for a field the link does not have) and its UTF-8 bytes,
/// then the number of merchant extras and each extra's name and value. Fields are read back
/// in order, so no field needs a tag and an absent one costs one byte.
enum LinkText {
    enum Field: Int, CaseIterable {
        case merchantReference, customerEmail, customerName, customerPhone, orderDescription, returnURL,
             settlementReference, pendingFortID, idText, tokenText
    }

    static func encode(_ link: PaymentLink, idIsText: Bool, tokenIsText: Bool, into out: inout [UInt8]) {
        let terms = link.terms
        let fields: [String?] = [
            terms.merchantReference, terms.customerEmail, terms.customerName, terms.customerPhone,
            terms.orderDescription, terms.returnURL, terms.settlementReference, link.pendingFortID,
            idIsText ? link.id : nil, tokenIsText ? link.token : nil,
        ]
        for field in fields { TextFields.append(field, to: &out) }
        TextFields.appendVarint(UInt64(terms.merchantExtras.count), to: &out)
        for (name, value) in terms.merchantExtras.sorted(by: { $0.key < $1.key }) {
            TextFields.append(name, to: &out)
            TextFields.append(value, to: &out)
        }
    }

    /// The fields of an encoded text, in `Field` order, and the extras.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> (fields: [String?], extras: [String: String]) {
        var reader = TextFields.Reader(bytes: bytes)
        var fields: [String?] = []
        fields.reserveCapacity(Field.allCases.count)
        for _ in Field.allCases { fields.append(reader.string()) }
        var extras: [String: String] = [:]
        let count = Int(reader.varint())
        for _ in 0..<count {
            if let name = reader.string() { extras[name] = reader.string() ?? "" }
        }
        return (fields, extras)
    }

    /// How many bytes the text starting at `bytes` takes (it ends where its last field does).
    static func length(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var reader = TextFields.Reader(bytes: bytes)
        for _ in Field.allCases { _ = reader.field() }
        let count = Int(reader.varint())
        for _ in 0..<(2 * count) { _ = reader.field() }
        return reader.position
    }

    /// The bytes of the first field (the merchant reference), without making a `String`.
    static func firstField(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var reader = TextFields.Reader(bytes: bytes)
        return reader.field() ?? UnsafeBufferPointer(start: nil, count: 0)
    }
}
