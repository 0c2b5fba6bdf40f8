import PayLinkHTTP
import PayLinkCore
import PayLinkJSON
import PayLinkSupport

/// `POST /requests`, `GET /requests`, `GET /requests/{RequestId}`, `PUT /requests/{RequestId}`.
package struct PayByLinkRequestsAPI: Sendable {
    package let store: PayByLinkStore

    /// `POST /requests`: 201 with the request (`RequestId`, `LongUrl`, `ShortUrl`, `Status`, …).
    package func create(_ request: HTTPRequest, subscription: String) -> HTTPResponse {
        let object: JSONObject
        do { object = try PayByLinkEndpoint.objectBody(request) } catch { return PayByLinkProblem.validation(error) }
        let draft: RequestDraft
        do { draft = try RequestDraft.read(object, now: store.engine.clock.now()) } catch { return PayByLinkProblem.validation(error) }
        do {
            let view = try store.create(draft, subscription: subscription)
            var response = ok(RequestRepresentation.json(view, store: store), status: 201)
            response.headers.add(name: "Location", value: request.path + "/" + view.request.id)
            return response
        } catch {
            return answer(error, id: nil)
        }
    }

    /// `GET /requests/{RequestId}`: the latest status with its history.
    package func show(id: String, subscription: String) -> HTTPResponse {
        guard let view = store.request(id: id, subscription: subscription) else { return answer(.notFound, id: id) }
        return ok(RequestRepresentation.json(view, store: store))
    }

    /// `GET /requests?…`: filtered, paged, newest first.
    package func list(_ request: HTTPRequest, subscription: String) -> HTTPResponse {
        let query: RequestListQuery
        do { query = try RequestListQuery.read(QueryParameters.parse(request.query)) } catch { return PayByLinkProblem.validation(error) }
        let (items, total) = store.list(query, subscription: subscription)
        return ok([
            "Page": .number(query.page), "PageSize": .number(query.pageSize), "TotalCount": .number(total),
            "TotalPages": .number((total + query.pageSize - 1) / query.pageSize),
            "Items": .array(items.map { .object(RequestRepresentation.json($0, store: store)) }),
        ])
    }

    /// `PUT /requests/{RequestId}`: cancel, or change amount, expiry or mobile number; 409 once finished.
    package func update(_ request: HTTPRequest, id: String, subscription: String) -> HTTPResponse {
        // An unknown id is 404 whatever the body says.
        guard store.request(id: id, subscription: subscription) != nil else { return answer(.notFound, id: id) }
        let object: JSONObject
        do { object = try PayByLinkEndpoint.objectBody(request) } catch { return PayByLinkProblem.validation(error) }
        let change: RequestChange
        do { change = try RequestChange.read(object, now: store.engine.clock.now()) } catch { return PayByLinkProblem.validation(error) }
        do { return ok(RequestRepresentation.json(try store.update(id: id, subscription: subscription, change: change), store: store)) } catch {
            return answer(error, id: id)
        }
    }

    private func answer(_ failure: PayByLinkStore.Failure, id: String?) -> HTTPResponse {
        switch failure {
        case .notFound: return PayByLinkProblem.notFound("no request for payment \(id ?? "") for this subscription")
        case .duplicate(let existing):
            return PayByLinkProblem.conflict("ClientTransactionRef is already used by request \(existing)",
                                             extra: ["RequestId": .string(existing)])
        case .finished(let status):
            return PayByLinkProblem.conflict("the request is \(status.rawValue) and can no longer change",
                                             extra: ["Status": .string(status.rawValue)])
        case .invalid(let errors): return PayByLinkProblem.validation(errors)
        }
    }

    private func ok(_ object: JSONObject, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: PayByLinkProblem.jsonHeaders, body: object.serialized())
    }
}
