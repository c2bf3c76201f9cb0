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

    /// The released `observations.csv` of an edition that withholds figures: the internal rows with a
    /// withheld figure's value empty, and a last column `conf_status` (`A` primary, `D` secondary, empty
    /// where published), the released SDMX export's `CONF_STATUS`. Only such an edition's released file
    /// has the column: one that withholds nothing is released as built, in the contract's columns.
    public static func releasedObservationsCSV(_ rows: [ObservationsFile.Row], withheld: Withholding) -> [UInt8] {
        var csv = CSVWriter(header: ObservationsFile.header + ["conf_status"])
        for row in rows {
            let status = withheld[row.key]
            csv.row([row.key.area, row.key.indicator, String(row.key.period), status == nil ? row.value : "", row.status, row.source,
                     status?.rawValue ?? ""])
        }
        return csv.bytes
    }

    /// The released `rankings.csv` of an edition that withholds figures: the ranks as pages show them
    /// (`Ranking.published`), no row for a withheld figure.
    public static func releasedRankingsCSV(_ rows: [RankingsFile.Row], withheld: Withholding) -> [UInt8] {
        let exact = rows.map { row in
            RankingRow(indicator: row.indicator, parent: row.parent, area: row.area, period: row.period, published: row.value,
                       rank: row.rank, rankedAmong: 0, previousRank: row.previousRank)
        }
        return rankingsCSV(Ranking.published(exact) { withheld.isWithheld($0) })
    }

    /// `rankings.csv`: the build year's ranks.
    public static func rankingsCSV(_ rows: [RankingRow]) -> [UInt8] {
        RankingsFile.write(rows.lazy.map { row in
            RankingsFile.Row(indicator: row.indicator, parent: row.parent, area: row.area, period: row.period, value: row.published,
                             rank: row.rank, previousRank: row.previousRank, rankChange: row.rankChange)
        })
    }
}
