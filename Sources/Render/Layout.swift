import YearbookCore

/// What one chapter shows beyond its title, from the pipeline definition.
public struct ChapterLayout: Codable, Sendable, Hashable {
    /// Sentences with placeholders filled from the subject's figures:
    /// `{EXPR}` a value (`{BEDS_TOTAL}`, `{DIBAO_PERSONS_U+DIBAO_PERSONS_R}`),
    /// `{EXPR|万}` or `{EXPR|亿}` the value in 10⁴ or 10⁸ (up to 2 decimals),
    /// `{rank:CODE}` the subject's rank, `{move:CODE}` its move since last year.
    public var headlines: [Bilingual]?
    /// Indicators with a table of the subject and its areas; default: all of the chapter's.
    public var tables: [String]?
    /// Indicators whose ranking among the subject's sibling areas is shown.
    public var rankings: [String]?

    public init(headlines: [Bilingual]? = nil, tables: [String]? = nil, rankings: [String]? = nil) {
        self.headlines = headlines
        self.tables = tables
        self.rankings = rankings
    }
}

/// How figures are shown: columns of the indicator tables and unit labels.
public struct Presentation: Sendable {
    /// Any of `value`, `previous`, `change`, `rank`, `rank_change`, in order.
    public var columns: [String]
    /// Base unit → label a reader expects (e.g. `yuan` → 元 / yuan).
    public var units: [String: Bilingual]
    public var chapters: [String: ChapterLayout]

    public static let allColumns = ["value", "previous", "change", "rank", "rank_change"]

    public init(columns: [String] = Presentation.allColumns, units: [String: Bilingual] = [:],
                chapters: [String: ChapterLayout] = [:]) {
        self.columns = columns
        self.units = units
        self.chapters = chapters
    }

    public func layout(of chapter: String) -> ChapterLayout { chapters[chapter] ?? ChapterLayout() }

    public func unit(_ base: String) -> Bilingual { units[base] ?? Bilingual(zh: base, en: base) }
}
