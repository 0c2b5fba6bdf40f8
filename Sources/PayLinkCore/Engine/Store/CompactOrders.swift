/// Every order (transaction) of an engine, by ordinal in creation order, held as
/// `CompactLinks` holds links: an 88-byte record each, the short text (merchant reference,
/// authorization code, IDs of an unusual shape) in one buffer, merchants, currencies, payment
/// details and decline codes interned, and open-addressed tables of ordinals by `fort_id` and
/// by merchant reference (which finds the newest order of a reference, as CHECK_STATUS wants).
/// The operations list is implied while it holds only the payment; once a capture, refund or
/// void adds to it, it is kept beside the records, as are the request fields of an order made
/// without a link (few, next to a million link orders).
package struct CompactOrders: Sendable {
    private struct Record: Sendable {
        var fortID: UInt64
        var paymentLinkID: UInt64
        var amount: Int64
        var capturedAmount: Int64
        var refundedAmount: Int64
        var createdAt: Int64
        /// When an uncertain payment resolves.
        var resolvesAt: Int64
        var textOffset: Int
        var merchant: UInt32
        var currency: UInt32
        var payment: UInt32
        var declineCode: UInt32
        var command: UInt8
        var status: Status
        var voided: Bool
        var flags: Flags
    }

    private enum Status: UInt8 { case approved, declined, uncertainDeclining, uncertainApproving }

    private struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        static let fortIDIsText = Flags(rawValue: 1)
        static let hasLink = Flags(rawValue: 2)
        static let linkIDIsText = Flags(rawValue: 4)
        static let hasOperations = Flags(rawValue: 8)
        static let hasRequestFields = Flags(rawValue: 16)
    }

    /// The text fields, in order (each a varint of length + 1, 0 when absent).
    private enum Field: Int, CaseIterable { case merchantReference, authorizationCode, fortIDText, linkIDText }

    private var records: [Record] = []
    private var text: [UInt8] = []
    private var merchants = Interner<String>()
    private var currencies = Interner<String>()
    private var payments = Interner<PaymentDetails>()
    private var declineCodes = Interner<APSResponseCode>()
    private var operations: [UInt32: [OrderOperation]] = [:]
    private var requestFields: [UInt32: [String: String]] = [:]
    private var byFortID = OrdinalTable()
    private var byReference = OrdinalTable()

    package init() {}

    package var count: Int { records.count }

    package func ordinal(fortID: String) -> Int? {
        if let number = CompactKey.number(fortID) {
            return byFortID.find(hash: StoreHash.mix(number)) { records[$0].fortID == number && !records[$0].flags.contains(.fortIDIsText) }
        }
        return byFortID.find(hash: StoreHash.bytes(fortID.utf8)) {
            records[$0].flags.contains(.fortIDIsText) && field(.fortIDText, of: $0) == fortID
        }
    }

    package subscript(fortID fortID: String) -> Order? { ordinal(fortID: fortID).map { self[$0] } }

    /// The newest order with this merchant reference.
    package func newest(merchant: String, reference: String) -> Order? {
        referenceOrdinal(merchant: merchant, reference: reference).map { self[$0] }
    }

    package subscript(ordinal: Int) -> Order {
        let record = records[ordinal]
        let command = TransactionCommand.allCases[Int(record.command)]
        let status: OrderStatus = switch record.status {
        case .approved: .approved
        case .declined: .declined(declineCodes.value(record.declineCode) ?? APSResponseCode(status: command.failureStatus, message: "000"))
        case .uncertainDeclining: .uncertain(resolvesAt: SandboxInstant(millisecondsSince1970: record.resolvesAt), approves: false)
        case .uncertainApproving: .uncertain(resolvesAt: SandboxInstant(millisecondsSince1970: record.resolvesAt), approves: true)
        }
        let createdAt = SandboxInstant(millisecondsSince1970: record.createdAt)
        let fields = textFields(of: record)
        let linkID: String? = !record.flags.contains(.hasLink) ? nil
            : record.flags.contains(.linkIDIsText) ? fields[Field.linkIDText.rawValue] : CompactKey.decimal(record.paymentLinkID)
        return Order(
            fortID: record.flags.contains(.fortIDIsText) ? fields[Field.fortIDText.rawValue] ?? "" : CompactKey.decimal(record.fortID),
            merchantIdentifier: merchants.value(record.merchant) ?? "", merchantReference: fields[Field.merchantReference.rawValue] ?? "",
            paymentLinkID: linkID, command: command, currency: currencies.value(record.currency) ?? "", amount: record.amount,
            authorizationCode: fields[Field.authorizationCode.rawValue] ?? "", payment: payments.value(record.payment) ?? PaymentDetails(),
            createdAt: createdAt, status: status, capturedAmount: record.capturedAmount, refundedAmount: record.refundedAmount,
            voided: record.voided,
            operations: record.flags.contains(.hasOperations)
                ? operations[UInt32(ordinal)] ?? []
                : [.restored(command: command, amount: record.amount, at: createdAt, maintenanceReference: nil)],
            requestFields: record.flags.contains(.hasRequestFields) ? requestFields[UInt32(ordinal)] ?? [:] : [:])
    }

    /// Every order, in creation order.
    package var values: some Collection<Order> { records.indices.lazy.map { self[$0] } }

    /// Adds `order` as the newest (the caller has checked its `fort_id` is new); it becomes
    /// the one its merchant reference finds.
    @discardableResult
    package mutating func append(_ order: Order) -> Int {
        let ordinal = records.count
        records.append(record(for: order, ordinal: ordinal))
        let reference = referenceHash(ordinal)
        let previous = referenceOrdinal(merchant: order.merchantIdentifier, reference: order.merchantReference)
        byFortID.insert(ordinal, hash: fortIDHash(ordinal))
        if let previous {
            _ = byReference.repoint(hash: reference, to: ordinal) { $0 == previous }
        } else {
            byReference.insert(ordinal, hash: reference)
        }
        return ordinal
    }

    /// Stores a changed order at its ordinal (its `fort_id`, merchant and reference unchanged).
    package mutating func replace(_ ordinal: Int, with order: Order) {
        records[ordinal] = record(for: order, ordinal: ordinal, reusing: records[ordinal])
    }

    package mutating func reserveCapacity(forMore more: Int) {
        records.reserveCapacity(records.count + more)
        text.reserveCapacity(text.count + more * 24)
        byFortID.reserveCapacity(records.count + more)
        byReference.reserveCapacity(records.count + more)
    }

    // MARK: Private

    private func referenceOrdinal(merchant: String, reference: String) -> Int? {
        guard let code = merchants.existingCode(for: merchant) else { return nil }
        var reference = reference
        return reference.withUTF8 { wanted in
            byReference.find(hash: StoreHash.bytes(wanted, seed: UInt64(code))) { ordinal in
                records[ordinal].merchant == code && referenceBytes(ordinal) { $0.elementsEqual(wanted) }
            }
        }
    }

    private mutating func record(for order: Order, ordinal: Int, reusing old: Record? = nil) -> Record {
        var flags: Flags = []
        let fortID = old.map { $0.flags.contains(.fortIDIsText) ? nil : $0.fortID } ?? CompactKey.number(order.fortID)
        if fortID == nil { flags.insert(.fortIDIsText) }
        var linkNumber: UInt64?
        if let linkID = order.paymentLinkID {
            flags.insert(.hasLink)
            linkNumber = CompactKey.number(linkID)
            if linkNumber == nil { flags.insert(.linkIDIsText) }
        }
        let implied = [OrderOperation.restored(command: order.command, amount: order.amount, at: order.createdAt, maintenanceReference: nil)]
        if order.operations != implied {
            flags.insert(.hasOperations)
            operations[UInt32(ordinal)] = order.operations
        } else if old?.flags.contains(.hasOperations) == true {
            operations[UInt32(ordinal)] = nil
        }
        if !order.requestFields.isEmpty {
            flags.insert(.hasRequestFields)
            requestFields[UInt32(ordinal)] = order.requestFields
        } else if old?.flags.contains(.hasRequestFields) == true {
            requestFields[UInt32(ordinal)] = nil
        }
        let textOffset: Int
        if let old, old.flags.intersection([.fortIDIsText, .linkIDIsText]) == flags.intersection([.fortIDIsText, .linkIDIsText]),
           textFields(of: old) == fields(of: order, flags: flags) {
            textOffset = old.textOffset
        } else {
            textOffset = text.count
            for field in fields(of: order, flags: flags) { TextFields.append(field, to: &text) }
        }
        var status = Status.approved, declineCode: UInt32 = 0, resolvesAt: Int64 = 0
        switch order.status {
        case .approved: break
        case .declined(let code):
            status = .declined
            declineCode = declineCodes.code(for: code)
        case .uncertain(let due, let approves):
            status = approves ? .uncertainApproving : .uncertainDeclining
            resolvesAt = due.millisecondsSince1970
        }
        return Record(
            fortID: fortID ?? 0, paymentLinkID: linkNumber ?? 0, amount: order.amount, capturedAmount: order.capturedAmount,
            refundedAmount: order.refundedAmount, createdAt: order.createdAt.millisecondsSince1970, resolvesAt: resolvesAt,
            textOffset: textOffset, merchant: merchants.code(for: order.merchantIdentifier), currency: currencies.code(for: order.currency),
            payment: payments.code(for: order.payment), declineCode: declineCode,
            command: UInt8(TransactionCommand.allCases.firstIndex(of: order.command) ?? 0), status: status, voided: order.voided,
            flags: flags)
    }

    private func fields(of order: Order, flags: Flags) -> [String?] {
        [order.merchantReference, order.authorizationCode,
         flags.contains(.fortIDIsText) ? order.fortID : nil, flags.contains(.linkIDIsText) ? order.paymentLinkID : nil]
    }

    private func textFields(of record: Record) -> [String?] {
        text.withUnsafeBufferPointer { all in
            var reader = TextFields.Reader(bytes: UnsafeBufferPointer(rebasing: all[record.textOffset...]))
            return Field.allCases.map { _ in reader.string() }
        }
    }

    private func field(_ field: Field, of ordinal: Int) -> String? { textFields(of: records[ordinal])[field.rawValue] }

    private func referenceBytes<Result>(_ ordinal: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        text.withUnsafeBufferPointer { all in
            var reader = TextFields.Reader(bytes: UnsafeBufferPointer(rebasing: all[records[ordinal].textOffset...]))
            return body(reader.field() ?? UnsafeBufferPointer(start: nil, count: 0))
        }
    }

    private func fortIDHash(_ ordinal: Int) -> UInt64 {
        let record = records[ordinal]
        return record.flags.contains(.fortIDIsText) ? StoreHash.bytes((field(.fortIDText, of: ordinal) ?? "").utf8) : StoreHash.mix(record.fortID)
    }

    private func referenceHash(_ ordinal: Int) -> UInt64 {
        referenceBytes(ordinal) { StoreHash.bytes($0, seed: UInt64(records[ordinal].merchant)) }
    }
}
