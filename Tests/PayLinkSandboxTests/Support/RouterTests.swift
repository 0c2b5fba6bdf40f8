import PayLinkHTTP
import Testing
@testable import PayLinkSupport

/// Routes declared as method + pattern: the first match answers, another method on a known
/// path is a 405 naming what is allowed, anything else the surface's own 404.
struct RouterTests {
    func request(_ method: String, _ path: String) -> HTTPRequest { HTTPRequest(method: method, target: path) }

    func router(ignoresEmptySegments: Bool = false) -> Router {
        var router = Router(ignoresEmptySegments: ignoresEmptySegments, notFound: { _ in HTTPResponse(status: 404, body: Array("nf".utf8)) },
                            methodNotAllowed: { _, allowed in HTTPResponse(status: 405, headers: ["Allow": allowed.joined(separator: ", ")]) })
        router.get("items") { _, _ in HTTPResponse(status: 200, body: Array("list".utf8)) }
        router.post("items") { _, _ in HTTPResponse(status: 201) }
        router.get("items/{id}") { _, path in HTTPResponse(status: 200, body: Array("item \(path["id"])".utf8)) }
        router.getOrHead("files/{name...}") { _, path in HTTPResponse(status: 200, body: Array(path["name"].utf8)) }
        router.get("fail") { _, _ in throw HTTPErrorResponse(HTTPResponse(status: 418)) }
        return router
    }

    @Test(arguments: [
        ("GET", "items", 200, "list"), ("POST", "items", 201, ""), ("GET", "items/42", 200, "item 42"),
        ("GET", "files/a/b.csv", 200, "a/b.csv"), ("HEAD", "files/x", 200, "x"), ("GET", "nothing", 404, "nf"),
        ("GET", "items/", 404, "nf"), ("GET", "items/42/more", 404, "nf"), ("GET", "files/", 404, "nf"), ("GET", "", 404, "nf"),
    ])
    func matches(_ method: String, _ path: String, _ status: Int, _ body: String) {
        let response = router().handle(request(method, "/" + path), path: Substring(path))
        #expect(response.status == status)
        #expect(String(decoding: response.body, as: UTF8.self) == body)
    }

    @Test func anotherMethodOnAKnownPath_is405_withTheAllowedMethodsInTheOrderDeclared() {
        #expect(router().handle(request("DELETE", "/items"), path: "items").headers["Allow"] == "GET, POST")
        #expect(router().handle(request("PUT", "/items/1"), path: "items/1").headers["Allow"] == "GET")
        #expect(router().handle(request("PUT", "/files/x"), path: "files/x").headers["Allow"] == "GET, HEAD")
    }

    @Test func aThrownErrorBecomesItsResponse() {
        #expect(router().handle(request("GET", "/fail"), path: "fail").status == 418)
    }

    @Test func ignoringEmptySegments_takesATrailingSlashForTheSamePath() {
        #expect(router(ignoresEmptySegments: true).handle(request("GET", "/items/"), path: "items/").status == 200)
        #expect(router(ignoresEmptySegments: true).handle(request("GET", "//items//7"), path: "/items//7").status == 200)
    }
}
