import PayLinkCore
import Synchronization

/// The key that signs PayByLink upload URLs, shared by `POST /batches` (which signs) and the
/// blob endpoint (which checks). It is part of the state snapshot, so an upload URL handed out
/// before an export still works after the import, even in a sandbox without a seed.
package final class UploadSigningKey: Sendable {
    /// Thirty-two bytes, as the assembly draws them.
    package static let length = 32

    private let current: Mutex<(key: [UInt8], signer: UploadURLSigner)>

    package init(key: [UInt8]) { current = Mutex((key, UploadURLSigner(key: key))) }

    package var key: [UInt8] { current.withLock { $0.key } }

    package func sign(path: String, expiry: SandboxInstant) -> String { current.withLock { $0.signer }.sign(path: path, expiry: expiry) }

    package func verify(path: String, query: String?, now: SandboxInstant) -> UploadURLSigner.Verdict {
        current.withLock { $0.signer }.verify(path: path, query: query, now: now)
    }

    /// Signs with `key` from now on (a state import).
    package func restore(key: [UInt8]) { current.withLock { $0 = (key, UploadURLSigner(key: key)) } }
}
