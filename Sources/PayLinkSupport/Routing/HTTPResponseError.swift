import PayLinkHTTP

/// An error that knows the response it becomes. Handlers throw it; the router answers with
/// `response`. Any other error thrown by a handler is answered 500.
package protocol HTTPResponseError: Error {
    var response: HTTPResponse { get }
}

extension HTTPErrorResponse: HTTPResponseError {}
