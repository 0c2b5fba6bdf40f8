import PayLinkHTTP
import Synchronization

/// The merchant endpoint a scenario's notifications go to (`${receiver.url}`): it keeps
/// every POST and answers 500 to the first `failures`, then 200.
final class ScenarioReceiver: HTTPRequestHandler {
    private let failuresLeft: Mutex<Int>
    private let received = Mutex<[HTTPRequest]>([])

    init(failures: Int) { failuresLeft = Mutex(failures) }

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        received.withLock { $0.append(request) }
        let fail = failuresLeft.withLock { left -> Bool in
            guard left > 0 else { return false }
            left -= 1
            return true
        }
        return HTTPResponse(status: fail ? 500 : 200, body: Array((fail ? "failing on purpose" : "ok").utf8))
    }

    var requests: [HTTPRequest] { received.withLock { $0 } }
}
