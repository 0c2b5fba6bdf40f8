/// The text of a message: written out, or composed when it is read. A batch of 100,000
/// PayByLink requests sends 100,000 SMS into an outbox that keeps the last 10,000, so their
/// text is made only for the messages someone reads, not for every one sent.
package struct MessageText: Sendable, Equatable {
    private enum Source: Sendable {
        case written(String)
        case composed(@Sendable () -> String)
    }

    private let source: Source

    package init(_ text: String) { source = .written(text) }

    /// Text `compose` makes each time it is read: it must make the same text every time (it
    /// reads only values captured when the message was sent).
    package init(composing compose: @escaping @Sendable () -> String) { source = .composed(compose) }

    package var string: String {
        switch source {
        case .written(let text): return text
        case .composed(let compose): return compose()
        }
    }

    package static func == (lhs: Self, rhs: Self) -> Bool { lhs.string == rhs.string }
}
