import PayLinkCore
import PayLinkJSON

import PayLinkHTTP
import PayLinkSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `serve --state-dir DIR`: the directory itself (created if need be, locked against a second
/// sandbox) and the single `state.json` of earlier versions, read once so that it can be
/// migrated into the change log's first snapshot (`StateRecovery`); the log and its snapshots
/// are `StateFiles`' business.
///
/// That file holds the snapshot `GET /__sandbox/state` exports, with the wall-clock time it was
/// written: `{"saved_at": "2026-11-22T17:40:00.123Z", "state": {…}}`. A bare snapshot (a saved
/// `GET /__sandbox/state` answer) is read too, so a state can be dropped in by hand.
///
/// A running sandbox clock keeps its distance from the wall clock across the restart: it is
/// moved on by the time the sandbox was down, so links expire overnight as they would have had
/// it kept running. A frozen clock stays where it was. (A bare snapshot has no `saved_at`; its
/// clock starts where the snapshot says.)
struct StateDirectory: Sendable {
    static let fileName = "state.json"

    let path: String
    let realTime: any RealTimeSource

    init(path: String, realTime: any RealTimeSource = SystemTimeSource()) {
        self.path = path
        self.realTime = realTime
    }

    var filePath: String { path.hasSuffix("/") ? path + Self.fileName : path + "/" + Self.fileName }

    /// The directory's lock: one sandbox at a time keeps its state there.
    final class Lock: Sendable {
        private let fd: Int32
        init(fd: Int32) { self.fd = fd }
        /// Idempotent by way of the kernel: closing twice only fails the second time.
        func release() { close(fd) }
    }

    /// Creates the directory (and its parents) if missing, checks it can be written, and takes
    /// its lock (`DIR/.lock`, `flock`): a second sandbox on the same directory would overwrite
    /// the first one's state, so it is refused. The kernel drops the lock if the process dies.
    func prepare() throws(StateDirectoryError) -> Lock {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw StateDirectoryError(path: prefix, "cannot create the directory: \(Self.systemError())")
            }
            prefix += "/"
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw StateDirectoryError(path: path, "cannot write to the directory: \(Self.systemError())")
        }
        let lockPath = path.hasSuffix("/") ? path + ".lock" : path + "/.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StateDirectoryError(path: lockPath, "cannot create the lock file: \(Self.systemError())") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = errno == EWOULDBLOCK ? "another sandbox is using this state directory" : Self.systemError()
            close(fd)
            throw StateDirectoryError(path: path, reason)
        }
        return Lock(fd: fd)
    }

    /// The saved snapshot, ready for `importState`, or nil when there is none yet.
    func load() throws(StateDirectoryError) -> JSONObject? {
        guard access(filePath, F_OK) == 0 else { return nil }
        guard let bytes = FileInput.contents(atPath: filePath) else {
            throw StateDirectoryError(path: filePath, "cannot read the file: \(Self.systemError())")
        }
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch {
            throw StateDirectoryError(path: filePath, "not valid JSON: \(error)")
        }
        guard case .object(let document) = value else { throw StateDirectoryError(path: filePath, "must be a JSON object") }
        if document["state_version"] != nil { return document }
        guard case .object(var state)? = document["state"] else {
            throw StateDirectoryError(path: filePath, "state: must be the snapshot object (or the file a bare GET /__sandbox/state snapshot)")
        }
        guard case .string(let text)? = document["saved_at"], let savedAt = ISO8601.parseDateTime(text) else {
            throw StateDirectoryError(path: filePath, "saved_at: must be an ISO 8601 date-time")
        }
        let downtime = realTime.now().millisecondsSince1970 - savedAt.millisecondsSince1970
        if downtime > 0, case .object(var clock)? = state["clock"], clock["mode"] == "running",
           case .string(let nowText)? = clock["now"], let now = ISO8601.parseDateTime(nowText) {
            clock["now"] = StateValues.instant(now.adding(milliseconds: downtime))
            state["clock"] = .object(clock)
        }
        return state
    }

    private static func systemError() -> String { String(cString: strerror(errno)) }
}

/// A state directory that cannot be prepared, read or written, naming the path.
public struct StateDirectoryError: Error, CustomStringConvertible, Sendable {
    public let path: String
    public let message: String

    package init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}
