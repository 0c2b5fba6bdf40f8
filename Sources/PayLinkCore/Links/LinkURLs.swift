import Synchronization

/// The public base URL that `payment_link` URLs start with. Set once the port is bound, since
/// with `--port 0` it is not known before.
package final class LinkURLs: Sendable {
    private let base: Mutex<String>

    package init(base: String) { self.base = Mutex(base) }

    package var baseURL: String {
        get { base.withLock { $0 } }
        set { base.withLock { $0 = newValue } }
    }

    /// The hosted page of a link: `{public_url}/pay/{token}`.
    ///
    /// Written into a string of its final size: `baseURL + prefix + token` made two strings,
    /// copying the first into the second (1.7 k instructions an APS batch record, on the
    /// thread that commits its records).
    package func paymentLink(token: String) -> String {
        var base = baseURL, prefix = Self.hostedPagePrefix, token = token
        return base.withUTF8 { base in
            prefix.withUTF8 { prefix in
                token.withUTF8 { token in
                    String(unsafeUninitializedCapacity: base.count + prefix.count + token.count) { out in
                        var end = out.initialize(fromContentsOf: base)
                        end = out[end...].initialize(fromContentsOf: prefix)
                        return out[end...].initialize(fromContentsOf: token)
                    }
                }
            }
        }
    }

    /// Where hosted pages live: `/pay/{token}`.
    package static let hostedPagePrefix = "/pay/"
}
