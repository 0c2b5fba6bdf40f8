import PayLinkCore
import Testing

/// The upload URL's signature covers the whole path and query; the expiry is on the sandbox clock.
struct UploadURLSignerTests {
    let signer = UploadURLSigner(key: Array("secret-key".utf8))
    let expiry = SandboxInstant(secondsSince1970: 1_767_229_200)  // 2026-01-01T01:00:00Z

    func split(_ url: String) -> (String, String?) {
        guard let mark = url.firstIndex(of: "?") else { return (url, nil) }
        return (String(url[..<mark]), String(url[url.index(after: mark)...]))
    }

    @Test func signedURL_verifies_untilItsExpiry() {
        let (path, query) = split(signer.sign(path: "/blob/paybylink/b1", expiry: expiry))
        #expect(query?.contains("se=2026-01-01T01:00:00Z") == true)
        #expect(signer.verify(path: path, query: query, now: expiry.adding(seconds: -1)) == .valid(expiry: expiry))
        #expect(signer.verify(path: path, query: query, now: expiry) == .expired(expiry: expiry))
    }

    @Test func anyChange_isTampering() {
        let url = signer.sign(path: "/blob/paybylink/b1", expiry: expiry)
        let (path, query) = split(url)
        let now = SandboxInstant(secondsSince1970: 1_767_225_600)
        #expect(signer.verify(path: "/blob/paybylink/b2", query: query, now: now) == .tampered)
        #expect(signer.verify(path: path, query: query?.replacingFirst("se=2026-01-01T01", with: "se=2026-01-01T09"), now: now) == .tampered)
        #expect(signer.verify(path: path, query: query.map { $0 + "&x=1" }, now: now) == .tampered)
        #expect(signer.verify(path: path, query: nil, now: now) == .tampered)
        #expect(signer.verify(path: path, query: "sv=1", now: now) == .tampered)
        let other = UploadURLSigner(key: Array("another-key".utf8))
        #expect(other.verify(path: path, query: query, now: now) == .tampered)
    }
}

extension String {
    func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = ranges(of: target).first else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }
}
