import Aggregate
import YearbookCore

/// An earlier edition's figures as it published them (read from its `data/observations.csv`).
public struct PublishedEdition: Sendable, Hashable {
    public var year: Int
    public var observations: [ObservationKey: Observation]
    /// What that edition withheld from release: withheld there, withheld in every later history.
    public var withheld: Withholding

    public init(year: Int, observations: [ObservationKey: Observation], withheld: Withholding = .none) {
        self.year = year
        self.observations = observations
        self.withheld = withheld
    }
}

/// One year of a key figure's history.
public struct HistoryPoint: Sendable, Hashable {
    public var year: Int
    public var observation: Observation
    /// The latest edition's figure differs from the one first published for that year.
    public var revised: Bool
}

extension Edition {
    /// Years a history covers: this one and the four before.
    public static let historySpan = 5

    /// The subject's figures of the last five years, each as the latest edition
    /// that holds it published it (this one for this year and last), marked
    /// revised where the edition of that year published another figure.
    public func series(_ indicator: Indicator, area: String) -> [HistoryPoint] {
        var points: [HistoryPoint] = []
        for year in (self.year - Self.historySpan + 1)...self.year {
            let key = ObservationKey(area: area, indicator: indicator.code, period: year)
            let latest: Observation?
            if year >= self.year - 1 {
                latest = year == self.year ? observations[key]
                    : YearOverYear.lookup(area: area, indicator: indicator.code, year: self.year,
                                          observations: observations, registry: registry).previous
            } else {
                latest = history.reversed().lazy.filter { $0.year <= year + 1 }.compactMap { $0.observations[key] }.first
            }
            guard let latest, let value = latest.usableValue else { continue }
            let first = history.first { $0.year == year }?.observations[key]
            let revised = first.map { first in
                first.usableValue?.formatted(decimals: indicator.decimals) != value.formatted(decimals: indicator.decimals)
            } ?? false
            points.append(HistoryPoint(year: year, observation: latest, revised: revised))
        }
        return points
    }
}
