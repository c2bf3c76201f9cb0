import Aggregate
import Definition
import Dispatch
import EditionFiles
import Extract
import Foundation
import Normalize
import Reconcile
import Render
import Validate
import Workbook
import YearbookCore

/// Everything one build found and made.
public struct BuildResult: Sendable {
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
    public var problems = ProblemList()
    public var counts = InputCounts()
    /// Whether the edition was published.
    public var published = false
    /// Output files written (not those left as they were because their content did not change).
    public var written: [String] = []
    /// Outputs a full build would write differently (after `--chapter`).
    public var stale: [String] = []
    /// Input files read this time (the others came from the target cache).
    public var filesRead = 0
    /// Where a failed build wrote its reports.
    public var failedReports: String?
    /// Files in the edition folder that the tool did not write, kept in the new edition.
    public var keptForeignFiles: [String] = []
    /// The names the terminal summary prints beside codes.
    public var definition: PipelineDefinition?
    public var registry: AreaRegistry?

    /// 0 success, 1 errors in the data (nothing published).
    public var exitCode: Int32 { problems.hasErrors ? 1 : 0 }
}
