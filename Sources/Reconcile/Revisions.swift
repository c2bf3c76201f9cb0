import Normalize
import YearbookCore

/// A submitted cell for which more than one message gave an observation.
public struct Revision: Hashable, Sendable {
    public var writtenArea: String
    public var indicator: String
    public var period: Int
    public var kept: SubmittedObservation
    public var superseded: [SubmittedObservation]
}

/// Data that arrived under a retired code and counts under its successor.
public struct Succession: Hashable, Sendable {
    public var from: String
    public var to: String
    public var period: Int
    public var file: String
    public var what: String
}

public enum Revisions {
    public struct Result: Sendable {
        /// The winning observation of each cell, under the code it counts as.
        public var observations: [ObservationKey: SubmittedObservation] = [:]
        public var revisions: [Revision] = []
        public var successions: [Succession] = []
        public var problems: [Problem] = []
    }

    /// For each (REF_AREA as written, INDICATOR, TIME_PERIOD) the observation of
    /// the latest `Prepared` wins, whichever folder holds it; equal times with
    /// different values are a conflict. A retired code is then mapped to its successor.
    public static func resolve(_ submitted: [SubmittedObservation], registry: AreaRegistry, names: IndicatorNames) -> Result {
        var result = Result()
        /// `株洲市 430200 城市低保对象 DIBAO_PERSONS_U 2019` in either language.
        func cell(_ area: String, _ indicator: String, _ period: Int, _ language: Language) -> String {
            "\(registry.label(area, language)) \(names.label(indicator, language)) \(period)"
        }
        struct WrittenKey: Hashable, Comparable {
            var area: String, indicator: String, period: Int
            static func < (a: WrittenKey, b: WrittenKey) -> Bool {
                (a.area, a.indicator, a.period) < (b.area, b.indicator, b.period)
            }
        }
        var groups: [WrittenKey: [SubmittedObservation]] = [:]
        for observation in submitted {
            groups[WrittenKey(area: observation.writtenArea, indicator: observation.indicator, period: observation.period),
                   default: []].append(observation)
        }
        var winners: [(WrittenKey, SubmittedObservation)] = []
        for key in groups.keys.sorted() {
            // Latest first; among equals, file then line order keeps the choice stable.
            let candidates = groups[key]!.sorted { a, b in
                if a.prepared != b.prepared { return (a.prepared ?? .oldest) > (b.prepared ?? .oldest) }
                if a.file != b.file { return a.file < b.file }
                return a.line < b.line
            }
            let winner = candidates[0]
            for other in candidates.dropFirst()
            where other.prepared == winner.prepared && (other.value != winner.value || other.deletes != winner.deletes) {
                result.problems.append(.error(
                    .conflict,
                    "conflicting submissions for \(cell(key.area, key.indicator, key.period, .en)) with the same Prepared \(winner.prepared?.text ?? "(none)"): \(describe(winner)) in \(winner.location) and \(describe(other)) in \(other.location)",
                    file: winner.file, line: winner.line, area: key.area, indicator: key.indicator, period: key.period,
                    messageZH: "报送冲突：\(cell(key.area, key.indicator, key.period, .zh)) 两份报文的 Prepared 同为 \(winner.prepared?.text ?? "(无)")，\(winner.location) 为 \(describe(winner))，\(other.location) 为 \(describe(other))"))
            }
            // A message that says again what an earlier one said (440, then 440) revises nothing.
            if candidates.dropFirst().contains(where: { !$0.saysTheSame(as: winner) }) {
                result.revisions.append(Revision(writtenArea: key.area, indicator: key.indicator, period: key.period,
                                                 kept: winner, superseded: Array(candidates.dropFirst())))
            }
            if winner.deletes {
                // The latest message deletes the cell: earlier figures go, and a Delete adds nothing.
                if candidates.count == 1 {
                    result.problems.append(.warning(
                        .submission, "\(cell(key.area, key.indicator, key.period, .en)) is deleted, but no earlier message reports it: nothing is deleted",
                        file: winner.file, line: winner.line, area: key.area, indicator: key.indicator, period: key.period,
                        messageZH: "\(cell(key.area, key.indicator, key.period, .zh)) 被删除，但此前没有报文报送该数据，无可删除"))
                }
                continue
            }
            winners.append((key, winner))
        }
        // Then successions: a retired code counts under the code valid in the period.
        for (key, observation) in winners {
            guard let current = registry.currentCode(for: key.area, in: key.period) else {
                result.problems.append(.warning(
                    .submission, "\(registry.label(key.area, .en)) is not valid in \(key.period) and has no valid successor; its \(names.label(key.indicator, .en)) is not used",
                    file: observation.file, line: observation.line, area: key.area, indicator: key.indicator, period: key.period,
                    messageZH: "\(registry.label(key.area, .zh)) 在\(key.period)年无效且无有效的继承区划，其\(names.label(key.indicator, .zh))未采用"))
                continue
            }
            let target = ObservationKey(area: current, indicator: key.indicator, period: key.period)
            if current != key.area {
                result.successions.append(Succession(from: key.area, to: current, period: key.period,
                                                     file: observation.file, what: "\(key.indicator) submission"))
                result.problems.append(.warning(
                    .succession, "\(names.label(key.indicator, .en)) \(key.period) submitted under retired code \(registry.label(key.area, .en)) counts under its successor \(registry.label(current, .en))",
                    file: observation.file, line: observation.line, area: current, indicator: key.indicator, period: key.period,
                    messageZH: "以已撤销区划 \(registry.label(key.area, .zh)) 报送的\(key.period)年\(names.label(key.indicator, .zh))计入其继承区划 \(registry.label(current, .zh))"))
            }
            if let existing = result.observations[target] {
                // Both the retired code and its successor reported the cell: the later message wins.
                let keepNew = (observation.prepared ?? .oldest) > (existing.prepared ?? .oldest)
                    || ((observation.prepared ?? .oldest) == (existing.prepared ?? .oldest) && current == key.area)
                let (kept, dropped) = keepNew ? (observation, existing) : (existing, observation)
                result.observations[target] = kept
                if kept.value != dropped.value {
                    result.problems.append(.warning(
                        .succession, "\(cell(current, target.indicator, target.period, .en)) reported as \(describe(kept.value)) in \(kept.location) and as \(describe(dropped.value)) under another code in \(dropped.location); the first is kept",
                        file: kept.file, line: kept.line, area: current, indicator: target.indicator, period: target.period,
                        messageZH: "\(cell(current, target.indicator, target.period, .zh)) 在 \(kept.location) 报为\(describe(kept.value))，在 \(dropped.location) 以另一代码报为\(describe(dropped.value))，采用前者"))
                }
            } else {
                result.observations[target] = observation
            }
        }
        return result
    }

    public static func describe(_ value: Exact?) -> String { value?.plainDecimal ?? "missing" }

    /// The figure, or `deleted` for a Delete.
    public static func describe(_ observation: SubmittedObservation) -> String {
        observation.deletes ? "deleted" : describe(observation.value)
    }
}

extension SubmittedObservation {
    /// The same figure, status and action: a repetition, not a revision.
    func saysTheSame(as other: SubmittedObservation) -> Bool {
        value == other.value && status == other.status && deletes == other.deletes
    }
}

extension PreparedTime {
    /// Stands for a message without a usable Prepared: older than any other.
    static let oldest = PreparedTime("0001-01-01T00:00:00Z")!
}
