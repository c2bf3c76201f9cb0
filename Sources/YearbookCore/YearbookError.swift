#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a figure, a problem or an error comes from: a file and, where one is known, a line.
public struct SourceLocation: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var file: String
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    /// `file:line`, or `file` alone: the shape compilers print.
    public var description: String { line.map { "\(file):\($0)" } ?? file }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        if a.file != b.file { return a.file < b.file }
        return (a.line ?? 0) < (b.line ?? 0)
    }
}

/// The one error type of the tool: what went wrong (`code`, which decides the
/// exit status), in the words a user reads (`message`), where (`location`)
/// and what caused it (`cause`, e.g. the system's words for an errno).
public struct YearbookError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable {
        /// How the tool was called: options, folders, an `--out` it refuses.
        case usage
        /// An input or an edition that cannot be read as what it must be.
        case input
        /// The pipeline definition: its formulas, rules and references.
        case definition
        /// A system call or a library (SQLite) that failed.
        case system
        /// A broken promise of the tool itself.
        case `internal`
    }

    public var code: Code
    public var message: String
    public var location: SourceLocation?
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, at location: SourceLocation? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.location = location
        self.cause = cause
    }

    /// The message and its cause's words, without the location (a problem's message, which names its file apart).
    public var explanation: String { cause.map { "\(message): \($0)" } ?? message }

    /// `file:line: message: cause`, each part where there is one.
    public var description: String { location.map { "\($0): \(explanation)" } ?? explanation }

    /// The errno of a failed system call, wherever it is in the chain of causes.
    public var errno: Int32? {
        if let cause = cause as? SystemErrno { return cause.code }
        return (cause as? YearbookError)?.errno
    }

    /// The same error named by `file` (a file's name in the input tree rather than its path), its line kept.
    public func naming(file: String) -> YearbookError {
        var named = self
        named.location = SourceLocation(file: file, line: location?.line)
        return named
    }

    public static func == (a: YearbookError, b: YearbookError) -> Bool {
        a.code == b.code && a.message == b.message && a.location == b.location
            && a.cause.map { "\($0)" } == b.cause.map { "\($0)" }
    }

    public static func usage(_ message: String) -> YearbookError { YearbookError(.usage, message) }

    /// A file that cannot be read as what it must be, at `line` where one is known.
    public static func input(file: String, line: Int? = nil, _ message: String, cause: (any Error & Sendable)? = nil) -> YearbookError {
        YearbookError(.input, message, at: SourceLocation(file: file, line: line), cause: cause)
    }

    public static func definition(_ message: String) -> YearbookError { YearbookError(.definition, message) }

    /// A failed system call on `path` (and `otherPath`, for a rename): `path: cannot open: No such file or directory`.
    public static func system(call: String, path: SystemPath, otherPath: SystemPath? = nil, errno code: Int32) -> YearbookError {
        if let otherPath {
            return YearbookError(.system, "cannot \(call) \(path) to \(otherPath)", cause: SystemErrno(code))
        }
        return YearbookError(.system, "cannot \(call)", at: SourceLocation(file: path.description), cause: SystemErrno(code))
    }
}

/// An errno, in the system's words (`strerror`): "No space left on device".
public struct SystemErrno: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: Int32

    public init(_ code: Int32) { self.code = code }

    public var description: String { String(cString: strerror(code)) }
}
