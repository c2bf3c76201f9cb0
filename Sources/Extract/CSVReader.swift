/// An RFC 4180 CSV reader over a byte stream: comma separated, quoted fields
/// with doubled quotes and line breaks inside, LF or CRLF. It splits bytes and
/// does not decode: GB18030 never uses a quote, comma, CR or LF byte inside a
/// multi-byte character, so splitting first and decoding fields after is safe.
///
/// One record is held at a time; memory does not grow with the file.
public final class CSVReader {
    public let name: String
    private let stream: ByteStream
    private let limits: ReadLimits
    private var chunk: UnsafeMutableRawBufferPointer
    private var chunkCount = 0
    private var chunkPosition = 0
    private var streamEnded = false

    /// The raw bytes of the current record, without its line break.
    public private(set) var raw: [UInt8] = []
    /// Start and end offsets in `raw` of each field (quotes included).
    private var fieldBounds: [(start: Int, end: Int, quoted: Bool)] = []
    private var unescaped: [UInt8] = []
    /// The physical line on which the current record starts (1-based).
    public private(set) var line = 0
    /// The physical line the reader is on.
    private var currentLine = 1
    /// Whether the current record ended inside an unclosed quote (at end of file).
    public private(set) var hasUnterminatedQuote = false

    public init(stream: ByteStream, name: String, limits: ReadLimits = .standard) {
        self.stream = stream
        self.name = name
        self.limits = limits
        chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 << 10, alignment: 1)
        raw.reserveCapacity(4096)
    }

    deinit { chunk.deallocate() }

    public var fieldCount: Int { fieldBounds.count }
    public var bytesReadFromDisk: Int { stream.bytesReadFromDisk }

    /// Reads the next record; false at the end of the input. Blank lines are
    /// skipped (they hold no record). Throws for an unreadable stream or a
    /// record longer than the limit.
    public func next() throws -> Bool {
        while true {
            guard try readRecord() else { return false }
            if !(fieldBounds.count == 1 && raw.isEmpty) { return true }
        }
    }

    private func readRecord() throws -> Bool {
        raw.removeAll(keepingCapacity: true)
        fieldBounds.removeAll(keepingCapacity: true)
        hasUnterminatedQuote = false
        line = currentLine
        var inQuotes = false
        var fieldStart = 0
        var fieldQuoted = false
        var consumedAny = false
        while true {
            if chunkPosition == chunkCount {
                if streamEnded { break }
                chunkCount = try stream.read(into: chunk)
                chunkPosition = 0
                if chunkCount == 0 {
                    streamEnded = true
                    break
                }
            }
            let bytes = UnsafeRawBufferPointer(rebasing: chunk[chunkPosition..<chunkCount])
            var i = 0
            var endOfRecord = false
            let count = bytes.count
            // The hot loop: find the record's end, its commas and quote state.
            while i < count {
                let b = bytes[i]
                if inQuotes {
                    if b == 0x22 { inQuotes = false } else if b == 0x0A { currentLine += 1 }
                } else if b == 0x2C {
                    let offset = raw.count + i
                    fieldBounds.append((fieldStart, offset, fieldQuoted))
                    fieldStart = offset + 1
                    fieldQuoted = false
                } else if b == 0x22 {
                    inQuotes = true
                    fieldQuoted = true
                } else if b == 0x0A {
                    endOfRecord = true
                    break
                }
                i += 1
            }
            raw.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[0..<i]))
            chunkPosition += endOfRecord ? i + 1 : i
            if i > 0 || endOfRecord { consumedAny = true }
            if raw.count > limits.maxRecordBytes {
                throw ExtractError(file: name, line: line,
                                   "record longer than \(limits.maxRecordBytes) bytes (an endless line?)")
            }
            if endOfRecord {
                currentLine += 1
                break
            }
        }
        if !consumedAny { return false }
        var end = raw.count
        if !inQuotes, end > fieldStart, raw[end - 1] == 0x0D {
            raw.removeLast()
            end -= 1
        }
        hasUnterminatedQuote = inQuotes
        fieldBounds.append((fieldStart, end, fieldQuoted))
        return true
    }

    /// The bytes of field `index`, quotes removed and doubled quotes undone.
    /// An empty buffer for a field the record does not have. Valid until the next call.
    public func field(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        guard index < fieldBounds.count else {
            try body(UnsafeBufferPointer(start: nil, count: 0))
            return
        }
        let bounds = fieldBounds[index]
        if !bounds.quoted {
            try raw.withUnsafeBufferPointer { all in
                try body(UnsafeBufferPointer(rebasing: all[bounds.start..<bounds.end]))
            }
            return
        }
        unescaped.removeAll(keepingCapacity: true)
        var inQuotes = false
        var i = bounds.start
        while i < bounds.end {
            let b = raw[i]
            if b == 0x22 {
                if inQuotes, i + 1 < bounds.end, raw[i + 1] == 0x22 {
                    unescaped.append(0x22)
                    i += 1
                } else {
                    inQuotes.toggle()
                }
            } else {
                unescaped.append(b)
            }
            i += 1
        }
        try unescaped.withUnsafeBufferPointer { try body($0) }
    }

    /// Field `index` as bytes (a copy).
    public func fieldBytes(_ index: Int) -> [UInt8] {
        var result: [UInt8] = []
        field(index) { result = Array($0) }
        return result
    }
}
