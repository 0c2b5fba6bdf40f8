/// The text of one link as the store keeps it: the fields below in this order, each as a
/// length (a varint of length + 1; 0 for a field the link does not have) and its UTF-8 bytes,
/// then the number of merchant extras and each extra's name and value. Fields are read back
/// in order, so no field needs a tag and an absent one costs one byte.
enum LinkText {
    enum Field: Int, CaseIterable {
        case merchantReference, customerEmail, customerName, customerPhone, orderDescription, returnURL,
             settlementReference, pendingFortID, idText, tokenText
    }

    /// A link's text read back: one field each (no array, no dictionary unless there are extras).
    struct Decoded {
        var merchantReference: String?
        var customerEmail: String?
        var customerName: String?
        var customerPhone: String?
        var orderDescription: String?
        var returnURL: String?
        var settlementReference: String?
        var pendingFortID: String?
        var idText: String?
        var tokenText: String?
        var extras: [String: String] = [:]
    }

    /// `customerText`, when given, is the link's customer fields already encoded
    /// (`LinkCustomerText`), copied in instead of encoded again.
    static func encode(_ link: PaymentLink, idIsText: Bool, tokenIsText: Bool, customerText: [UInt8]? = nil,
                       into out: inout [UInt8]) {
        let terms = link.terms
        TextFields.append(terms.merchantReference, to: &out)
        if let customerText {
            out.append(contentsOf: customerText)
        } else {
            encodeCustomerFields(email: terms.customerEmail, name: terms.customerName, phone: terms.customerPhone,
                                 description: terms.orderDescription, returnURL: terms.returnURL,
                                 settlementReference: terms.settlementReference, into: &out)
        }
        TextFields.append(link.pendingFortID, to: &out)
        TextFields.append(idIsText ? link.id : nil, to: &out)
        TextFields.append(tokenIsText ? link.token : nil, to: &out)
        TextFields.appendVarint(UInt64(terms.merchantExtras.count), to: &out)
        // Most links have no extras: sorting an empty dictionary still cost 0.19 k instructions
        // a link made under the engine's lock.
        guard !terms.merchantExtras.isEmpty else { return }
        for (name, value) in terms.merchantExtras.sorted(by: { $0.key < $1.key }) {
            TextFields.append(name, to: &out)
            TextFields.append(value, to: &out)
        }
    }

    /// The fields from `customerEmail` to `settlementReference`, which follow one another.
    static func encodeCustomerFields(email: String, name: String?, phone: String?, description: String?,
                                     returnURL: String?, settlementReference: String?, into out: inout [UInt8]) {
        TextFields.append(email, to: &out)
        TextFields.append(name, to: &out)
        TextFields.append(phone, to: &out)
        TextFields.append(description, to: &out)
        TextFields.append(returnURL, to: &out)
        TextFields.append(settlementReference, to: &out)
    }

    /// The fields of an encoded text, in `Field` order, and the extras.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Decoded {
        var reader = TextFields.Reader(bytes: bytes)
        var decoded = Decoded(
            merchantReference: reader.string(), customerEmail: reader.string(), customerName: reader.string(),
            customerPhone: reader.string(), orderDescription: reader.string(), returnURL: reader.string(),
            settlementReference: reader.string(), pendingFortID: reader.string(), idText: reader.string(),
            tokenText: reader.string())
        let count = Int(reader.varint())
        for _ in 0..<count {
            if let name = reader.string() { decoded.extras[name] = reader.string() ?? "" }
        }
        return decoded
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

    /// The bytes of one field (nil when the link does not have it), skipping the ones before it
    /// without making a `String` of any.
    static func field(_ wanted: Field, in bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
        var reader = TextFields.Reader(bytes: bytes)
        for _ in 0..<wanted.rawValue { _ = reader.field() }
        return reader.field()
    }
}
