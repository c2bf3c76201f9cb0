import Aggregate
import YearbookCore

/// Everything the renderer needs to write one edition of the yearbook.
public struct Edition: Sendable {
    public var year: Int
    public var title: String
    public var titleEN: String
    /// The area the yearbook is about.
    public var subject: String
    public var registry: AreaRegistry
    public var indicators: [Indicator]
    public var chapters: [Chapter]
    public var observations: [ObservationKey: Observation]
    public var rankings: [RankingRow]
    /// Earlier editions found beside this one, oldest first, for the key figures' history.
    public var history: [PublishedEdition]
    /// The figures withheld from release (small cells, and those that would reveal them): shown as a mark.
    public var withheld: Withholding

    public init(year: Int, title: String, titleEN: String, subject: String, registry: AreaRegistry,
                indicators: [Indicator], chapters: [Chapter], observations: [ObservationKey: Observation],
                rankings: [RankingRow], history: [PublishedEdition] = [], withheld: Withholding = .none) {
        self.year = year
        self.title = title
        self.titleEN = titleEN
        self.subject = subject
        self.registry = registry
        self.indicators = indicators
        self.chapters = chapters
        self.observations = observations
        self.rankings = rankings
        self.history = history
        self.withheld = withheld
    }

    public func indicator(_ code: String) -> Indicator? { indicators.first { $0.code == code } }
}
