import Aggregate
import EditionFiles
import YearbookCore

/// The machine-readable files of a build (contract section 6).
public enum DataFiles {
    /// `observations.csv`: every level, indicator and period with a value or a
    /// status; base values as plain decimals, derived ones with exactly 4 decimals.
    public static func observationsCSV(_ observations: [ObservationKey: Observation], indicators: [String: Indicator]) -> [UInt8] {
        ObservationsFile.write(ObservationKey.sorted(observations.keys).lazy.map { key in
            let observation = observations[key]!
            return ObservationsFile.Row(key: key, value: valueText(observation), status: observation.status.rawValue,
                                        source: observation.source.rawValue)
        })
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
        RankingsFile.write(rows.lazy.map { row in
            RankingsFile.Row(indicator: row.indicator, parent: row.parent, area: row.area, period: row.period, value: row.published,
                             rank: row.rank, previousRank: row.previousRank, rankChange: row.rankChange)
        })
    }
}
