import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkAPS
import PayLinkSupport

/// Faults: list and arm.
extension ControlAPI {
    /// `GET /__sandbox/faults`: the armed faults, with their hits and what remains.
    func listFaults() -> HTTPResponse {
        let items = faults.list().map { JSONValue.object(FaultJSON.json($0)) }
        return JSONResponses.ok(["faults": .array(items), "count": .number(String(items.count))])
    }

    /// `POST /__sandbox/faults` with one fault object or `{"faults": [...]}` (see `FaultJSON`):
    /// arms them all or, if any is invalid, none. 201 with their ids.
    func armFaults(_ request: HTTPRequest) -> HTTPResponse {
        let body: JSONObject
        do { body = try JSONResponses.objectBody(request) } catch { return error.response }
        let objects: [JSONObject]
        if let list = body["faults"] {
            guard case .array(let items) = list, body.members.count == 1 else {
                return JSONResponses.error(400, "invalid_field", "faults must be an array of fault objects, alone in the body", extra: ["field": "faults"])
            }
            objects = items.compactMap(\.objectValue)
            guard objects.count == items.count else {
                return JSONResponses.error(400, "invalid_field", "every item of faults must be an object", extra: ["field": "faults"])
            }
        } else {
            objects = [body]
        }
        var parsed: [Fault] = []
        for (index, object) in objects.enumerated() {
            do { parsed.append(try FaultJSON.fault(object)) } catch {
                let field = body["faults"] == nil ? error.path : "faults[\(index)].\(error.path)"
                return JSONResponses.error(400, "invalid_fault", "\(field): \(error.message)", extra: ["field": .string(field)])
            }
        }
        let ids = parsed.map { faults.arm($0) }
        return JSONResponses.ok(["armed": .array(ids.map { .string($0) }), "count": .number(String(ids.count))], status: 201)
    }
}
