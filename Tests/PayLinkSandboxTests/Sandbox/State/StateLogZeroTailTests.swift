import Foundation
@testable import PayLinkSandbox
import Synchronization
import Testing

/// The zeros the log writer keeps ahead of its records (`LogSegment`): a log that ends in them
/// ended cleanly; a record cut short over them is a torn tail, as one cut at the file's end.
struct StateLogZeroTailTests {
    static func frames(_ payloads: [String]) -> [UInt8] { StateLogTests.frames(payloads) }
    static func zeros(_ count: Int) -> [UInt8] { [UInt8](repeating: 0, count: count) }

    // MARK: - framing

    @Test func zerosAfterTheLastWholeFrame_areTheCleanEnd() {
        let good = Self.frames(["[1]", "[2,3]"])
        let scan = LogFrame.scan(good + Self.zeros(4096))
        #expect(scan.problem == nil && scan.zeroTail)
        #expect(scan.end == good.count && scan.frames.count == 2)
        // A log without them (as every earlier version wrote) ends where its last frame does.
        let plain = LogFrame.scan(good)
        #expect(plain.problem == nil && !plain.zeroTail && plain.end == good.count)
    }

    @Test func aFrameCutShortOverTheZeros_isATornTail() {
        let good = Self.frames(["[1]"])
        let cut = Self.frames(["[2222222222]"])
        // Its header and the start of its payload written, the rest still zeros.
        let scan = LogFrame.scan(good + cut.prefix(LogFrame.headerSize + 3) + Self.zeros(100))
        guard case .tornTail? = scan.problem else { Issue.record("\(String(describing: scan.problem))"); return }
        #expect(scan.end == good.count && scan.frames.count == 1 && !scan.zeroTail)
    }

    @Test func aHeaderCutShortOverTheZeros_isATornTail() {
        let good = Self.frames(["[1]"])
        let cut = Self.frames([String(repeating: "7", count: 300)])
        // Only the low byte of its length written: a shorter frame whose checksum fails, zeros after it.
        let scan = LogFrame.scan(good + cut.prefix(1) + Self.zeros(400))
        guard case .tornTail? = scan.problem else { Issue.record("\(String(describing: scan.problem))"); return }
        #expect(scan.end == good.count)
    }

    @Test func aDamagedFrameWithRecordsAfterIt_isStillCorruption_withZerosAfterThem() {
        var bytes = Self.frames(["[1]", "[2]", "[3]"])
        let second = Self.frames(["[1]"]).count
        bytes[second + LogFrame.headerSize] ^= 0x01
        #expect(LogFrame.scan(bytes + Self.zeros(64)).problem == .corrupt(offset: second, reason: "checksum mismatch"))
    }

    // MARK: - recovery

    /// The files as a killed process leaves them: copied while the sandbox runs, every answer
    /// given (so written), the zeros ahead still there. A start from the copy has every change,
    /// reports nothing, and cuts the zeros off; the log goes on from there.
    @Test func aLogWithZerosAhead_startsWithEverything_andReportsNothing() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        let copy = try StateDirectoryTests.temporaryDirectory()
        defer {
            try? FileManager.default.removeItem(atPath: directory)
            try? FileManager.default.removeItem(atPath: copy)
        }
        var served = ""
        try await withSandbox(StateLogTests.configuration(directory)) { sandbox, aps in
            _ = try aps.createLink("zeros-1")
            _ = try aps.createLink("zeros-2")
            served = StateLogTests.text(sandbox)
            for name in StateDirectoryTests.names(directory) where name.hasSuffix(".wal") || name.hasSuffix(".bin") {
                try FileManager.default.copyItem(atPath: directory + "/" + name, toPath: copy + "/" + name)
            }
        }
        let segment = copy + "/" + (try #require(StateLogTests.segments(copy).last))
        let before = LogFrame.scan([UInt8](try #require(FileManager.default.contents(atPath: segment))))
        #expect(before.zeroTail && before.problem == nil && before.frames.count >= 2, "the running log keeps zeros ahead")
        let reports = Mutex<[String]>([])
        let sandbox = try Sandbox.startBlocking(StateLogTests.configuration(copy), report: { line in reports.withLock { $0.append(line) } })
        #expect(StateLogTests.text(sandbox) == served)
        #expect(try Self.size(segment) == before.end, "the zeros are cut off")
        _ = try APSTestClient(port: sandbox.port).createLink("zeros-3")
        let more = StateLogTests.text(sandbox)
        await sandbox.stop()
        #expect(reports.withLock { $0 }.isEmpty, "\(reports.withLock { $0 })")
        // A clean stop leaves no zeros: each segment ends with its last record.
        for name in StateLogTests.segments(copy) {
            #expect(!LogFrame.scan([UInt8](try #require(FileManager.default.contents(atPath: copy + "/" + name)))).zeroTail)
        }
        try await withSandbox(StateLogTests.configuration(copy)) { sandbox, _ in
            #expect(StateLogTests.text(sandbox) == more)
        }
    }

    @Test func aRecordCutShortOverTheZeros_isCutOffAndReported() async throws {
        let directory = try StateDirectoryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var served = ""
        try await withSandbox(StateLogTests.configuration(directory)) { sandbox, aps in
            _ = try aps.createLink("cut-1")
            served = StateLogTests.text(sandbox)
        }
        let segment = directory + "/" + (try #require(StateLogTests.segments(directory).last))
        let records = try Self.size(segment)
        let handle = try #require(FileHandle(forWritingAtPath: segment))
        handle.seekToEndOfFile()
        handle.write(Data(Self.frames(["[[99,\"put\",\"links\",\"x\",{}]]"]).prefix(12) + Self.zeros(1000)))
        handle.closeFile()
        let reports = Mutex<[String]>([])
        let sandbox = try Sandbox.startBlocking(StateLogTests.configuration(directory), report: { line in reports.withLock { $0.append(line) } })
        #expect(StateLogTests.text(sandbox) == served)
        await sandbox.stop()
        #expect(reports.withLock { $0 }.contains { $0.contains(segment) && $0.contains("torn") })
        #expect(try Self.size(segment) == records)
    }

    static func size(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    }
}
