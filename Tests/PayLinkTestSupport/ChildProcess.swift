import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a program for a test, with the part of `Foundation.Process`'s interface the tests use,
/// through `posix_spawn`.
///
/// Why not `Process`: on Linux, `Process.run()` in swift-corelibs-foundation up to 6.3.1 crashes
/// now and then (a 256-byte over-read of a `dirent` in `findMaximumOpenFromProcSelfFD`, fixed
/// upstream by swift-corelibs-foundation PR #5472). About one full test run in ten died of it
/// here (signal 11 in `Process.run`), so every test spawns through this instead.
///
/// Like `Process`, the child gets a default signal mask and dispositions, and no descriptor of
/// the test process but its standard input, output and error: otherwise a child could hold the
/// write end of another test's pipe open, and that test would wait for an end of file forever.
///
/// `@unchecked Sendable`, as `Process` is: the settings are made on one thread before `run()`;
/// after it only the process id (written once, by `run`, before anyone can wait) and the exit
/// status (under a `Mutex`) are read.
public final class ChildProcess: @unchecked Sendable {
    public var executableURL: URL?
    public var arguments: [String] = []
    /// The environment; nil passes the test process's own.
    public var environment: [String: String]?
    /// A `Pipe` or a `FileHandle` (`FileHandle.nullDevice`); nil inherits the test's.
    public var standardInput: Any?
    public var standardOutput: Any?
    public var standardError: Any?

    public private(set) var processIdentifier: Int32 = 0
    /// The raw `waitpid` status, once the child has ended.
    private let ended = Mutex<Int32?>(nil)

    public enum TerminationReason: Sendable { case exit, uncaughtSignal }

    public init() {}

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Swift
    /// Glibc module does not import: the child closes every descriptor from 3 on.
    private static let closeFrom: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    public struct SpawnError: Error, CustomStringConvertible {
        public let description: String
    }

    public func run() throws {
        guard let path = executableURL?.path else { throw SpawnError(description: "no executableURL") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // The child's ends: dup2'd onto 0, 1 and 2; the parent closes its copies of them below.
        var childEnds: [FileHandle] = []
        for (stream, target) in [(standardInput, Int32(0)), (standardOutput, 1), (standardError, 2)] {
            let handle: FileHandle? = switch stream {
            case let pipe as Pipe: target == 0 ? pipe.fileHandleForReading : pipe.fileHandleForWriting
            case let file as FileHandle: file
            default: nil
            }
            guard let handle else { continue }
            posix_spawn_file_actions_adddup2(&actions, handle.fileDescriptor, target)
            if stream is Pipe { childEnds.append(handle) }
        }
        _ = Self.closeFrom?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let variables = environment.map { $0.map { "\($0.key)=\($0.value)" } }
        let envp: [UnsafeMutablePointer<CChar>?]? = variables.map { $0.map { strdup($0) } + [nil] }
        defer { envp?.forEach { free($0) } }

        var pid: pid_t = 0
        let result = argv.withUnsafeBufferPointer { args in
            if let envp {
                return envp.withUnsafeBufferPointer { env in posix_spawn(&pid, path, &actions, &attributes, args.baseAddress!, env.baseAddress!) }
            }
            return posix_spawn(&pid, path, &actions, &attributes, args.baseAddress!, environ)
        }
        guard result == 0 else { throw SpawnError(description: "cannot start \(path): \(String(cString: strerror(result)))") }
        processIdentifier = pid
        for end in childEnds { try? end.close() }
    }

    /// Waits for the child and keeps its status.
    public func waitUntilExit() {
        _ = status(blocking: true)
    }

    public var isRunning: Bool { status(blocking: false) == nil }

    /// The exit code, or the number of the signal that ended the child (as `Process` reports it).
    public var terminationStatus: Int32 {
        guard let raw = status(blocking: true) else { return -1 }
        // WIFEXITED / WEXITSTATUS / WTERMSIG, which Swift does not import as functions.
        return raw & 0x7F == 0 ? (raw >> 8) & 0xFF : raw & 0x7F
    }

    public var terminationReason: TerminationReason {
        (status(blocking: true) ?? 0) & 0x7F == 0 ? .exit : .uncaughtSignal
    }

    /// Sends SIGTERM.
    public func terminate() {
        guard processIdentifier > 0, status(blocking: false) == nil else { return }
        kill(processIdentifier, SIGTERM)
    }

    private func status(blocking: Bool) -> Int32? {
        ended.withLock { known in
            if let known { return known }
            guard processIdentifier > 0 else { return nil }
            var raw: Int32 = 0
            while true {
                let waited = waitpid(processIdentifier, &raw, blocking ? 0 : WNOHANG)
                if waited == -1 && errno == EINTR { continue }
                guard waited == processIdentifier else { return nil }
                break
            }
            known = raw
            return raw
        }
    }
}
