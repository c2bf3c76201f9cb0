/// A data problem found by any stage, as a value: collected, sorted and
/// reported together, never thrown at the first one.
public struct Problem: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case error, warning

        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    public var kind: Kind
    /// In English, with names beside codes where the stage knows them.
    public var message: String
    /// The same in Chinese; nil where the stage gives the English only.
    public var messageZH: String?
    /// The file, and the line in it where one is known.
    public var location: SourceLocation?
    public var file: String? { location?.file }
    public var line: Int? { location?.line }
    public var area: String?
    public var indicator: String?
    public var period: Int?

    public init(_ severity: Severity, _ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil,
                area: String? = nil, indicator: String? = nil, period: Int? = nil, messageZH: String? = nil) {
        self.severity = severity
        self.kind = kind
        self.message = message
        self.messageZH = messageZH
        location = file.map { SourceLocation(file: $0, line: line) }
        self.area = area
        self.indicator = indicator
        self.period = period
    }

    public static func error(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil,
                             area: String? = nil, indicator: String? = nil, period: Int? = nil,
                             messageZH: String? = nil) -> Problem {
        Problem(.error, kind, message, file: file, line: line, area: area, indicator: indicator, period: period,
                messageZH: messageZH)
    }

    public static func error(_ kind: Kind, _ message: String, at location: SourceLocation?) -> Problem {
        Problem(.error, kind, message, file: location?.file, line: location?.line)
    }

    public static func warning(_ kind: Kind, _ message: String, file: String? = nil, line: Int? = nil,
                               area: String? = nil, indicator: String? = nil, period: Int? = nil,
                               messageZH: String? = nil) -> Problem {
        Problem(.warning, kind, message, file: file, line: line, area: area, indicator: indicator, period: period,
                messageZH: messageZH)
    }

    /// `file:line: severity: message`, the shape compilers use.
    public var description: String {
        "\(location.map { "\($0): " } ?? "")\(severity.rawValue): \(message)"
    }

    /// Chinese, then English: what a terminal or report shows a statistician.
    public var bilingualMessage: String {
        guard let messageZH, messageZH != message else { return message }
        return "\(messageZH) | \(message)"
    }

    /// Errors first, then by file, line, kind and message: a stable order for reports.
    public static func reportOrder(_ a: Problem, _ b: Problem) -> Bool {
        if a.severity != b.severity { return a.severity < b.severity }
        if (a.file ?? "") != (b.file ?? "") { return (a.file ?? "") < (b.file ?? "") }
        if (a.line ?? 0) != (b.line ?? 0) { return (a.line ?? 0) < (b.line ?? 0) }
        if a.kind != b.kind { return a.kind < b.kind }
        return a.message < b.message
    }
}

/// The binary form the target cache and the problem spool keep.
extension Problem: SpoolRecord {
    public func write(to out: inout BinaryWriter) {
        out.string(severity.rawValue); out.string(kind.rawValue); out.string(message)
        out.optional(location) { o, l in o.location(l) }
        out.optional(area) { o, s in o.string(s) }; out.optional(indicator) { o, s in o.string(s) }
        out.optional(period) { o, n in o.int(n) }
        out.optional(messageZH) { o, s in o.string(s) }
    }

    public init(reading input: inout BinaryReader) throws {
        guard let severity = Problem.Severity(rawValue: try input.string()) else { throw BinaryReader.malformed }
        guard let kind = Problem.Kind(rawValue: try input.string()) else { throw BinaryReader.malformed }
        let message = try input.string()
        let location = try input.optional { i in try i.location() }
        let area = try input.optional { i in try i.string() }, indicator = try input.optional { i in try i.string() }
        let period = try input.optional { i in try i.int() }
        self.init(severity, kind, message, file: location?.file, line: location?.line, area: area, indicator: indicator, period: period,
                  messageZH: try input.optional { i in try i.string() })
    }
}

/// Problems collected over a build, read in report order (`Problem.reportOrder`).
/// A national build finds tens of thousands of warnings: beyond a few thousand
/// they are spooled to disk (`SpooledRecords`), and the counts a summary needs
/// are kept as they are added.
public struct ProblemList: Sendable {
    private var spool: SpooledRecords<Problem>
    public private(set) var errorCount = 0
    public private(set) var warningCount = 0
    /// How many warnings of each kind.
    public private(set) var warningKinds: [Problem.Kind: Int] = [:]

    /// `holdLimit`: how many are held in memory before they are spooled to files in `folder` (nil: the
    /// `WorkFolder`); tests make it small.
    public init(holdLimit: Int = 8192, folder: SystemPath? = nil) {
        spool = SpooledRecords(order: { Problem.reportOrder($0, $1) }, holdLimit: holdLimit, folder: folder)
    }

    public mutating func add(_ problem: Problem) {
        spool.append(problem)
        count(problem)
    }

    /// Adds a problem that comes after every problem before it in report order (problems read back as a
    /// reading of a list gave them): they are not sorted again.
    public mutating func addInReportOrder(_ problem: Problem) {
        spool.appendInOrder(problem)
        count(problem)
    }

    private mutating func count(_ problem: Problem) {
        switch problem.severity {
        case .error: errorCount += 1
        case .warning:
            warningCount += 1
            warningKinds[problem.kind, default: 0] += 1
        }
    }

    public mutating func add<S: Sequence>(contentsOf problems: S) where S.Element == Problem {
        for problem in problems { add(problem) }
    }

    /// Another list's problems, its spooled files taken as they are.
    public mutating func add(contentsOf problems: ProblemList) throws {
        try spool.append(contentsOf: problems.spool)
        errorCount += problems.errorCount
        warningCount += problems.warningCount
        warningKinds.merge(problems.warningKinds, uniquingKeysWith: +)
    }

    public var count: Int { spool.count }
    /// Why the problems could not be spooled to disk, when they could not (they are then held in memory).
    public var spoolFailure: String? { spool.spoolFailure }
    public var isEmpty: Bool { spool.isEmpty }
    public var hasErrors: Bool { errorCount > 0 }

    /// Sorts the problems held in memory once, for the reports and the database that read them next.
    public mutating func sortForReports() { spool.sortHeld() }

    /// Every problem in report order (errors first), read in bounded pieces.
    public func forEach(_ body: (Problem) throws -> Void) throws { try spool.forEach(body) }

    /// The errors, in report order: they come first, and the reading stops at the first warning.
    public func forEachError(_ body: (Problem) throws -> Void) throws {
        struct AllErrorsRead: Error {}
        do {
            try spool.forEach { problem in
                guard problem.severity == .error else { throw AllErrorsRead() }
                try body(problem)
            }
        } catch is AllErrorsRead {}
    }

    /// The first `limit` problems `including` takes, in report order, and how many it takes in all.
    public func first(_ limit: Int, where including: (Problem) -> Bool) throws -> (problems: [Problem], count: Int) {
        let found = try spool.first(limit, where: including)
        return (found.records, found.count)
    }

    /// Every problem in report order, in memory: for short lists and tests.
    public func all() throws -> [Problem] { try spool.all() }
    public func errors() throws -> [Problem] { try all().filter { $0.severity == .error } }
    public func warnings() throws -> [Problem] { try all().filter { $0.severity == .warning } }
}
