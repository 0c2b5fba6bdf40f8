#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The segment the log writer appends to; only its thread touches it. Closed explicitly when
/// the writer moves to the next one or stops.
///
/// The file is kept `zeroChunk` or so ahead of its records with zeros, and each frame is
/// written over them in place. Why: when a flush (`fdatasync`) follows an append that grew
/// the file, the kernel writes the inode (its size) too, with the data; over bytes already
/// there it writes the data only. Measured on the development VM (ext4 on virtio, a 6 KB
/// write and its flush, CPU time): 67 to 76 µs appending, 39 to 45 µs overwriting, and 160
/// to 188 µs against 92 to 112 µs of wall time; `posix_fallocate` alone gave 61 µs (its
/// unwritten extents still change on the first write). So the size changes once per half
/// chunk of log, and one flush in about a hundred (of some 6 KB each) carries it.
///
/// A zero tail after the last whole frame is the log's clean end (`LogFrame.Scan.zeroTail`):
/// recovery cuts it off without a report, and a clean stop or a move to the next segment cuts
/// it off here.
struct LogSegment: Sendable {
    let name: String
    let first: UInt64
    private let fd: Int32
    private let path: String
    /// Where the records end: the next frame goes here.
    private(set) var length: Int
    /// The file's size: from `length` up to here it holds zeros.
    private var zeroedUpTo: Int

    /// How far ahead of the records the zeros reach, at most; they are written once fewer than
    /// half of it are left. A megabyte is some thousands of creates.
    static let zeroChunk = 1 << 20

    init(files: StateFiles, first: UInt64) throws(StateDirectoryError) {
        name = StateFiles.segmentName(first)
        self.first = first
        path = files.file(name)
        fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw StateDirectoryError(path: path, "cannot create the log: \(StateFiles.systemError())") }
        // Recovery cut any zero tail off, so the records run to the end.
        length = Int(lseek(fd, 0, SEEK_END))
        zeroedUpTo = length
        // The new name must survive a crash before anything in it counts as durable.
        files.syncDirectory()
    }

    /// Cuts the zeros off (so the file ends with its last record) and closes.
    func close() {
        if zeroedUpTo > length { _ = ftruncate(fd, off_t(length)) }
        _ = Glibc.close(fd)
    }

    mutating func append(_ bytes: [UInt8]) throws(StateDirectoryError) {
        do throws(StateDirectoryError) {
            if zeroedUpTo - length - bytes.count < Self.zeroChunk / 2 { zeroAhead(toHold: bytes.count) }
            try StateFiles.writeAll(fd, bytes, at: length, path: path)
            length += bytes.count
            // Past the zeros when they could not be written: then the frame was appended.
            zeroedUpTo = max(zeroedUpTo, length)
        } catch {
            // A partial write is taken back (with the zeros after it, written again when
            // needed), so the next frame starts where it should and only zeros follow it.
            _ = ftruncate(fd, off_t(length))
            zeroedUpTo = length
            throw error
        }
    }

    /// Writes zeros past the file's end, so that `zeroChunk` of them follow the next frame.
    /// When they cannot be (a disk nearly full), the file is cut back to what it held and the
    /// frame is appended: the zeros save CPU, the frame is what counts.
    private mutating func zeroAhead(toHold count: Int) {
        let end = length + count + Self.zeroChunk
        let zeros = [UInt8](repeating: 0, count: end - zeroedUpTo)
        do throws(StateDirectoryError) {
            try StateFiles.writeAll(fd, zeros, at: zeroedUpTo, path: path)
            zeroedUpTo = end
        } catch {
            _ = ftruncate(fd, off_t(zeroedUpTo))
        }
    }
}
