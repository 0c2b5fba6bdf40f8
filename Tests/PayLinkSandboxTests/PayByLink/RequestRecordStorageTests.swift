import PayLinkCore
import Testing
@testable import PayLinkPayByLink

/// A request keeps its status history and its links compactly (`StatusHistory`,
/// `InstalmentLinks`); what it answers must be what arrays would: the same changes and ids
/// back, in order, the same equality, the same result of each append.
struct RequestRecordStorageTests {
    typealias Change = RequestForPayment.StatusChange
    static let created = SandboxInstant(secondsSince1970: 1_767_225_600)
    static let later = created.adding(seconds: 90)

    static func request(links: [String] = ["L1"], history: [Change]) -> RequestForPayment {
        let draft = RequestDraft(clientTransactionRef: "R1", accountReference: "ACC", amount: 1_250, reason: "Rent", passphrase: nil,
                                 customer: .init(firstName: "Ann", lastName: "Lee", mobileNumber: "07700900123", email: nil), channel: .sms,
                                 expiry: nil, callbackURL: nil, plan: nil)
        return RequestForPayment(id: "id-1", subscription: "key", shortCode: "abcdefgh", createdAt: created, draft: draft,
                                 expiry: created.adding(seconds: 86_400), linkIDs: links, history: history, updatedAt: created)
    }

    /// Histories of every shape: those kept without an array (Pending at creation, then maybe
    /// one change with no note, at any time) and those that are not (a note, a first change
    /// at another time or other than Pending, more than two, none).
    static let histories: [[Change]] = [
        [.init(status: .pending, at: created)],
        [.init(status: .pending, at: created), .init(status: .sent, at: created)],
        [.init(status: .pending, at: created), .init(status: .failed, at: created)],
        [.init(status: .pending, at: created), .init(status: .failed, at: created, note: "undeliverable")],
        [.init(status: .pending, at: created), .init(status: .sent, at: later)],
        [.init(status: .pending, at: created), .init(status: .failed, at: later)],
        [.init(status: .pending, at: created), .init(status: .failed, at: later, note: "undeliverable")],
        [.init(status: .pending, at: created), .init(status: .sent, at: created.adding(seconds: -1))],
        [.init(status: .pending, at: created), .init(status: .sent, at: later), .init(status: .paid, at: later)],
        [.init(status: .pending, at: later)],
        [.init(status: .pending, at: created, note: "x")],
        [.init(status: .sent, at: created)],
        [.init(status: .pending, at: created), .init(status: .sent, at: created), .init(status: .paid, at: later)],
        [.init(status: .pending, at: created), .init(status: .pending, at: created)],
        [],
    ]

    @Test(arguments: histories.indices)
    func history_readsBackAsGiven(index: Int) {
        let history = Self.histories[index]
        let request = Self.request(history: history)
        #expect(request.history == history)
        #expect(request.lastChange == history.last)
        #expect(request.status == (history.last?.status ?? .pending))
    }

    @Test func histories_equalExactlyWhenTheirChangesAre() {
        for (i, one) in Self.histories.enumerated() {
            for (j, other) in Self.histories.enumerated() {
                #expect((Self.request(history: one) == Self.request(history: other)) == (i == j), "\(i) \(j)")
            }
        }
    }

    @Test(arguments: histories.indices)
    func record_appendsAsAnArrayWould(index: Int) {
        let additions: [Change] = [.init(status: .sent, at: Self.created), .init(status: .opened, at: Self.later),
                                   .init(status: .failed, at: Self.created, note: "no channel")]
        for addition in additions {
            var request = Self.request(history: Self.histories[index])
            request.record(addition)
            let expected = Self.histories[index] + [addition]
            #expect(request.history == expected)
            #expect(request == Self.request(history: expected))
            #expect(request.status == addition.status)
        }
    }

    @Test func aNewRequest_isPendingSinceCreation_withNoLink() {
        let draft = Self.request(history: []).draft
        var request = RequestForPayment(id: "id-2", subscription: "key", shortCode: "code", createdAt: Self.created, draft: draft,
                                        expiry: Self.later)
        #expect(request.history == [.init(status: .pending, at: Self.created)])
        #expect(request.linkIDs.isEmpty && request.links.count == 0 && request.links.last == nil)
        #expect(request.updatedAt == Self.created)
        request.links.append("L1")
        #expect(request == Self.request(links: ["L1"], history: [.init(status: .pending, at: Self.created)]).withID("id-2", code: "code", expiry: Self.later))
    }

    @Test(arguments: [[String](), ["L1"], ["L1", "L2"], ["L1", "L2", "L3"]])
    func links_readBackAsGiven(ids: [String]) {
        let links = InstalmentLinks(ids)
        #expect(links.all == ids)
        #expect(links.count == ids.count)
        #expect(links.last == ids.last)
        for number in -1...ids.count + 1 {
            #expect(links.id(ofInstalment: number) == (ids.indices.contains(number - 1) ? ids[number - 1] : nil))
        }
        for id in ["L1", "L2", "L3", "L4", ""] { #expect(links.contains(id) == ids.contains(id)) }
        var grown = links
        grown.append("L9")
        #expect(grown == InstalmentLinks(ids + ["L9"]))
        #expect(grown.all == ids + ["L9"] && grown.last == "L9")
        #expect((links == InstalmentLinks(ids)) && (ids.isEmpty || links != InstalmentLinks(Array(ids.dropLast()))))
    }
}

private extension RequestForPayment {
    func withID(_ id: String, code: String, expiry: SandboxInstant) -> RequestForPayment {
        RequestForPayment(id: id, subscription: subscription, shortCode: code, createdAt: createdAt, draft: draft, expiry: expiry,
                          linkIDs: linkIDs, history: history, updatedAt: updatedAt)
    }
}
