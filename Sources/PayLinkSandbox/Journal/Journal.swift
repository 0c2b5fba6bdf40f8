import PayLinkHTTP
import PayLinkAPS
import PayLinkCore
import Synchronization

/// The request journal: the last `capacity` requests and their responses (a ring buffer, so
/// memory stays bounded), for `GET /__sandbox/journal`. Control-API traffic is not journaled.
///
/// Recording is cheap on purpose (it runs for every request): bodies are kept as the arrays
/// the server already has, card data is masked only when a body mentions it, and everything
/// else (parsing, filtering, signature diagnosis) happens when the journal is read.
package final class Journal: Sendable {
    /// One exchange, as it was sent and answered.
    package struct Entry: Sendable {
        package var sequence: UInt64
        /// Sandbox time when the request arrived.
        package var at: SandboxInstant
        package var method: String
        package var path: String
        package var query: String?
        /// The request's headers as parsed: a reference to the block the parser made (shared by
        /// a client's repeated heads), read only when the journal is.
        package var requestHeaders: HTTPHeaders
        package var contentType: String? { requestHeaders["Content-Type"] }
        /// The request body with card numbers masked and security codes removed (the response
        /// body likewise: APS echoes what it was sent), its first `maxKeptBodyBytes` only.
        package var requestBody: [UInt8]
        /// The bodies' full sizes, when more came than was kept.
        package var requestBytes: Int
        package var responseBytes: Int
        package var status: Int
        /// The response's headers: usually the shared JSON set, so keeping them costs a reference.
        package var responseHeaders: HTTPHeaders
        package var responseContentType: String? { responseHeaders["Content-Type"] }
        package var responseBody: [UInt8]
        /// `X-Sandbox-Detail`, when the sandbox explained a refusal, decoded to the text it encodes.
        package var detail: String? { responseHeaders[SandboxDetail.header].map(SandboxDetail.decode) }
        /// A fault that shaped the response, if any.
        package var fault: String?
        /// Real time spent answering, in microseconds.
        package var durationMicroseconds: Int64
        /// How the signature of an APS request refused with 008 was checked.
        package var failedSignature: SignatureCheck?
    }

    package let capacity: Int
    /// Bodies are kept up to this size each, so a full ring of batch uploads stays bounded
    /// (10,000 entries × 2 × 64 KiB at the very most).
    package static let maxKeptBodyBytes = 65_536
    private struct Ring {
        var entries: [Entry] = []
        var next = 0
        var sequence: UInt64 = 0
    }
    private let ring = Mutex(Ring())

    package init(capacity: Int = 10_000) { self.capacity = max(1, capacity) }

    package func record(_ request: HTTPRequest, _ response: HTTPResponse, surface: Surface, failedSignature: SignatureCheck? = nil, at: SandboxInstant, durationMicroseconds: Int64, fault: String?) {
        // Headers, the request's and the response's, are kept as they are (a reference, not a
        // copy) and read when the journal is: looking up the request's `Content-Type` here cost
        // about 600 instructions a request. Bodies are masked here, and looked at closely only
        // when they mention a card field.
        let requestMentionsCard = CardDataMask.mentionsCard(request.body)
        let body = requestMentionsCard
            ? Self.kept(CardDataMask.masked(request.body, contentType: request.headers["Content-Type"], asForm: surface == .hostedPage))
            : Self.kept(request.body)
        // An APS answer carries card data only by echoing the request's, so when the request has
        // none the response is not scanned (this is the hot path); other answers always are.
        let echoOnly = !requestMentionsCard && surface == .aps
        let responseBody = echoOnly ? Self.kept(response.body) : Self.kept(Self.masked(response.body, headers: response.headers))
        ring.withLock { ring in
            ring.sequence += 1
            let entry = Entry(sequence: ring.sequence, at: at, method: request.method, path: request.path, query: request.query,
                              requestHeaders: request.headers, requestBody: body, requestBytes: request.body.count, responseBytes: response.body.count,
                              status: response.status, responseHeaders: response.headers, responseBody: responseBody,
                              fault: fault, durationMicroseconds: durationMicroseconds, failedSignature: failedSignature)
            if ring.entries.count < capacity {
                ring.entries.append(entry)
            } else {
                ring.entries[ring.next] = entry
            }
            ring.next = (ring.next + 1) % capacity
        }
    }

    private static func masked(_ body: [UInt8], headers: HTTPHeaders) -> [UInt8] {
        guard CardDataMask.mentionsCard(body) else { return body }
        return CardDataMask.masked(body, contentType: headers["Content-Type"])
    }

    private static func kept(_ body: [UInt8]) -> [UInt8] {
        body.count > maxKeptBodyBytes ? Array(body.prefix(maxKeptBodyBytes)) : body
    }

    /// Every entry kept, oldest first.
    package func entries() -> [Entry] {
        ring.withLock { ring in
            ring.entries.count < capacity ? ring.entries : Array(ring.entries[ring.next...] + ring.entries[..<ring.next])
        }
    }

    /// How many requests were journaled since the start or the last reset, including those the ring dropped.
    package var totalRecorded: UInt64 { ring.withLock { $0.sequence } }

    package func reset() { ring.withLock { $0 = Ring() } }
}
