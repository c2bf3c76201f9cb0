import Aggregate
import YearbookCore

extension Edition {
    /// Why a figure is withheld from release: as this edition withholds it, else as the latest earlier
    /// edition that withheld it (a figure withheld once stays withheld in every later history).
    public func confidentiality(_ key: ObservationKey) -> Confidentiality? {
        if let status = withheld[key] { return status }
        return history.reversed().lazy.compactMap { $0.withheld[key] }.first
    }

    func confidentiality(_ observation: Observation?) -> Confidentiality? {
        observation.flatMap { confidentiality($0.key) }
    }

    /// Whether the edition or an earlier one it shows withholds a figure: only then do the pages and the
    /// workbook explain the mark.
    public var withholdsAny: Bool { !withheld.isEmpty || history.contains { !$0.withheld.isEmpty } }

    /// The ranks as pages, the workbook and released data show them (`Ranking.published`).
    public var publishedRankings: [RankingRow] {
        withholdsAny ? Ranking.published(rankings) { confidentiality($0) != nil } : rankings
    }

    /// Whether an area's own figure of last year is withheld: its published ranking has no rank last
    /// year, and its rank move would tell where that figure lay.
    func previousConfidentiality(area: String, indicator: String) -> Confidentiality? {
        confidentiality(ObservationKey(area: area, indicator: indicator, period: year - 1))
    }

}

/// What the pages and the workbook say of the mark `*`, where something is withheld.
public enum WithheldLegend {
    /// In a chapter's legend line.
    public static let short = "保密，不予公布 confidential, withheld"
    public static let term = Bilingual(zh: NumberFormat.withheld, en: "confidential")
    public static let explanation = Bilingual(
        zh: "保密数：据以计算的户数或人数过少、可识别个人的数值（A），或可由公布数值推算出此类数值的数值（D），依《统计法》第二十五条不予公布；由其计算的增长、排名和位次变化同样不予公布。数据文件中其值为空，conf_status 为 A 或 D。",
        en: "Confidential: counted from too few households or persons to publish without identifying them (A), or a figure from which such a one could be worked out (D); withheld under Article 25 of the Statistics Law, with the change, rank and rank move made from it. In the data files its value is empty and conf_status is A or D.")
    public static let ranks = Bilingual(
        zh: "保密数不参与排名：其他地区只在公布的数值之间排名（上年排名同样只在上年公布的数值之间）。",
        en: "A confidential figure has no rank: the other areas are ranked among the published figures only (last year's ranks likewise among last year's published figures).")
}
