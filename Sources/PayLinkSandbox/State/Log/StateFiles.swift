#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PayLinkSupport

/// The files of a state directory with a change log: `snapshot-<sequence>.bin` (the whole
/// state, covering every change up to that sequence, see `SnapshotFile`; an earlier version's
/// `snapshot-<sequence>.json` is read and pruned like one), `log-<first sequence>.wal` (the changes
/// after it, framed by `LogFrame`), and temporaries named `….tmp-<pid>` while being written.
/// Sequences are written with 20 digits, so names sort as numbers do.
struct StateFiles: Sendable {
    let path: String

    static func snapshotName(_ sequence: UInt64) -> String { "snapshot-" + padded(sequence) + ".bin" }
    /// What earlier versions named their snapshots (read, and pruned like the others).
    static func jsonSnapshotName(_ sequence: UInt64) -> String { "snapshot-" + padded(sequence) + ".json" }
    static func segmentName(_ first: UInt64) -> String { "log-" + padded(first) + ".wal" }

    private static func padded(_ value: UInt64) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    func file(_ name: String) -> String { path.hasSuffix("/") ? path + name : path + "/" + name }

    struct Listing {
        var snapshots: [(sequence: UInt64, name: String)] = []
        var segments: [(first: UInt64, name: String)] = []
        var temporaries: [String] = []
    }

    func list() throws(StateDirectoryError) -> Listing {
        guard let directory = opendir(path) else { throw StateDirectoryError(path: path, "cannot list the directory: \(Self.systemError())") }
        defer { closedir(directory) }
        var listing = Listing()
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.contains(".tmp") {
                listing.temporaries.append(name)
            } else if name.hasPrefix("snapshot-"), name.hasSuffix(".json") || name.hasSuffix(".bin"),
                      let sequence = UInt64(name.dropFirst(9).prefix(while: { $0 != "." })) {
                listing.snapshots.append((sequence, name))
            } else if name.hasPrefix("log-"), name.hasSuffix(".wal"), let first = UInt64(name.dropFirst(4).dropLast(4)) {
                listing.segments.append((first, name))
            }
        }
        listing.snapshots.sort { $0.sequence < $1.sequence }
        listing.segments.sort { $0.first < $1.first }
        listing.temporaries.sort()
        return listing
    }

    /// The whole file, read into one buffer of its size (a snapshot of a million links is some
    /// 160 MB: growing a buffer while reading copies it several times over).
    func read(_ name: String) throws(StateDirectoryError) -> [UInt8] {
        let fd = open(file(name), O_RDONLY | O_CLOEXEC)
        var status = stat()
        guard fd >= 0, fstat(fd, &status) == 0 else {
            let problem = Self.systemError()
            if fd >= 0 { close(fd) }
            throw StateDirectoryError(path: file(name), "cannot read the file: \(problem)")
        }
        defer { close(fd) }
        let size = Int(status.st_size)
        var failure: String?
        var bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
            while count < size {
                let n = Glibc.read(fd, buffer.baseAddress! + count, size - count)
                if n > 0 {
                    count += n
                } else if n == 0 {
                    break
                } else if errno != EINTR {
                    failure = Self.systemError()
                    break
                }
            }
        }
        if let failure { throw StateDirectoryError(path: file(name), "cannot read the file: \(failure)") }
        // Written to since `fstat` (not by this sandbox, which holds the directory's lock).
        if bytes.count == size, let rest = FileInput.readToEnd(fd), !rest.isEmpty { bytes += rest }
        return bytes
    }

    func remove(_ name: String) { unlink(file(name)) }

    /// Cuts a segment at `length` (a torn last frame) and flushes the cut.
    func truncate(_ name: String, to length: Int) throws(StateDirectoryError) {
        let fd = open(file(name), O_WRONLY | O_CLOEXEC)
        guard fd >= 0, ftruncate(fd, off_t(length)) == 0 else {
            if fd >= 0 { close(fd) }
            throw StateDirectoryError(path: file(name), "cannot cut off the torn last record: \(Self.systemError())")
        }
        fsync(fd)
        close(fd)
    }

    /// Opens a temporary beside `name` for `StreamedFile`.
    func create(_ name: String) throws(StateDirectoryError) -> StreamedFile {
        let target = file(name)
        let temporary = target + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StateDirectoryError(path: temporary, "cannot create: \(Self.systemError())") }
        return StreamedFile(files: self, fd: fd, target: target, temporary: temporary)
    }

    /// Makes new and removed names durable.
    func syncDirectory() {
        let directory = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            fsync(directory)
            close(directory)
        }
    }

    /// Writes every byte at the file's position, or at `offset` (`pwrite`) when given.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int? = nil, path: String) throws(StateDirectoryError) {
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                let start = raw.baseAddress! + written, count = raw.count - written
                return if let offset { pwrite(fd, start, count, off_t(offset + written)) } else { write(fd, start, count) }
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw StateDirectoryError(path: path, "cannot write: \(n == 0 ? "no bytes written" : systemError())") }
            written += n
        }
    }

    static func systemError() -> String { String(cString: strerror(errno)) }
}

/// A file written a frame at a time through a small buffer, under a temporary name until
/// `commit` flushes and renames it: the file appears whole or not at all, and its contents
/// never sit in memory at once.
struct StreamedFile {
    private let files: StateFiles
    private let fd: Int32
    private let target: String
    private let temporary: String
    private var buffer: [UInt8] = []
    private(set) var length = 0
    private static let bufferSize = 1 << 20

    fileprivate init(files: StateFiles, fd: Int32, target: String, temporary: String) {
        self.files = files
        self.fd = fd
        self.target = target
        self.temporary = temporary
        buffer.reserveCapacity(Self.bufferSize + 64 * 1024)
    }

    mutating func frame(_ payload: [UInt8]) throws(StateDirectoryError) {
        LogFrame.append(payload, to: &buffer)
        length += payload.count + LogFrame.headerSize
        if buffer.count >= Self.bufferSize { try drain() }
    }

    private mutating func drain() throws(StateDirectoryError) {
        try StateFiles.writeAll(fd, buffer, path: temporary)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, renames into place and flushes the directory.
    mutating func commit() throws(StateDirectoryError) {
        do throws(StateDirectoryError) { try drain() } catch {
            abandon()
            throw error
        }
        let synced = fsync(fd) == 0
        let syncError = errno
        close(fd)
        guard synced, rename(temporary, target) == 0 else {
            let reason = synced ? StateFiles.systemError() : String(cString: strerror(syncError))
            unlink(temporary)
            throw StateDirectoryError(path: target, "cannot replace: \(reason)")
        }
        files.syncDirectory()
    }

    /// Closes and removes the temporary.
    func abandon() {
        close(fd)
        unlink(temporary)
    }
}
