/// Something that happened to a link, for dialects that follow their links (PayByLink keeps
/// its own statuses and callbacks). Observers run after the engine's lock is released, on the
/// thread that caused the event, so they may call the engine again.
public enum LinkEvent: Sendable {
    /// The customer opened the hosted page of an Open link.
    case opened(LinkView)
    /// A payment succeeded.
    case paid(LinkView)
    /// Every link was forgotten (`POST /__sandbox/reset`) or replaced (`PUT /__sandbox/state`).
    case reset
    /// One merchant's links and orders were forgotten (`POST /__sandbox/reset` naming it).
    case merchantReset(String)
}
