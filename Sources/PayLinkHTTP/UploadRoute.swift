/// A request that may carry a body up to `maxUploadBytes` instead of `maxBodyBytes`: a file
/// upload. The parser knows the method and path before the first body byte, so the choice is
/// made (and a 413 answered) from the head alone, as for every other body.
public struct UploadRoute: Sendable, Equatable {
    /// The method, exactly (`POST`, `PUT`).
    public var method: String
    /// The path (no query); with `matchesPrefix`, the start of every path it covers.
    public var path: String
    public var matchesPrefix: Bool

    public init(method: String, path: String, matchesPrefix: Bool = false) {
        self.method = method
        self.path = path
        self.matchesPrefix = matchesPrefix
    }

    /// Whether a request with `method` and `target` (its query included) is this route's.
    func matches(method: String, target: String) -> Bool {
        guard method == self.method else { return false }
        let path = target.utf8.firstIndex(of: UInt8(ascii: "?")).map { target[..<$0] } ?? target[...]
        return matchesPrefix ? path.hasPrefix(self.path) : path == self.path
    }
}
