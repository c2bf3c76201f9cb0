import YearbookCore

extension Ranking {
    /// The ranks a reader may see where figures are withheld from release: a withheld figure has no rank,
    /// and the others are ranked among the published figures only (ranks 1, 2, 4 would say where the
    /// withheld one lies); last year's ranks likewise among last year's published figures, an area whose
    /// own figure of last year is withheld having none. Ties and the order of the rows are kept.
    /// The internal `rankings.csv` keeps the exact ranks. Nothing withheld: the rows as they are.
    public static func published(_ rows: [RankingRow], isWithheld: (ObservationKey) -> Bool) -> [RankingRow] {
        func withheld(_ row: RankingRow, _ period: Int) -> Bool {
            isWithheld(ObservationKey(area: row.area, indicator: row.indicator, period: period))
        }
        guard rows.contains(where: { withheld($0, $0.period) || withheld($0, $0.period - 1) }) else { return rows }
        // Per group (indicator, parent, period): the ranks of the published figures and last year's ranks
        // of the areas whose figure of last year is withheld, sorted, so each row counts those before it.
        var shownRanks: [[String]: [Int]] = [:], hiddenBefore: [[String]: [Int]] = [:]
        for row in rows {
            let group = [row.indicator, row.parent, String(row.period)]
            if !withheld(row, row.period) { shownRanks[group, default: []].append(row.rank) }
            if withheld(row, row.period - 1), let before = row.previousRank { hiddenBefore[group, default: []].append(before) }
        }
        for group in shownRanks.keys { shownRanks[group]!.sort() }
        for group in hiddenBefore.keys { hiddenBefore[group]!.sort() }
        /// How many of the sorted `values` are less than `value`.
        func below(_ value: Int, in values: [Int]) -> Int {
            var low = 0, high = values.count
            while low < high {
                let middle = (low + high) / 2
                if values[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
        var published: [RankingRow] = []
        for row in rows where !withheld(row, row.period) {
            let group = [row.indicator, row.parent, String(row.period)]
            let shown = shownRanks[group] ?? []
            var copy = row
            copy.rank = 1 + below(row.rank, in: shown)
            copy.rankedAmong = shown.count
            if withheld(row, row.period - 1) {
                copy.previousRank = nil
            } else if let before = row.previousRank {
                copy.previousRank = before - below(before, in: hiddenBefore[group] ?? [])
            }
            published.append(copy)
        }
        return published
    }
}
