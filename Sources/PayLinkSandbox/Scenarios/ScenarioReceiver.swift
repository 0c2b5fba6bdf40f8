import PayLinkHTTP
import PayLinkJSON
import PayLinkSupport
import Synchronization

/// The merchant endpoint a scenario's notifications go to (`${receiver.url}`): it keeps
/// every POST and answers 500 to the first `failures`, then 200. A GET lists what it kept
/// (`serve --scenario`, where no step reads it: a person or a test asks it instead).
final class ScenarioReceiver: HTTPRequestHandler {
    private let failuresLeft: Mutex<Int>
    private let received = Mutex<[(request: HTTPRequest, status: Int)]>([])
    /// Told of each POST as it arrives, with the status it is answered (serve logs it).
    private let onReceive: (@Sendable (HTTPRequest, Int) -> Void)?

    init(failures: Int, onReceive: (@Sendable (HTTPRequest, Int) -> Void)? = nil) {
        failuresLeft = Mutex(failures)
        self.onReceive = onReceive
    }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        if request.method == "GET" { return JSONResponses.ok(listing()) }
        let fail = failuresLeft.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        let status = fail ? 500 : 200
        received.withLock { $0.append((request, status)) }
        onReceive?(request, status)
        return HTTPResponse(status: status, body: Array((fail ? "failing on purpose" : "ok").utf8))
    }

    var requests: [HTTPRequest] { received.withLock { $0.map(\.request) } }

    /// `{"count": 2, "received": [{"method", "path", "answered", "payload"}, …]}`, oldest first;
    /// `payload` is the JSON or form body as an object.
    private func listing() -> JSONObject {
        let items: [JSONValue] = received.withLock { $0 }.map { request, status in
            .object(["method": .string(request.method), "path": .string(request.target), "answered": .number(String(status)),
                     "payload": .object(Self.payload(request.body))])
        }
        return ["count": .number(String(items.count)), "received": .array(items)]
    }

    /// A notification's fields, whether it was posted as JSON or as a form.
    static func payload(_ body: [UInt8]) -> JSONObject {
        if let value = try? JSONParser.parse(body), let object = value.objectValue { return object }
        var object = JSONObject()
        for (name, value) in QueryParameters.parse(String(decoding: body, as: UTF8.self)) { object[name] = .string(value) }
        return object
    }
}
