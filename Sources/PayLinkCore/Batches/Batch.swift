#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A batch file and what became of it.
public struct Batch: Sendable, Equatable {
    /// Chosen by the dialect (a GUID for PayByLink, 18 digits for APS).
    public let id: String
    /// Who may see it: a PayByLink subscription, an APS merchant.
    public let owner: Owner
    public let fileName: String
    /// The client's own name for the batch (APS `batch_reference`).
    public let reference: String?
    public let createdAt: SandboxInstant
    public internal(set) var lifecycle = BatchLifecycle()
    public internal(set) var uploadedAt: SandboxInstant?
    public internal(set) var confirmedAt: SandboxInstant?
    public internal(set) var finishedAt: SandboxInstant?
    /// The dialect's code for why the file was refused as a whole (see `BatchFileRejection`).
    public internal(set) var failureCode: String?
    /// Size of the uploaded file.
    public internal(set) var fileByteCount = 0
    /// Failed records in file order.
    public internal(set) var failures: [BatchRecordFailure] = []
    /// Result lines of the records whose processor reports them, in file order.
    public internal(set) var results: [BatchRecordResult] = []
    /// What the fields of `results` are, as the processor named them once the header was read
    /// (empty before, or when the dialect reports no result lines).
    public internal(set) var resultColumns: [String] = []

    public var status: BatchStatus { lifecycle.status }
}

/// The result a dialect reported for one record (APS: response code, message, link id, …).
///
/// Kept as the one line of CSV the results answer writes (`csv`): every field quoted, quotes
/// doubled, commas between. A 100,000-line batch keeps one small byte array a record rather
/// than an array of strings, and its answer is those lines one after the other.
public struct BatchRecordResult: Sendable, Equatable {
    public var line: Int
    /// The fields as a CSV line, without a line ending.
    public private(set) var csv: [UInt8]

    public init(line: Int, fields: [String]) {
        self.line = line
        csv = Self.encode(fields)
    }

    public var fields: [String] {
        get { Self.decode(csv) }
        set { csv = Self.encode(newValue) }
    }

    private static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")

    /// Written into an array of exactly the line's size: appended a byte at a time, a batch's
    /// 100,000 lines took a twentieth of the thread that commits its records. A field without
    /// a quote (nearly every one) is found so by `memchr` and copied whole: counting and
    /// copying a byte at a time took 3.4 k instructions a result line, a sixth of an APS
    /// batch's committing thread.
    private static func encode(_ fields: [String]) -> [UInt8] {
        guard !fields.isEmpty else { return [] }
        // Two quotes a field, a comma between two, and each quote inside doubled.
        var size = fields.count &* 3 &- 1
        for var field in fields {
            size &+= field.withUTF8 { $0.count &+ quotes(in: $0) }
        }
        var out = [UInt8](repeating: 0, count: size)
        out.withUnsafeMutableBufferPointer { out in
            var index = 0
            for (position, var field) in fields.enumerated() {
                if position > 0 {
                    out[index] = comma
                    index &+= 1
                }
                out[index] = quote
                index &+= 1
                field.withUTF8 { bytes in
                    guard let start = bytes.baseAddress else { return }
                    if memchr(start, Int32(quote), bytes.count) == nil {
                        (out.baseAddress! + index).update(from: start, count: bytes.count)
                        index &+= bytes.count
                        return
                    }
                    for byte in bytes {
                        if byte == quote {
                            out[index] = quote
                            index &+= 1
                        }
                        out[index] = byte
                        index &+= 1
                    }
                }
                out[index] = quote
                index &+= 1
            }
        }
        return out
    }

    /// How many quotes `bytes` holds, found with `memchr` (vectorised in the C library).
    private static func quotes(in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        guard var next = bytes.baseAddress else { return 0 }
        let end = next + bytes.count
        var count = 0
        while next < end, let hit = memchr(next, Int32(quote), end - next) {
            count &+= 1
            next = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) + 1
        }
        return count
    }

    /// The inverse of `encode`: quoted fields, a doubled quote inside one is a quote.
    private static func decode(_ csv: [UInt8]) -> [String] {
        var fields: [String] = []
        var field: [UInt8] = []
        var index = 0
        while index < csv.count {
            // At the opening quote of a field.
            index += 1
            field.removeAll(keepingCapacity: true)
            while index < csv.count {
                if csv[index] == quote {
                    if index + 1 < csv.count && csv[index + 1] == quote {
                        field.append(quote)
                        index += 2
                        continue
                    }
                    break
                }
                field.append(csv[index])
                index += 1
            }
            fields.append(String(decoding: field, as: UTF8.self))
            // Past the closing quote and the comma after it.
            index += 2
        }
        return fields
    }
}
