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
    public var reportedFrom: String

    public init(kind: Kind, key: ObservationKey, kept: Exact, keptFrom: String, reported: Exact, reportedFrom: String) {
        self.kind = kind
        self.key = key
        self.kept = kept
        self.keptFrom = keptFrom
        self.reported = reported
        self.reportedFrom = reportedFrom
    }

    public var difference: Exact { reported - kept }

    /// max(5, 0.5% of the kept value), as the contract sets it.
    public var tolerance: Exact {
        let relative = kept.magnitude * Exact(numerator: 5, denominator: 1000)
        return max(Exact(5), relative)
    }

    public var exceedsTolerance: Bool { difference.magnitude > tolerance }
}
