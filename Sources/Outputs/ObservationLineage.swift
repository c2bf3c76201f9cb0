import Aggregate
import EditionFiles
import Normalize
import Reconcile
import Render
import YearbookCore

/// What every observation of a build was made from, collected from what the
/// stages recorded: roster files and their row counts, the submitted
/// observations and their revisions, the comparisons of reconciliation, the
/// children of a sum and the operands of a formula.
public enum ObservationLineage {
    /// Each observation's steps, in observation order, handed to `body` one
    /// observation at a time (a national build has hundreds of thousands of
    /// steps: they are never all held). Each observation's steps come in the
    /// order roster, submission, superseded, not used, operands. `order` is
    /// `ObservationKey.sorted(result.observations.keys)`, sorted once by the caller.
    public static func forEachObservation(_ result: StageResults, in order: [ObservationKey], registry: AreaRegistry,
                                          indicators: [Indicator], _ body: (ObservationKey, [LineageStep]) throws -> Void) throws {
        let observations = result.observations
        // Reconcile named the roster files each roster figure sums (under a successor's code where
        // the file's county was retired): their origin.
        let rosters = Dictionary(result.rosters.map { ($0.file, $0) }, uniquingKeysWith: { first, _ in first })
        var supersededBy: [SubmittedObservation: [SubmittedObservation]] = [:]
        supersededBy.reserveCapacity(result.revisions.count)
        for revision in result.revisions { supersededBy[revision.kept] = revision.superseded }
        var comparisons: [ObservationKey: [Comparison]] = [:]
        comparisons.reserveCapacity(result.comparisons.count)
        for comparison in result.comparisons { comparisons[comparison.key, default: []].append(comparison) }
        var formulas: [String: [String]] = [:]
        for indicator in indicators where indicator.source == .derived {
            formulas[indicator.code] = try Formula.parse(indicator.formula).operands
        }
        func submittedSteps(_ role: LineageStep.Role, _ key: ObservationKey) -> [LineageStep] {
            guard let submitted = result.submitted[key] else { return [] }
            var step = submitted.step(role, key)
            if submitted.writtenArea != key.area { step.note = "successor mapping \(submitted.writtenArea) → \(key.area)" }
            guard !supersededBy.isEmpty, let superseded = supersededBy[submitted] else { return [step] }
            return [step] + superseded.map { $0.step(.superseded, key) }
        }
        // One list of steps, emptied for each observation.
        var steps: [LineageStep] = []
        for key in order {
            let observation = observations[key]!
            steps.removeAll(keepingCapacity: true)
            if observation.source == .dibao || observation.source == .tekun {
                for file in observation.origin.compactMap({ rosters[$0.file] }) {
                    var step = LineageStep(key, .roster)
                    step.file = file.file
                    step.sha256 = file.sha256
                    step.rowsRead = file.rowsRead
                    step.accepted = file.accepted
                    step.inactive = file.inactive
                    step.rejected = file.rejected
                    step.value = file.values[key.indicator]!.plainDecimal
                    if key.area != file.county { step.note = "successor mapping \(file.county) → \(key.area)" }
                    steps.append(step)
                }
            }
            if observation.source == .submission { steps += submittedSteps(.submission, key) }
            for comparison in comparisons[key] ?? [] {
                var compared = submittedSteps(.notUsed, key)
                guard !compared.isEmpty else { continue }
                compared[0].difference = comparison.difference.plainDecimal
                compared[0].tolerance = comparison.tolerance.plainDecimal
                compared[0].note = [compared[0].note, comparison.exceedsTolerance ? "beyond tolerance (a warning)" : "within tolerance"]
                    .compactMap { $0 }.joined(separator: "; ")
                steps += compared
            }
            if observation.source == .aggregated || observation.source == .derived {
                let operands = observation.source == .derived
                    ? (formulas[key.indicator] ?? []).map { ObservationKey(area: key.area, indicator: $0, period: key.period) }
                    : registry.children(of: key.area, in: key.period).map { ObservationKey(area: $0, indicator: key.indicator, period: key.period) }
                for operand in operands {
                    var step = LineageStep(key, .operand)
                    step.operand = operand
                    step.value = observations[operand].map(DataFiles.valueText)
                    steps.append(step)
                }
            }
            if !steps.isEmpty { try body(key, steps) }
        }
    }
}

extension SubmittedObservation {
    func step(_ role: LineageStep.Role, _ key: ObservationKey) -> LineageStep {
        var step = LineageStep(key, role)
        step.file = file
        step.line = line
        step.prepared = prepared?.text
        step.value = value?.plainDecimal
        return step
    }
}
