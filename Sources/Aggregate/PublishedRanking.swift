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
        var groups: [[String]: [Int]] = [:]
        for index in rows.indices {
            groups[[rows[index].indicator, rows[index].parent, String(rows[index].period)], default: []].append(index)
        }
        var published: [RankingRow] = []
        for row in rows where !withheld(row, row.period) {
            let group = groups[[row.indicator, row.parent, String(row.period)]]!.map { rows[$0] }
            let shown = group.filter { !withheld($0, $0.period) }
            var copy = row
            copy.rank = 1 + shown.filter { $0.rank < row.rank }.count
            copy.rankedAmong = shown.count
            if withheld(row, row.period - 1) {
                copy.previousRank = nil
            } else if let before = row.previousRank {
                copy.previousRank = before - group.filter { other in
                    withheld(other, other.period - 1) && (other.previousRank.map { $0 < before } ?? false)
                }.count
            }
            published.append(copy)
        }
        return published
    }
}
