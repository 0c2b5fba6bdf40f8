/// Writes one JSON object member by member, straight to bytes, for callers that hold their
/// members as bytes rather than as a `JSONObject`.
///
/// The APS endpoint assembles its response this way: building a `JSONObject` only to write it
/// out and tear it down again cost more than the rest of the response. The output is exactly
/// what `JSONObject.serialized()` gives for the same members in the same order (same
/// escaping, same compact form), since both go through `JSONWriter`.
public struct JSONObjectStream: ~Copyable {
    private var output: ByteOutput
    private var memberCount = 0

    private init(output: consuming ByteOutput) {
        self.output = output
    }

    /// Runs `body` with a stream that starts in stack memory, closes the object and returns its
    /// bytes.
    public static func serialize(_ body: (inout JSONObjectStream) -> Void) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: ByteOutput.stackBytes) { stack in
            var stream = JSONObjectStream(output: ByteOutput(initial: stack))
            stream.output.append(ASCII.openBrace)
            body(&stream)
            stream.output.append(ASCII.closeBrace)
            return Array(stream.output.bytes)
        }
    }

    /// Appends `"key":"value"`; both are UTF-8 and escaped as needed.
    public mutating func member(key: UnsafeBufferPointer<UInt8>, string value: UnsafeBufferPointer<UInt8>) {
        beginMember(key: key)
        JSONWriter.appendEscaped(value, to: &output)
    }

    /// Appends `"key":` and the compact JSON text of `value`.
    public mutating func member(key: UnsafeBufferPointer<UInt8>, value: JSONValue) {
        beginMember(key: key)
        JSONWriter.write(value, to: &output, sortedKeys: false)
    }

    private mutating func beginMember(key: UnsafeBufferPointer<UInt8>) {
        if memberCount > 0 { output.append(ASCII.comma) }
        memberCount &+= 1
        JSONWriter.appendEscaped(key, to: &output)
        output.append(ASCII.colon)
    }
}

extension JSONObjectStream {
    /// Whether `bytes` go into a JSON string as they are: no `"`, `\` or control character,
    /// the only bytes the writer escapes (non-ASCII UTF-8 is written raw). Lets a caller that
    /// checked a whole buffer once copy strings from it without escaping each.
    public static func needsNoEscaping(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        ByteScan.skipPlain(base, &index, bytes.count, stopAtNonASCII: false)
        return index == bytes.count
    }
}
