/// How the change log frames what it writes: each group commit is one frame,
/// `[length: UInt32 LE][CRC-32 of the payload: UInt32 LE][payload]`, so a frame is whole or
/// seen to be cut or damaged, and one request's changes are never half there.
enum LogFrame {
    static let headerSize = 8
    /// A frame longer than this is damage, not data (a group commit stays far below it).
    static let maxPayload = 1 << 30

    static func append(_ payload: [UInt8], to output: inout [UInt8]) {
        let length = UInt32(payload.count), crc = CRC32.checksum(payload)
        for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: length >> UInt32(shift))) }
        for shift in stride(from: 0, to: 32, by: 8) { output.append(UInt8(truncatingIfNeeded: crc >> UInt32(shift))) }
        output.append(contentsOf: payload)
    }

    /// What reading a segment found.
    struct Scan: Equatable {
        /// The payloads' byte ranges, in order.
        var frames: [Range<Int>] = []
        /// Where the good frames end: the segment's length when all is well, or where its
        /// zero tail starts.
        var end = 0
        /// Only zeros follow the last whole frame: the room the log writer keeps ahead of its
        /// records (`LogSegment`), the clean end of a log (nothing was written there).
        var zeroTail = false
        var problem: Problem?
    }

    enum Problem: Equatable {
        /// The last frame runs past the end, or its checksum fails with nothing but zeros after
        /// it: a write a crash cut short. Cut off at `Scan.end`.
        case tornTail(reason: String)
        /// A bad frame with good data after it: not a crash's doing, so not silently dropped.
        case corrupt(offset: Int, reason: String)
    }

    static func scan(_ bytes: UnsafeRawBufferPointer) -> Scan {
        var scan = Scan()
        var offset = 0
        let count = bytes.count
        func word(_ at: Int) -> Int {
            Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24
        }
        func zerosOnly(from start: Int) -> Bool { bytes[start..<count].allSatisfy { $0 == 0 } }
        while offset < count {
            // Zeros where a frame would start: the log writer's room ahead (or what a file
            // system leaves when the size was written before the data: never acknowledged).
            if zerosOnly(from: offset) {
                scan.zeroTail = true
                break
            }
            guard count - offset >= headerSize else {
                scan.problem = .tornTail(reason: "\(count - offset) bytes, less than a frame header")
                break
            }
            let length = word(offset)
            let start = offset + headerSize
            guard length > 0, length <= maxPayload else {
                scan.problem = .corrupt(offset: offset, reason: "impossible frame length \(length)")
                break
            }
            guard start + length <= count else {
                scan.problem = .tornTail(reason: "a frame of \(length) bytes with \(count - start) written")
                break
            }
            let expected = UInt32(truncatingIfNeeded: word(offset + 4))
            guard CRC32.checksum(UnsafeRawBufferPointer(rebasing: bytes[start..<(start + length)])) == expected else {
                // A write cut short over the zeros ahead leaves zeros after the frame's end
                // (or its header's length, itself cut, points short of them).
                scan.problem = zerosOnly(from: start + length)
                    ? .tornTail(reason: "the last frame's checksum does not match")
                    : .corrupt(offset: offset, reason: "checksum mismatch")
                break
            }
            scan.frames.append(start..<(start + length))
            offset = start + length
        }
        scan.end = offset
        return scan
    }

    static func scan(_ bytes: [UInt8]) -> Scan { bytes.withUnsafeBytes { scan($0) } }
}
