import Dispatch
import PayLinkCore
import PayLinkCrypto
import Synchronization

/// A string value given as its parts, too large to copy into a response's arena:
/// `batch_results`, a batch's result lines (14.5 MB for 100,000 records).
///
/// Why: set as a `String`, those megabytes were joined into a `String`, copied into the arena,
/// copied again into the canonical string and hashed, then escaped into the JSON text through
/// a growing buffer and copied out: about 90 ms of CPU for one answer. From its parts they are
/// hashed where they lie and escaped once, straight into the answer's text (beside the hashing,
/// when the answer is signed).
struct APSLargeText: Sendable {
    /// Whether the text has no bytes, known without counting them.
    let isEmpty: Bool
    /// Counts the bytes of all the parts together.
    private let countBytes: @Sendable () -> Int
    /// Calls its argument with each part, in order: the text is their concatenation.
    let forEachPart: @Sendable ((UnsafeBufferPointer<UInt8>) -> Void) -> Void
    /// The answer's JSON text written by another thread while the signature was hashed (see
    /// `writeSignature(algorithm:phrase:to:including:)`), for `serialized(including:)` to finish.
    let textAside = TextAside()

    init(byteCount: Int, forEachPart: @escaping @Sendable ((UnsafeBufferPointer<UInt8>) -> Void) -> Void) {
        self.init(isEmpty: byteCount == 0, countingBytes: { byteCount }, forEachPart: forEachPart)
    }

    /// A text whose size is counted only if something asks for it: a SHA-256 answer hashes the
    /// parts and counts them as it escapes them, so walking a batch's 100,000 result lines once
    /// more for their total (about 1.4 ms before anything else started) was for nothing.
    init(isEmpty: Bool, countingBytes: @escaping @Sendable () -> Int,
         forEachPart: @escaping @Sendable ((UnsafeBufferPointer<UInt8>) -> Void) -> Void) {
        self.isEmpty = isEmpty
        self.countBytes = countingBytes
        self.forEachPart = forEachPart
    }

    /// The bytes of all the parts together, counted now.
    var byteCount: Int { countBytes() }

    /// `opening`, the text escaped as `JSONStringEscaping` writes it, then `closing`, in one
    /// array with capacity for `spare` bytes more (what is appended after, so it is not copied
    /// again to grow).
    func jsonText(between opening: [UInt8], and closing: [UInt8], sparing spare: Int) -> [UInt8] {
        var size = 0
        forEachPart { size &+= JSONStringEscaping.escapedCount($0) }
        let count = opening.count &+ size &+ closing.count
        return [UInt8](unsafeUninitializedCapacity: count &+ spare) { text, initialized in
            var p = text.baseAddress!
            opening.withUnsafeBufferPointer { opening in
                p.initialize(from: opening.baseAddress!, count: opening.count)
                p += opening.count
            }
            forEachPart { JSONStringEscaping.write($0, to: &p) }
            closing.withUnsafeBufferPointer { closing in
                p.initialize(from: closing.baseAddress!, count: closing.count)
                p += closing.count
            }
            initialized = text.baseAddress!.distance(to: p)
            precondition(initialized == count, "the escaped text's size was counted wrong")
        }
    }

    /// The answer's text as far as it was written aside: the JSON text of `members`, without
    /// the closing brace. It is the answer's own start only while the answer's first members
    /// are still these, unchanged (a member's bytes in the arena never change, so the same
    /// ranges are the same text).
    struct WrittenText: Sendable {
        let text: [UInt8]
        let members: [APSResponseWriter.Member]

        func begins(_ current: [APSResponseWriter.Member]) -> Bool {
            current.count >= members.count && zip(members, current).allSatisfy { a, b in
                a.keyStart == b.keyStart && a.keyEnd == b.keyEnd && a.valueStart == b.valueStart && a.valueEnd == b.valueEnd
            }
        }
    }

    /// Where one thread leaves the answer's text for another.
    final class TextAside: Sendable {
        private let written = Mutex<WrittenText?>(nil)

        func keep(_ text: WrittenText) { written.withLock { $0 = text } }

        func take() -> WrittenText? { written.withLock { $0.take() } }
    }

    /// The text in one `String`.
    var string: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(byteCount)
        forEachPart { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension APSResponseWriter {
    /// `set` of a large value: the member holds no bytes of it, and the signature and the JSON
    /// text read it from its parts. An empty value is left out, as `set` leaves one out.
    mutating func set(_ key: StaticString, large value: APSLargeText) {
        guard !value.isEmpty else { return }
        // Nested values take the general paths, which read every value from the arena; they
        // are rare in a batch command, so the value is copied in for them.
        guard nested.isEmpty else { return set(key, value.string) }
        largeValue = value
        let keyBytes = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
        let keyBit = Self.filterBit(keyBytes, 0, keyBytes.count)
        if keyFilter & keyBit != 0, let index = index(of: keyBytes) {
            members[index].valueStart = 0
            members[index].valueEnd = -3
            return
        }
        let keyStart = arena.count
        arena.append(keyBytes)
        members.append(Member(keyStart: keyStart, keyEnd: arena.count, valueStart: 0, valueEnd: -3))
        keyFilter |= keyBit
    }

    /// `writeSignature` when a value is large: the canonical string (the same bytes as for the
    /// value set as a `String`) hashed part by part for SHA-256, joined for the other
    /// algorithms; meanwhile another thread writes the answer's JSON text as far as it is
    /// known (every member set so far, the large value escaped; only the signature's member
    /// is set after this) into `large.textAside`, which needs nothing of the signature. The
    /// two passes over the 14.5 MB of a 100,000-line batch's results took about 14 and 20 ms
    /// one after the other; written aside whole, the text is not copied again to be finished.
    /// `concurrentPerform` runs both here when no other thread is free, so the answer never
    /// waits for one.
    func writeSignature(algorithm: SignatureAlgorithm, phrase: String, to hex: UnsafeMutablePointer<UInt8>,
                        including large: APSLargeText) -> Int {
        var phraseText = phrase
        // The canonical string around the large value: small, copied so the hashing thread
        // needs nothing of the writer.
        var before: [UInt8] = [], after: [UInt8] = []
        var reached = false
        phraseText.withUTF8 { phraseBytes in
            forEachCanonicalPart(phrase: phraseBytes) { part in
                if reached { after.append(contentsOf: part) } else { before.append(contentsOf: part) }
            } large: {
                reached = true
            }
        }
        // A field set since under the large value's key replaced it: nothing of it is signed or written.
        guard reached else { return Self.copy(algorithm.digestHex(message: before, phrase: phrase), to: hex) }
        let (head, tail) = (before, after)
        // The JSON text around the large value, small, made here for the same reason.
        let members = Array(self.members.buffer)
        let around = jsonTextAround(large: members)
        let signature = Mutex("")
        DispatchQueue.concurrentPerform(iterations: 2) { task in
            if task == 0 {
                let text = Self.digestHex(algorithm, phrase: phrase, of: head, large, tail)
                signature.withLock { $0 = text }
            } else if let around {
                let text = large.jsonText(between: around.opening, and: around.closing, sparing: Self.signatureMemberRoom)
                large.textAside.keep(APSLargeText.WrittenText(text: text, members: members))
            }
        }
        return Self.copy(signature.withLock { $0 }, to: hex)
    }

    /// Room for `,"signature":"…"}` with the longest signature.
    private static var signatureMemberRoom: Int { 16 &+ maxSignatureBytes }

    /// The digest in lowercase hex of `head`, the large value and `tail`, as
    /// `SignatureAlgorithm.digestHex` makes it of them joined; SHA-256 hashes them where they lie.
    private static func digestHex(_ algorithm: SignatureAlgorithm, phrase: String, of head: [UInt8], _ large: APSLargeText,
                                  _ tail: [UInt8]) -> String {
        guard algorithm == .sha256 else {
            var message: [UInt8] = []
            message.reserveCapacity(head.count &+ large.byteCount &+ tail.count)
            message += head
            large.forEachPart { message.append(contentsOf: $0) }
            message += tail
            return algorithm.digestHex(message: message, phrase: phrase)
        }
        var hasher = SHA256()
        head.withUnsafeBytes { hasher.update($0) }
        large.forEachPart { hasher.update(UnsafeRawBufferPointer($0)) }
        tail.withUnsafeBytes { hasher.update($0) }
        return hasher.finalizeHex()
    }

    /// The canonical string's parts in order: the phrase, `key=value` of each signed member in
    /// byte order of the keys, the phrase; `large` is called where the large value's bytes go.
    /// Nothing is nested here (see `set(_:large:)`).
    private func forEachCanonicalPart(phrase: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void,
                                      large: () -> Void) {
        let bytes = arena.bytes
        let equals: StaticString = "="
        body(phrase)
        withSignedMembersInKeyOrder(bytes) { order in
            for entry in order {
                let member = members[entry.index]
                body(UnsafeBufferPointer(rebasing: bytes[member.keyStart..<member.keyEnd]))
                body(UnsafeBufferPointer(start: equals.utf8Start, count: 1))
                if member.isLarge {
                    large()
                } else {
                    body(UnsafeBufferPointer(rebasing: bytes[member.valueStart..<member.valueEnd]))
                }
            }
        }
        body(phrase)
    }

    /// `serialized` when a value is large: members in order, every key and value escaped as
    /// the JSON writer escapes them. The text written aside while the signature was hashed is
    /// finished with the members set since (the signature); otherwise the large value is
    /// escaped here, straight into the answer's text.
    func serialized(including large: APSLargeText) -> [UInt8] {
        let members = Array(self.members.buffer)
        var text: [UInt8]
        var written: Int
        if let aside = large.textAside.take(), aside.begins(members) {
            (text, written) = (aside.text, aside.members.count)
        } else if let around = jsonTextAround(large: members) {
            (text, written) = (large.jsonText(between: around.opening, and: around.closing, sparing: 1), members.count)
        } else {
            // A field set under the large value's key replaced it: the members are all small.
            (text, written) = ([UInt8(ascii: "{")], 0)
        }
        let bytes = arena.bytes
        for position in written..<members.count { Self.appendMember(members[position], first: position == 0, bytes, to: &text) }
        text.append(UInt8(ascii: "}"))
        return text
    }

    /// The JSON text before the large value (`{`, the members before it, and its key up to
    /// the opening quote of its value) and after it (the value's closing quote and the members
    /// after it, not the object's closing brace); nil when no member holds it.
    private func jsonTextAround(large members: [Member]) -> (opening: [UInt8], closing: [UInt8])? {
        guard let index = members.firstIndex(where: \.isLarge) else { return nil }
        let bytes = arena.bytes
        var opening = [UInt8(ascii: "{")]
        for position in 0...index { Self.appendMember(members[position], first: position == 0, bytes, to: &opening) }
        var closing = [UInt8(ascii: "\"")]
        for position in (index &+ 1)..<members.count { Self.appendMember(members[position], first: false, bytes, to: &closing) }
        return (opening, closing)
    }

    /// Appends `,"key":"value"` (no comma before the object's first member), escaped; of the
    /// large value's member only `"key":"`, for its value to follow.
    private static func appendMember(_ member: Member, first: Bool, _ bytes: UnsafeBufferPointer<UInt8>, to text: inout [UInt8]) {
        if !first { text.append(UInt8(ascii: ",")) }
        text.append(UInt8(ascii: "\""))
        JSONStringEscaping.append(UnsafeBufferPointer(rebasing: bytes[member.keyStart..<member.keyEnd]), to: &text)
        text.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":"), UInt8(ascii: "\"")])
        guard !member.isLarge else { return }
        JSONStringEscaping.append(UnsafeBufferPointer(rebasing: bytes[member.valueStart..<member.valueEnd]), to: &text)
        text.append(UInt8(ascii: "\""))
    }
}

/// The inside of a JSON string as the sandbox's JSON writer escapes it: `"` and `\` with a
/// backslash, the short forms for `\n` `\r` `\t` `\b` `\f`, other control characters as
/// `\u00XX` in lowercase hex, every other byte (UTF-8 included) as it is.
enum JSONStringEscaping {
    /// How many bytes each byte becomes: 1, 2 (a short escape) or 6 (`\u00XX`).
    private static let widths: [UInt8] = (0...255).map { byte in
        switch byte {
        case 0x22, 0x5C, 0x0A, 0x0D, 0x09, 0x08, 0x0C: 2
        case 0..<0x20: 6
        default: 1
        }
    }

    /// The size of `bytes` escaped.
    static func escapedCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        widths.withUnsafeBufferPointer { widths in
            var count = 0
            for byte in bytes { count &+= Int(widths[Int(byte)]) }
            return count
        }
    }

    /// Writes `bytes` escaped at `p`, moving it past them; room for `escapedCount(bytes)`.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, to p: inout UnsafeMutablePointer<UInt8>) {
        widths.withUnsafeBufferPointer { widths in
            for byte in bytes {
                if widths[Int(byte)] == 1 {
                    p.initialize(to: byte)
                    p += 1
                } else {
                    writeEscape(byte, to: &p)
                }
            }
        }
    }

    /// Appends `bytes` escaped to `text` (for the small members around a large value).
    static func append(_ bytes: UnsafeBufferPointer<UInt8>, to text: inout [UInt8]) {
        let count = escapedCount(bytes)
        guard count > 0 else { return }
        let start = text.count
        text.append(contentsOf: repeatElement(0, count: count))
        text.withUnsafeMutableBufferPointer { text in
            var p = text.baseAddress! + start
            write(bytes, to: &p)
        }
    }

    private static func writeEscape(_ byte: UInt8, to p: inout UnsafeMutablePointer<UInt8>) {
        let short: UInt8? = switch byte {
        case 0x22, 0x5C: byte
        case 0x0A: UInt8(ascii: "n")
        case 0x0D: UInt8(ascii: "r")
        case 0x09: UInt8(ascii: "t")
        case 0x08: UInt8(ascii: "b")
        case 0x0C: UInt8(ascii: "f")
        default: nil
        }
        p.initialize(to: UInt8(ascii: "\\"))
        if let short {
            (p + 1).initialize(to: short)
            p += 2
            return
        }
        let hex: StaticString = "0123456789abcdef"
        (p + 1).initialize(to: UInt8(ascii: "u"))
        (p + 2).initialize(to: UInt8(ascii: "0"))
        (p + 3).initialize(to: UInt8(ascii: "0"))
        (p + 4).initialize(to: hex.utf8Start[Int(byte >> 4)])
        (p + 5).initialize(to: hex.utf8Start[Int(byte & 0x0F)])
        p += 6
    }
}
