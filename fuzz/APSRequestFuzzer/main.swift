// libFuzzer target for the APS request path of the sandbox: JSON body -> command dispatch ->
// validation -> signature verification -> link engine -> signed response, plus the control API.
//
// Each input runs against a fresh `SandboxService(configuration: .testing())` (frozen clock,
// seeded IDs) that already holds one open link, the "seed link" (merchant_reference
// `seed-order`), so that status checks, updates and payments have something to act on.
// Then:
//   1. the input, as is, is the body of `POST /FortAPI/paymentApi`;
//   2. if the input parses as a JSON object, the demo merchant's `access_code` and
//      `merchant_identifier` are set in it, it is signed with the request phrase, and sent:
//      this gets past authentication and the signature check, so the command's validation and
//      the engine see fuzzed values. Any top-level string value `@seed` is first replaced by
//      the seed link's id;
//   3. for about one input in four (chosen by a hash of the input) the input also goes to a
//      control-API route (`/__sandbox/clock`, `/__sandbox/links/{id}/pay`, ...), after which
//      the seed link is checked again through the APS endpoint.
// Besides crashes (traps, ASan), it checks: the APS endpoint always answers 200 with a JSON
// object carrying a well-formed response_code, status and response_message; a signed
// response's signature verifies with the response phrase; a request this target signed is
// never refused for its signature (00008) unless it repeats a parameter; a link reported
// created is visible through the control API; the control API answers JSON with a known status.
//
// Built by fuzz/build.sh; run by fuzz/run.sh.

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSandbox

private let merchant = Merchant.demo
private let configuration = SandboxConfiguration.testing()
private let apsPath = "/FortAPI/paymentApi"
private let seedReference = "seed-order"

@inline(never)
private func fail(_ message: String, _ input: [UInt8] = []) -> Never {
    var text = "APSRequestFuzzer: \(message)\n"
    if !input.isEmpty {
        text += "input (\(input.count) bytes): \(String(reflecting: String(decoding: input.prefix(1024), as: UTF8.self)))\n"
    }
    var bytes = Array(text.utf8)
    _ = write(2, &bytes, bytes.count)
    abort()
}

private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

private func post(_ service: SandboxService, _ path: String, _ body: [UInt8]) -> HTTPResponse {
    var headers = HTTPHeaders()
    headers.add(name: "Host", value: "127.0.0.1")
    headers.add(name: "Content-Type", value: "application/json")
    return service.handleInline(HTTPRequest(method: "POST", target: path, headers: headers, body: body))
}

private func get(_ service: SandboxService, _ path: String) -> HTTPResponse {
    service.handleInline(HTTPRequest(method: "GET", target: path))
}

/// Adds the demo credentials and a valid signature.
private func signed(_ parameters: JSONObject) -> JSONObject {
    var object = parameters
    object["access_code"] = .string(merchant.accessCode)
    object["merchant_identifier"] = .string(merchant.identifier)
    object["signature"] = .string(merchant.signer.sign(object, phrase: merchant.requestPhrase))
    return object
}

/// Checks an APS endpoint response and returns its parameters.
@discardableResult
private func checkAPS(_ response: HTTPResponse, _ request: [UInt8], signedByUs: Bool, duplicates: Bool) -> JSONObject {
    guard response.status == 200 else { fail("APS endpoint answered HTTP \(response.status): \(text(response.body))", request) }
    guard response.headers["Content-Type"] == "application/json" else { fail("APS response without JSON content type", request) }
    let object: JSONObject
    do {
        guard case .object(let parsed) = try JSONParser.parse(response.body) else { fail("APS response is not an object: \(text(response.body))", request) }
        object = parsed
    } catch {
        fail("APS response is not JSON (\(error)): \(text(response.body))", request)
    }
    guard let code = object["response_code"]?.stringValue, code.utf8.count == 5, code.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }),
          let status = object["status"]?.stringValue, code.hasPrefix(status), status.utf8.count == 2,
          let message = object["response_message"]?.stringValue, !message.isEmpty
    else { fail("APS response without a well-formed response_code/status/response_message: \(text(response.body))", request) }
    if let signature = object["signature"]?.stringValue {
        let expected = merchant.signer.sign(object, phrase: merchant.responsePhrase)
        guard expected == signature else { fail("response signature \(signature) does not verify (expected \(expected)): \(text(response.body))", request) }
    }
    if signedByUs && !duplicates && code == "00008" {
        fail("a correctly signed request was refused for its signature: \(response.headers["X-Sandbox-Detail"] ?? "")", request)
    }
    return object
}

/// Checks a control API response: JSON object, known status.
@discardableResult
private func checkControl(_ response: HTTPResponse, _ what: String, _ input: [UInt8]) -> JSONObject {
    guard [200, 400, 404, 405, 409].contains(response.status) else { fail("\(what) answered HTTP \(response.status): \(text(response.body))", input) }
    guard case .object(let object)? = try? JSONParser.parse(response.body) else { fail("\(what) answered non-JSON: \(text(response.body))", input) }
    if response.status != 200 && object["error"]?.stringValue == nil { fail("\(what) error without `error`: \(text(response.body))", input) }
    return object
}

/// A fresh sandbox holding the seed link; returns the link's id.
private func makeService() -> (SandboxService, String) {
    let service = SandboxService(configuration: configuration)
    let create: JSONObject = [
        "service_command": "PAYMENT_LINK", "merchant_reference": .string(seedReference), "amount": "125000",
        "currency": "SAR", "language": "en", "customer_email": "customer@example.com",
        "request_expiry_date": "2026-03-01T00:00:00+03:00", "notification_type": "NONE",
    ]
    let response = post(service, apsPath, signed(create).serialized())
    guard case .object(let object)? = try? JSONParser.parse(response.body), object["response_code"]?.stringValue == "48000",
          let id = object["payment_link_id"]?.stringValue
    else { fail("could not create the seed link: \(text(response.body))") }
    return (service, id)
}

/// FNV-1a, to pick control routes deterministically from the input.
private func hash(_ bytes: [UInt8]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
}

/// A path segment made of the input's visible ASCII (what the HTTP parser would let through).
private func segment(_ bytes: [UInt8]) -> String {
    String(decoding: bytes.prefix(64).filter { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "?") }, as: UTF8.self)
}

private func replaceSeed(_ object: JSONObject, id: String) -> JSONObject {
    var result = object
    for (key, value) in object where value == .string("@seed") { result[key] = .string(id) }
    return result
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzerTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let input = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let (service, seedID) = makeService()

    // 1. The raw body.
    checkAPS(post(service, apsPath, input), input, signedByUs: false, duplicates: false)

    // 2. Signed, when it is a JSON object.
    var parsedObject: JSONObject?
    if case .object(let object)? = try? JSONParser.parse(input) {
        parsedObject = object
        let request = signed(replaceSeed(object, id: seedID))
        let body = request.serialized()
        let reply = checkAPS(post(service, apsPath, body), body, signedByUs: true, duplicates: !object.duplicateKeys.isEmpty)
        if reply["response_code"]?.stringValue == "48000" {
            guard let id = reply["payment_link_id"]?.stringValue else { fail("48000 without payment_link_id", body) }
            let shown = get(service, "/__sandbox/links/\(id)")
            guard shown.status == 200 else { fail("link \(id) created but GET /__sandbox/links/\(id) answered \(shown.status)", body) }
        }
    }

    // 3. Now and then, a control-API route.
    let h = hash(input)
    if h % 4 == 0 {
        let fromInput = parsedObject?["payment_link_id"]?.stringValue.map { segment(Array($0.utf8)) } ?? segment(input)
        let route: (method: String, path: String)
        switch (h >> 2) % 9 {
        case 0, 1: route = ("POST", "/__sandbox/clock")
        case 2: route = ("POST", "/__sandbox/links/\(seedID)/pay")
        case 3: route = ("POST", "/__sandbox/links/\(fromInput)/pay")
        case 4: route = ("POST", "/__sandbox/links/\(seedID)/open")
        case 5: route = ("GET", "/__sandbox/links/\(fromInput)")
        case 6: route = ("POST", "/__sandbox/reset")
        case 7: route = ("GET", "/__sandbox/links")
        default: route = ((h >> 8) % 2 == 0 ? "POST" : "PUT", "/__sandbox/\(segment(input))")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        let response = service.handleInline(HTTPRequest(method: route.method, target: route.path, headers: headers, body: input))
        checkControl(response, "\(route.method) \(route.path)", input)
        // Whatever happened to the clock or the link, the APS endpoint still answers sanely.
        let check = signed(["query_command": "CHECK_PAYMENT_LINK_STATUS", "payment_link_id": .string(seedID), "language": "en"])
        checkAPS(post(service, apsPath, check.serialized()), input, signedByUs: true, duplicates: false)
        checkControl(get(service, "/__sandbox/links"), "GET /__sandbox/links", input)
        checkControl(get(service, "/__sandbox/clock"), "GET /__sandbox/clock", input)
    }
    return 0
}
