import Aggregate
import Normalize
import Reconcile
import Render
import YearbookCore

/// One thing an observation was made from, or was checked against: a row of
/// the database's `lineage` table.
public struct LineageStep: Hashable, Sendable, Encodable {
    public enum Role: String, Sendable, Encodable {
        /// A roster file whose active rows give the figure (two files when a
        /// retired code's file counts under its successor).
        case roster
        /// The submitted observation that is the figure.
        case submission
        /// An observation of another message for the same cell that the figure won over (an older `Prepared`).
        case superseded
        /// A reported figure compared with the kept one and not used.
        case notUsed = "not-used"
        /// A child area's figure (a sum) or a formula's operand (a derived figure).
        case operand
    }

    public var key: ObservationKey
    public var role: Role
    public var file: String?
    public var line: Int?
    public var sha256: String?
    public var rowsRead: Int?
    public var accepted: Int?
    public var inactive: Int?
    public var rejected: Int?
    public var prepared: String?
    /// The figure this step gives, in the base unit, as exact decimal text (nil when missing).
    public var value: String?
    public var operand: ObservationKey?
    /// For a figure not used: reported − kept, and the contract's tolerance.
    public var difference: String?
    public var tolerance: String?
    public var note: String?

    /// Encoded without the figure's own key and the operand's (an explanation nests the operand's figure).
    enum CodingKeys: String, CodingKey {
        case role, file, line, sha256, rowsRead, accepted, inactive, rejected, prepared, value, difference, tolerance, note
    }

    init(_ key: ObservationKey, _ role: Role) {
        self.key = key
        self.role = role
    }
}

/// What every observation of a build was made from, collected from what the
/// stages recorded: roster files and their row counts, the submitted
/// observations and their revisions, the comparisons of reconciliation, the
/// children of a sum and the operands of a formula.
public enum ObservationLineage {
    /// Steps in observation order, each observation's steps in the order
    /// roster, submission, superseded, not used, operands.
    public static func steps(_ result: BuildResult, registry: AreaRegistry, indicators: [Indicator]) throws -> [LineageStep] {
        var steps: [ObservationKey: [LineageStep]] = [:]
        let observations = result.observations
        for file in result.rosters.sorted(by: { $0.file < $1.file }) where registry[file.county] != nil {
            guard let county = registry.currentCode(for: file.county, in: file.year) else { continue }
            for indicator in file.values.keys.sorted() {
                let key = ObservationKey(area: county, indicator: indicator, period: file.year)
                guard let observation = observations[key], observation.source == .dibao || observation.source == .tekun else { continue }
                var step = LineageStep(key, .roster)
                step.file = file.file
                step.sha256 = file.sha256
                step.rowsRead = file.rowsRead
                step.accepted = file.accepted
                step.inactive = file.inactive
                step.rejected = file.rejected.count
                step.value = file.values[indicator]!.plainDecimal
                if county != file.county { step.note = "successor mapping \(file.county) → \(county)" }
                steps[key, default: []].append(step)
            }
        }
        var supersededBy: [SubmittedObservation: [SubmittedObservation]] = [:]
        for revision in result.revisions { supersededBy[revision.kept] = revision.superseded }
        func submittedSteps(_ role: LineageStep.Role, _ key: ObservationKey) -> [LineageStep] {
            guard let submitted = result.submitted[key] else { return [] }
            var step = submitted.step(role, key)
            if submitted.writtenArea != key.area { step.note = "successor mapping \(submitted.writtenArea) → \(key.area)" }
            return [step] + (supersededBy[submitted] ?? []).map { $0.step(.superseded, key) }
        }
        for (key, observation) in observations where observation.source == .submission {
            steps[key, default: []] += submittedSteps(.submission, key)
        }
        for comparison in result.comparisons {
            var compared = submittedSteps(.notUsed, comparison.key)
            guard !compared.isEmpty else { continue }
            compared[0].difference = comparison.difference.plainDecimal
            compared[0].tolerance = comparison.tolerance.plainDecimal
            compared[0].note = [compared[0].note, comparison.exceedsTolerance ? "beyond tolerance (a warning)" : "within tolerance"]
                .compactMap { $0 }.joined(separator: "; ")
            steps[comparison.key, default: []] += compared
        }
        var formulas: [String: [String]] = [:]
        for indicator in indicators where indicator.source == .derived {
            formulas[indicator.code] = try Formula.parse(indicator.formula).operands
        }
        for (key, observation) in observations where observation.source == .aggregated || observation.source == .derived {
            let operands = observation.source == .derived
                ? (formulas[key.indicator] ?? []).map { ObservationKey(area: key.area, indicator: $0, period: key.period) }
                : registry.children(of: key.area, in: key.period).map { ObservationKey(area: $0, indicator: key.indicator, period: key.period) }
            for operand in operands {
                var step = LineageStep(key, .operand)
                step.operand = operand
                step.value = observations[operand].map(DataFiles.valueText)
                steps[key, default: []].append(step)
            }
        }
        return ObservationKey.sorted(steps.keys).flatMap { steps[$0]! }
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
