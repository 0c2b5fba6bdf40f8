/// Writes a ZIP archive (PKWARE APPNOTE 6.3) with its entries stored, not compressed: an XLSX
/// file is a ZIP of a few small XML parts, and stored entries (method 0) are accepted by Excel,
/// LibreOffice and every unzip, while needing no deflate code (we have no zlib without
/// Foundation).
///
/// The output is deterministic, same entries in, same bytes out: every entry gets the same
/// fixed DOS date and time, and nothing else depends on when or where it is written. Names are
/// flagged as UTF-8 (general purpose bit 11) so readers do not guess a code page.
///
/// No ZIP64: an archive stays under 4 GiB and 65,535 entries, which the dashboard's exports
/// (kilobytes to a few megabytes) are nowhere near. Going past either stops the program with a
/// precondition failure rather than writing an archive whose sizes silently wrap around.
struct ZipWriter {
    private var archive: [UInt8] = []
    private var centralDirectory: [UInt8] = []
    private var entryCount = 0

    /// 1980-01-01 00:00:00, the earliest DOS date: a fixed stamp keeps the output reproducible.
    static let dosDate: UInt16 = (0 << 9) | (1 << 5) | 1
    static let dosTime: UInt16 = 0
    /// Version 2.0 of the format: enough for stored entries and folders in names.
    private static let version: UInt16 = 20
    /// Bit 11: the name is UTF-8.
    private static let utf8Flag: UInt16 = 1 << 11
    /// 0xFFFF and 0xFFFF_FFFF are ZIP64 markers ("look in the ZIP64 record"), so a plain archive
    /// must stay below them.
    static let maximumEntryCount = 0xFFFE
    static let maximumOffset = 0xFFFF_FFFE

    init() {}

    /// Adds one file; `path` uses `/` between folders (`xl/worksheets/sheet1.xml`).
    mutating func add(path: String, contents: [UInt8]) {
        let name = Array(path.utf8)
        precondition(!name.isEmpty && name.count <= 0xFFFF, "ZIP entry names are 1 to 65,535 bytes")
        precondition(entryCount < Self.maximumEntryCount, "ZIP archive over 65,534 entries needs ZIP64")
        let headerOffset = archive.count
        precondition(headerOffset + 30 + name.count + contents.count <= Self.maximumOffset,
                     "ZIP archive over 4 GiB needs ZIP64")
        let crc = CRC32.checksum(contents)
        let size = UInt32(contents.count)

        // Local file header, then the data.
        archive.appendLittleEndian(UInt32(0x0403_4B50))
        archive.appendLittleEndian(Self.version)
        archive.appendLittleEndian(Self.utf8Flag)
        archive.appendLittleEndian(UInt16(0))                   // method: stored
        archive.appendLittleEndian(Self.dosTime)
        archive.appendLittleEndian(Self.dosDate)
        archive.appendLittleEndian(crc)
        archive.appendLittleEndian(size)                        // compressed size
        archive.appendLittleEndian(size)                        // uncompressed size
        archive.appendLittleEndian(UInt16(name.count))
        archive.appendLittleEndian(UInt16(0))                   // extra field length
        archive += name
        archive += contents

        // Its central directory record, written out at the end.
        centralDirectory.appendLittleEndian(UInt32(0x0201_4B50))
        centralDirectory.appendLittleEndian(Self.version)       // made by: MS-DOS attributes, 2.0
        centralDirectory.appendLittleEndian(Self.version)       // needed to extract
        centralDirectory.appendLittleEndian(Self.utf8Flag)
        centralDirectory.appendLittleEndian(UInt16(0))
        centralDirectory.appendLittleEndian(Self.dosTime)
        centralDirectory.appendLittleEndian(Self.dosDate)
        centralDirectory.appendLittleEndian(crc)
        centralDirectory.appendLittleEndian(size)
        centralDirectory.appendLittleEndian(size)
        centralDirectory.appendLittleEndian(UInt16(name.count))
        centralDirectory.appendLittleEndian(UInt16(0))          // extra field length
        centralDirectory.appendLittleEndian(UInt16(0))          // comment length
        centralDirectory.appendLittleEndian(UInt16(0))          // disk number
        centralDirectory.appendLittleEndian(UInt16(0))          // internal attributes
        centralDirectory.appendLittleEndian(UInt32(0))          // external attributes
        centralDirectory.appendLittleEndian(UInt32(headerOffset))
        centralDirectory += name
        entryCount += 1
    }

    /// The whole archive: the entries, the central directory, and the end record that points at it.
    func finish() -> [UInt8] {
        let directoryOffset = archive.count
        precondition(directoryOffset + centralDirectory.count + 22 <= Self.maximumOffset,
                     "ZIP archive over 4 GiB needs ZIP64")
        var bytes = archive
        bytes.reserveCapacity(archive.count + centralDirectory.count + 22)
        bytes += centralDirectory
        bytes.appendLittleEndian(UInt32(0x0605_4B50))
        bytes.appendLittleEndian(UInt16(0))                     // this disk
        bytes.appendLittleEndian(UInt16(0))                     // disk with the directory
        bytes.appendLittleEndian(UInt16(entryCount))            // entries on this disk
        bytes.appendLittleEndian(UInt16(entryCount))            // entries in all
        bytes.appendLittleEndian(UInt32(centralDirectory.count))
        bytes.appendLittleEndian(UInt32(directoryOffset))
        bytes.appendLittleEndian(UInt16(0))                     // comment length
        return bytes
    }
}

private extension [UInt8] {
    /// ZIP stores every number least significant byte first.
    mutating func appendLittleEndian<Number: FixedWidthInteger>(_ number: Number) {
        var value = number.littleEndian
        Swift.withUnsafeBytes(of: &value) { append(contentsOf: $0) }
    }
}
