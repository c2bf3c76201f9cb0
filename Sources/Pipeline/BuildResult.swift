import Aggregate
import Definition
import Dispatch
import EditionFiles
import Extract
import Foundation
import Normalize
import Outputs
import Reconcile
import Render
import Validate
import Workbook
import YearbookCore

/// What one build returns to the command line: what its stages found (read through, as
/// `result.observations`), and what became of the edition.
@dynamicMemberLookup
public struct BuildResult: Sendable {
    public var stages: StageResults
    /// What the build's targets made, held as long as the result is: the command line ends the process
    /// once it has printed the summary, without taking apart what the build made (a national build's
    /// tens of millions of objects), which the system takes back whole.
    public var targetResults: TargetResults?
    /// Whether the edition was published.
    public var published = false
    /// Output files written (not those left as they were because their content did not change).
    public var written: [String] = []
    /// Outputs a full build would write differently (after `--chapter`).
    public var stale: [String] = []
    /// Input files read this time (the others came from the target cache).
    public var filesRead = 0
    /// Input files hashed this time (the others' digests were kept with their stamps by the last build).
    public var inputsHashed = 0
    /// Where a failed build wrote its reports.
    public var failedReports: String?
    /// Files in the edition folder that the tool did not write, kept in the new edition.
    public var keptForeignFiles: [String] = []
    /// The names the terminal summary prints beside codes.
    public var definition: PipelineDefinition?
    public var registry: AreaRegistry?

    public init(year: Int, tree: InputTree) {
        stages = StageResults(year: year, tree: tree)
    }

    public subscript<Value>(dynamicMember path: WritableKeyPath<StageResults, Value>) -> Value {
        get { stages[keyPath: path] }
        set { stages[keyPath: path] = newValue }
    }

    /// 0 success, 1 errors in the data (nothing published).
    public var exitCode: Int32 { stages.problems.hasErrors ? 1 : 0 }
}
