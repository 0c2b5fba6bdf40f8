/// Every link of an engine, numbered by its position in creation order (its ordinal): one
/// array of fixed-size records, one buffer holding every link's text, merchant identifiers and
/// the short shared strings interned, and three tables of ordinals that find a link by ID, by
/// token and by merchant reference. About 72 bytes a link plus its text and 48 bytes of tables,
/// where `PaymentLink` values in dictionaries took over a kilobyte.
///
/// Reading a link builds a `PaymentLink` value from its record; writing one stores it back.
/// Failed attempts (rare, at most 100 a link) are kept beside the records, by ordinal.
package struct CompactLinks: Sendable {
    private var records: [LinkRecord] = []
    private var text: [UInt8] = []
    /// Bytes of text no record points at any more (a link's text changed); the buffer is
    /// rewritten when they outweigh the live ones.
    private var deadTextBytes = 0
    private var merchants = Interner<String>()
    private var profiles = Interner<LinkProfile>()
    private var failedAttempts: [UInt32: [PaymentAttempt]] = [:]
    private var bigAttemptCounts: [UInt32: Int] = [:]
    private var byID = OrdinalTable()
    private var byToken = OrdinalTable()
    private var byReference = OrdinalTable()
    /// The links made, changed or read most recently, as values (see `reading(_:)`).
    private var recent = RecentLinks()

    package init() {}

    package var count: Int { records.count }

    // MARK: Finding links

    package func ordinal(id: String) -> Int? {
        if let number = CompactKey.number(id) {
            return byID.find(hash: StoreHash.mix(number)) { records[$0].id == number && !records[$0].flags.contains(.idIsText) }
        }
        var id = id
        return id.withUTF8 { wanted in
            byID.find(hash: StoreHash.bytes(wanted)) { ordinal in
                records[ordinal].flags.contains(.idIsText) && textField(.idText, of: ordinal) { $0.map { Self.sameBytes($0, wanted) } == true }
            }
        }
    }

    package func ordinal(token: String) -> Int? {
        if let number = CompactKey.hex16(token) {
            return byToken.find(hash: StoreHash.mix(number ^ Self.tokenSeed)) {
                records[$0].token == number && !records[$0].flags.contains(.tokenIsText)
            }
        }
        var token = token
        return token.withUTF8 { wanted in
            byToken.find(hash: StoreHash.bytes(wanted, seed: Self.tokenSeed)) { ordinal in
                records[ordinal].flags.contains(.tokenIsText) && textField(.tokenText, of: ordinal) { $0.map { Self.sameBytes($0, wanted) } == true }
            }
        }
    }

    package func ordinal(merchant: String, reference: String) -> Int? {
        guard let code = merchants.existingCode(for: merchant) else { return nil }
        var reference = reference
        return reference.withUTF8 { wanted in
            byReference.find(hash: StoreHash.bytes(wanted, seed: UInt64(code))) { ordinal in
                records[ordinal].merchant == code && referenceBytes(ordinal) { Self.sameBytes($0, wanted) }
            }
        }
    }

    // MARK: Reading

    package subscript(ordinal: Int) -> PaymentLink {
        let record = records[ordinal]
        let text = textBytes(of: record) { LinkText.decode($0) }
        let profile = profiles.value(record.profile) ?? LinkProfile(currency: "", language: "", notificationType: "", linkCommand: "")
        let terms = LinkTerms(
            merchantIdentifier: merchants.value(record.merchant) ?? "", merchantReference: text.merchantReference ?? "",
            amount: record.amount, currency: profile.currency,
            language: profile.language, customerEmail: text.customerEmail ?? "",
            customerName: text.customerName, customerPhone: text.customerPhone,
            orderDescription: text.orderDescription, notificationType: profile.notificationType,
            linkCommand: profile.linkCommand, paymentOption: profile.paymentOption,
            returnURL: text.returnURL, expiry: SandboxInstant(millisecondsSince1970: record.expiry),
            merchantExtras: text.extras, settlementReference: text.settlementReference)
        return PaymentLink(
            id: record.flags.contains(.idIsText) ? text.idText ?? "" : CompactKey.decimal(record.id),
            token: record.flags.contains(.tokenIsText) ? text.tokenText ?? "" : CompactKey.hex16(record.token),
            terms: terms, createdAt: SandboxInstant(millisecondsSince1970: record.createdAt), lifecycle: record.lifecycle,
            userAttemptsCount: record.flags.contains(.bigAttemptCount)
                ? bigAttemptCounts[UInt32(ordinal)] ?? 0 : Int(record.userAttemptsCount),
            paidAt: record.paidAt == LinkRecord.notPaid ? nil : SandboxInstant(millisecondsSince1970: record.paidAt),
            failedAttempts: record.flags.contains(.hasFailedAttempts) ? failedAttempts[UInt32(ordinal)] ?? [] : [],
            pendingFortID: text.pendingFortID)
    }

    /// The link at `ordinal`, from the recent links when it is one of them. One link is
    /// usually read several times in a row (made, then checked, paid, checked again), and
    /// building it from its record makes a `String` for every field longer than fifteen bytes,
    /// where a copy of a held value only counts references. Single reads go through here;
    /// bulk reads (pages, snapshots) use the subscript and leave the recent links alone.
    package mutating func reading(_ ordinal: Int) -> PaymentLink {
        if let link = recent.link(at: ordinal) { return link }
        let link = self[ordinal]
        recent.keep(link, at: ordinal)
        return link
    }

    /// `reading(_:)` lent to `body` instead of copied out: a recent link is read in place.
    /// `body`'s flag: the link's shown text is known plain (`PaymentLink.shownTextIsPlain`);
    /// false for a link just built from its record, whose answer checks its values itself.
    package mutating func withReading<R>(_ ordinal: Int, _ body: (borrowing PaymentLink, Bool) -> R) -> R {
        if let result = recent.withLink(at: ordinal, body) { return result }
        let link = self[ordinal]
        recent.keep(link, at: ordinal)
        return body(link, false)
    }

    package func id(_ ordinal: Int) -> String {
        let record = records[ordinal]
        guard record.flags.contains(.idIsText) else { return CompactKey.decimal(record.id) }
        return textField(.idText, of: ordinal) { $0.map { String(decoding: $0, as: UTF8.self) } } ?? ""
    }

    /// What the searches read, without building the link.
    package func lifecycle(_ ordinal: Int) -> LinkLifecycle { records[ordinal].lifecycle }
    package func expiry(_ ordinal: Int) -> Int64 { records[ordinal].expiry }
    package func createdAt(_ ordinal: Int) -> Int64 { records[ordinal].createdAt }
    package func merchantCode(_ ordinal: Int) -> UInt32 { records[ordinal].merchant }
    package func merchantCode(of merchant: String) -> UInt32? { merchants.existingCode(for: merchant) }
    package func merchantIdentifier(_ ordinal: Int) -> String { merchants.value(records[ordinal].merchant) ?? "" }
    /// Every merchant that ever had a link here.
    package var merchantIdentifiers: [String] { (0..<merchants.count).compactMap { merchants.value(UInt32($0 + 1)) } }

    // MARK: Writing

    /// Adds `link` as the newest; returns its ordinal. The caller has checked that its ID,
    /// token and merchant reference are new.
    @discardableResult
    package mutating func append(_ link: PaymentLink) -> Int {
        let ordinal = records.count
        records.append(record(for: link, ordinal: ordinal))
        byID.insert(ordinal, hash: idHash(ordinal))
        byToken.insert(ordinal, hash: tokenHash(ordinal))
        byReference.insert(ordinal, hash: referenceHash(ordinal))
        return ordinal
    }

    /// Which key of a link another link already holds.
    package enum Key: Sendable, Equatable {
        case id, token, merchantReference
    }

    /// Why `appendNew` added nothing: the link at `ordinal` holds the same `key`.
    package struct Duplicate: Error, Equatable {
        package let key: Key
        package let ordinal: Int

        package init(key: Key, ordinal: Int) {
            self.key = key
            self.ordinal = ordinal
        }
    }

    /// Adds `link` as the newest and returns its ordinal, unless another link holds its ID, its
    /// token or its merchant reference: then nothing changes and the error names the first of
    /// them. One walk of each table both looks for the key and finds where it goes, and each
    /// key is hashed once (a check before an `append` walks and hashes twice); what a build of
    /// a whole store from a snapshot spends most of its time on.
    /// `customerText`, when given, is the link's customer fields already encoded (`LinkCustomerText`).
    package mutating func appendNew(_ link: PaymentLink, customerText: [UInt8]? = nil) throws(Duplicate) -> Int {
        let ordinal = records.count, textCount = text.count
        records.append(record(for: link, ordinal: ordinal, customerText: customerText))
        byID.makeRoom()
        byToken.makeRoom()
        byReference.makeRoom()
        let hashes = (id: idHash(ordinal), token: tokenHash(ordinal), reference: referenceHash(ordinal))
        let probes = (
            id: byID.probe(hash: hashes.id) { sameID($0, ordinal) },
            token: byToken.probe(hash: hashes.token) { sameToken($0, ordinal) },
            reference: byReference.probe(hash: hashes.reference) { sameReference($0, ordinal) })
        guard case .vacant(let idSlot) = probes.id, case .vacant(let tokenSlot) = probes.token,
              case .vacant(let referenceSlot) = probes.reference else {
            records.removeLast()
            text.removeSubrange(textCount...)
            failedAttempts[UInt32(ordinal)] = nil
            bigAttemptCounts[UInt32(ordinal)] = nil
            throw Self.duplicate(probes.id, probes.token, probes.reference)
        }
        byID.fill(idSlot, with: ordinal, hash: hashes.id)
        byToken.fill(tokenSlot, with: ordinal, hash: hashes.token)
        byReference.fill(referenceSlot, with: ordinal, hash: hashes.reference)
        return ordinal
    }

    /// The first key of the three a probe found held.
    private static func duplicate(_ id: OrdinalTable.Probe, _ token: OrdinalTable.Probe, _ reference: OrdinalTable.Probe) -> Duplicate {
        for (key, probe) in [(Key.id, id), (.token, token), (.merchantReference, reference)] {
            if case .found(let other) = probe { return Duplicate(key: key, ordinal: other) }
        }
        return Duplicate(key: .id, ordinal: -1)
    }

    /// Stores a changed link at its ordinal. Its ID, token, merchant and reference are the
    /// ones it had (nothing changes them).
    package mutating func replace(_ ordinal: Int, with link: PaymentLink) {
        let old = records[ordinal]
        let record = record(for: link, ordinal: ordinal, reusing: old)
        if record.textOffset != old.textOffset { deadTextBytes += textLength(of: old) }
        records[ordinal] = record
        recent.keep(link, at: ordinal)
        if deadTextBytes > 1 << 20 && deadTextBytes > text.count / 2 { compactText() }
    }

    /// About what a link's text takes (`LinkText`): 60 to 100 bytes for a batch file's links
    /// (a PayByLink link's reference alone is a 38-character GUID and instalment). 64 was too
    /// few: a 100,000-line PayByLink batch outgrew it and copied the whole buffer under the lock.
    static let expectedTextBytesPerLink = 128

    /// Makes room for `more` links, so the tables grow once rather than while a lock is held.
    /// Over-reserving the text costs address space only: its pages are touched when written.
    package mutating func reserveCapacity(forMore more: Int) {
        let total = records.count + more
        records.reserveCapacity(total)
        text.reserveCapacity(text.count + more * Self.expectedTextBytesPerLink)
        byID.reserveCapacity(total)
        byToken.reserveCapacity(total)
        byReference.reserveCapacity(total)
    }

    // MARK: Private

    private static let tokenSeed: UInt64 = 0x746F_6B65_6E00_0000

    /// The record of `link`, its text appended to the buffer unless it equals the text
    /// `old` already has.
    private mutating func record(for link: PaymentLink, ordinal: Int, reusing old: LinkRecord? = nil,
                                 customerText: [UInt8]? = nil) -> LinkRecord {
        let number: UInt64?, token: UInt64?
        if let old {
            number = old.flags.contains(.idIsText) ? nil : old.id
            token = old.flags.contains(.tokenIsText) ? nil : old.token
        } else {
            number = CompactKey.number(link.id)
            token = CompactKey.hex16(link.token)
        }
        var flags: LinkRecord.Flags = []
        if number == nil { flags.insert(.idIsText) }
        if token == nil { flags.insert(.tokenIsText) }
        if !link.failedAttempts.isEmpty {
            flags.insert(.hasFailedAttempts)
            failedAttempts[UInt32(ordinal)] = link.failedAttempts
        } else if old?.flags.contains(.hasFailedAttempts) == true {
            failedAttempts[UInt32(ordinal)] = nil
        }
        var attempts = UInt32(clamping: link.userAttemptsCount)
        if link.userAttemptsCount >= Int(UInt32.max) || link.userAttemptsCount < 0 {
            flags.insert(.bigAttemptCount)
            bigAttemptCounts[UInt32(ordinal)] = link.userAttemptsCount
            attempts = 0
        } else if old?.flags.contains(.bigAttemptCount) == true {
            bigAttemptCounts[UInt32(ordinal)] = nil
        }
        // A text is self-delimiting, so the old one is the new one when the bytes at its start
        // match the new text's whole length.
        var offset = text.count
        if let old {
            var encoded: [UInt8] = []
            LinkText.encode(link, idIsText: number == nil, tokenIsText: token == nil, into: &encoded)
            if old.textOffset + encoded.count <= text.count,
               text[old.textOffset..<(old.textOffset + encoded.count)].elementsEqual(encoded) {
                offset = old.textOffset
            } else {
                text.append(contentsOf: encoded)
            }
        } else {
            LinkText.encode(link, idIsText: number == nil, tokenIsText: token == nil, customerText: customerText, into: &text)
        }
        let terms = link.terms
        let profile = LinkProfile(currency: terms.currency, language: terms.language, notificationType: terms.notificationType,
                                  linkCommand: terms.linkCommand, paymentOption: terms.paymentOption)
        return LinkRecord(
            id: number ?? 0, token: token ?? 0, createdAt: link.createdAt.millisecondsSince1970,
            expiry: terms.expiry.millisecondsSince1970, amount: terms.amount,
            paidAt: link.paidAt?.millisecondsSince1970 ?? LinkRecord.notPaid, textOffset: offset, userAttemptsCount: attempts,
            merchant: merchants.code(for: terms.merchantIdentifier), profile: profiles.code(for: profile),
            lifecycle: link.lifecycle, flags: flags)
    }

    private func textBytes<Result>(of record: LinkRecord, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        text.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[record.textOffset...]))
        }
    }

    private func textLength(of record: LinkRecord) -> Int { textBytes(of: record) { LinkText.length($0) } }

    private func referenceBytes<Result>(_ ordinal: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        textBytes(of: records[ordinal]) { body(LinkText.firstField($0)) }
    }

    /// One field of a link's text, borrowed (nil when the link does not have it).
    private func textField<Result>(_ field: LinkText.Field, of ordinal: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> Result) -> Result {
        textBytes(of: records[ordinal]) { body(LinkText.field(field, in: $0)) }
    }

    private func idHash(_ ordinal: Int) -> UInt64 {
        let record = records[ordinal]
        guard record.flags.contains(.idIsText) else { return StoreHash.mix(record.id) }
        return textField(.idText, of: ordinal) { StoreHash.bytes($0 ?? UnsafeBufferPointer(start: nil, count: 0)) }
    }

    private func tokenHash(_ ordinal: Int) -> UInt64 {
        let record = records[ordinal]
        guard record.flags.contains(.tokenIsText) else { return StoreHash.mix(record.token ^ Self.tokenSeed) }
        return textField(.tokenText, of: ordinal) { StoreHash.bytes($0 ?? UnsafeBufferPointer(start: nil, count: 0), seed: Self.tokenSeed) }
    }

    /// Whether two stored links have the same ID (as numbers, or as text).
    private func sameID(_ a: Int, _ b: Int) -> Bool {
        let (x, y) = (records[a], records[b])
        guard x.flags.contains(.idIsText) == y.flags.contains(.idIsText) else { return false }
        guard x.flags.contains(.idIsText) else { return x.id == y.id }
        return textField(.idText, of: a) { first in textField(.idText, of: b) { second in Self.equal(first, second) } }
    }

    private func sameToken(_ a: Int, _ b: Int) -> Bool {
        let (x, y) = (records[a], records[b])
        guard x.flags.contains(.tokenIsText) == y.flags.contains(.tokenIsText) else { return false }
        guard x.flags.contains(.tokenIsText) else { return x.token == y.token }
        return textField(.tokenText, of: a) { first in textField(.tokenText, of: b) { second in Self.equal(first, second) } }
    }

    private func sameReference(_ a: Int, _ b: Int) -> Bool {
        records[a].merchant == records[b].merchant
            && referenceBytes(a) { first in referenceBytes(b) { second in Self.sameBytes(first, second) } }
    }

    private static func equal(_ a: UnsafeBufferPointer<UInt8>?, _ b: UnsafeBufferPointer<UInt8>?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return sameBytes(a, b)
    }

    /// Whether the two hold the same bytes, eight at a time (`elementsEqual` went through the
    /// generic iterators a byte at a time: 400 instructions for a status check's reference lookup).
    @inline(__always)
    static func sameBytes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let p = a.baseAddress, let q = b.baseAddress else { return true }
        let x = UnsafeRawPointer(p), y = UnsafeRawPointer(q)
        var i = 0
        while i &+ 8 <= a.count {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        while i < a.count {
            if p[i] != q[i] { return false }
            i &+= 1
        }
        return true
    }

    private func referenceHash(_ ordinal: Int) -> UInt64 {
        referenceBytes(ordinal) { StoreHash.bytes($0, seed: UInt64(records[ordinal].merchant)) }
    }

    /// Rewrites the text buffer with the live text only, in ordinal order.
    private mutating func compactText() {
        var kept: [UInt8] = []
        kept.reserveCapacity(text.count - deadTextBytes)
        for ordinal in records.indices {
            let record = records[ordinal]
            let start = kept.count
            kept.append(contentsOf: text[record.textOffset..<(record.textOffset + textLength(of: record))])
            records[ordinal].textOffset = start
        }
        text = kept
        deadTextBytes = 0
    }
}
