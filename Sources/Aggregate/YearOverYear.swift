import YearbookCore

/// Year-over-year change of one area's indicator.
public struct YearOverYear: Hashable, Sendable {
    public var current: Observation?
    /// The area's own previous-year observation, else its predecessor's.
    public var previous: Observation?

    /// Percent change, or the difference in points for an indicator in `%`;
    /// nil where either value is missing or the previous value is zero.
    public func change(for indicator: Indicator) -> Exact? {
        guard let now = current?.usableValue, let before = previous?.usableValue else { return nil }
        if indicator.changeIsInPoints { return now - before }
        return (now - before).divided(by: before).map { $0 * Exact(100) }
    }

    public static func lookup(area: String, indicator: String, year: Int,
                              observations: [ObservationKey: Observation], registry: AreaRegistry) -> YearOverYear {
        let current = observations[ObservationKey(area: area, indicator: indicator, period: year)]
        let previous = Lineage.firstAlongPredecessors(of: area, registry: registry) { code in
            observations[ObservationKey(area: code, indicator: indicator, period: year - 1)]
        }
        return YearOverYear(current: current, previous: previous)
    }
}
