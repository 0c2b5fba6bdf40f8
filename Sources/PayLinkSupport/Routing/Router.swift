import PayLinkHTTP

/// Routes declared as method + path pattern → handler, one table per surface, read like the
/// API's documentation. A path that matches a pattern under another method is answered 405
/// with `Allow` listing the methods that would match; a path that
/// matches no pattern gets the surface's own fallback (`notFound`).
///
/// Patterns are segments split on `/`: literals, `{name}` for one non-empty segment, and a
/// last `{name...}` for the rest of the path (not empty). Empty segments count, so `a/` is not
/// `a`, unless the router `ignoresEmptySegments` (the control API takes `links/` for `links`).
package struct Router: Sendable {
    package typealias Handler = @Sendable (HTTPRequest, PathParameters) throws -> HTTPResponse

    private struct Route: Sendable {
        let method: String
        let pattern: [Segment]
        let offLoop: Bool
        let handler: Handler
    }

    private enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    private var routes: [Route] = []
    private let ignoresEmptySegments: Bool
    private let notFound: @Sendable (HTTPRequest) -> HTTPResponse
    private let methodNotAllowed: @Sendable (HTTPRequest, [String]) -> HTTPResponse

    /// `notFound` and `methodNotAllowed` write the surface's own error bodies.
    package init(ignoresEmptySegments: Bool = false,
                 notFound: @escaping @Sendable (HTTPRequest) -> HTTPResponse = JSONResponses.notFound,
                 methodNotAllowed: @escaping @Sendable (HTTPRequest, [String]) -> HTTPResponse = JSONResponses.methodNotAllowed) {
        self.ignoresEmptySegments = ignoresEmptySegments
        self.notFound = notFound
        self.methodNotAllowed = methodNotAllowed
    }

    private func segments(_ path: Substring) -> [Substring] {
        if ignoresEmptySegments { return path.split(separator: "/", omittingEmptySubsequences: true) }
        if path.isEmpty { return [] }
        return path.split(separator: "/", omittingEmptySubsequences: false)
    }

    /// Adds a route; the first route that matches method and path answers. `offLoop` marks
    /// work too slow for the event loop (exports, imports, bulk changes): the owner of the
    /// router runs it elsewhere and answers later (see `runsOffLoop`).
    package mutating func on(_ method: String, _ pattern: String, offLoop: Bool = false, _ handler: @escaping Handler) {
        let segments = self.segments(Substring(pattern)).map { text -> Segment in
            guard text.hasPrefix("{"), text.hasSuffix("}") else { return .literal(String(text)) }
            let name = text.dropFirst().dropLast()
            return name.hasSuffix("...") ? .rest(String(name.dropLast(3))) : .parameter(String(name))
        }
        precondition(segments.dropLast().allSatisfy { if case .rest = $0 { false } else { true } }, "\(pattern): {name...} must come last")
        routes.append(Route(method: method, pattern: segments, offLoop: offLoop, handler: handler))
    }

    package mutating func get(_ pattern: String, offLoop: Bool = false, _ handler: @escaping Handler) { on("GET", pattern, offLoop: offLoop, handler) }
    package mutating func post(_ pattern: String, offLoop: Bool = false, _ handler: @escaping Handler) { on("POST", pattern, offLoop: offLoop, handler) }
    package mutating func put(_ pattern: String, offLoop: Bool = false, _ handler: @escaping Handler) { on("PUT", pattern, offLoop: offLoop, handler) }
    package mutating func delete(_ pattern: String, _ handler: @escaping Handler) { on("DELETE", pattern, handler) }
    /// GET, and HEAD answered by the same handler (the server sends HEAD's head only).
    package mutating func getOrHead(_ pattern: String, offLoop: Bool = false, _ handler: @escaping Handler) {
        on("GET", pattern, offLoop: offLoop, handler)
        on("HEAD", pattern, offLoop: offLoop, handler)
    }

    /// Whether the route that would answer this request was marked `offLoop`.
    package func runsOffLoop(_ request: HTTPRequest, path: Substring) -> Bool {
        let parts = segments(path)
        return routes.first { $0.method == request.method && Self.match($0.pattern, parts) != nil }?.offLoop ?? false
    }

    /// Answers `request`, whose path relative to this router's surface is `path`.
    package func handle(_ request: HTTPRequest, path: Substring) -> HTTPResponse {
        let parts = segments(path)
        var allowed: [String] = []
        for route in routes {
            guard let parameters = Self.match(route.pattern, parts) else { continue }
            if route.method == request.method {
                do { return try route.handler(request, parameters) } catch let error as any HTTPResponseError {
                    return error.response
                } catch {
                    return JSONResponses.error(500, "internal_error", "\(error)")
                }
            }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        return allowed.isEmpty ? notFound(request) : methodNotAllowed(request, allowed)
    }

    private static func match(_ pattern: [Segment], _ parts: [Substring]) -> PathParameters? {
        var parameters = PathParameters()
        for (index, segment) in pattern.enumerated() {
            switch segment {
            case .rest(let name):
                let rest = parts.dropFirst(index).joined(separator: "/")
                guard !rest.isEmpty else { return nil }
                parameters.values[name] = rest
                return parameters
            case .literal(let text):
                guard index < parts.count, parts[index] == text else { return nil }
            case .parameter(let name):
                guard index < parts.count, !parts[index].isEmpty else { return nil }
                parameters.values[name] = String(parts[index])
            }
        }
        return parts.count == pattern.count ? parameters : nil
    }
}

/// The `{name}` values a route matched.
package struct PathParameters: Sendable {
    package var values: [String: String] = [:]

    package init() {}

    /// The value of `{name}`; routes only name parameters their pattern has.
    package subscript(_ name: String) -> String { values[name] ?? "" }
}
