import Dispatch
import PayLinkSupport
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Flushes (`fdatasync`) the log segment: on the writer's own thread when nothing else is
/// flushing and no big group waits behind, else on threads of its own ("lanes"), so that the log
/// writer goes on to the next round while a flush runs, and up to `lanes` flushes run at once.
///
/// The writer flushing itself (`written(upTo:waiting:)`) is the common case under load: while
/// it flushes, the changes told meanwhile gather in the change buffer and make its next round,
/// which it writes and flushes when the flush returns (group commit). Handing each flush to a
/// lane cost a wake-up and a thread switch there and back, which on one core (the benchmark's)
/// is CPU taken from the event loop. Measured (2026-12-07, `bench/state.py --modes
/// memory,fsync`, the sandbox on one core, a busy machine): `futex` calls per create 0.17 to 0.21
/// handing every flush off, 0.05 to 0.08 flushing in line; the log's threads 5.1 µs of CPU per
/// create handing off, 4.1 flushing in line (medians of nine alternating pairs).
///
/// Why lanes at all: with the writer alone flushing, the records told during a slow flush wait
/// for it to end before their own write even begins. When a big group is told behind a round,
/// the writer hands that round's flush to a lane and writes the group meanwhile, and a second
/// lane can flush it at once: on the development VM (2026-12-07, 03:00) one thread's
/// `fdatasync`s took 4 ms each, two or three threads' overlapped ones well under 1 ms.
///
/// A flush beside a running one starts only once `overlapAfter` records wait for it (the
/// records written since the last flush started); fewer wait for the running flush to end, whose
/// lane then takes them all. Why: a flush costs about the same CPU whatever it carries (on the
/// development VM 60 to 180 µs of kernel time for the write-back, the inode and the device
/// flush, on the event loop's core), so two flushes of a handful of records each cost twice one
/// of all of them; a second lane is worth it for a big group only. Measured (2026-12-07, 64
/// connections, a busy machine, `bench/state.py`): with a second flush as soon as anything
/// waited, 21 to 23 creates per flush and 41 to 52 µs of the sandbox's CPU per create; waiting
/// for 32 records, 25 to 28 creates per flush and 36 to 47 µs.
///
/// A flush that starts after the records up to sequence `s` were written makes them durable
/// when it returns, whatever other flushes do meanwhile, so each completion releases the answers
/// up to its own target (`flushed`), in whatever order flushes end. Each lane flushes through a
/// descriptor of its own: Linux reports a failed write-back once per open file, so a lane
/// never takes another's success for its own.
final class LogFlusher: Sendable {
    /// Makes a descriptor's written data durable: 0, or the `errno` of the failure.
    typealias Sync = @Sendable (Int32) -> Int32

    static let systemSync: Sync = { fd in fdatasync(fd) == 0 ? 0 : errno }

    private struct Lanes {
        /// The highest sequence appended to the segment, and the highest a flush has started for.
        var written: UInt64 = 0
        var requested: UInt64 = 0
        /// What each lane flushes up to, set when it is handed work.
        var targets: [UInt64]
        var idle: [Int]
        /// The segment the lanes flush, and a number that changes with it (lanes reopen).
        var path: String?
        var generation = 0
        var stopping = false
        /// The writer waits for every flush to end (`waitUntilFlushed`).
        var drainWaiting = false
        /// What `start` was told to call after each flush; the writer calls them too when it
        /// flushes itself (`written(upTo:waiting:)`).
        var flushed: (@Sendable (UInt64) -> Void)?
        var failed: (@Sendable (UInt64, String) -> Void)?
    }

    /// The descriptor the writer flushes through when it flushes itself: its own, like a lane's.
    private struct WriterDescriptor {
        var fd: Int32 = -1
        var generation = -1
    }

    private let lanes: Mutex<Lanes>
    // Touched only by the writer's thread (`written(upTo:waiting:)`, `stop`); a lock for the compiler's sake.
    private let writerDescriptor = Mutex(WriterDescriptor())
    private let wakes: [DispatchSemaphore]
    private let drained = DispatchSemaphore(value: 0)
    private let exited: DispatchSemaphore
    private let sync: Sync
    private let overlapAfter: UInt64

    /// `lanes` flushes at most at once; a flush beside running ones once `overlapAfter` records
    /// wait for it (1: as soon as any does).
    init(lanes count: Int, overlapAfter: UInt64 = 1, sync: @escaping Sync = LogFlusher.systemSync) {
        let count = max(1, count)
        self.overlapAfter = max(1, overlapAfter)
        lanes = Mutex(Lanes(targets: Array(repeating: 0, count: count), idle: Array((0..<count).reversed())))
        wakes = (0..<count).map { _ in DispatchSemaphore(value: 0) }
        exited = DispatchSemaphore(value: 0)
        self.sync = sync
    }

    /// Starts the lanes' threads, flushing the segment at `path`; records up to `sequence` are
    /// durable already. After each flush, `flushed(s)`: every record up to `s` is durable; or
    /// `failed(s, reason)`: a flush of them failed.
    func start(path: String, after sequence: UInt64, flushed: @escaping @Sendable (UInt64) -> Void,
               failed: @escaping @Sendable (UInt64, String) -> Void) {
        lanes.withLock { lanes in
            lanes.path = path
            lanes.written = sequence
            lanes.requested = sequence
            lanes.flushed = flushed
            lanes.failed = failed
        }
        for lane in wakes.indices {
            DedicatedThread.start { self.run(lane, flushed: flushed, failed: failed) }
        }
    }

    /// The writer appended the records up to `sequence`, and `waiting` more were told since it
    /// took its round. With no flush running and fewer than `overlapAfter` waiting, the writer
    /// flushes them itself, here, and returns once `flushed` (or `failed`) was called. Otherwise
    /// an idle lane flushes them now, unless a flush runs and fewer than `overlapAfter` records
    /// wait for it; then (and with every lane busy) the first flush to finish takes them, with
    /// whatever was appended meanwhile.
    ///
    /// Why the writer flushes itself: see the type's comment (while it flushes, the event loop's
    /// wake-ups find no writer waiting and cost nothing). A big group waiting behind (a slow
    /// disk, many clients) still gets a lane for this flush, so that the writer goes on to write
    /// it and a second lane can flush it beside the first.
    func written(upTo sequence: UInt64, waiting: UInt64) {
        enum Start { case here(target: UInt64, path: String?, generation: Int), lane(Int) }
        let start = lanes.withLock { lanes -> Start? in
            lanes.written = max(lanes.written, sequence)
            let running = wakes.count - lanes.idle.count
            guard startsFlush(lanes, running: running) else { return nil }
            if running == 0 && waiting < overlapAfter {
                lanes.requested = lanes.written
                return .here(target: lanes.written, path: lanes.path, generation: lanes.generation)
            }
            guard let lane = lanes.idle.popLast() else { return nil }
            lanes.targets[lane] = lanes.written
            lanes.requested = lanes.written
            return .lane(lane)
        }
        switch start {
        case nil:
            return
        case .lane(let lane):
            wakes[lane].signal()
        case .here(let target, let path, let generation):
            let (fd, openError) = writerDescriptor.withLock { descriptor -> (Int32, Int32) in
                if descriptor.generation != generation || descriptor.fd < 0, let path {
                    if descriptor.fd >= 0 { close(descriptor.fd) }
                    descriptor.fd = open(path, O_RDONLY | O_CLOEXEC)
                    descriptor.generation = generation
                }
                return (descriptor.fd, descriptor.fd < 0 ? errno : 0)
            }
            // Outside the lock: only this thread uses the descriptor, until `stop`.
            let error = fd < 0 ? openError : sync(fd)
            let (flushed, failed) = lanes.withLock { ($0.flushed, $0.failed) }
            if error == 0 {
                flushed?(target)
            } else {
                failed?(target, "cannot flush the log: \(String(cString: strerror(error)))")
            }
        }
    }

    /// Blocks the writer until every record written is flushed (or its flush failed): before the
    /// segment changes, and before the log stops.
    func waitUntilFlushed() {
        while true {
            let done = lanes.withLock { lanes -> Bool in
                if lanes.idle.count == wakes.count && lanes.requested == lanes.written { return true }
                lanes.drainWaiting = true
                return false
            }
            if done { return }
            drained.wait()
        }
    }

    /// The writer moved on to the segment at `path`; only once `waitUntilFlushed` returned.
    func switchSegment(to path: String) {
        lanes.withLock { lanes in
            lanes.path = path
            lanes.generation += 1
        }
    }

    /// Ends the lanes' threads; only once `waitUntilFlushed` returned. Returns once they have.
    func stop() {
        let idle = lanes.withLock { lanes -> Bool in
            guard !lanes.stopping else { return false }
            lanes.stopping = true
            return true
        }
        guard idle else { return }
        writerDescriptor.withLock { descriptor in
            if descriptor.fd >= 0 { close(descriptor.fd) }
            descriptor.fd = -1
        }
        for wake in wakes { wake.signal() }
        for _ in wakes { exited.wait() }
    }

    /// Whether the records waiting get a flush now, with `running` flushes under way. With none
    /// running, anything waiting does; beside running ones, a group of `overlapAfter` at least.
    /// (So whenever records wait unflushed, some flush runs, and its end takes them.)
    private func startsFlush(_ lanes: borrowing Lanes, running: Int) -> Bool {
        let waiting = lanes.written - lanes.requested
        return waiting > 0 && (running == 0 || waiting >= overlapAfter)
    }

    private func run(_ lane: Int, flushed: @Sendable (UInt64) -> Void, failed: @Sendable (UInt64, String) -> Void) {
        var descriptor: Int32 = -1
        var generation = -1
        defer {
            if descriptor >= 0 { close(descriptor) }
            exited.signal()
        }
        while true {
            wakes[lane].wait()
            var work = lanes.withLock { lanes in (lanes.stopping ? nil : lanes.targets[lane], lanes.path, lanes.generation) }
            while let target = work.0 {
                if work.2 != generation || descriptor < 0, let path = work.1 {
                    if descriptor >= 0 { close(descriptor) }
                    descriptor = open(path, O_RDONLY | O_CLOEXEC)
                    generation = work.2
                }
                let error = descriptor < 0 ? errno : sync(descriptor)
                if error == 0 {
                    flushed(target)
                } else {
                    failed(target, "cannot flush the log: \(String(cString: strerror(error)))")
                }
                work = lanes.withLock { lanes in
                    // This lane is not idle yet: the others running are all but it.
                    if !lanes.stopping && startsFlush(lanes, running: wakes.count - lanes.idle.count - 1) {
                        lanes.requested = lanes.written
                        lanes.targets[lane] = lanes.written
                        return (lanes.written, lanes.path, lanes.generation)
                    }
                    lanes.idle.append(lane)
                    if lanes.drainWaiting && lanes.idle.count == wakes.count {
                        lanes.drainWaiting = false
                        drained.signal()
                    }
                    return (nil, nil, 0)
                }
            }
            if lanes.withLock({ $0.stopping }) { return }
        }
    }
}
