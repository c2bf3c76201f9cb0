import Aggregate
import Disclose
import Extract
import Normalize
import Reconcile
import Validate
import YearbookCore

/// What the stages of one build found: the files read, the revisions, the reconciled and aggregated
/// figures, the ranks, the rules' results, every problem. The reports, the database and the lineage
/// are made from it.
public struct StageResults: Sendable {
    public var year: Int
    public var tree: InputTree
    public var rosters: [RosterFileResult] = []
    public var submissions: [SubmissionFileResult] = []
    public var revisions: [Revision] = []
    /// The winning submitted observation of each cell: the lineage names it for submitted and compared figures.
    public var submitted: [ObservationKey: SubmittedObservation] = [:]
    public var successions: [Succession] = []
    public var comparisons: [Comparison] = []
    public var observations: [ObservationKey: Observation] = [:]
    public var rankings: [RankingRow] = []
    public var validation: [RuleResult] = []
    /// What is withheld from release, and why (nothing without `disclosure.min_units`).
    public var disclosure = Disclosure.Result(facts: Disclosure.Facts(minUnits: 0))
    public var problems = ProblemList()
    public var counts = InputCounts()

    public init(year: Int, tree: InputTree) {
        self.year = year
        self.tree = tree
    }
}

/// Rows and files read, for the terminal summary.
public struct InputCounts: Sendable, Equatable {
    public var rosterFiles = 0
    public var rowsRead = 0
    public var accepted = 0
    public var inactive = 0
    public var rejected = 0
    public var submissionFiles = 0
    public var observationsRead = 0

    public init(rosterFiles: Int = 0, rowsRead: Int = 0, accepted: Int = 0, inactive: Int = 0, rejected: Int = 0,
                submissionFiles: Int = 0, observationsRead: Int = 0) {
        self.rosterFiles = rosterFiles
        self.rowsRead = rowsRead
        self.accepted = accepted
        self.inactive = inactive
        self.rejected = rejected
        self.submissionFiles = submissionFiles
        self.observationsRead = observationsRead
    }
}
