/// A data problem found by any stage, as a value: collected, sorted and
/// reported together, never thrown at the first one.
public struct Problem: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable, Comparable {
        case error, warning

        public static func < (a: Severity, b: Severity) -> Bool { a == .error && b == .warning }
    }

    public var severity: Severity
    /// A stable kind, e.g. `conflict`, `succession`, `reconciliation`.
    public var kind: String
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

    public init(_ severity: Severity, _ kind: String, _ message: String, file: String? = nil, line: Int? = nil,
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

    public static func error(_ kind: String, _ message: String, file: String? = nil, line: Int? = nil,
                             area: String? = nil, indicator: String? = nil, period: Int? = nil,
                             messageZH: String? = nil) -> Problem {
        Problem(.error, kind, message, file: file, line: line, area: area, indicator: indicator, period: period,
                messageZH: messageZH)
    }

    public static func error(_ kind: String, _ message: String, at location: SourceLocation?) -> Problem {
        Problem(.error, kind, message, file: location?.file, line: location?.line)
    }

    public static func warning(_ kind: String, _ message: String, file: String? = nil, line: Int? = nil,
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

/// Problems collected over a build.
public struct ProblemList: Sendable {
    public private(set) var items: [Problem] = []
    /// Whether `items` are in `Problem.reportOrder` already (sorted once for every report that lists them).
    private var inReportOrder = false

    public init() {}

    public mutating func add(_ problem: Problem) {
        items.append(problem)
        inReportOrder = false
    }

    public mutating func add(contentsOf problems: [Problem]) {
        // Nothing to add leaves a list shared with another value as it is (an append would copy it first).
        guard !problems.isEmpty else { return }
        items.append(contentsOf: problems)
        inReportOrder = false
    }

    /// Puts the problems in report order once, for the reports and the database that each list them so.
    public mutating func sortForReports() {
        items = sorted
        inReportOrder = true
    }

    public var errors: [Problem] { items.filter { $0.severity == .error } }
    public var warnings: [Problem] { items.filter { $0.severity == .warning } }
    public var hasErrors: Bool { items.contains { $0.severity == .error } }
    public var sorted: [Problem] { inReportOrder ? items : items.sorted(by: Problem.reportOrder) }
}
