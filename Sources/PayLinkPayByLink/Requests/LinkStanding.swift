import PayLinkCore

/// What a request's status and messages read of one of its links, at one instant: its ID and
/// token, and where it stands. A batch's run completes each request from the view of its new
/// link kept in the run's array (`LinkEngine.CreatedLinks`), and handing `complete` the view
/// itself copied it out of the array (a retain and a release of each of a dozen strings) to
/// read these few fields.
struct LinkStanding {
    let id: String
    let token: String
    let state: LinkState
    /// The instant the link was read at.
    let now: SandboxInstant
    let expiry: SandboxInstant
    let userAttemptsCount: Int

    init(_ view: LinkView) {
        id = view.link.id
        token = view.link.token
        state = view.state
        now = view.now
        expiry = view.link.expiry
        userAttemptsCount = view.link.userAttemptsCount
    }

    /// The standing of `views[index]`, read in place: each field read through the array's
    /// subscript is a copy of that field only, where the element passed whole is a copy of it.
    init(of views: [LinkView], at index: Int) {
        id = views[index].link.id
        token = views[index].link.token
        state = views[index].state
        now = views[index].now
        expiry = views[index].link.expiry
        userAttemptsCount = views[index].link.userAttemptsCount
    }
}
