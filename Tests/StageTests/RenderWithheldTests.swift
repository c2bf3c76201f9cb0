import Aggregate
import EditionFiles
@testable import Render
import Testing
import YearbookCore
import YearbookTestSupport

/// Figures withheld from release, given/expect: RenderStageTests' edition with some of its cells withheld
/// shows each as `*` in every table, chart, headline and data file a reader meets, never its digits; a
/// change, rank or move made from one is withheld with it, and the others rank among published figures.
@Suite struct RenderWithheldTests {
    static func key(_ area: String, _ indicator: String, _ period: Int) -> ObservationKey {
        ObservationKey(area: area, indicator: indicator, period: period)
    }

    /// 株洲市's allowance per recipient (303.549…, published 304) and 芦淞区's (308.64175, 309); 株洲市's beds
    /// (200) and 荷塘区's (120).
    let edition: Edition = {
        var edition = RenderStageTests().edition
        edition.withheld = Withholding(cells: [
            key("430200", "DIBAO_PC_U", 2019): .secondary, key("430203", "DIBAO_PC_U", 2019): .primary,
            key("430200", "BEDS_TOTAL", 2019): .secondary, key("430202", "BEDS_TOTAL", 2019): .primary,
        ])
        return edition
    }()

    @Test func aWithheldFigureItsChangeRankAndMoveShowTheMark() {
        let (document, lines) = chapterMarkdown("social-assistance", of: edition)
        #expect(Array(lines[4..<7]) == [
            "全市城市低保对象44人，月人均救助水平\\*元。", "", "*Urban minimum-allowance recipients: 44; \\* yuan per recipient per month.*",
        ])
        #expect(tableSection(lines, "## 株洲市主要指标 · Key figures of Zhuzhou").suffix(2) == [
            "| 城市低保月人均救助水平 Urban allowance per recipient per month | 元/人·月 yuan per person-month | \\* | 290 | \\* | \\* | \\* |",
            "| 城市低保标准 Urban minimum-allowance standard | 元/人·月 yuan per person-month | 610 | – | – | 2 | ↓1 |",
        ])
        #expect(tableSection(lines, "## 城市最低生活保障 · Urban minimum living allowance").suffix(4) == [
            "| **株洲市 Zhuzhou** | **44ᴾ** | **\\*** |", "| 荷塘区 Hetang | – | 333 |", "| 芦淞区 Lusong | – | \\* |", "| 渌口区 Lukou | – | 11 |",
        ])
        #expect(lines.last { !$0.isEmpty }?.contains("· \\* 保密，不予公布 confidential, withheld · [指标解释 Definitions]") == true)
        // As data: a withheld cell is null with its CONF_STATUS beside, never its digits.
        let tables = TablesData(document, edition: edition)
        let key = tables.tables[0].rows[0]
        #expect(key.cells == ["城市低保月人均救助水平 Urban allowance per recipient per month", "元/人·月 yuan per person-month", nil, "290", nil, nil, nil])
        #expect(key.confStatus == ["", "", "D", "", "D", "D", "D"])
        #expect(tables.tables[0].rows[1].confStatus == nil)
        let json = String(decoding: tables.json, as: UTF8.self)
        #expect(json.contains("\"conf_status\" : [\n            \"\",\n            \"\",\n            \"D\""))
        for digits in ["304", "303.5", "309", "308.6"] { #expect(!json.contains(digits)) }
        let html = HTMLWriter.chapter(document, edition: edition)
        #expect(html.contains("<tr class=\"subject\"><th scope=\"row\">株洲市 Zhuzhou</th><td>44<sup>P</sup></td><td>*</td></tr>"))
        for digits in ["304", "303.5", "309", "308.6"] { #expect(!html.contains(digits)) }
    }

    @Test func aWithheldAreaHasNoBarAndTheChartNeverStatesItsFigure() throws {
        let (document, lines) = chapterMarkdown("elderly-care", of: edition)
        #expect(lines[4] == "全市养老床位\\*张。")
        let chart = try #require(document.charts.first)
        // Published bars first, by value; the withheld area after them with the mark and no bar.
        #expect(chart.points.map { "\($0.label.zh) \($0.text)" } == ["渌口区 80", "芦淞区 0", "荷塘区 *"])
        #expect(chart.summary == Bilingual(
            zh: "条形图：株洲市各地区养老床位数 (2019年)，2个地区，最高为渌口区80张，最低为芦淞区0张；另有1个地区的数值保密，不予公布",
            en: "Bar chart: elderly-care beds in the areas of Zhuzhou, 2019, 2 areas; highest Lukou, 80; lowest Lusong, 0; 1 more area's figure is withheld (confidential)"))
        let svg = SVGWriter.svg(chart, standalone: false)
        #expect(svg.components(separatedBy: "<rect x=\"200\"").count == 3)
        #expect(svg.contains(">荷塘区 Hetang</text><text x=\"204.0\" y=\"107\">*</text>"))
        for digits in ["120", "200"] { #expect(!svg.contains(">\(digits)") && !chart.summary.zh.contains(digits)) }
    }

    @Test func othersRankAmongPublishedFiguresAndTheWithheldFollowsMarked() throws {
        var edition = RenderStageTests().edition
        edition.withheld = Withholding(cells: [Self.key("430300", "DIBAO_STD_U", 2019): .primary])
        let (document, lines) = chapterMarkdown("social-assistance", of: edition)
        // 湘潭市's 620 is withheld: 株洲市 is the only area ranked among published figures, 1/1, as last year 1st.
        #expect(lines[8] == "城市低保标准610元/人·月，排全省第1/1位，较上年持平。")
        #expect(lines[10] == "*Urban minimum-allowance standard: 610 yuan per person-month, ranked 1st of 1 in the province, unchanged on last year.*")
        #expect(tableSection(lines, "## 城市低保标准：湖南省排名 · Urban minimum-allowance standard: ranking in Hunan").suffix(2) == [
            "| **1/1** | **株洲市 Zhuzhou** | **610** | **1** | **=** |",
            "| \\* | 湘潭市 Xiangtan | \\* | \\* | \\* |",
        ])
        let chart = try #require(document.charts.first)
        #expect(chart.summary.zh == "条形图：湖南省各地区城市低保标准排名，仅株洲市一个地区，610元/人·月；另有1个地区的数值保密，不予公布；株洲市排第1位")
        #expect(!MarkdownWriter.chapter(document, edition: edition).contains("620"))
    }

    @Test func ranksAmongPublishedFiguresKeepTiesAndShiftLastYearsRanks() {
        func row(_ area: String, _ rank: Int, _ previous: Int?) -> RankingRow {
            RankingRow(indicator: "X", parent: "P", area: area, period: 2019, published: "1", rank: rank, rankedAmong: 4, previousRank: previous)
        }
        let rows = [row("a", 1, 1), row("b", 2, 3), row("c", 2, 2), row("d", 4, 4)]
        // b withheld this year, c last year: c keeps rank 2 (b's tie) and has no rank last year; d is 3rd of 3, 3rd last year.
        let withheld: Set<ObservationKey> = [Self.key("b", "X", 2019), Self.key("c", "X", 2018)]
        let published = Ranking.published(rows) { withheld.contains($0) }
        #expect(published.map { "\($0.area) \($0.rank)/\($0.rankedAmong) \($0.previousRank.map(String.init) ?? "-")" } == ["a 1/3 1", "c 2/3 -", "d 3/3 3"])
        #expect(Ranking.published(rows) { _ in false } == rows)
    }

    @Test func historyAndTrendKeepWhatEarlierEditionsWithheld() throws {
        var edition = self.edition
        let earlier = { (year: Int, value: String) in Fixture.observation("430200", "DIBAO_PC_U", year, value, .A, .derived) }
        edition.history = [
            PublishedEdition(year: 2016, observations: Fixture.dataset([earlier(2015, "270"), earlier(2016, "280")]),
                             withheld: Withholding(cells: [Self.key("430200", "DIBAO_PC_U", 2016): .primary])),
            PublishedEdition(year: 2017, observations: Fixture.dataset([earlier(2016, "280"), earlier(2017, "285")])),
        ]
        let (_, lines) = chapterMarkdown("social-assistance", of: edition)
        #expect(tableSection(lines, "## 株洲市历年主要指标 · Key figures of Zhuzhou over the years").dropFirst(2).prefix(3) == [
            "| 指标 Indicator | 单位 Unit | 2015年 2015 | 2016年 2016 | 2017年 2017 | 2018年 2018 | 2019年 2019 |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            "| 城市低保月人均救助水平 Urban allowance per recipient per month | 元/人·月 yuan per person-month | 270 | \\* | 285 | 290 | \\* |",
        ])
        let indicator = try #require(edition.indicator("DIBAO_PC_U"))
        let trend = try #require(edition.trendChart(indicator, presentation: Fixture.definition.presentation))
        #expect(trend.points.map(\.text) == ["270", "*", "285", "290", "*"])
        #expect(trend.summary.zh == "折线图：株洲市城市低保月人均救助水平2015—2018年由270元/人·月增至290元/人·月")
        let svg = SVGWriter.svg(trend, standalone: false)
        // The line breaks at a withheld year: 2017–2018 is one piece, 2015 stands alone.
        #expect(svg.components(separatedBy: "<polyline").count == 2 && svg.components(separatedBy: "<circle").count == 4)
        // 280 is a tick of the axis, never a point's figure.
        #expect(!svg.contains("middle\">280</text>") && !svg.contains("304") && !svg.contains("303"))
    }

    @Test func theMarkIsExplainedOnlyWhereSomethingIsWithheld() {
        let marks = { (edition: Edition) in edition.definitions(presentation: Fixture.definition.presentation).first { $0.title.en == "Marks" }! }
        #expect(marks(edition).entries.last?.term == Bilingual(zh: "*", en: "confidential"))
        #expect(marks(edition).entries.last?.lines.first?.zh.hasPrefix("保密数：据以计算的户数或人数过少") == true)
        #expect(marks(RenderStageTests().edition).entries.last?.term.zh == "1/1")
        #expect(!MarkdownWriter.chapter(RenderStageTests().chapter("social-assistance").document, edition: RenderStageTests().edition).contains("保密"))
    }
}
