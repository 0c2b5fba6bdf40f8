import PayLinkJSON

extension SandboxService {
    /// The state snapshot format this sandbox writes and reads (`state_version`).
    package static var stateVersion: Int { SandboxState.version }

    /// `GET /__sandbox/state`: the whole state as JSON (see `SandboxState`). Serialize it with
    /// `serialized()`: the members are already in their fixed order, so no sorting is needed.
    package func exportState() -> JSONObject { state.export() }

    /// `PUT /__sandbox/state`: replaces the whole state with an earlier export. A bad snapshot
    /// throws, naming the field (`links[3].amount: expected an integer`), and changes nothing.
    package func importState(_ object: JSONObject) throws(StateImportError) { try state.restore(object) }

    /// `importState` for a request body: bytes that must hold a JSON object.
    package func importState(json bytes: [UInt8]) throws(StateImportError) {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw StateImportError(path: "", message: "not valid JSON: \(error)") }
        guard case .object(let object) = value else { throw StateImportError(path: "", message: "must be a JSON object") }
        try importState(object)
    }
}
