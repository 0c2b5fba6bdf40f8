import PayLinkCore
import PayLinkJSON
import PayLinkPayByLink

/// `snapshot-<sequence>.bin`: the whole state covering every change up to `sequence`, written
/// as a stream of `LogFrame`s so neither writing nor reading holds one document of it:
///
/// - a header: `PLSNAP`, format 1, the sequence, the wall-clock time it was taken, and the
///   state's JSON document without `links` and `orders` (clock, ids, outbox, notifications,
///   PayByLink requests, batches: as `GET /__sandbox/state` writes them);
/// - `P` frames of PayByLink requests (`PayByLinkStateBinary`), then `L` frames of up to
///   `pageSize` links each (`LinkStateBinary`), then `O` frames of orders (`OrderStateBinary`);
/// - an `E` frame with how many links and orders were written, so a file cut short is never taken for
///   a state with fewer links.
///
/// Earlier versions wrote `snapshot-<sequence>.json`, `{"sequence", "saved_at", "state"}`;
/// those are still read.
enum SnapshotFile {
    static let magic: [UInt8] = Array("PLSNAP".utf8)
    static let format: UInt8 = 1
    static let pageSize = 4096
    private static let linksTag = UInt8(ascii: "L"), ordersTag = UInt8(ascii: "O"), requestsTag = UInt8(ascii: "P")
    /// Orders each followed by its request fields (`OrderStateBinary`): a page with an order
    /// made without a link.
    private static let ordersWithFieldsTag = UInt8(ascii: "Q")
    private static let endTag = UInt8(ascii: "E")

    struct Contents {
        var sequence: UInt64
        var savedAt: SandboxInstant
        var document: JSONObject
        var values: StateValuesLists
    }

    /// Writes the snapshot through `output`, a page at a time from `source`. False when
    /// `shouldStop` said so or a page's cursor vanished (a merchant reset mid-way: the reset
    /// writes a snapshot of its own).
    static func write(sequence: UInt64, savedAt: SandboxInstant, source: SnapshotSource, to output: inout StreamedFile,
                      shouldStop: () -> Bool) throws(StateDirectoryError) -> Bool {
        var header = BinaryWriter()
        header.bytes.append(contentsOf: magic)
        header.byte(format)
        header.unsigned(sequence)
        header.instant(savedAt)
        header.blob(source.document().serialized())
        try output.frame(header.bytes)
        let requests = source.requests()
        for start in stride(from: 0, to: requests.count, by: pageSize) {
            let page = requests[start..<min(requests.count, start + pageSize)]
            var frame = BinaryWriter(capacity: page.count * 300)
            frame.byte(requestsTag)
            frame.unsigned(UInt64(page.count))
            for request in page { PayByLinkStateBinary.encode(request, into: &frame) }
            try output.frame(frame.bytes)
        }
        var linkCount = 0, after: String?
        while true {
            if shouldStop() { return false }
            guard let page = source.links(after, pageSize) else { return false }
            if page.isEmpty { break }
            var frame = BinaryWriter(capacity: page.count * 200)
            frame.byte(linksTag)
            frame.unsigned(UInt64(page.count))
            for link in page { LinkStateBinary.encode(link, into: &frame) }
            try output.frame(frame.bytes)
            linkCount += page.count
            after = page.last?.id
            if page.count < pageSize { break }
        }
        var orderCount = 0, afterOrder: String?, position = -1
        while true {
            if shouldStop() { return false }
            guard let page = source.orders(afterOrder, position, pageSize) else { return false }
            if page.orders.isEmpty { break }
            var frame = BinaryWriter(capacity: page.orders.count * 200)
            let withRequestFields = page.orders.contains { !$0.requestFields.isEmpty }
            frame.byte(withRequestFields ? ordersWithFieldsTag : ordersTag)
            frame.unsigned(UInt64(page.orders.count))
            for order in page.orders { OrderStateBinary.encode(order, into: &frame, withRequestFields: withRequestFields) }
            try output.frame(frame.bytes)
            orderCount += page.orders.count
            afterOrder = page.orders.last?.fortID
            position = page.position
            if page.orders.count < pageSize { break }
        }
        var end = BinaryWriter()
        end.byte(endTag)
        end.unsigned(UInt64(linkCount))
        end.unsigned(UInt64(orderCount))
        try output.frame(end.bytes)
        return true
    }

    static func read(_ bytes: [UInt8], path: String) throws(StateDirectoryError) -> Contents {
        do throws(LogReadError) {
            let result = bytes.withUnsafeBytes { raw in Result { () throws(LogReadError) in try read(raw) } }
            var (contents, linkFrames, linkCount) = try result.get()
            contents.values.links = try decodeLinks(bytes, frames: linkFrames, count: linkCount)
            return contents
        } catch {
            throw StateDirectoryError(path: path, "\(error) (move the directory away to start empty)")
        }
    }

    /// The links of the `L` frames, in order, put into the engine's store as they are decoded:
    /// a second thread decodes the frames (`LinkPages`) while this one adds each page's links
    /// to the store, so no list of a million links is ever held.
    private static func decodeLinks(_ bytes: [UInt8], frames: [Range<Int>], count: Int) throws(LogReadError) -> LinkStoreBuilder {
        var links = LinkStoreBuilder()
        links.reserveCapacity(forMore: count)
        let pages = LinkPages(bytes: bytes, frames: frames)
        defer { pages.cancel() }
        for _ in frames.indices { for link in try pages.next() { links.add(link) } }
        return links
    }

    /// Everything but the links, whose frames it returns (checked for their counts).
    private static func read(_ raw: UnsafeRawBufferPointer) throws(LogReadError) -> (Contents, [Range<Int>], Int) {
        let scan = LogFrame.scan(raw)
        if let problem = scan.problem { throw LogReadError("damaged snapshot at offset \(scan.end): \(problem)") }
        // A snapshot is written whole and renamed into place: zeros in it are damage.
        if scan.zeroTail { throw LogReadError("damaged snapshot at offset \(scan.end): \(raw.count - scan.end) zero bytes") }
        guard let first = scan.frames.first else { throw LogReadError("an empty snapshot") }
        var header = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[first]))
        for byte in magic where try header.byte() != byte { throw LogReadError("not a sandbox snapshot") }
        let version = try header.byte()
        guard version == format else { throw LogReadError("snapshot format \(version); this sandbox reads \(format)") }
        let sequence = try header.unsigned(), savedAt = try header.instant()
        let document: JSONObject
        do {
            guard case .object(let object) = try JSONParser.parse(try header.blob()) else { throw LogReadError("the snapshot's document is not an object") }
            document = object
        } catch let error as LogReadError { throw error } catch { throw LogReadError("the snapshot's document is not JSON: \(error)") }
        var orders: [Order] = [], requests: [RequestForPayment] = [], ended = false
        var linkFrames: [Range<Int>] = [], linkCount: UInt64 = 0
        for range in scan.frames.dropFirst() {
            guard !ended else { throw LogReadError("frames after the snapshot's end") }
            var r = BinaryReader(UnsafeRawBufferPointer(rebasing: raw[range]))
            switch try r.byte() {
            case linksTag:
                // Decoded apart (`decodeLinks`), which checks that each holds its count exactly.
                linkCount += try r.unsigned()
                linkFrames.append(range)
                continue
            case requestsTag:
                let count = try r.unsigned()
                for _ in 0..<count { requests.append(try PayByLinkStateBinary.decode(&r)) }
            case let tag where tag == ordersTag || tag == ordersWithFieldsTag:
                let withRequestFields = tag == ordersWithFieldsTag
                let count = try r.unsigned()
                for _ in 0..<count { orders.append(try OrderStateBinary.decode(&r, withRequestFields: withRequestFields)) }
            case endTag:
                guard try r.unsigned() == linkCount, try r.unsigned() == UInt64(orders.count) else {
                    throw LogReadError("the snapshot's end counts other links or orders than it holds")
                }
                ended = true
            case let tag:
                throw LogReadError("unknown snapshot frame \(tag)")
            }
            guard r.isAtEnd else { throw LogReadError("a snapshot frame holds more than its records") }
        }
        guard ended else { throw LogReadError("the snapshot has no end (cut short)") }
        return (Contents(sequence: sequence, savedAt: savedAt, document: document,
                         values: StateValuesLists(orders: orders, requests: requests)), linkFrames, Int(min(linkCount, UInt64(raw.count))))
    }
}
