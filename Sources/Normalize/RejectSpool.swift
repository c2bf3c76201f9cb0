import Foundation
import YearbookCore

/// The rejected rows of one roster file, kept on disk rather than in memory
/// (a roster can have millions): an append-only file of records (line,
/// reason, raw record), each after its length as a varint, in line order.
/// A file with no rejected row has no spool file.
public final class RejectSpool: Sendable {
    /// The roster file the rows are from (`RejectedRow.file`).
    public let file: String
    public let count: Int
    /// The spool file's size, so that a damaged or missing one is seen.
    public let bytes: Int
    /// nil when there is no row.
    public let path: SystemPath?
    /// A spool of its own in the `WorkFolder`, removed with this value.
    private let removedWithValue: Bool

    public static let empty = RejectSpool(file: "", count: 0, bytes: 0, path: nil)

    /// A spool already on disk (the build cache's): checked against the size recorded with it.
    public init(file: String, count: Int, bytes: Int, path: SystemPath?) {
        self.file = file
        self.count = count
        self.bytes = bytes
        self.path = count > 0 ? path : nil
        removedWithValue = false
    }

    private init(file: String, count: Int, bytes: Int, temporary path: SystemPath) {
        self.file = file
        self.count = count
        self.bytes = bytes
        self.path = path
        removedWithValue = true
    }

    deinit {
        if removedWithValue, let path { try? POSIX.unlink(path) }
    }

    /// Whether the spool file is there whole (a cached extraction is used only then).
    public var isIntact: Bool {
        guard let path else { return count == 0 }
        return (try? POSIX.stat(path)).map { Int($0.st_size) == bytes } ?? false
    }

    /// Each row in line order, read in bounded pieces.
    public func forEach(_ body: (RejectedRow) throws -> Void) throws {
        guard let path else { return }
        guard let reader = try BufferedFileReader(path: path) else { throw YearbookError.system(call: "read", path: path, errno: ENOENT) }
        var read = 0
        while var input = try reader.record() {
            try body(RejectedRow(file: file, line: try input.int(), reason: try input.string(), raw: try input.string()))
            read += 1
        }
        guard read == count else { throw YearbookError.system(call: "read", path: path, errno: EIO) }
    }

    /// The first `limit` rows (a terminal's listing; tests).
    public func rows(limit: Int = .max) throws -> [RejectedRow] {
        var rows: [RejectedRow] = []
        struct Enough: Error {}
        do {
            try forEach { row in
                guard rows.count < limit else { throw Enough() }
                rows.append(row)
            }
        } catch is Enough {}
        return rows
    }

    /// Writes the rows of one reading of a file; the spool file is made at the first row.
    final class Writer {
        private let file: String
        private let destination: SystemPath?
        private var writer: BufferedFileWriter?
        private var count = 0

        /// `destination` nil: a temporary file, removed with the spool.
        init(file: String, destination: SystemPath?) {
            self.file = file
            self.destination = destination
        }

        deinit { writer?.abandon() }

        func append(line: Int, reason: String, raw: String) throws {
            if writer == nil { writer = try BufferedFileWriter(creating: try Self.workingPath(destination)) }
            var record = BinaryWriter()
            record.int(line)
            record.string(reason)
            record.string(raw)
            var prefix = BinaryWriter()
            prefix.unsigned(UInt64(record.bytes.count))
            try writer!.write(prefix.bytes)
            try writer!.write(record.bytes)
            count += 1
        }

        /// The spool of the rows written: the file is complete under its name only now.
        func finish() throws -> RejectSpool {
            guard let writer else { return RejectSpool(file: file, count: 0, bytes: 0, path: nil) }
            try writer.close()
            guard let destination else { return RejectSpool(file: file, count: count, bytes: writer.count, temporary: writer.path) }
            try POSIX.rename(writer.path, to: destination)
            return RejectSpool(file: file, count: count, bytes: writer.count, path: destination)
        }

        private static let temporaryNames = SerialNumbers()

        /// Beside the destination until the file is read whole; a temporary file otherwise.
        private static func workingPath(_ destination: SystemPath?) throws -> SystemPath {
            let process = ProcessInfo.processInfo.processIdentifier
            if let destination {
                if let slash = destination.bytes.lastIndex(of: UInt8(ascii: "/")) {
                    try POSIX.makeFolders(SystemPath(bytes: Array(destination.bytes[..<slash])))
                }
                return SystemPath(bytes: destination.bytes + Array(".\(process).tmp".utf8))
            }
            return try WorkFolder.path("rejects-\(temporaryNames.next())")
        }
    }
}
