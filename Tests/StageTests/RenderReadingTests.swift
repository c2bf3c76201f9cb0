import Aggregate
@testable import Render
import Testing
import YearbookCore
import YearbookTestSupport

/// Pages every reader can use, given/expect: English figures in English scales and
/// ordinals, row headers, scopes, focusable scroll regions, the `<main>` landmark,
/// charts that say in words what they show and link to their table, labels that
/// wrap and never cut, and no rank column where a rank compares with nothing.
@Suite struct RenderReadingTests {
    let edition = RenderStageTests().edition

    func document(_ id: String, _ edition: Edition, presentation: Presentation = Fixture.definition.presentation) -> ChapterDocument {
        edition.document(for: edition.chapters.first { $0.id == id }!, presentation: presentation)
    }

    @Test func englishScalesConvertTheChineseFigureExactly() {
        // {EXPR|万|1} of 102,000 is 10.2万 in Chinese and 102 thousand in English; the English is the same rounded figure.
        #expect(NumberFormat.scaled(Exact(102_000), power: 4, decimals: 1) == "10.2")
        #expect(NumberFormat.englishScaled(Exact(102_000), power: 4, decimals: 1) == "102 thousand")
        #expect(NumberFormat.englishScaled(Exact(12_650_000), power: 4) == "12.65 million")
        #expect(NumberFormat.englishScaled(Exact(348_000_000), power: 8) == "348 million")
        #expect(NumberFormat.englishScaled(Exact(18_149), power: 4) == "18.1 thousand")  // 1.81万
        #expect(NumberFormat.englishScaled(Exact(102_345), power: 4, decimals: 1) == "102 thousand")  // 10.2万 too
        #expect(NumberFormat.englishScaled(Exact(1_234_567_890_123), power: 8) == "1,234.568 billion")  // 12,345.68亿
        #expect(NumberFormat.englishScaled(Exact(999_960), power: 4, decimals: 1) == "1 million")  // 100万
        #expect(NumberFormat.englishScaled(Exact(500), power: 4) == "500")  // 0.05万
        #expect(NumberFormat.englishScaled(Exact(-42_000), power: 4, decimals: 1) == "-42 thousand")
    }

    @Test func ranksReadAsEnglishOrdinals() {
        #expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112].map(NumberFormat.ordinal)
            == ["1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th"])
        #expect(NumberFormat.englishRank(5, among: 14) == "5th")
        #expect(NumberFormat.englishRank(1, among: 1) == "1st of 1")
    }

    @Test func headlinesReadInEnglishUnitsAndTheChineseStaysIn万() {
        var edition = edition
        edition.observations[ObservationKey(area: "430200", indicator: "DIBAO_PERSONS_U", period: 2019)] =
            RenderStageTests.cell("430200", "DIBAO_PERSONS_U", 2019, Exact(102_000), .aggregated)
        var presentation = Fixture.definition.presentation
        presentation.chapters["social-assistance"]?.headlines = [
            Bilingual(zh: "城市低保对象{DIBAO_PERSONS_U|万|1}万人，排全省第{rank:DIBAO_PC_U}位，较上年{move:DIBAO_PC_U}；标准{move:DIBAO_STD_U}。",
                      en: "Urban recipients: {DIBAO_PERSONS_U|万|1} persons; ranked {rank:DIBAO_PC_U}, {move:DIBAO_PC_U}; standard {rank:DIBAO_STD_U}, {move:DIBAO_STD_U}."),
        ]
        #expect(document("social-assistance", edition, presentation: presentation).headlines == [
            Bilingual(zh: "城市低保对象10.2万人，排全省第1位，较上年上升1位；标准下降1位。",
                      en: "Urban recipients: 102 thousand persons; ranked 1st, up 1 place; standard 2nd, down 1 place."),
        ])
    }

    @Test func noRankColumnsWhereEveryRankedGroupHasOneMember() {
        var edition = edition
        edition.rankings = [
            RankingRow(indicator: "DIBAO_PC_U", parent: "430000", area: "430200", period: 2019, published: "304", rank: 1, rankedAmong: 1, previousRank: 1),
            RankingRow(indicator: "DIBAO_STD_U", parent: "430000", area: "430200", period: 2019, published: "610", rank: 1, rankedAmong: 1, previousRank: 1),
        ]
        let key = document("social-assistance", edition).tables[0]
        #expect(key.columns.map(\.en) == ["Indicator", "Unit", "2019", "2018", "Change (% or pp)"])
        #expect(key.columnIDs == ["indicator", "unit", "value", "previous", "change"])
        // One of them ranked among two: the columns are back, each rank as it is.
        edition.rankings[1].rankedAmong = 2
        #expect(document("social-assistance", edition).tables[0].columnIDs == ["indicator", "unit", "value", "previous", "change", "rank", "rank_change"])
    }

    @Test func tablesHaveRowHeadersScopesAndAKeyboardReachableRegion() {
        let html = HTMLWriter.chapter(document("social-assistance", edition), edition: edition)
        #expect(html.contains("</nav>\n<main>\n<h1>第1章 "))
        #expect(html.hasSuffix("</main>\n</body>\n</html>\n"))
        // A scroll box is a region a keyboard reaches, named by its table's caption.
        #expect(html.contains("<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"caption-dibao\"><table id=\"dibao\">\n"
            + "<caption id=\"caption-dibao\">城市最低生活保障 <span class=\"en\" lang=\"en\">Urban minimum living allowance</span></caption>\n"
            + "<col><colgroup span=\"2\"></colgroup>\n"
            + "<thead><tr><th scope=\"col\" rowspan=\"2\">地区 (2019年) <span class=\"en\" lang=\"en\">Area, 2019</span></th>"
            + "<th scope=\"colgroup\" colspan=\"2\" class=\"group\">城市低保 <span class=\"en\" lang=\"en\">Urban allowance</span></th></tr>"))
        // The first cell of each row names it; a ranking's rank and area both do.
        #expect(html.contains("<tr class=\"subject\"><th scope=\"row\">株洲市 Zhuzhou</th><td>44<sup>P</sup></td><td>304<sup>P</sup></td></tr>\n"))
        #expect(html.contains("<tr><th scope=\"row\">荷塘区 Hetang</th><td>–</td><td>333</td></tr>\n"))
        #expect(html.contains("<thead><tr><th scope=\"col\" class=\"name\">排名 <span class=\"en\" lang=\"en\">Rank</span></th>"
            + "<th scope=\"col\" class=\"name\">地区 <span class=\"en\" lang=\"en\">Area</span></th><th scope=\"col\">2019年"))
        #expect(html.contains("<tr class=\"subject\"><th scope=\"row\">2</th><th scope=\"row\">株洲市 Zhuzhou</th><td>610</td><td>1</td><td>↓1</td></tr>\n"))
        #expect(!html.contains("<td class=\"text\">株洲市"))
        // The chart links to the table that holds its figures.
        #expect(html.contains("<figcaption><a href=\"#rank-DIBAO_STD_U\">图中数据见表：城市低保标准：湖南省排名 "
            + "<span lang=\"en\">The figures in a table: Urban minimum-allowance standard: ranking in Hunan</span></a></figcaption>\n</figure>"))
        // On a phone the chart scrolls in a region of its own, named apart from the ranking table's.
        #expect(html.contains("<figure id=\"chart-rank-DIBAO_STD_U\">\n<div class=\"scroll\" role=\"region\" tabindex=\"0\" "
            + "aria-label=\"图：城市低保标准：湖南省排名 Chart: Urban minimum-allowance standard: ranking in Hunan\">\n<svg "))
        #expect(HTMLWriter.index(edition).contains("<body>\n<main>\n<h1>"))
    }

    @Test func chartsSayWhatTheDataShowInChineseAndEnglish() throws {
        let ranking = try #require(document("social-assistance", edition).charts.first)
        #expect(ranking.summary == Bilingual(
            zh: "条形图：湖南省各地区城市低保标准排名，2个地区，最高为湘潭市620元/人·月，最低为株洲市610元/人·月；株洲市排第2位",
            en: "Bar chart: the areas of Hunan ranked on urban minimum-allowance standard, 2 areas; highest Xiangtan, 620 yuan per person-month; lowest Zhuzhou, 610 yuan per person-month; Zhuzhou 2nd"))
        let svg = SVGWriter.svg(ranking, standalone: false)
        #expect(svg.contains("role=\"img\" aria-labelledby=\"title-rank-DIBAO_STD_U\" aria-describedby=\"desc-rank-DIBAO_STD_U\""))
        #expect(svg.contains("<desc id=\"desc-rank-DIBAO_STD_U\">条形图：湖南省各地区城市低保标准排名，2个地区，最高为湘潭市620元/人·月，"))
        let beds = try #require(document("elderly-care", edition).charts.first)
        #expect(beds.summary == Bilingual(
            zh: "条形图：株洲市各地区养老床位数 (2019年)，3个地区，最高为荷塘区120张，最低为芦淞区0张",
            en: "Bar chart: elderly-care beds in the areas of Zhuzhou, 2019, 3 areas; highest Hetang, 120; lowest Lusong, 0"))
    }

    @Test func longLabelsWrapAndAreNeverCut() {
        let name = Bilingual(zh: "湘西土家族苗族自治州", en: "Xiangxi Tujia and Miao Autonomous Prefecture")
        #expect(SVGWriter.labelLines(name, room: 192) == ["湘西土家族苗族自治州", "Xiangxi Tujia and Miao", "Autonomous Prefecture"])
        #expect(SVGWriter.labelLines(Bilingual(zh: "株洲市", en: "Zhuzhou"), room: 192) == ["株洲市 Zhuzhou"])
        // A word longer than a line is broken, not cut.
        #expect(SVGWriter.wrapped("A-prefecture-name-that-is-one-very-long-word", room: 140) == ["A-prefecture-name-th", "at-is-one-very-long-", "word"])
        let chart = Chart(id: "areas-X", title: Bilingual(zh: "测试", en: "Test"), unit: Bilingual(zh: "人", en: "persons"), kind: .bars,
                          points: [ChartPoint(label: name, value: Exact(355), text: "355", emphasized: false)], decimals: 0)
        let svg = SVGWriter.svg(chart, standalone: false)
        #expect(!svg.contains("…") && !svg.contains("<desc"))
        #expect(svg.contains(">湘西土家族苗族自治州</text><text x=\"194\" y=\"77\" text-anchor=\"end\">Xiangxi Tujia and Miao</text>"
            + "<text x=\"194\" y=\"91\" text-anchor=\"end\">Autonomous Prefecture</text>"))
    }

    @Test func aTrendHasALabelledValueAxisThatUsesItsHeight() {
        // 25,204 to 28,132: steps of 1,000 from 25,000 to 29,000, not a scale from zero.
        let scale = SVGWriter.axis([Exact(25_204), Exact(26_742), Exact(28_132)], decimals: 0)
        #expect(scale.ticks == [25_000, 26_000, 27_000, 28_000, 29_000].map { Exact($0) })
        #expect(scale.decimals == 0)
        #expect(SVGWriter.axis([Exact(decimal: "36.0")!, Exact(decimal: "37.7")!], decimals: 1).ticks
            == ["36", "36.5", "37", "37.5", "38"].map { Exact(decimal: $0)! })
        // A flat line is drawn from zero.
        #expect(SVGWriter.axis([Exact(5), Exact(5)], decimals: 0).ticks == [0, 1, 2, 3, 4, 5].map { Exact($0) })
    }
}
