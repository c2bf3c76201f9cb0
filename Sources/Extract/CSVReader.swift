import YearbookCore

/// An RFC 4180 CSV reader over a byte stream: comma separated, quoted fields
/// with doubled quotes and line breaks inside, LF or CRLF. It splits bytes and
/// does not decode: GB18030 never uses a quote, comma, CR or LF byte inside a
/// multi-byte character, so splitting first and decoding fields after is safe.
///
/// One record is held at a time, as a view into the read buffer (copied only
/// when it spans two reads); memory does not grow with the file.
public final class CSVReader {
    public let name: String
    private let stream: ByteStream
    private let limits: ReadLimits
    private let chunk: UnsafeMutablePointer<UInt8>
    private let chunkCapacity = 256 << 10
    private var chunkCount = 0
    private var chunkPosition = 0
    private var streamEnded = false
    /// A record that spans two reads is gathered here.
    private var carry: UnsafeMutablePointer<UInt8>
    private var carryCapacity = 64 << 10
    private var carryCount = 0
    /// Quoted fields unescaped, each at its own offset.
    private var unescaped: UnsafeMutablePointer<UInt8>
    private var unescapedCapacity = 64 << 10

    private struct Bounds {
        var start: Int
        var end: Int
        var quoted: Bool
    }

    /// The fields of the current record, in raw memory (appended once per field of every row).
    private var bounds: UnsafeMutablePointer<Bounds>
    private var boundsCount = 0
    private var boundsCapacity = 64

    @inline(__always)
    private func appendBound(_ bound: Bounds) {
        if boundsCount == boundsCapacity {
            let grown = UnsafeMutablePointer<Bounds>.allocate(capacity: boundsCapacity * 2)
            grown.moveInitialize(from: bounds, count: boundsCount)
            bounds.deallocate()
            bounds = grown
            boundsCapacity *= 2
        }
        (bounds + boundsCount).initialize(to: bound)
        boundsCount += 1
    }
    /// The bytes of the current record, without its line break; valid until the next record.
    public private(set) var raw = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    /// The physical line on which the current record starts (1-based).
    public private(set) var line = 0
    private var currentLine = 1
    /// Whether the current record ended inside an unclosed quote (at end of file).
    public private(set) var hasUnterminatedQuote = false
    /// Whether every byte of the current record is ASCII (then no field needs decoding).
    public private(set) var isASCII = true
    /// Set to check every byte read as UTF-8 (see `isValidUTF8`).
    public var checksUTF8 = false
    private var utf8 = UTF8Validator()
    /// False once a byte read (in any record, or read ahead of the current
    /// one) is not UTF-8; true when not checking.
    public var isValidUTF8: Bool { !checksUTF8 || utf8.isValid }
    /// Set to check every byte read as GB18030 (see `isValidGB18030`).
    public var checksGB18030 = false
    private var gb18030 = GB18030Validator()
    /// False once a byte read is not GB18030; true when not checking.
    public var isValidGB18030: Bool { !checksGB18030 || gb18030.isValid }
    /// With `checksGB18030`: a UTF-8 BOM at the start is the file's mark, not its text (a GB18030 file
    /// saved behind one), so the check starts after it.
    public var skipsBOMInGB18030Check = false
    private var gb18030Skipped = 0

    /// Where a checked encoding's first invalid sequence starts: the physical line and the offset from the start of
    /// the (decompressed) input, for a message that lets someone find the byte.
    public struct Place: Hashable, Sendable {
        public var line: Int
        public var offset: Int
    }
    public private(set) var firstNotUTF8: Place?
    public private(set) var firstNotGB18030: Place?
    /// Bytes read from the stream before the current read.
    private var bytesBeforeChunk = 0

    public init(stream: ByteStream, name: String, limits: ReadLimits = .standard) {
        self.stream = stream
        self.name = name
        self.limits = limits
        // More than a read fills: the line feed sentinel and padding `skim` promises.
        chunk = .allocate(capacity: chunkCapacity + CSVReader.skimPadding)
        chunk.initialize(repeating: 0, count: CSVReader.skimPadding)
        carry = .allocate(capacity: carryCapacity)
        unescaped = .allocate(capacity: unescapedCapacity)
        bounds = .allocate(capacity: boundsCapacity)
    }

    deinit {
        chunk.deallocate()
        carry.deallocate()
        unescaped.deallocate()
        bounds.deallocate()
    }

    public var fieldCount: Int { boundsCount }
    public var bytesReadFromDisk: Int { stream.bytesReadFromDisk }

    /// Reads the next record; false at the end of the input. Blank lines are
    /// skipped (they hold no record). Throws for an unreadable stream or a
    /// record longer than the limit.
    public func next() throws -> Bool {
        while true {
            guard try readRecord() else { return false }
            if !(boundsCount == 1 && raw.isEmpty) { return true }
        }
    }

    private func appendToCarry(_ source: UnsafePointer<UInt8>, _ count: Int) throws {
        if carryCount + count > limits.maxRecordBytes {
            throw YearbookError.input(file: name, line: line, "record longer than \(limits.maxRecordBytes) bytes (an endless line?)")
        }
        if carryCount + count > carryCapacity {
            let capacity = max(carryCapacity * 2, carryCount + count)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
            grown.update(from: carry, count: carryCount)
            carry.deallocate()
            carry = grown
            carryCapacity = capacity
        }
        (carry + carryCount).update(from: source, count: count)
        carryCount += count
    }

    private func refill() throws {
        bytesBeforeChunk += chunkCount
        chunkCount = try stream.read(into: UnsafeMutableRawBufferPointer(start: chunk, count: chunkCapacity))
        (chunk + chunkCount).initialize(repeating: 0, count: CSVReader.skimPadding)
        chunk[chunkCount] = 0x0A
        chunkPosition = 0
        if chunkCount == 0 { streamEnded = true }
        let bytes = UnsafeBufferPointer(start: chunk, count: chunkCount)
        if checksUTF8, utf8.isValid {
            if chunkCount == 0 { utf8.finish() } else { utf8.check(bytes) }
            if let offset = utf8.invalidOffset { firstNotUTF8 = place(of: offset) }
        }
        if checksGB18030, gb18030.isValid {
            if bytesBeforeChunk == 0 && skipsBOMInGB18030Check && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { gb18030Skipped = 3 }
            let rest = UnsafeBufferPointer(rebasing: bytes[(bytesBeforeChunk == 0 ? gb18030Skipped : 0)...])
            if chunkCount == 0 { gb18030.finish() } else { gb18030.check(rest) }
            if let offset = gb18030.invalidOffset { firstNotGB18030 = place(of: offset + gb18030Skipped) }
        }
    }

    /// The line of a byte in the read just made: every byte before this read has
    /// been consumed, so the lines before it are the line feeds counted so far.
    private func place(of offset: Int) -> Place {
        var line = currentLine
        var i = 0
        while i < min(offset - bytesBeforeChunk, chunkCount) {
            if chunk[i] == 0x0A { line += 1 }
            i += 1
        }
        return Place(line: line, offset: offset)
    }

    /// Reads the rest of the input, records unsplit, only to check that it is
    /// UTF-8 (with `checksUTF8` set from the start): for a reader that must know
    /// whether the whole file is before it reports what its start seemed to say.
    public func restIsUTF8() throws -> Bool {
        while !streamEnded, isValidUTF8 {
            // The lines skipped still count, for the place of an invalid byte.
            while chunkPosition < chunkCount {
                if chunk[chunkPosition] == 0x0A { currentLine += 1 }
                chunkPosition += 1
            }
            try refill()
        }
        return isValidUTF8
    }

    private func readRecord() throws -> Bool {
        boundsCount = 0
        hasUnterminatedQuote = false
        line = currentLine
        carryCount = 0
        var spans = false
        var inQuotes = false
        var fieldStart = 0
        var fieldQuoted = false
        var consumedAny = false
        var recordStart: UnsafePointer<UInt8>?
        var recordLength = 0
        var highBits: UInt8 = 0
        var wideBits: UInt64 = 0
        while true {
            if chunkPosition == chunkCount {
                if streamEnded { break }
                try refill()
                if chunkCount == 0 { break }
            }
            let base = UnsafePointer(chunk + chunkPosition)
            let available = chunkCount - chunkPosition
            let offset = spans ? carryCount : 0
            var i = 0
            var endOfRecord = false
            // The hot loop: the record's end, its commas and its quote state.
            while i < available {
                if !inQuotes {
                    // Eight bytes at a time to the next comma, quote or line feed
                    // (SWAR: a zero byte in word ^ pattern marks a match).
                    while i + 8 <= available {
                        let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                        let matches = CSVReader.zeroBytes(word ^ 0x2C2C2C2C2C2C2C2C) | CSVReader.zeroBytes(word ^ 0x2222222222222222)
                            | CSVReader.zeroBytes(word ^ 0x0A0A0A0A0A0A0A0A)
                        if matches == 0 {
                            wideBits |= word
                            i += 8
                            continue
                        }
                        let skip = matches.trailingZeroBitCount >> 3
                        if skip > 0 { wideBits |= word & (UInt64.max >> UInt64(64 - skip * 8)) }
                        i += skip
                        break
                    }
                    if i >= available { break }
                }
                let b = base[i]
                highBits |= b
                if inQuotes {
                    if b == 0x22 { inQuotes = false } else if b == 0x0A { currentLine += 1 }
                } else if b == 0x2C {
                    appendBound(Bounds(start: fieldStart, end: offset + i, quoted: fieldQuoted))
                    fieldStart = offset + i + 1
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
            if i > 0 || endOfRecord { consumedAny = true }
            if endOfRecord {
                if spans {
                    try appendToCarry(base, i)
                    recordStart = UnsafePointer(carry)
                    recordLength = carryCount
                } else {
                    recordStart = base
                    recordLength = i
                }
                chunkPosition += i + 1
                currentLine += 1
                break
            }
            // The read ends inside the record: keep what there is and read on.
            try appendToCarry(base, i)
            spans = true
            chunkPosition = chunkCount
        }
        if !consumedAny { return false }
        if recordStart == nil {
            // End of input without a final line break.
            recordStart = UnsafePointer(carry)
            recordLength = carryCount
        }
        if recordLength > limits.maxRecordBytes {
            throw YearbookError.input(file: name, line: line, "record longer than \(limits.maxRecordBytes) bytes (an endless line?)")
        }
        if !inQuotes, recordLength > fieldStart, recordStart![recordLength - 1] == 0x0D {
            recordLength -= 1
        }
        hasUnterminatedQuote = inQuotes
        isASCII = highBits < 0x80 && wideBits & 0x8080_8080_8080_8080 == 0
        appendBound(Bounds(start: fieldStart, end: max(fieldStart, recordLength), quoted: fieldQuoted))
        raw = UnsafeBufferPointer(start: recordStart, count: recordLength)
        return true
    }

    /// High bit set in each byte of `word` that is zero (exact for the lowest
    /// such byte, which is all the scan needs).
    @inline(__always)
    static func zeroBytes(_ word: UInt64) -> UInt64 {
        (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
    }

    /// Offers the buffered bytes after the current record to `consume`, which
    /// takes whole records from their start, each ending in a line feed and
    /// none quoted or blank, and returns how many bytes and lines it took. For
    /// a caller that splits and checks plain lines faster itself (the roster
    /// fast path); `next()` then goes on after them. `firstLine` is the line
    /// of the first record offered. The byte after the buffer is a line feed
    /// (a sentinel, so a scan needs no bounds check per byte), and the 127
    /// bytes after that are readable (wide loads).
    public static let skimPadding = 128

    public func skim(_ consume: (_ bytes: UnsafeBufferPointer<UInt8>, _ firstLine: Int) -> (bytes: Int, lines: Int)) {
        guard chunkPosition < chunkCount else { return }
        let taken = consume(UnsafeBufferPointer(start: chunk + chunkPosition, count: chunkCount - chunkPosition), currentLine)
        precondition(taken.bytes >= 0 && taken.bytes <= chunkCount - chunkPosition, "skim took bytes it was not given")
        chunkPosition += taken.bytes
        currentLine += taken.lines
    }

    /// The bytes of field `index`, quotes removed and doubled quotes undone;
    /// empty for a field the record does not have. Valid until the next record.
    public func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
        guard index < boundsCount, let base = raw.baseAddress else { return UnsafeBufferPointer(start: nil, count: 0) }
        let field = bounds[index]
        if !field.quoted { return UnsafeBufferPointer(start: base + field.start, count: field.end - field.start) }
        if unescapedCapacity < raw.count {
            unescaped.deallocate()
            unescapedCapacity = max(raw.count, unescapedCapacity * 2)
            unescaped = .allocate(capacity: unescapedCapacity)
        }
        // Unescaped at the field's own offset: it is never longer than as written.
        var out = field.start
        var inQuotes = false
        var i = field.start
        while i < field.end {
            let b = base[i]
            if b == 0x22 {
                if inQuotes, i + 1 < field.end, base[i + 1] == 0x22 {
                    unescaped[out] = 0x22
                    out += 1
                    i += 1
                } else {
                    inQuotes.toggle()
                }
            } else {
                unescaped[out] = b
                out += 1
            }
            i += 1
        }
        return UnsafeBufferPointer(start: unescaped + field.start, count: out - field.start)
    }

    /// Calls `body` with the bytes of field `index` (see `field(_:)`).
    public func field(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
        try body(field(index))
    }

    /// Field `index` as bytes (a copy).
    public func fieldBytes(_ index: Int) -> [UInt8] { Array(field(index)) }
}
