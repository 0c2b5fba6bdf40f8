import PayLinkCore
import PayLinkJSON

/// The identifier generator: `{"generator": "seeded", "state": "<16 hex digits>"}`, or
/// `{"generator": "system"}` when identifiers are random. The state is hex in a string because
/// 64 bits do not survive a JavaScript number.
enum IDStateJSON {
    static func encode(_ ids: IDGenerator.Snapshot) -> JSONValue {
        switch ids {
        case .system:
            return ["generator": "system"]
        case .seeded(let state):
            let hex = String(state, radix: 16)
            return ["generator": "seeded", "state": .string(String(repeating: "0", count: 16 - hex.count) + hex)]
        }
    }

    static func decode(_ value: JSONValue, path: String) throws(StateImportError) -> IDGenerator.Snapshot {
        let kind = try JSONReader(value, path: path, keys: ["generator", "state"]).choice("generator", [("system", false), ("seeded", true)])
        guard kind else {
            _ = try JSONReader(value, path: path, keys: ["generator"])
            return .system
        }
        let r = try JSONReader(value, path: path, keys: ["generator", "state"])
        let text = try r.string("state")
        guard text.utf8.count == 16, text.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }),
              let state = UInt64(text, radix: 16) else {
            throw r.failure("state", "must be 16 lowercase hex digits")
        }
        return .seeded(state: state)
    }
}
