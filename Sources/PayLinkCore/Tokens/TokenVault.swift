import Synchronization

/// Every saved card (`CardToken`) of a sandbox instance, by `token_name`. One lock makes each
/// check-and-change atomic: two tokenizations naming the same token give one token and one
/// refusal. Every change is told to the recorder under the lock (`--state-dir`'s log).
package final class TokenVault: Sendable {
    private struct State: Sendable {
        var tokens: [String: CardToken] = [:]
        /// Names in the order the tokens were made (a rename keeps the place).
        var order: [String] = []
    }

    package enum ChangeError: Error, Sendable, Equatable {
        /// Another token has this name (`token_name` chosen by the merchant, or `new_token_name`).
        case nameTaken
        /// No token of this merchant has this name.
        case notFound
    }

    private let state = Mutex(State())
    private let recorder: (any StateChangeRecorder)?

    package init(recorder: (any StateChangeRecorder)? = nil) { self.recorder = recorder }

    /// The merchant's token of this name; another merchant's is as good as none.
    package func token(named name: String, merchant: String) -> CardToken? {
        state.withLock { $0.tokens[name] }.flatMap { $0.merchantIdentifier == merchant ? $0 : nil }
    }

    package func isTaken(_ name: String) -> Bool { state.withLock { $0.tokens[name] != nil } }

    /// Saves a new token; refused when its name is taken.
    package func add(_ token: CardToken) throws(ChangeError) {
        try state.withLock { (state: inout State) throws(ChangeError) in
            guard state.tokens[token.name] == nil else { throw .nameTaken }
            state.tokens[token.name] = token
            state.order.append(token.name)
            recorder?.record(.token(token))
        }
    }

    /// Changes the merchant's token `name` with `body` (which may rename it: the new name must
    /// be free) and returns it as it is now.
    @discardableResult
    package func update<E: Error>(named name: String, merchant: String,
                                  _ body: (inout CardToken) throws(E) -> Void) throws(TokenVaultUpdateError<E>) -> CardToken {
        try state.withLock { (state: inout State) throws(TokenVaultUpdateError<E>) -> CardToken in
            guard var token = state.tokens[name], token.merchantIdentifier == merchant else { throw .vault(.notFound) }
            do throws(E) { try body(&token) } catch { throw .body(error) }
            if token.name != name {
                guard state.tokens[token.name] == nil else { throw .vault(.nameTaken) }
                state.tokens[name] = nil
                if let index = state.order.firstIndex(of: name) { state.order[index] = token.name }
                state.tokens[token.name] = token
                recorder?.record([.tokenRemoved(name: name), .token(token)])
            } else {
                state.tokens[name] = token
                recorder?.record(.token(token))
            }
            return token
        }
    }

    /// Every token, oldest first.
    package func all() -> [CardToken] {
        state.withLock { state in state.order.compactMap { state.tokens[$0] } }
    }

    /// Replaces every token (a state import or recovery); not told to the recorder.
    package func restore(_ tokens: [CardToken]) {
        var next = State()
        for token in tokens where next.tokens[token.name] == nil {
            next.tokens[token.name] = token
            next.order.append(token.name)
        }
        state.withLock { $0 = next }
    }

    /// Forgets every token (a reset).
    package func reset() { state.withLock { $0 = State() } }

    /// Forgets one merchant's tokens; returns how many went.
    @discardableResult
    package func remove(merchant: String) -> Int {
        state.withLock { state in
            let gone = state.order.filter { state.tokens[$0]?.merchantIdentifier == merchant }
            for name in gone {
                state.tokens[name] = nil
                recorder?.record(.tokenRemoved(name: name))
            }
            state.order.removeAll { state.tokens[$0] == nil }
            return gone.count
        }
    }
}

/// Why `TokenVault.update` changed nothing: the vault's refusal, or the change's own.
package enum TokenVaultUpdateError<Failure: Error>: Error {
    case vault(TokenVault.ChangeError)
    case body(Failure)
}
