import PayLinkCore
import PayLinkJSON
import PayLinkPayByLink

/// The state's long lists: links, orders and PayByLink requests. The state directory reads
/// and writes them in binary, beside a JSON document of the rest, so a start or a snapshot
/// never builds a JSON tree of them (see `SnapshotFile`). The links go straight into the
/// engine's store as they are read (`LinkStoreBuilder`), never held as a list of values.
struct StateValuesLists {
    var links = LinkStoreBuilder()
    var orders: [Order] = []
    var requests: [RequestForPayment] = []

    /// Decodes a JSON document's `links`, `orders` and `paybylink.requests` (as an import
    /// would, with the same paths in its errors), adds them to `values` and takes them out of
    /// the document.
    static func take(from document: inout JSONObject, into values: inout StateValuesLists) throws(StateImportError) {
        let root = JSONReader(document, path: "")
        if root.optionalValue("links") != nil {
            let elements = try root.array("links")
            values.links.reserveCapacity(forMore: elements.count)
            for element in elements { values.links.add(try LinkStateJSON.decode(element.value, path: element.path)) }
        }
        if root.optionalValue("orders") != nil {
            let elements = try root.array("orders")
            values.orders.reserveCapacity(values.orders.count + elements.count)
            for element in elements { values.orders.append(try OrderStateJSON.decode(element.value, path: element.path)) }
        }
        if case .object(var payByLink)? = document["paybylink"], payByLink["requests"] != nil {
            let reader = JSONReader(payByLink, path: "paybylink")
            for element in try reader.array("requests") {
                values.requests.append(try PayByLinkStateJSON.decodeRequest(element.value, path: element.path))
            }
            payByLink["requests"] = nil
            document["paybylink"] = .object(payByLink)
        }
        document["links"] = nil
        document["orders"] = nil
    }
}
