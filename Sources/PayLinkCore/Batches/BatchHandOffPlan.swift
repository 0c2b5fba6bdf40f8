/// How many records the reading thread hands the committing one at a time (a piece). A piece is
/// read while the one before it is committed, and the work the runs of a piece leave (publishing
/// their events) is done while the next piece commits; only the last piece's is left once the
/// last record is committed, on the committing thread, before the batch's end is written.
///
/// So every piece is a whole chunk (the progress is written back a chunk at a time, whatever
/// the pieces), but for the file's last chunk: that one is handed over in halves, a half of what
/// is left each time, down to one run, so the work left at the end is one run's rather than a
/// chunk's, and the other thread, with nothing left to read, does the rest beside the commits.
///
/// A piece never crosses a chunk, and within a chunk every piece but the chunk's last is a
/// whole number of runs from the chunk's start, so a chunk is cut into the same runs whatever
/// its pieces. The count of records is the one validation found; were it wrong, the pieces
/// would only be sized otherwise.
package struct BatchHandOffPlan: Sendable {
    /// Records between writes of the batch's progress.
    package let chunk: Int
    /// Records committed at once (`BatchEngine.runLength`).
    package let run: Int
    /// Records in the file after its header.
    package let records: Int

    package init(chunk: Int, run: Int, records: Int) {
        self.chunk = max(1, chunk)
        self.run = max(1, run)
        self.records = records
    }

    /// The size of the piece after the first `handed` records.
    package func pieceSize(after handed: Int) -> Int {
        let chunkEnd = (handed / chunk + 1) * chunk
        let toChunkEnd = chunkEnd - handed
        let leftInFile = records - handed
        // Not the last chunk (or past what validation counted): the rest of the chunk.
        guard chunkEnd >= records, leftInFile > run else { return toChunkEnd }
        // The last chunk: half of what is left, rounded up to whole runs.
        let half = (leftInFile + 1) / 2
        return min(toChunkEnd, (half + run - 1) / run * run)
    }

    /// Whether the progress is written back after the first `handed` records.
    package func endsChunk(_ handed: Int) -> Bool { handed % chunk == 0 }
}
