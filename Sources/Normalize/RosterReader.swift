import Extract
import Foundation
import YearbookCore

/// A roster row that was not accepted, with where it is and why.
public struct RejectedRow: Hashable, Sendable {
    public var file: String
    public var line: Int
    public var reason: String
    /// The record as written (decoded; invalid bytes as U+FFFD).
    public var raw: String
}

/// How one header cell was understood.
public struct ColumnMapping: Hashable, Sendable {
    public var canonical: String
    /// The header cell as written.
    public var header: String
    /// 0-based position in the file.
    public var position: Int
}

/// Everything one roster file gave: its counts and the indicator values of its active rows.
public struct RosterFileResult: Sendable {
    public var file: String
    public var roster: String
    /// The county the file is named after.
    public var county: String
    public var year: Int
    public var encoding: TextEncoding
    public var columns: [ColumnMapping]
    public var ignoredColumns: [String]
    public var rowsRead = 0
    /// Of these, the rows the C fast path decided (a diagnostic, not kept in the build cache).
    public var rowsOnFastPath = 0
    public var accepted = 0
    public var inactive = 0
    /// The rejected rows, on disk.
    public var rejects = RejectSpool.empty
    /// Indicator code → value (counts and exact sums of active rows).
    public var values: [String: Exact] = [:]
    public var bytesOnDisk = 0
    public var bytesDecompressed = 0
    /// SHA-256 of the file as it is on disk.
    public var sha256 = ""

    /// Rows read = accepted + inactive + rejected: nothing is lost.
    public var balances: Bool { rowsRead == accepted + inactive + rejected }

    /// How many rows were rejected.
    public var rejected: Int { rejects.count }
}

/// Reads one roster export: gzip → CSV → validated rows → indicator sums.
/// One reader serves every file of its roster in a build, from any thread.
public struct RosterReader: Sendable {
    public let schema: RosterSchema
    public let measures: [RosterMeasure]
    public let registry: AreaRegistry
    public var limits: ReadLimits
    /// False sends every row through the Swift validator: the tests compare both paths.
    public var fastPath = true
    private let plan: RowValidator.Plan
    private let headers = HeaderCache()

    public init(schema: RosterSchema, measures: [RosterMeasure], registry: AreaRegistry, limits: ReadLimits = .standard) {
        self.schema = schema
        self.measures = measures
        self.registry = registry
        self.limits = limits
        plan = RowValidator.Plan(schema: schema, measures: measures)
    }

    /// Header rows already understood: county exports of one roster nearly all share one header.
    private final class HeaderCache: @unchecked Sendable {
        struct Key: Hashable {
            var bytes: [UInt8]
            var encoding: TextEncoding
            var bomLength: Int
        }
        typealias Header = (positions: [Int], mapping: [ColumnMapping], ignored: [String])
        private var headers: [Key: Header] = [:]
        private let lock = NSLock()

        func header(_ key: Key, orRead read: () throws -> Header) rethrows -> Header {
            lock.lock()
            let known = headers[key]
            lock.unlock()
            if let known { return known }
            let header = try read()
            lock.lock()
            if headers.count < 64 { headers[key] = header }
            lock.unlock()
            return header
        }
    }

    /// Reads the file at `path` (named `displayName` in reports) for `county` and `year`.
    /// Throws an input `YearbookError` for a file that cannot be read whole: nothing of it counts then.
    /// Rejected rows are spooled to `rejectsAt` (nil: a temporary file removed with the result).
    public func read(path: String, displayName: String, county: String, year: Int, rejectsAt: SystemPath? = nil) throws -> RosterFileResult {
        try read(displayName: displayName, county: county, year: year, rejectsAt: rejectsAt) {
            try openByteStream(path: path, limits: limits)
        }
    }

    /// Reads a roster from any byte stream; `open` is called again if the
    /// file turns out to be GB18030 after a UTF-8 start.
    public func read(displayName: String, county: String, year: Int, rejectsAt: SystemPath? = nil,
                     open: () throws -> ByteStream) throws -> RosterFileResult {
        func attempt(_ forcing: TextEncoding?) throws -> RosterFileResult {
            // Each reading spools afresh: a reading started over as GB18030 drops what the first one spooled.
            let spool = RejectSpool.Writer(file: displayName, destination: rejectsAt)
            var result = try read(displayName: displayName, county: county, year: year, forcing: forcing, spool: spool, open: open)
            result.rejects = try spool.finish()
            return result
        }
        do {
            return try attempt(nil)
        } catch is FieldDecoder.NotUTF8 {
            return try attempt(.gb18030)
        } catch let refused as HeaderRefusedAsUTF8 {
            // Every byte was UTF-8 but the header means nothing in it: a GB18030
            // header can be valid UTF-8 by chance (状态 is D7B4 CCAC). The file is
            // GB18030 if its header is understood so; else the UTF-8 complaint stands.
            do {
                return try attempt(.gb18030)
            } catch let error as YearbookError where error.code == .input {
                throw refused.error
            }
        }
    }

    /// A header not understood in a file whose every byte is UTF-8.
    private struct HeaderRefusedAsUTF8: Error {
        var error: YearbookError
    }

    private func read(displayName: String, county: String, year: Int, forcing: TextEncoding?, spool: RejectSpool.Writer,
                      open: () throws -> ByteStream) throws -> RosterFileResult {
        let stream: ByteStream
        do {
            stream = try open()
        } catch let error as YearbookError where error.code == .input {
            throw error.naming(file: displayName)
        }
        let csv = CSVReader(stream: stream, name: displayName, limits: limits)
        // Without a forced encoding the file is read as UTF-8 until a byte says otherwise.
        csv.checksUTF8 = forcing == nil
        do {
            return try read(csv: csv, stream: stream, displayName: displayName, county: county, year: year, forcing: forcing,
                            spool: spool)
        } catch let error as YearbookError where error.code == .input {
            throw error.naming(file: displayName)
        }
    }

    private func read(csv: CSVReader, stream: ByteStream, displayName: String, county: String, year: Int,
                      forcing: TextEncoding?, spool: RejectSpool.Writer) throws -> RosterFileResult {
        guard try csv.next() else { throw YearbookError.input(file: displayName, "empty file: no header") }
        var encoding = forcing ?? .utf8
        var bomLength = 0
        if forcing == nil, csv.raw.starts(with: [0xEF, 0xBB, 0xBF]) {
            encoding = .utf8BOM
            bomLength = 3
            csv.checksUTF8 = false
        }
        /// The next record; a byte that is not UTF-8 under the UTF-8 guess starts the file over as GB18030.
        func nextRecord() throws -> Bool {
            let more = try csv.next()
            if !csv.isValidUTF8 { throw FieldDecoder.NotUTF8() }
            return more
        }
        if !csv.isValidUTF8 { throw FieldDecoder.NotUTF8() }
        let decoder = FieldDecoder(encoding: encoding)
        let key = HeaderCache.Key(bytes: Array(csv.raw), encoding: encoding, bomLength: bomLength)
        let (positions, mapping, ignored): ([Int], [ColumnMapping], [String])
        do {
            (positions, mapping, ignored) = try headers.header(key) {
                try readHeader(csv: csv, decoder: decoder, bomLength: bomLength, file: displayName)
            }
        } catch let error as YearbookError where error.code == .input && encoding == .utf8 {
            // The header was read as UTF-8 on a guess: the rest of the file says whether it is.
            if try !csv.restIsUTF8() { throw FieldDecoder.NotUTF8() }
            throw HeaderRefusedAsUTF8(error: error)
        }

        var result = RosterFileResult(file: displayName, roster: schema.name, county: county, year: year,
                                      encoding: encoding, columns: mapping, ignoredColumns: ignored)
        var validator = RowValidator(plan: plan, registry: registry, county: county,
                                     positions: positions, fields: csv.fieldCount, decoder: decoder,
                                     maxRecordBytes: limits.maxRecordBytes, fastPath: fastPath)
        while true {
            // Plainly valid lines in bulk; the first other one is read below, row by row.
            csv.skim { bytes, firstLine in
                let lines = validator.lines(bytes, firstLine: firstLine)
                result.rowsRead += lines.rows
                result.rowsOnFastPath += lines.rows
                result.accepted += lines.active
                result.inactive += lines.inactive
                return (lines.bytes, lines.rows)
            }
            guard try nextRecord() else { break }
            result.rowsRead += 1
            if csv.hasUnterminatedQuote {
                // The rest of the file after an unclosed quote is this one record.
                try spool.append(line: csv.line, reason: "a quoted field is not closed before the end of the file",
                                 raw: decoder.lossy(csv.raw))
                continue
            }
            switch try validator.validate(csv) {
            case .active: result.accepted += 1
            case .inactive: result.inactive += 1
            case .rejected(let reason):
                try spool.append(line: csv.line, reason: reason, raw: decoder.lossy(csv.raw))
            }
        }
        result.values = validator.totals()
        result.bytesOnDisk = stream.bytesReadFromDisk
        result.sha256 = stream.fileDigest()
        if let gzip = stream as? GzipByteStream { result.bytesDecompressed = gzip.decompressedBytes }
        return result
    }

    /// Maps header cells to the schema's columns by canonical name or Chinese alias.
    private func readHeader(csv: CSVReader, decoder: FieldDecoder, bomLength: Int, file: String) throws
        -> (positions: [Int], mapping: [ColumnMapping], ignored: [String]) {
        var cells: [String] = []
        for index in 0..<csv.fieldCount {
            var cell: String?
            try csv.field(index) { bytes in
                let skip = index == 0 ? min(bomLength, bytes.count) : 0
                cell = try decoder.decode(UnsafeBufferPointer(rebasing: bytes[skip...]))
            }
            guard let text = cell else {
                throw YearbookError.input(file: file, line: csv.line, "header cell \(index + 1) is not valid \(decoder.encoding.rawValue)")
            }
            cells.append(text)
        }
        var positions = [Int](repeating: -1, count: schema.columns.count)
        var mapping: [ColumnMapping] = []
        var ignored: [String] = []
        for (position, cell) in cells.enumerated() {
            let key = FieldText.headerKey(cell)
            guard let column = schema.headerKeys.firstIndex(where: { $0.contains(key) }) else {
                ignored.append(cell)
                continue
            }
            if positions[column] >= 0 {
                throw YearbookError.input(file: file, line: csv.line,
                                   "column \(schema.columns[column].canonical) appears twice in the header ('\(cells[positions[column]])' and '\(cell)')")
            }
            positions[column] = position
            mapping.append(ColumnMapping(canonical: schema.columns[column].canonical, header: cell, position: position))
        }
        let missing = schema.columns.indices.filter { positions[$0] < 0 }.map {
            "\(schema.columns[$0].canonical) (\(schema.columns[$0].alias))"
        }
        if !missing.isEmpty {
            throw YearbookError.input(file: file, line: csv.line,
                               "missing required \(missing.count == 1 ? "column" : "columns") \(missing.joined(separator: ", ")) in the \(schema.name) header")
        }
        return (positions, mapping, ignored)
    }
}
