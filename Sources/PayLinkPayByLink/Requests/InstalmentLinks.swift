/// The core link ids of a request's instalments, in order; the last is the current one. Kept as
/// the first and the rest: nearly every request has one link, so it keeps no array (an empty
/// array allocates nothing), where `[String]` allocated one for every request.
package struct InstalmentLinks: Sendable, Equatable {
    /// nil only while the request is being created, before its first link is made.
    private var first: String? = nil
    private var later: [String] = []

    package init() {}

    package init(_ ids: [String]) {
        first = ids.first
        later = Array(ids.dropFirst())
    }

    package var all: [String] {
        guard let first else { return [] }
        return [first] + later
    }

    package var count: Int { first == nil ? 0 : 1 + later.count }
    package var last: String? { later.last ?? first }

    /// The id of link number `number` (from 1), if it has been opened.
    package func id(ofInstalment number: Int) -> String? {
        guard number >= 1, number <= count else { return nil }
        return number == 1 ? first : later[number - 2]
    }

    package func contains(_ id: String) -> Bool { first == id || later.contains(id) }

    package mutating func append(_ id: String) {
        if first == nil { first = id } else { later.append(id) }
    }
}
