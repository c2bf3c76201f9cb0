import YearbookCore

/// One row of `rankings.csv`.
public struct RankingRow: Hashable, Sendable {
    public var indicator: String
    public var parent: String
    public var area: String
    public var period: Int
    /// The published value: exactly the indicator's decimals.
    public var published: String
    public var rank: Int
    /// How many areas were ranked (those of `parent` with a value): a rank among one ranks nothing.
    public var rankedAmong: Int
    public var previousRank: Int?

    public init(indicator: String, parent: String, area: String, period: Int, published: String, rank: Int,
                rankedAmong: Int, previousRank: Int?) {
        self.indicator = indicator
        self.parent = parent
        self.area = area
        self.period = period
        self.published = published
        self.rank = rank
        self.rankedAmong = rankedAmong
        self.previousRank = previousRank
    }

    /// Positive when the area moved up.
    public var rankChange: Int? { previousRank.map { $0 - rank } }
}

/// Ranks among areas with the same parent (contract section 5).
public enum Ranking {
    /// Competition ranks (1, 2, 2, 4) of every area with a parent and a value,
    /// on the published (rounded) value, for each ranked indicator in `period`.
    public static func ranks(observations: [ObservationKey: Observation], indicators: [Indicator],
                             registry: AreaRegistry, period: Int) -> [RankingRow] {
        var rows: [RankingRow] = []
        let byIndicator = Dictionary(grouping: observations.values.filter { $0.period == period && $0.usableValue != nil },
                                     by: \.indicator)
        for indicator in indicators {
            guard let direction = indicator.rank, let cells = byIndicator[indicator.code] else { continue }
            let byParent = Dictionary(grouping: cells.compactMap { cell -> (String, Observation)? in
                guard let parent = registry[cell.area]?.parent else { return nil }
                return (parent, cell)
            }, by: \.0)
            for parent in byParent.keys.sorted() {
                let entries = byParent[parent]!.map { ($0.1.area, $0.1.usableValue!.rounded(decimals: indicator.decimals)) }
                for (area, published) in entries {
                    let better = entries.filter { direction == .desc ? $0.1 > published : $0.1 < published }.count
                    rows.append(RankingRow(indicator: indicator.code, parent: parent, area: area, period: period,
                                           published: published.formatted(decimals: indicator.decimals),
                                           rank: better + 1, rankedAmong: entries.count, previousRank: nil))
                }
            }
        }
        return rows
    }

    /// The ranks of `year`, each with its previous-year rank: the area's own,
    /// else its predecessor's (followed back along the chain). Sorted as the
    /// contract's `rankings.csv`: indicator, parent, rank, area.
    public static func table(observations: [ObservationKey: Observation], indicators: [Indicator],
                             registry: AreaRegistry, year: Int) -> [RankingRow] {
        let previous = ranks(observations: observations, indicators: indicators, registry: registry, period: year - 1)
        var previousRank: [String: [String: Int]] = [:]
        for row in previous { previousRank[row.indicator, default: [:]][row.area] = row.rank }
        var rows = ranks(observations: observations, indicators: indicators, registry: registry, period: year)
        for index in rows.indices {
            let known = previousRank[rows[index].indicator] ?? [:]
            rows[index].previousRank = Lineage.firstAlongPredecessors(of: rows[index].area, registry: registry) { known[$0] }
        }
        return rows.sorted { a, b in
            if a.indicator != b.indicator { return a.indicator.utf8.lexicographicallyPrecedes(b.indicator.utf8) }
            if a.parent != b.parent { return a.parent.utf8.lexicographicallyPrecedes(b.parent.utf8) }
            if a.rank != b.rank { return a.rank < b.rank }
            return a.area.utf8.lexicographicallyPrecedes(b.area.utf8)
        }
    }
}

/// Following an area back through the codes it continues.
public enum Lineage {
    /// The first non-nil `lookup` of the area itself, else of its predecessors,
    /// breadth first, nearer ones before older ones, in code order.
    public static func firstAlongPredecessors<T>(of area: String, registry: AreaRegistry, _ lookup: (String) -> T?) -> T? {
        var frontier = [area]
        var seen: Set<String> = [area]
        while !frontier.isEmpty {
            for code in frontier {
                if let found = lookup(code) { return found }
            }
            var next: [String] = []
            for code in frontier {
                for predecessor in registry.predecessors(of: code) where seen.insert(predecessor).inserted {
                    next.append(predecessor)
                }
            }
            frontier = next
        }
        return nil
    }
}
