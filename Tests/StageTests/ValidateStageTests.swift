import Testing
import Validate
import YearbookCore
import YearbookTestSupport

/// Validate, given/expect: the fixture's two rules over a few cells, each
/// rule's counts and each failure as a finding with severity, message and location.
@Suite struct ValidateStageTests {
    @Test func eachRuleGivesItsFindingWithSeverityAndLocation() throws {
        let observations = Fixture.dataset([
            Fixture.observation("430202", "DIBAO_HH_U", 2019, "2", .A, .dibao, origin: "2019/exports/430202_dibao.csv.gz"),
            Fixture.observation("430202", "DIBAO_PERSONS_U", 2019, "5", .A, .dibao, origin: "2019/exports/430202_dibao.csv.gz"),
            Fixture.observation("430212", "DIBAO_HH_U", 2019, "2", .A, .submission, origin: "2019/submissions/a.xml:6"),
            Fixture.observation("430212", "DIBAO_PERSONS_U", 2019, "1", .A, .submission, origin: "2019/submissions/a.xml:7"),
            Fixture.observation("430200", "DIBAO_HH_U", 2019, "4", .A, .aggregated),
            Fixture.observation("430200", "DIBAO_PERSONS_U", 2019, "6", .A, .aggregated),
            Fixture.observation("430200", "BEDS_TOTAL", 2018, "120", .A, .aggregated),
            Fixture.observation("430200", "BEDS_TOTAL", 2019, "200", .A, .aggregated),
            Fixture.observation("430200", "DIBAO_STD_U", 2018, "600", .A, .submission, origin: "2018/submissions/b.xml:5"),
            Fixture.observation("430200", "DIBAO_STD_U", 2019, "610", .A, .submission, origin: "2019/submissions/b.xml:5"),
        ])
        let rules = try #require(Fixture.definition.file.rules)
        let (results, problems) = try Validation.run(rules: rules, observations: observations, indicators: Fixture.indicators,
                                                     registry: Fixture.registry, year: 2019)
        // Six areas are valid in 2019 (株洲县 430221 is not). The error rule: 荷塘区 5 ≥ 2 and 株洲市 6 ≥ 4 pass,
        // 渌口区 1 ≥ 2 fails, 湖南省, 湘潭市 and 芦淞区 have no figures.
        // The warning rule, for two indicators in each area: 株洲市's standard moves 10 ≤ 0.5 × 600 and passes,
        // its beds move 80 > 0.5 × 120 and fail; the other ten lack a figure of one year or the other.
        #expect(results.map { "\($0.rule.id): checked \($0.checked), passed \($0.passed), failed \($0.failed), missing \($0.missing)" } == [
            "dibao_persons_at_least_households_urban: checked 6, passed 2, failed 1, missing 3",
            "year_over_year_jump: checked 12, passed 1, failed 1, missing 10",
        ])
        // The error is located where its first figure came from; an aggregated figure has no file.
        // 80 / 120 = +66.7%.
        #expect(try problems.all().map(Fixture.finding) == [
            "error rule [2019/submissions/a.xml:7] rule dibao_persons_at_least_households_urban fails for Lukou 430212 "
                + "Urban minimum-allowance recipients DIBAO_PERSONS_U 2019: Urban recipients at least urban households (DIBAO_PERSONS_U=1, DIBAO_HH_U=2)",
            "warning rule [] rule year_over_year_jump fails for Zhuzhou 430200 Elderly-care beds BEDS_TOTAL 2019: "
                + "No figure moves more than 50% on last year (BEDS_TOTAL=200; BEDS_TOTAL 2018=120 (+66.7%))",
        ])
        #expect(try problems.all().first?.messageZH == "规则 dibao_persons_at_least_households_urban 未通过：渌口区 430212 城市低保对象 DIBAO_PERSONS_U 2019年："
            + "城市低保对象不少于城市低保户数（DIBAO_PERSONS_U=1, DIBAO_HH_U=2）")
        #expect(try problems.all().map { "\($0.area ?? "") \($0.indicator ?? "") \($0.period.map(String.init) ?? "")" }
                == ["430212 DIBAO_PERSONS_U 2019", "430200 BEDS_TOTAL 2019"])
    }
}
