import Normalize
import YearbookCore

/// The unified dataset of base observations (sources dibao, tekun, submission)
/// made from roster totals and resolved submissions.
public struct BaseDataset: Sendable {
    public var observations: [ObservationKey: Observation] = [:]
    /// The active roster rows behind each roster figure (a submitted figure has none).
    public var units: [ObservationKey: Int] = [:]
    public var comparisons: [Comparison] = []
    public var successions: [Succession] = []
    public var problems: [Problem] = []

    /// A roster indicator takes the roster's value wherever the county's roster
    /// file exists, and the submitted value where it does not; a submitted
    /// value that differs from the roster's beyond tolerance is a warning.
    public static func reconcile(rosters: [RosterFileResult], submissions: Revisions.Result,
                                 indicators: [String: Indicator], registry: AreaRegistry) -> BaseDataset {
        var dataset = BaseDataset()
        dataset.successions = submissions.successions
        // Roster totals per (county as it counts, roster, period); files under a
        // retired code count under its successor.
        var rosterCells: [ObservationKey: (value: Exact, files: [String])] = [:]
        // Sized once: a national build sums 57,000 roster cells, and growing a table rehashes every key.
        rosterCells.reserveCapacity(rosters.reduce(0) { $0 + $1.values.count })
        dataset.units.reserveCapacity(rosters.reduce(0) { $0 + $1.units.count })
        for file in rosters.sorted(by: { $0.file < $1.file }) {
            guard registry[file.county] != nil else {
                dataset.problems.append(.error(.roster, "county \(file.county) of the file name is not in areas.csv", file: file.file))
                continue
            }
            guard let county = registry.currentCode(for: file.county, in: file.year) else {
                dataset.problems.append(.error(.roster, "county \(registry.label(file.county, .en)) is not valid in \(file.year) and has no valid successor",
                                               file: file.file,
                                               messageZH: "县 \(registry.label(file.county, .zh)) 在\(file.year)年无效且无有效的继承区划"))
                continue
            }
            if county != file.county {
                dataset.successions.append(Succession(from: file.county, to: county, period: file.year, file: file.file,
                                                      what: "\(file.roster) roster"))
                dataset.problems.append(.warning(.succession, "roster of retired code \(registry.label(file.county, .en)) for \(file.year) counts under its successor \(registry.label(county, .en))",
                                                 file: file.file, area: county, period: file.year,
                                                 messageZH: "已撤销区划 \(registry.label(file.county, .zh)) 的\(file.year)年花名册计入其继承区划 \(registry.label(county, .zh))"))
            }
            for (indicator, count) in file.units {
                dataset.units[ObservationKey(area: county, indicator: indicator, period: file.year), default: 0] += count
            }
            for (indicator, value) in file.values {
                let key = ObservationKey(area: county, indicator: indicator, period: file.year)
                if let existing = rosterCells[key] {
                    rosterCells[key] = (existing.value + value, existing.files + [file.file])
                } else {
                    rosterCells[key] = (value, [file.file])
                }
            }
        }
        dataset.observations.reserveCapacity(rosterCells.count + submissions.observations.count)
        for (key, cell) in rosterCells {
            let source = ObservationSource(rawValue: indicators[key.indicator]?.source.rawValue ?? "") ?? .dibao
            dataset.observations[key] = Observation(key: key, value: cell.value, status: .A, source: source,
                                                    origin: cell.files.map { SourceLocation(file: $0) })
        }
        for (key, submitted) in submissions.observations {
            if let roster = rosterCells[key] {
                if let reported = submitted.value, submitted.status != .M {
                    dataset.comparisons.append(Comparison(kind: .rosterVersusSubmission, key: key, kept: roster.value,
                                                          keptFrom: roster.files.joined(separator: " + "),
                                                          reported: reported, reportedAt: submitted.location))
                }
                continue
            }
            dataset.observations[key] = Observation(key: key, value: submitted.value, status: submitted.status, source: .submission,
                                                    origin: [submitted.location])
        }
        dataset.comparisons.sort { $0.key < $1.key }
        let names = IndicatorNames(Array(indicators.values))
        dataset.problems += dataset.comparisons.compactMap { $0.warning(registry: registry, names: names) }
        return dataset
    }
}
