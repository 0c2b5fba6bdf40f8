extension EngineEvent {
    /// What an event is, without what it carries. A subscriber names the kinds it acts on
    /// (`EventStream.subscribe(to:_:)`) and a publisher asks whether anyone follows a kind
    /// before making its events (`EventStream.follows(_:)`): a batch's request status changes
    /// are two events a record, and no subscriber of the running sandbox acts on them.
    package enum Kind: Int, CaseIterable, Sendable {
        case linkCreated, linksCreated, linkSeeded, linkOpened, linkAmended, linkClosed, linkReopened
        case linkRecipientsChanged, linkExpired, linkPaid, paymentDeclined, paymentUncertain, paymentSettled
        case checkoutPayment, attemptRecorded, orderCaptured, orderRefunded, orderVoided
        case batchProgressed, requestStatusChanged
    }

    /// A set of kinds, one bit a kind.
    package struct Kinds: OptionSet, Sendable {
        package let rawValue: UInt32
        package init(rawValue: UInt32) { self.rawValue = rawValue }
        package init(_ kinds: Kind...) { rawValue = kinds.reduce(0) { $0 | 1 << UInt32($1.rawValue) } }
        package static let all = Kinds(rawValue: Kind.allCases.reduce(0) { $0 | 1 << UInt32($1.rawValue) })
        package func contains(_ kind: Kind) -> Bool { rawValue & 1 << UInt32(kind.rawValue) != 0 }
    }

    package var kind: Kind {
        switch self {
        case .linkCreated: .linkCreated
        case .linksCreated: .linksCreated
        case .linkSeeded: .linkSeeded
        case .linkOpened: .linkOpened
        case .linkAmended: .linkAmended
        case .linkClosed: .linkClosed
        case .linkReopened: .linkReopened
        case .linkRecipientsChanged: .linkRecipientsChanged
        case .linkExpired: .linkExpired
        case .linkPaid: .linkPaid
        case .paymentDeclined: .paymentDeclined
        case .paymentUncertain: .paymentUncertain
        case .paymentSettled: .paymentSettled
        case .checkoutPayment: .checkoutPayment
        case .attemptRecorded: .attemptRecorded
        case .orderCaptured: .orderCaptured
        case .orderRefunded: .orderRefunded
        case .orderVoided: .orderVoided
        case .batchProgressed: .batchProgressed
        case .requestStatusChanged: .requestStatusChanged
        }
    }
}
