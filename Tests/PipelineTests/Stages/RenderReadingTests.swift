import Aggregate
@testable import Render
import Testing
import YearbookCore

/// Pages every reader can use, given/expect: English figures in English scales and ordinals.
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
}
