import Foundation

/// Polls `condition` every 10 ms for up to `seconds` of real time: the one way tests wait for
/// something outside the sandbox's control (a child process ending). Background work of the
/// sandbox is never waited for this way; tests settle the sandbox instead.
func eventually(_ seconds: Double = 10, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.01)
    }
    return try condition()
}
