/// Two figures for one cell that should agree: the one kept and one reported
/// elsewhere (a submission against a roster, a prefecture against the sum of
/// its counties).
public struct Comparison: Hashable, Sendable {
    public enum Kind: String, Sendable {
        case rosterVersusSubmission = "roster-vs-submission"
        case parentVersusChildren = "parent-vs-children"
    }

    public var kind: Kind
    public var key: ObservationKey
    public var kept: Exact
    public var keptFrom: String
    public var reported: Exact
    /// The submission's file and line; nil for a parent's submitted total, which is named by its source alone.
    public var reportedAt: SourceLocation?

    public init(kind: Kind, key: ObservationKey, kept: Exact, keptFrom: String, reported: Exact, reportedAt: SourceLocation?) {
        self.kind = kind
        self.key = key
        self.kept = kept
        self.keptFrom = keptFrom
        self.reported = reported
        self.reportedAt = reportedAt
    }

    /// Where the reported figure is from, as the reports print it.
    public var reportedFrom: String { reportedAt?.description ?? "submission" }

    public var difference: Exact { reported - kept }

    /// max(5, 0.5% of the kept value), as the contract sets it.
    public var tolerance: Exact {
        let relative = kept.magnitude * Exact(numerator: 5, denominator: 1000)
        return max(Exact(5), relative)
    }

    public var exceedsTolerance: Bool { difference.magnitude > tolerance }
}
