import CSQLite
import YearbookCore

/// A value in or out of SQLite: the yearbook binds figures as exact decimal text (a NUMERIC column stores
/// them as numbers, an `_exact` column as written), counts as integers; a REAL read back comes as its text.
public enum SQLiteValue: Hashable, Sendable {
    case null
    case integer(Int)
    case text(String)

    public var text: String? { if case .text(let text) = self { return text } else { return nil } }
    public var integer: Int? { if case .integer(let number) = self { return number } else { return nil } }
}

extension SQLiteValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    public init(stringLiteral text: String) { self = .text(text) }
    public init(integerLiteral number: Int) { self = .integer(number) }
    public init(_ text: String?) { self = text.map { .text($0) } ?? .null }
    public init(_ number: Int?) { self = number.map { .integer($0) } ?? .null }
}

extension YearbookError {
    /// What SQLite refused, with its result code and message: `SQLite error 14: unable to open database file`.
    static func sqlite(code: Int32, message: String) -> YearbookError { YearbookError(.system, "SQLite error \(code): \(message)") }
}

/// One connection to SQLite: the one home of the library's calls (open, exec,
/// prepare, bind, step, finalize). Not shared between threads.
public final class SQLiteConnection {
    private var handle: OpaquePointer?

    /// A new database file at `path` (SQLite keeps only its page cache in memory).
    public static func create(path: String) throws -> SQLiteConnection {
        try SQLiteConnection(path: path, flags: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
    }

    /// An existing database file, read only.
    public static func readOnly(path: String) throws -> SQLiteConnection {
        try SQLiteConnection(path: path, flags: SQLITE_OPEN_READONLY)
    }

    /// SQLite's global settings, made once before the first connection.
    private static let configured: Bool = yearbook_sqlite3_configure() == SQLITE_OK

    private init(path: String, flags: Int32) throws {
        _ = Self.configured
        // Never shared between threads, so without SQLite's lock around every call (a bind or step each).
        let code = sqlite3_open_v2(path, &handle, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard code == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close(handle)
            throw YearbookError.sqlite(code: code, message: "\(path): \(message)")
        }
    }

    deinit { sqlite3_close(handle) }

    /// Runs statements that take no parameters and return no rows.
    public func execute(_ sql: String) throws {
        var error: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &error)
        if code != SQLITE_OK {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw YearbookError.sqlite(code: code, message: message)
        }
    }

    public func prepare(_ sql: String) throws -> SQLiteStatement {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else { throw YearbookError.sqlite(code: code, message: "\(lastMessage) in: \(sql)") }
        return SQLiteStatement(statement, connection: self)
    }

    /// Every row of a query, each column as a value.
    public func rows(_ sql: String, _ parameters: [SQLiteValue] = []) throws -> [[SQLiteValue]] {
        let statement = try prepare(sql)
        try statement.bind(parameters)
        var rows: [[SQLiteValue]] = []
        while let row = try statement.next() { rows.append(row) }
        return rows
    }

    fileprivate var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }
}

/// A prepared statement: bound, stepped, reset for the next row of an insert.
public final class SQLiteStatement {
    private let statement: OpaquePointer
    private let connection: SQLiteConnection

    fileprivate init(_ statement: OpaquePointer, connection: SQLiteConnection) {
        self.statement = statement
        self.connection = connection
    }

    deinit { sqlite3_finalize(statement) }

    /// Binds every parameter of the statement, after a reset (a query's; SQLite copies the texts).
    public func bind(_ values: [SQLiteValue]) throws {
        sqlite3_reset(statement)
        try bind(values) { index, text in
            var text = text
            // The length keeps any NUL inside the text.
            return text.withUTF8 { buffer in
                buffer.withMemoryRebound(to: CChar.self) { chars in
                    guard let start = chars.baseAddress else { return yearbook_sqlite3_bind_text_copied(statement, index, "", 0) }
                    return yearbook_sqlite3_bind_text_copied(statement, index, start, Int32(chars.count))
                }
            }
        }
    }

    /// The texts of the row `run` inserts, end to end, reused from row to row.
    private var texts: [UInt8] = []

    /// Binds `values` and runs the statement once (an insert). The texts are bound where they lie in
    /// one buffer this statement keeps, not copied by SQLite one allocation each (a national build
    /// inserts half a million rows); the bindings are cleared before the buffer changes.
    public func run(_ values: [SQLiteValue]) throws {
        sqlite3_reset(statement)
        texts.removeAll(keepingCapacity: true)
        for value in values { if case .text(let text) = value { texts.append(contentsOf: text.utf8) } }
        let code: Int32 = try texts.withUnsafeBufferPointer { buffer in
            defer { sqlite3_clear_bindings(statement) }
            var offset = 0
            try bind(values) { index, text in
                let count = text.utf8.count
                guard count > 0 else { return yearbook_sqlite3_bind_text_copied(statement, index, "", 0) }
                let start = UnsafeRawPointer(buffer.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
                offset += count
                // No destructor: SQLITE_STATIC, the text stays where it is until the bindings are cleared.
                return sqlite3_bind_text(statement, index, start, Int32(count), nil)
            }
            return sqlite3_step(statement)
        }
        guard code == SQLITE_DONE else { throw YearbookError.sqlite(code: code, message: connection.lastMessage) }
    }

    /// Binds each value at its place, the texts by `bindText` (place, text) -> SQLite's result code.
    private func bind(_ values: [SQLiteValue], text bindText: (Int32, String) -> Int32) throws {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite3_bind_null(statement, index)
            case .integer(let number): code = sqlite3_bind_int64(statement, index, sqlite3_int64(number))
            case .text(let text): code = bindText(index, text)
            }
            guard code == SQLITE_OK else { throw YearbookError.sqlite(code: code, message: connection.lastMessage) }
        }
    }

    /// The next row, or nil when there are no more.
    public func next() throws -> [SQLiteValue]? {
        let code = sqlite3_step(statement)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw YearbookError.sqlite(code: code, message: connection.lastMessage) }
        return (0..<sqlite3_column_count(statement)).map { column in
            switch sqlite3_column_type(statement, column) {
            case SQLITE_NULL: return .null
            case SQLITE_INTEGER: return .integer(Int(sqlite3_column_int64(statement, column)))
            default:
                guard let text = sqlite3_column_text(statement, column) else { return .null }
                let count = Int(sqlite3_column_bytes(statement, column))
                return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
            }
        }
    }
}
