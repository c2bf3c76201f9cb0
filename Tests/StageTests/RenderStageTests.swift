import Aggregate
import EditionFiles
import Render
import Testing
import YearbookCore
import YearbookTestSupport

/// Render, given/expect: an Edition of a few aggregated cells and ranks in, a
/// chapter's exact Markdown lines and its tables as data out. Figures are
/// rounded half away from zero once, from the exact value, at publication.
@Suite struct RenderStageTests {
    static func cell(_ area: String, _ indicator: String, _ period: Int, _ value: Exact, _ source: ObservationSource,
                     _ status: ObservationStatus = .A) -> Observation {
        Observation(key: ObservationKey(area: area, indicator: indicator, period: period), value: value, status: status, source: source)
    }

    static func decimal(_ text: String) -> Exact { Exact(decimal: text)! }

    /// The rows the aggregation and ranking tests end with, and the year before.
    let edition: Edition = {
        let ratio = { (amount: String, persons: Int) in decimal(amount).divided(by: Exact(persons))! }
        let observations = Fixture.dataset([
            cell("430200", "DIBAO_PERSONS_U", 2019, Exact(44), .aggregated, .P),
            cell("430200", "DIBAO_PC_U", 2019, ratio("13356.17", 44), .derived, .P),  // 303.549318…
            cell("430202", "DIBAO_PC_U", 2019, ratio("1000", 3), .derived),  // 333.333…
            cell("430203", "DIBAO_PC_U", 2019, ratio("12345.67", 40), .derived, .P),  // 308.64175
            cell("430212", "DIBAO_PC_U", 2019, ratio("10.5", 1), .derived),  // 10.5
            cell("430300", "DIBAO_PC_U", 2019, Exact(300), .derived),
            cell("430200", "DIBAO_PC_U", 2018, Exact(290), .derived),
            cell("430202", "DIBAO_PC_U", 2018, Exact(300), .derived),
            cell("430203", "DIBAO_PC_U", 2018, Exact(310), .derived),
            cell("430300", "DIBAO_PC_U", 2018, Exact(300), .derived),
            cell("430200", "DIBAO_STD_U", 2019, Exact(610), .submission),
            cell("430300", "DIBAO_STD_U", 2019, Exact(620), .submission, .E),
            cell("430200", "BEDS_TOTAL", 2019, Exact(200), .aggregated, .P),
            cell("430202", "BEDS_TOTAL", 2019, Exact(120), .submission, .P),
            cell("430203", "BEDS_TOTAL", 2019, Exact(0), .submission),
            cell("430212", "BEDS_TOTAL", 2019, Exact(80), .submission),
            cell("430200", "BEDS_TOTAL", 2018, Exact(180), .aggregated),
            cell("430202", "BEDS_TOTAL", 2018, Exact(100), .submission),
            cell("430203", "BEDS_TOTAL", 2018, Exact(0), .submission),
            cell("430212", "BEDS_TOTAL", 2018, Exact(80), .submission),
        ])
        func rank(_ indicator: String, _ parent: String, _ area: String, _ published: String, _ rank: Int, of among: Int,
                  previous: Int?) -> RankingRow {
            RankingRow(indicator: indicator, parent: parent, area: area, period: 2019, published: published, rank: rank,
                       rankedAmong: among, previousRank: previous)
        }
        let definition = Fixture.definition
        return Edition(year: 2019, title: definition.file.title.zh, titleEN: definition.file.title.en, subject: definition.file.subject,
                       registry: Fixture.registry, indicators: definition.indicators, chapters: definition.chapters,
                       observations: observations, rankings: [
                           rank("DIBAO_PC_U", "430000", "430200", "304", 1, of: 2, previous: 2),
                           rank("DIBAO_PC_U", "430000", "430300", "300", 2, of: 2, previous: 1),
                           rank("DIBAO_PC_U", "430200", "430202", "333", 1, of: 3, previous: 2),
                           rank("DIBAO_PC_U", "430200", "430203", "309", 2, of: 3, previous: 1),
                           rank("DIBAO_PC_U", "430200", "430212", "11", 3, of: 3, previous: nil),
                           rank("DIBAO_STD_U", "430000", "430300", "620", 1, of: 2, previous: 2),
                           rank("DIBAO_STD_U", "430000", "430200", "610", 2, of: 2, previous: 1),
                       ])
    }()

    func chapter(_ id: String) -> (document: ChapterDocument, lines: [String]) { chapterMarkdown(id, of: edition) }

    @Test func aChapterIsItsHeadlinesKeyFiguresATopicTableAndAChart() {
        // Without a layout: the key figures are the chapter's indicators, the topic table holds them six to a
        // table, and the first key figure the areas have is charted. 200 on 180 is +11.1%; beds are not ranked.
        #expect(chapter("elderly-care").lines == [
            "# 第2章 养老服务 · Elderly Care",
            "",
            "测试市民政统计年鉴 2019 · [目录 Contents](../index.md)",
            "",
            "全市养老床位200张。",
            "",
            "*Elderly-care beds: 200.*",
            "",
            "## 株洲市主要指标 · Key figures of Zhuzhou",
            "",
            "| 指标 Indicator | 单位 Unit | 2019年 2019 | 2018年 2018 | 增长 (% 或百分点) Change (% or pp) |",
            "| --- | ---: | ---: | ---: | ---: |",
            "| 养老床位数 Elderly-care beds | 张 beds | 200ᴾ | 180 | +11.1% |",
            "",
            "## 养老服务 · Elderly Care",
            "",
            "| 地区 (2019年) Area, 2019 | 养老床位数 (张) Elderly-care beds (beds) |",
            "| --- | ---: |",
            "| **株洲市 Zhuzhou** | **200ᴾ** |",
            "| 荷塘区 Hetang | 120ᴾ |",
            "| 芦淞区 Lusong | 0 |",
            "| 渌口区 Lukou | 80 |",
            "",
            "![养老床位数：株洲市各地区 (2019年) · Elderly-care beds: areas of Zhuzhou, 2019](charts/elderly-care-areas-BEDS_TOTAL.svg)",
            "",
            "---",
            "",
            MarkdownWriter.legend + " · [指标解释 Definitions](../definitions.md)",
            "",
        ])
    }

    @Test func keyFiguresATwoLevelTopicTableAndTheRankingAmongSiblings() {
        let (document, lines) = chapter("social-assistance")
        // 303.549… publishes as 304, 308.64175 as 309, 10.5 as 11 (half away from zero). The change from the
        // exact values: 303.549318…/290 − 1 = +4.67%. 株洲市 ranks 1 of 2 prefectures (2 last year: ↑1) on the
        // allowance, 2 of 2 on the standard (1 last year: ↓1); the standard has no 2018 figure.
        #expect(Array(lines[4..<11]) == [
            "全市城市低保对象44人，月人均救助水平304元。",
            "",
            "*Urban minimum-allowance recipients: 44; 304 yuan per recipient per month.*",
            "",
            "城市低保标准610元/人·月，排全省第2位，较上年下降1位。",
            "",
            "*Urban minimum-allowance standard: 610 yuan per person-month, ranked 2nd in the province, down 1 place on last year.*",
        ])
        #expect(tableSection(lines, "## 株洲市主要指标 · Key figures of Zhuzhou") == [
            "## 株洲市主要指标 · Key figures of Zhuzhou",
            "",
            "| 指标 Indicator | 单位 Unit | 2019年 2019 | 2018年 2018 | 增长 (% 或百分点) Change (% or pp) | 排名 Rank | 位次变化 Rank move |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            "| 城市低保月人均救助水平 Urban allowance per recipient per month | 元/人·月 yuan per person-month | 304ᴾ | 290 | +4.7% | 1 | ↑1 |",
            "| 城市低保标准 Urban minimum-allowance standard | 元/人·月 yuan per person-month | 610 | – | – | 2 | ↓1 |",
        ])
        // Two indicators side by side under one group heading (flattened into one header row in Markdown);
        // the counties have no recipients count of their own in this edition.
        #expect(tableSection(lines, "## 城市最低生活保障 · Urban minimum living allowance") == [
            "## 城市最低生活保障 · Urban minimum living allowance",
            "",
            "| 地区 (2019年) Area, 2019 | 城市低保 对象 (人) Urban allowance, Recipients (persons) "
                + "| 城市低保 月人均 (元/人·月) Urban allowance, Per recipient (yuan per person-month) |",
            "| --- | ---: | ---: |",
            "| **株洲市 Zhuzhou** | **44ᴾ** | **304ᴾ** |",
            "| 荷塘区 Hetang | – | 333 |",
            "| 芦淞区 Lusong | – | 309ᴾ |",
            "| 渌口区 Lukou | – | 11 |",
        ])
        #expect(tableSection(lines, "## 城市低保标准：湖南省排名 · Urban minimum-allowance standard: ranking in Hunan") == [
            "## 城市低保标准：湖南省排名 · Urban minimum-allowance standard: ranking in Hunan",
            "",
            "| 排名 Rank | 地区 Area | 2019年 (元/人·月) 2019 (yuan per person-month) | 上年排名 Rank 2018 | 位次变化 Rank move |",
            "| --- | ---: | ---: | ---: | ---: |",
            "| 1 | 湘潭市 Xiangtan | 620ᴱ | 2 | ↑1 |",
            "| **2** | **株洲市 Zhuzhou** | **610** | **1** | **↓1** |",
        ])
        #expect(document.charts.map(\.id) == ["rank-DIBAO_STD_U"])
        // The same tables as data (data/tables/social-assistance.json): rows by area and indicator, columns by
        // what they hold, marks apart; the chapter's indicators named.
        let tables = TablesData(document, edition: edition)
        #expect(tables.indicators.map(\.code) == ["DIBAO_PC_U", "DIBAO_STD_U", "DIBAO_PERSONS_U"])
        #expect(tables.tables.map(\.id) == ["key-figures", "dibao", "rank-DIBAO_STD_U"])
        let key = tables.tables[0]
        #expect(key.columns.map(\.id) == ["indicator", "unit", "value", "previous", "change", "rank", "rank_change"])
        #expect(key.rows.map { "\($0.area) \($0.indicator ?? ""): \($0.cells[2...].map { $0 ?? "null" }.joined(separator: " | ")) [\($0.marks.joined(separator: ","))]" } == [
            "430200 DIBAO_PC_U: 304 | 290 | +4.7% | 1 | ↑1 [,,P,,,,]",
            "430200 DIBAO_STD_U: 610 | – | – | 2 | ↓1 [,,,,,,]",
        ])
        let topic = tables.tables[1]
        #expect(topic.columns.map { "\($0.id) \($0.indicator ?? "-")" } == ["area -", "DIBAO_PERSONS_U DIBAO_PERSONS_U", "DIBAO_PC_U DIBAO_PC_U"])
        #expect(topic.rows.map { "\($0.area): \($0.cells.map { $0 ?? "null" }.joined(separator: " | ")) [\($0.marks.joined(separator: ","))]" } == [
            "430200: 株洲市 Zhuzhou | 44 | 304 [,P,P]",
            "430202: 荷塘区 Hetang | – | 333 [,,]",
            "430203: 芦淞区 Lusong | – | 309 [,,P]",
            "430212: 渌口区 Lukou | – | 11 [,,]",
        ])
        #expect(tables.tables[2].indicator == "DIBAO_STD_U")
    }
}
