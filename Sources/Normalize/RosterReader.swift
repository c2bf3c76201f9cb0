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
    /// How many rows were rejected for each kind of reason (for the judgement of the file, `RosterJudgement`).
    public var rejectTally = RejectTally()
    /// What reading the file found about it as a whole (an encoding valid in no reading).
    public var problems: [Problem] = []
    /// Indicator code → value (counts and exact sums of active rows).
    public var values: [String: Exact] = [:]
    /// The active rows behind each of those values (the households or persons it is counted from): what
    /// the disclosure rule judges a small cell by.
    public var units: [String: Int] = [:]
    public var bytesOnDisk = 0
    public var bytesDecompressed = 0
    /// SHA-256 of the file as it is on disk.
    public var sha256 = ""
    /// Where a GB18030 reading found the first bytes that are not GB18030 (only while the file is read).
    var invalidGB18030: CSVReader.Place?

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
    /// `known`: the file's digest as the build found it (the file is then not hashed again).
    public func read(path: String, displayName: String, county: String, year: Int, rejectsAt: SystemPath? = nil,
                     known: KnownContent? = nil) throws -> RosterFileResult {
        try read(displayName: displayName, county: county, year: year, rejectsAt: rejectsAt) {
            try openByteStream(systemPath: SystemPath(path), limits: limits, known: known)
        }
    }

    /// How a reading decodes the file. The contract's detection is `detect`; the
    /// others read a file again when its bytes say the detection was wrong.
    private enum Reading {
        /// A UTF-8 BOM, else UTF-8 until a byte is not (then `NotUTF8` is thrown).
        case detect
        /// GB18030 throughout, after a UTF-8 BOM if it has one.
        case gb18030(afterBOM: Bool)
        /// UTF-8 for a file valid in no encoding: a row with an invalid field is rejected.
        case utf8Anyway(afterBOM: Bool)
    }

    /// The detected reading found a byte that is not UTF-8.
    private struct NotUTF8: Error {
        var afterBOM: Bool
        var place: CSVReader.Place?
    }

    /// Reads a roster from any byte stream; `open` is called again if the
    /// file turns out to be GB18030 after a UTF-8 start.
    public func read(displayName: String, county: String, year: Int, rejectsAt: SystemPath? = nil,
                     open: () throws -> ByteStream) throws -> RosterFileResult {
        func attempt(_ reading: Reading, spoolingTo destination: SystemPath?) throws -> RosterFileResult {
            // Each reading spools afresh: a reading started over as GB18030 drops what the first one spooled.
            let spool = RejectSpool.Writer(file: displayName, destination: destination)
            var result = try read(displayName: displayName, county: county, year: year, reading: reading, spool: spool, open: open)
            result.rejects = try spool.finish()
            return result
        }
        do {
            return try attempt(.detect, spoolingTo: rejectsAt)
        } catch let notUTF8 as NotUTF8 {
            let gb18030 = try attempt(.gb18030(afterBOM: notUTF8.afterBOM), spoolingTo: notUTF8.afterBOM ? nil : rejectsAt)
            guard let notGB18030 = gb18030.invalidGB18030 else {
                if !notUTF8.afterBOM { return gb18030 }
                // A BOM says UTF-8; the bytes say GB18030. Which one the county meant is not ours to guess.
                throw YearbookError.input(file: displayName, line: notUTF8.place?.line,
                    "the bytes after the UTF-8 BOM are GB18030 (the first that is not UTF-8 is at byte offset \(notUTF8.place?.offset ?? 0)): "
                    + "save the file as \"CSV UTF-8\" (or remove the 3-byte BOM, to have it read as GB18030) and build again")
            }
            // Valid in neither: the reading that rejects fewer rows is kept, and the file is named.
            let utf8 = try attempt(.utf8Anyway(afterBOM: notUTF8.afterBOM), spoolingTo: nil)
            let keepsUTF8 = utf8.rejected < gb18030.rejected
            var kept: RosterFileResult
            if keepsUTF8 {
                kept = rejectsAt == nil ? utf8 : try attempt(.utf8Anyway(afterBOM: notUTF8.afterBOM), spoolingTo: rejectsAt)
            } else {
                kept = rejectsAt == nil || !notUTF8.afterBOM ? gb18030 : try attempt(.gb18030(afterBOM: true), spoolingTo: rejectsAt)
            }
            let utf8Place = notUTF8.place.map { "line \($0.line), byte offset \($0.offset)" } ?? "an unknown place"
            let gbPlace = "line \(notGB18030.line), byte offset \(notGB18030.offset)"
            let utf8PlaceZH = notUTF8.place.map { "第 \($0.line) 行、字节偏移 \($0.offset)" } ?? "某处"
            let gbPlaceZH = "第 \(notGB18030.line) 行、字节偏移 \(notGB18030.offset)"
            let (chosen, other) = keepsUTF8 ? ("UTF-8", "GB18030") : ("GB18030", "UTF-8")
            kept.problems.append(.warning(
                .encoding,
                "the file is valid neither as UTF-8 (first invalid bytes at \(utf8Place)) nor as GB18030 (at \(gbPlace)); "
                    + "it was read as \(chosen), the reading that rejects fewer rows (\(kept.rejected) rejected; as \(other): "
                    + "\((keepsUTF8 ? gb18030 : utf8).rejected)): correct the bytes at that place, or save the file again as \"CSV UTF-8\"",
                file: displayName, line: notUTF8.place?.line, area: county, period: year,
                messageZH: "文件既不是有效的 UTF-8（\(utf8PlaceZH)起无效）也不是有效的 GB18030（\(gbPlaceZH)）；"
                    + "已按被拒行较少的 \(chosen) 读取（被拒 \(kept.rejected) 行；按 \(other) 为 \((keepsUTF8 ? gb18030 : utf8).rejected) 行）："
                    + "请修正该处的字节，或将文件重新另存为“CSV UTF-8”"))
            return kept
        } catch let refused as HeaderRefusedAsUTF8 {
            // Every byte was UTF-8 but the header means nothing in it: a GB18030
            // header can be valid UTF-8 by chance (状态 is D7B4 CCAC). The file is
            // GB18030 if its header is understood so; else the UTF-8 complaint stands.
            do {
                return try attempt(.gb18030(afterBOM: false), spoolingTo: rejectsAt)
            } catch let error as YearbookError where error.code == .input {
                throw refused.error
            }
        }
    }

    /// A header not understood in a file whose every byte is UTF-8.
    private struct HeaderRefusedAsUTF8: Error {
        var error: YearbookError
    }

    private func read(displayName: String, county: String, year: Int, reading: Reading, spool: RejectSpool.Writer,
                      open: () throws -> ByteStream) throws -> RosterFileResult {
        let stream: ByteStream
        do {
            stream = try open()
        } catch let error as YearbookError where error.code == .input {
            throw error.naming(file: displayName)
        }
        let csv = CSVReader(stream: stream, name: displayName, limits: limits)
        // Every byte is checked in the encoding read, including the columns ignored: a file is in an encoding only if all of it is.
        switch reading {
        case .detect, .utf8Anyway: csv.checksUTF8 = true
        case .gb18030(let afterBOM):
            csv.checksGB18030 = true
            csv.skipsBOMInGB18030Check = afterBOM
        }
        do {
            return try read(csv: csv, stream: stream, displayName: displayName, county: county, year: year, reading: reading,
                            spool: spool)
        } catch let error as YearbookError where error.code == .input {
            throw error.naming(file: displayName)
        }
    }

    private func read(csv: CSVReader, stream: ByteStream, displayName: String, county: String, year: Int,
                      reading: Reading, spool: RejectSpool.Writer) throws -> RosterFileResult {
        guard try csv.next() else { throw YearbookError.input(file: displayName, "empty file: no header") }
        // UTF-16 and UTF-32 split into records of NUL-laden bytes: named for what they are before any row is read.
        if let wide = TextEncoding.wideEncoding(ofStart: csv.raw) {
            throw YearbookError.input(file: displayName, "this is \(wide) text (\"Unicode text\"), which a roster may not be: "
                                      + "save it as \"CSV UTF-8\" (comma delimited) and build again")
        }
        let hasBOM = csv.raw.starts(with: [0xEF, 0xBB, 0xBF])
        let encoding: TextEncoding, bomLength: Int, guessing: Bool
        switch reading {
        case .detect: (encoding, bomLength, guessing) = (hasBOM ? .utf8BOM : .utf8, hasBOM ? 3 : 0, true)
        case .gb18030(let afterBOM): (encoding, bomLength, guessing) = (.gb18030, afterBOM && hasBOM ? 3 : 0, false)
        case .utf8Anyway(let afterBOM): (encoding, bomLength, guessing) = (afterBOM ? .utf8BOM : .utf8, afterBOM && hasBOM ? 3 : 0, false)
        }
        /// Under detection, a byte that is not UTF-8 starts the file over (as GB18030, or as a BOM file gone wrong).
        func checkUTF8() throws {
            if guessing, !csv.isValidUTF8 { throw NotUTF8(afterBOM: hasBOM, place: csv.firstNotUTF8) }
        }
        func nextRecord() throws -> Bool {
            let more = try csv.next()
            try checkUTF8()
            return more
        }
        try checkUTF8()
        let decoder = FieldDecoder(encoding: encoding, guessing: guessing)
        let key = HeaderCache.Key(bytes: Array(csv.raw), encoding: encoding, bomLength: bomLength)
        let (positions, mapping, ignored): ([Int], [ColumnMapping], [String])
        do {
            (positions, mapping, ignored) = try headers.header(key) {
                try readHeader(csv: csv, decoder: decoder, bomLength: bomLength, file: displayName)
            }
        } catch is FieldDecoder.NotUTF8 {
            throw NotUTF8(afterBOM: hasBOM, place: csv.firstNotUTF8)
        } catch let error as YearbookError where error.code == .input && encoding == .utf8 && guessing {
            // The header was read as UTF-8 on a guess: the rest of the file says whether it is.
            if try !csv.restIsUTF8() { throw NotUTF8(afterBOM: false, place: csv.firstNotUTF8) }
            throw HeaderRefusedAsUTF8(error: error)
        }

        var result = RosterFileResult(file: displayName, roster: schema.name, county: county, year: year,
                                      encoding: encoding, columns: mapping, ignoredColumns: ignored)
        var validator = RowValidator(plan: plan, registry: registry, county: county,
                                     positions: positions, fields: csv.fieldCount, decoder: decoder,
                                     maxRecordBytes: limits.maxRecordBytes, fastPath: fastPath)
        func reject(_ reason: String) throws {
            try spool.append(line: csv.line, reason: reason, raw: decoder.lossy(csv.raw))
            result.rejectTally.add(line: csv.line, reason: reason)
        }
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
            let more: Bool
            do { more = try nextRecord() } catch is FieldDecoder.NotUTF8 { throw NotUTF8(afterBOM: hasBOM, place: csv.firstNotUTF8) }
            guard more else { break }
            result.rowsRead += 1
            if csv.hasUnterminatedQuote {
                // The rest of the file after an unclosed quote is this one record.
                try reject("a quoted field is not closed before the end of the file")
                continue
            }
            let outcome: RowValidator.Outcome
            do { outcome = try validator.validate(csv) } catch is FieldDecoder.NotUTF8 {
                throw NotUTF8(afterBOM: hasBOM, place: csv.firstNotUTF8)
            }
            switch outcome {
            case .active: result.accepted += 1
            case .inactive: result.inactive += 1
            case .rejected(let reason): try reject(reason)
            }
        }
        result.invalidGB18030 = csv.firstNotGB18030
        result.values = validator.totals()
        result.units = validator.units()
        result.bytesOnDisk = stream.bytesReadFromDisk
        result.sha256 = try stream.fileDigest()
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
        if mapping.isEmpty {
            // Nothing of the roster at all: not a column misspelt but the wrong first line or the wrong file.
            throw YearbookError.input(file: file, line: csv.line,
                               "the header names none of the \(schema.name) roster's columns (\(missing.joined(separator: ", "))): "
                               + "the first line must be the header; the file may have lost its header row, or be another roster or another kind of file")
        }
        if !missing.isEmpty {
            throw YearbookError.input(file: file, line: csv.line,
                               "missing required \(missing.count == 1 ? "column" : "columns") \(missing.joined(separator: ", ")) in the \(schema.name) header")
        }
        return (positions, mapping, ignored)
    }
}
