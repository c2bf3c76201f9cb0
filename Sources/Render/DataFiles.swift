import Aggregate
import YearbookCore

/// The machine-readable files of a build (contract section 6).
public enum DataFiles {
    /// `observations.csv`: every level, indicator and period with a value or a
    /// status; base values as plain decimals, derived ones with exactly 4 decimals.
    public static func observationsCSV(_ observations: [ObservationKey: Observation], indicators: [String: Indicator]) -> [UInt8] {
        var csv = CSVWriter(header: ["area_code", "indicator", "period", "value", "status", "source"])
        for key in ObservationKey.sorted(observations.keys) {
            let observation = observations[key]!
            csv.row([key.area, key.indicator, String(key.period), valueText(observation), observation.status.rawValue,
                     observation.source.rawValue])
        }
        return csv.bytes
    }

    /// An observation's value as every data file writes it: a plain decimal,
    /// derived values with exactly 4 decimals, empty when missing, never `-0`.
    public static func valueText(_ observation: Observation) -> String {
        guard let exact = observation.usableValue else { return "" }
        var value = observation.source == .derived ? exact.formatted(decimals: 4) : exact.plainDecimal
        if value.hasPrefix("-"), value.dropFirst().allSatisfy({ $0 == "0" || $0 == "." }) { value.removeFirst() }
        return value
    }

    /// `rankings.csv`: the build year's ranks.
    public static func rankingsCSV(_ rows: [RankingRow]) -> [UInt8] {
        var csv = CSVWriter(header: ["indicator", "parent_code", "area_code", "period", "value", "rank", "previous_rank", "rank_change"])
        for row in rows {
            csv.row([row.indicator, row.parent, row.area, String(row.period), row.published, String(row.rank),
                     row.previousRank.map(String.init) ?? "", row.rankChange.map(String.init) ?? ""])
        }
        return csv.bytes
    }
}
