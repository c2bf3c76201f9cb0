import Foundation

/// A value a spool keeps on disk: written to bytes and read back.
public protocol SpoolRecord: Sendable {
    func write(to out: inout BinaryWriter)
    init(reading input: inout BinaryReader) throws
}

/// Records that may be too many to hold (tens of thousands of warnings, each
/// with its message in two languages): a few thousand are held, the rest are
/// in files of the build's `WorkFolder`, read back in bounded pieces.
///
/// With an `order`, the records are read in that order (a stable sort of the
/// order they were added in): each file is a sorted run, and reading merges
/// the runs. Without one, they are read in the order added. Sixteen files of
/// one size are joined into one, so that a reading opens few files whatever
/// the count. A file that cannot be written leaves its records held: memory
/// grows, nothing is lost.
public struct SpooledRecords<Record: SpoolRecord>: Sendable {
    public typealias Order = @Sendable (Record, Record) -> Bool

    @usableFromInline internal let order: Order?
    @usableFromInline internal let holdLimit: Int
    /// Where the files are made; nil: the `WorkFolder`.
    @usableFromInline internal let folder: SystemPath?
    @usableFromInline internal var held: [Record] = []
    /// Whether `held` is in `order` already (`sortHeld()`), so that each reading need not sort it again.
    @usableFromInline internal var heldInOrder = true
    /// Oldest first; each file with how many joins made it.
    @usableFromInline internal var runs: [(level: Int, file: SpoolFile)] = []
    @usableFromInline internal var stored = 0
    /// How many records, held and spooled.
    @inlinable public var count: Int { stored }
    /// Why the records could not be spooled, when a file could not be written: they stay held, no file is
    /// tried again, and a build says so (its memory then grows).
    @usableFromInline internal var failure: String?
    @inlinable public var spoolFailure: String? { failure }
    @inlinable internal var spills: Bool { failure == nil }

    /// The default `holdLimit` keeps a few megabytes of warnings in memory.
    @inlinable public init(order: Order? = nil, holdLimit: Int = 4096, folder: SystemPath? = nil) {
        self.order = order
        self.holdLimit = max(1, holdLimit)
        self.folder = folder
    }

    @inlinable public var isEmpty: Bool { count == 0 }

    @inlinable public mutating func append(_ record: Record) {
        held.append(record)
        heldInOrder = order == nil
        stored += 1
        if held.count >= holdLimit, spills { spill() }
    }

    @inlinable public mutating func append<S: Sequence>(contentsOf records: S) where S.Element == Record {
        for record in records { append(record) }
    }

    /// Appends a record that comes after every record before it in `order`, as records read back in the
    /// order a reading gave them do (the target cache's findings): not put in order again.
    @inlinable public mutating func appendInOrder(_ record: Record) {
        held.append(record)
        stored += 1
        if held.count >= holdLimit, spills { spill() }
    }

    /// Every record, in order, read in bounded pieces.
    @inlinable public func forEach(_ body: (Record) throws -> Void) throws {
        let cursors = try runs.map { try SpoolFile.Cursor<Record>($0.file) }
        let rest = sortedHeld()
        guard let order else {
            for cursor in cursors { while let record = try cursor.next() { try body(record) } }
            try rest.forEach(body)
            return
        }
        // A stable merge: on a tie, the earlier run first (the held records are the last run). Each
        // run's next record is in `heads`, kept in run order; a run that ends leaves it.
        var heads: [Record] = [], sources: [Int] = []
        var restIndex = 0
        func next(_ source: Int) throws -> Record? {
            if source < cursors.count { return try cursors[source].next() }
            guard restIndex < rest.count else { return nil }
            defer { restIndex += 1 }
            return rest[restIndex]
        }
        for source in 0...cursors.count {
            if let record = try next(source) {
                heads.append(record)
                sources.append(source)
            }
        }
        while !heads.isEmpty {
            var best = 0
            for index in heads.indices.dropFirst() where order(heads[index], heads[best]) { best = index }
            try body(heads[best])
            if let record = try next(sources[best]) {
                heads[best] = record
            } else {
                heads.remove(at: best)
                sources.remove(at: best)
            }
        }
    }

    /// Every record in order, in memory: for short lists and tests.
    @inlinable public func all() throws -> [Record] {
        var all: [Record] = []
        all.reserveCapacity(count)
        try forEach { all.append($0) }
        return all
    }

    /// The first `limit` records in order; read no further than those.
    @inlinable public func first(_ limit: Int) throws -> [Record] {
        var records: [Record] = []
        guard limit > 0 else { return records }
        do {
            try forEach { record in
                records.append(record)
                if records.count >= limit { throw EnoughRead() }
            }
        } catch is EnoughRead {}
        return records
    }

    /// Joins `other`'s records after these: its files are taken as they are, not read and written again.
    @inlinable public mutating func append(contentsOf other: SpooledRecords<Record>) throws {
        guard !other.isEmpty else { return }
        // Held records only: added as any others are (spooled only past the hold limit).
        guard !other.runs.isEmpty else { return append(contentsOf: other.held) }
        if !held.isEmpty && spills { spill() }
        // Held records (a spill that failed) must stay before what follows: then `other` is read and added.
        guard held.isEmpty else { return try other.forEach { append($0) } }
        runs += other.runs
        stored += other.count - other.held.count
        for record in other.held { append(record) }
    }

    /// The first `limit` records in order that `including` takes, and how many it takes in all.
    @inlinable public func first(_ limit: Int, where including: (Record) -> Bool) throws -> (records: [Record], count: Int) {
        var records: [Record] = []
        var count = 0
        try forEach { record in
            guard including(record) else { return }
            count += 1
            if records.count < limit { records.append(record) }
        }
        return (records, count)
    }

    /// Puts the held records in order once, for the readings that follow (a build's reports and database).
    @inlinable public mutating func sortHeld() {
        guard !heldInOrder, let order else { return }
        held.sort(by: order)
        heldInOrder = true
    }

    @inlinable internal func sortedHeld() -> [Record] {
        guard let order, !heldInOrder else { return held }
        // Swift's sort is stable: records that tie keep the order they were added in.
        return held.sorted(by: order)
    }

    @inlinable internal mutating func spill() {
        let records = sortedHeld()
        let file: SpoolFile
        do {
            file = try SpoolFile.writing(in: folder) { each in try records.forEach(each) }
        } catch {
            failure = "\(error)"
            return
        }
        held.removeAll(keepingCapacity: true)
        heldInOrder = true
        runs.append((0, file))
        // Sixteen runs of one level become one of the next: a reading has at most 15 per level open.
        while runs.count >= 16, case let last = runs[(runs.count - 16)...], last.allSatisfy({ $0.level == last.first!.level }) {
            guard let joined = try? join(last.map(\.file)) else { break }
            runs.removeLast(16)
            runs.append((last.first!.level + 1, joined))
        }
    }

    @inlinable internal func join(_ files: [SpoolFile]) throws -> SpoolFile {
        let parts = SpooledRecords(order: order, holdLimit: .max, folder: folder, runs: files.map { (0, $0) })
        return try SpoolFile.writing(in: folder) { each in try parts.forEach(each) }
    }

    @inlinable internal init(order: Order?, holdLimit: Int, folder: SystemPath?, runs: [(level: Int, file: SpoolFile)]) {
        self.order = order
        self.holdLimit = holdLimit
        self.folder = folder
        self.runs = runs
        stored = runs.reduce(0) { $0 + $1.file.count }
    }
}

/// One file of records, each after its length as a varint, in the work
/// folder; written whole once, read any number of times, removed with the value.
public final class SpoolFile: Sendable {
    public let path: SystemPath
    public let count: Int

    @usableFromInline static let names = SerialNumbers()

    @usableFromInline init(path: SystemPath, count: Int) {
        self.path = path
        self.count = count
    }

    /// A file of the records `each` gives, in that order.
    @inlinable static func writing<R: SpoolRecord>(in folder: SystemPath?, _ each: ((R) throws -> Void) throws -> Void) throws -> SpoolFile {
        let name = "spool-\(names.next())"
        let path = try folder.map { $0.appending(name) } ?? WorkFolder.path(name)
        let writer = try BufferedFileWriter(creating: path)
        var record = BinaryWriter()
        var prefix = BinaryWriter()
        var count = 0
        try each { value in
            record.removeAll()
            prefix.removeAll()
            value.write(to: &record)
            prefix.unsigned(UInt64(record.bytes.count))
            try writer.write(prefix.bytes)
            try writer.write(record.bytes)
            count += 1
        }
        try writer.close()
        return SpoolFile(path: path, count: count)
    }

    deinit { try? POSIX.unlink(path) }

    /// The records one at a time, from the front.
    @usableFromInline final class Cursor<R: SpoolRecord> {
        @usableFromInline let file: SpoolFile
        @usableFromInline let reader: BufferedFileReader
        @usableFromInline var read = 0

        @usableFromInline init(_ file: SpoolFile) throws {
            self.file = file
            guard let reader = try BufferedFileReader(path: file.path) else {
                throw YearbookError.system(call: "open", path: file.path, errno: ENOENT)
            }
            self.reader = reader
        }

        @inlinable func next() throws -> R? {
            guard read < file.count else { return nil }
            guard var input = try reader.record() else { throw YearbookError.system(call: "read", path: file.path, errno: EIO) }
            read += 1
            return try R(reading: &input)
        }
    }
}

/// Ends a reading early: what was wanted is read.
@usableFromInline struct EnoughRead: Error {
    @usableFromInline init() {}
}

/// Numbers from 1 up, from any thread: the names of a process's spool files.
public final class SerialNumbers: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()

    public init() {}

    public func next() -> Int { lock.withLock { value += 1; return value } }
}
