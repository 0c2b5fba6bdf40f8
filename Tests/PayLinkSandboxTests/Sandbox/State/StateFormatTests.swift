import Foundation
import PayLinkCore
import PayLinkJSON
@testable import PayLinkSandbox
@testable import PayLinkPayByLink
import Testing

/// The state directory's binary format: links and orders field by field, snapshots streamed a
/// page at a time, and directories written by the earlier JSON format still opening.
struct StateFormatTests {
    static let at = SandboxInstant(millisecondsSince1970: 1_767_225_600_250)

    static func link(_ index: Int, everything: Bool = false) -> PaymentLink {
        let terms = LinkTerms(
            merchantIdentifier: "merchant-\(index % 3)", merchantReference: "ref-\(index)", amount: Int64(index * 100 + 1), currency: "SAR",
            language: "ar", customerEmail: "c\(index)@example.com", customerName: everything ? "Ada Lovelace" : nil,
            customerPhone: everything ? "+966500000000" : nil, orderDescription: everything ? "Tea ☕️" : nil,
            notificationType: "EMAIL", linkCommand: "AUTHORIZATION", paymentOption: everything ? "MADA" : nil,
            returnURL: everything ? "https://shop.example/back" : nil, expiry: at.adding(seconds: 86_400),
            merchantExtras: everything ? ["merchant_extra": "a", "merchant_extra3": "c"] : [:],
            settlementReference: everything ? "SETTLE-1" : nil)
        return PaymentLink(
            id: String(100_000_000_000_000_000 + index), token: "token-\(index)", terms: terms, createdAt: at.adding(milliseconds: Int64(index)),
            lifecycle: everything ? .paid : .open, userAttemptsCount: everything ? 3 : 0, paidAt: everything ? at.adding(seconds: 60) : nil,
            failedAttempts: everything ? [PaymentAttempt(at: at, responseCode: "13666", maskedCardNumber: "400555******0001", fortID: "f-1"),
                                          PaymentAttempt(at: at.adding(seconds: 1), responseCode: "13029", maskedCardNumber: nil)] : [],
            pendingFortID: everything ? "f-9" : nil)
    }

    static func order(_ fortID: String, status: OrderStatus) -> Order {
        Order(fortID: fortID, merchantIdentifier: "merchant-0", merchantReference: "ref-\(fortID)", paymentLinkID: "100000000000000001",
              command: .authorization, currency: "SAR", amount: 5_000, authorizationCode: "123456",
              payment: PaymentDetails(maskedCardNumber: "400555******0001", paymentOption: "VISA", expiryDate: "2705", cardHolderName: "A B",
                                      phoneNumber: nil, digitalWallet: nil, customerIP: "192.0.2.1"),
              createdAt: at, status: status, capturedAmount: 3_000, refundedAmount: 1_000, voided: false,
              operations: [.restored(command: .authorization, amount: 5_000, at: at, maintenanceReference: nil),
                           .restored(command: .capture, amount: 3_000, at: at.adding(seconds: 5), maintenanceReference: "m-1"),
                           .restored(command: .refund, amount: 1_000, at: at.adding(seconds: 9), maintenanceReference: nil)])
    }

    // MARK: - records

    @Test(arguments: [false, true])
    func aLink_readsBackAsItWasWritten(everything: Bool) throws {
        let link = Self.link(7, everything: everything)
        var writer = BinaryWriter()
        LinkStateBinary.encode(link, into: &writer)
        let decoded = try writer.bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            let decoded = try LinkStateBinary.decode(&reader)
            #expect(reader.isAtEnd)
            return decoded
        }
        #expect(decoded == link)
    }

    @Test(arguments: [OrderStatus.approved, .declined(APSResponseCode("14016")!), .uncertain(resolvesAt: at.adding(seconds: 30), approves: true)])
    func anOrder_readsBackAsItWasWritten(status: OrderStatus) throws {
        let order = Self.order("f-1", status: status)
        var writer = BinaryWriter()
        OrderStateBinary.encode(order, into: &writer)
        let decoded = try writer.bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            return try OrderStateBinary.decode(&reader)
        }
        #expect(decoded == order)
    }

    /// A record cut anywhere is refused with a reason, never read past its end.
    @Test func aCutRecord_isRefused() {
        var writer = BinaryWriter()
        LinkStateBinary.encode(Self.link(1, everything: true), into: &writer)
        for cut in [0, 1, 10, writer.bytes.count / 2, writer.bytes.count - 1] {
            let bytes = Array(writer.bytes.prefix(cut))
            #expect(throws: LogReadError.self) {
                try bytes.withUnsafeBytes { raw in
                    var reader = BinaryReader(raw)
                    _ = try LinkStateBinary.decode(&reader)
                }
            }
        }
    }

    @Test func integers_roundTripAtTheirLimits() throws {
        let values: [Int64] = [0, 1, -1, 63, -64, 64, 1 << 40, -(1 << 40), .max, .min]
        var writer = BinaryWriter()
        for value in values { writer.signed(value) }
        writer.unsigned(.max)
        let read = try writer.bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw)
            var read: [Int64] = []
            for _ in values { read.append(try reader.signed()) }
            #expect(try reader.unsigned() == .max)
            return read
        }
        #expect(read == values)
    }

    static func message(_ sequence: Int) -> OutboxMessage {
        .restored(sequence: sequence, channel: .sms, recipient: "+447700900\(sequence)", subject: sequence % 2 == 0 ? "Pay" : nil,
                  text: "Pay here \(sequence)", merchantIdentifier: "PayByLink", paymentLinkID: nil, sentAt: at)
    }

    // MARK: - replay

    /// A binary outbox entry replays as the JSON one did: the message in, the evicted ones out,
    /// the counters set.
    @Test func anOutboxEntry_replaysItsMessageEvictionsAndCounters() throws {
        var document: JSONObject = ["outbox": ["next_sequence": 3, "dropped": 0, "messages": .array([OutboxStateJSON.encode(Self.message(1)), OutboxStateJSON.encode(Self.message(2))])]]
        document["clock"] = ["mode": "frozen"]
        var replay = StateReplay(snapshot: document, values: StateValuesLists(), sequence: 10)
        var frame = BinaryWriter()
        frame.byte(LogEntry.binaryMark)
        var logged = LogEntry.BatchRecordsLogged()
        LogEntry.encode(.outboxMessage(Self.message(3), evicted: [1], nextSequence: 4, dropped: 1), sequence: 11, into: &frame, logged: &logged)
        LogEntry.encode(.outboxMessage(Self.message(9), evicted: [], nextSequence: 10, dropped: 1), sequence: 9, into: &frame, logged: &logged)
        try frame.bytes.withUnsafeBytes { try replay.apply(frame: $0) }
        #expect(replay.lastSequence == 11)
        let replayed = replay.finish()
        guard case .object(let outbox)? = replayed.document["outbox"], case .array(let messages)? = outbox["messages"] else {
            Issue.record("no outbox")
            return
        }
        #expect(messages == [OutboxStateJSON.encode(Self.message(2)), OutboxStateJSON.encode(Self.message(3))])
        #expect(outbox["next_sequence"] == 4 && outbox["dropped"] == 1)
    }

    /// The log's puts replace the snapshot's links where they stand and add new ones after them,
    /// in the order they first appeared.
    @Test func loggedPuts_replaceInPlace_andAppendInOrder() {
        var list = LoggedList(snapshot: [Self.link(1), Self.link(2), Self.link(3)], key: \PaymentLink.id)
        var changed = Self.link(2)
        changed.userAttemptsCount = 5
        list.put(Self.link(5))
        list.put(changed)
        list.put(Self.link(4))
        var changedAgain = Self.link(5)
        changedAgain.lifecycle = .closed
        list.put(changedAgain)
        let result = list.finish()
        #expect(result.map(\.id) == [Self.link(1), Self.link(2), Self.link(3), Self.link(5), Self.link(4)].map(\.id))
        #expect(result[1].userAttemptsCount == 5)
        #expect(result[3].lifecycle == .closed)
    }

    // MARK: - snapshots

    /// A source of `count` links and `orders` orders, served a page at a time.
    static func source(links count: Int, orders orderCount: Int = 0, vanishAfter: Int? = nil) -> SnapshotSource {
        let links = (0..<count).map { Self.link($0) }
        let orders = (0..<orderCount).map { Self.order("f-\($0)", status: .approved) }
        return SnapshotSource(
            document: { ["state_version": 1, "clock": ["mode": "frozen"]] },
            links: { after, limit in
                let start = after.map { id in links.firstIndex { $0.id == id }! + 1 } ?? 0
                if let vanishAfter, start >= vanishAfter { return nil }
                return Array(links[start..<min(links.count, start + limit)])
            },
            orders: { after, hint, limit in
                let start = after == nil ? 0 : hint + 1
                let end = min(orders.count, start + limit)
                return (Array(orders[start..<end]), end - 1)
            })
    }

    @Test func aSnapshot_isWrittenInPages_andReadBackWhole() throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = StateFiles(path: directory)
        var output = try files.create(StateFiles.snapshotName(42))
        // Five pages of links: read back in two halves, on two cores.
        let count = SnapshotFile.pageSize * 4 + 17
        #expect(try SnapshotFile.write(sequence: 42, savedAt: Self.at, source: Self.source(links: count, orders: 5), to: &output, shouldStop: { false }))
        try output.commit()
        let bytes = try files.read(StateFiles.snapshotName(42))
        #expect(LogFrame.scan(bytes).frames.count == 1 + 5 + 1 + 1)
        let contents = try SnapshotFile.read(bytes, path: "snapshot")
        #expect(contents.sequence == 42)
        #expect(contents.savedAt == Self.at)
        #expect(contents.document["state_version"] == 1)
        #expect(contents.values.links.links == (0..<count).map { Self.link($0) })
        #expect(contents.values.orders.map(\.fortID) == (0..<5).map { "f-\($0)" })
    }

    /// When a page's cursor is gone (a merchant reset while writing), the snapshot is given up
    /// and no file is left, rather than one missing links.
    @Test func aSnapshotWhoseCursorVanishes_isAbandoned() throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = StateFiles(path: directory)
        var output = try files.create(StateFiles.snapshotName(3))
        let complete = try SnapshotFile.write(sequence: 3, savedAt: Self.at, source: Self.source(links: SnapshotFile.pageSize + 1, vanishAfter: 1),
                                              to: &output, shouldStop: { false })
        #expect(!complete)
        output.abandon()
        #expect(StateDirectoryTests.names(directory).isEmpty)
    }

    /// A snapshot cut short (its end frame missing) or damaged is refused, never read as a
    /// state with fewer links.
    @Test func aSnapshotWithoutItsEnd_isRefused() throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = StateFiles(path: directory)
        var output = try files.create(StateFiles.snapshotName(1))
        _ = try SnapshotFile.write(sequence: 1, savedAt: Self.at, source: Self.source(links: 10), to: &output, shouldStop: { false })
        try output.commit()
        let bytes = try files.read(StateFiles.snapshotName(1))
        let frames = LogFrame.scan(bytes).frames
        let withoutEnd = Array(bytes[..<(frames.last!.lowerBound - LogFrame.headerSize)])
        #expect { _ = try SnapshotFile.read(withoutEnd, path: "the-file") } throws: { "\($0)".contains("the-file") && "\($0)".contains("no end") }
        var damaged = bytes
        damaged[frames[1].lowerBound + 3] ^= 0x10
        #expect { _ = try SnapshotFile.read(damaged, path: "the-file") } throws: { "\($0)".contains("damaged") }
    }

    // MARK: - a directory of the earlier format

    /// A directory the earlier version wrote (`snapshot-N.json` and a log of JSON frames) opens
    /// with everything in it, and its next compaction writes the binary snapshot.
    @Test func aDirectoryInTheEarlierJSONFormat_opens_andMovesToTheBinaryOne() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var served = ""
        try await withSandbox(StateSnapshotTests.configuration) { sandbox, aps in
            _ = try aps.createLink("old-1")
            let state = sandbox.service.exportState()
            let document: JSONObject = ["sequence": 5, "saved_at": "2026-01-01T00:00:00.000Z", "state": .object(state)]
            try Data(document.serialized()).write(to: URL(fileURLWithPath: directory + "/" + StateFiles.jsonSnapshotName(5)))
            _ = try aps.createLink("old-2")
            let link = try #require(sandbox.engine.link(merchant: Merchant.demo.identifier, reference: "old-2")).link
            var entries: [JSONValue] = [], logged = LogEntry.BatchRecordsLogged()
            LogEntry.encode(.link(link), sequence: 6, into: &entries, logged: &logged)
            LogEntry.encode(.ids(sandbox.engine.snapshot().ids), sequence: 7, into: &entries, logged: &logged)
            var frame: [UInt8] = []
            LogFrame.append(JSONValue.array(entries).serialized(), to: &frame)
            try Data(frame).write(to: URL(fileURLWithPath: directory + "/" + StateFiles.segmentName(6)))
            served = StateLogTests.text(sandbox)
        }
        var configuration = StateLogTests.configuration(directory)
        try await withSandbox(configuration) { sandbox, _ in
            #expect(StateLogTests.text(sandbox) == served)
        }
        configuration.stateCompactionBytes = 1
        try await withSandbox(configuration) { sandbox, aps in
            // Enough to outgrow the JSON snapshot, which sets the next compaction's threshold.
            for index in 0..<40 { _ = try aps.createLink("new-\(index)") }
            try #require(sandbox.stateLog).waitForCompaction()
            served = StateLogTests.text(sandbox)
        }
        let snapshots = StateDirectoryTests.names(directory).filter { $0.hasPrefix("snapshot-") }
        #expect(snapshots.count == 1 && snapshots[0].hasSuffix(".bin"), "\(snapshots)")
        try await withSandbox(configuration) { sandbox, _ in
            #expect(StateLogTests.text(sandbox) == served)
            #expect(sandbox.engine.link(merchant: Merchant.demo.identifier, reference: "old-1") != nil)
        }
    }

    /// PayByLink requests, links and orders written into a binary snapshot (their log segments
    /// pruned) come back as they were served.
    @Test func aBinarySnapshot_keepsRequestsLinksAndOrders() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = StateLogTests.configuration(directory)
        configuration.stateCompactionBytes = 1
        var served = ""
        try await withSandbox(configuration) { sandbox, aps in
            _ = try PayByLinkTestClient(port: sandbox.port).create("snap-request-1")
            let paid = try aps.createLink("snap-paid")
            _ = try sandbox.engine.payment(id: paid, details: PaymentDetails(maskedCardNumber: "400555******0001"))
            for index in 0..<40 { _ = try aps.createLink("snap-\(index)") }
            try #require(sandbox.stateLog).waitForCompaction()
            served = StateLogTests.text(sandbox)
        }
        #expect(served.contains("snap-request-1") && served.contains(#""orders":[{"#))
        let names = StateDirectoryTests.names(directory)
        #expect(names.filter { $0.hasPrefix("snapshot-") && $0.hasSuffix(".bin") }.count == 1, "\(names)")
        try await withSandbox(configuration) { sandbox, _ in
            #expect(StateLogTests.text(sandbox) == served)
        }
    }

    /// The links of a binary snapshot go into the store as they are read, and are checked as
    /// an import checks them: one held twice stops the start, naming the link by its place.
    @Test func aBinarySnapshotHoldingALinkTwice_stopsTheStart_namingTheLink() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(StateLogTests.configuration(directory)) { _, _ in }
        let name = try #require(StateDirectoryTests.names(directory).first { $0.hasPrefix("snapshot-") && $0.hasSuffix(".bin") })
        let files = StateFiles(path: directory)
        let contents = try SnapshotFile.read(try files.read(name), path: name)
        let document = contents.document
        func rewrite(_ links: [PaymentLink]) throws {
            var output = try files.create(name)
            let source = SnapshotSource(document: { document }, links: { after, _ in after == nil ? links : [] },
                                        orders: { _, _, _ in ([], -1) })
            #expect(try SnapshotFile.write(sequence: contents.sequence, savedAt: Self.at, source: source, to: &output, shouldStop: { false }))
            try output.commit()
        }
        try rewrite([Self.link(0), Self.link(1), Self.link(2)])
        try await withSandbox(StateLogTests.configuration(directory)) { sandbox, _ in
            #expect(sandbox.engine.snapshot().links == [Self.link(0), Self.link(1), Self.link(2)])
        }
        try rewrite([Self.link(0), Self.link(1), Self.link(2), Self.link(1)])
        #expect {
            _ = try Sandbox.startBlocking(StateLogTests.configuration(directory))
        } throws: { error in
            "\(error)".contains("links[3].payment_link_id: duplicates links[1]")
        }
    }

    /// A damaged binary snapshot stops the start, naming the file.
    @Test func aDamagedBinarySnapshot_stopsTheStart_namingTheFile() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await withSandbox(StateLogTests.configuration(directory)) { _, aps in _ = try aps.createLink("d-1") }
        let name = try #require(StateDirectoryTests.names(directory).first { $0.hasPrefix("snapshot-") && $0.hasSuffix(".bin") })
        let path = directory + "/" + name
        var bytes = [UInt8](try #require(FileManager.default.contents(atPath: path)))
        bytes[bytes.count / 2] ^= 0x01
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try Sandbox.startBlocking(StateLogTests.configuration(directory))
        } throws: { error in
            "\(error)".contains(path)
        }
    }
}
