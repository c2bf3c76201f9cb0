import Aggregate
import Reconcile
import Testing
import YearbookCore
import YearbookTestSupport

/// Aggregate, given/expect: county rows in, every level's rows out, with ratios
/// of sums as exact decimals (4 decimals as `observations.csv` writes them).
@Suite struct AggregateStageTests {
    func cell(_ area: String, _ indicator: String, _ value: String?, _ status: ObservationStatus = .A,
              _ source: ObservationSource = .submission) -> Observation {
        Fixture.observation(area, indicator, 2019, value, status, source)
    }

    @Test func countiesRollUpToPrefectureAndProvinceAndRatiosAreRatiosOfSums() throws {
        let base = Fixture.dataset([
            cell("430202", "DIBAO_HH_U", "2", .A, .dibao), cell("430202", "DIBAO_PERSONS_U", "3", .A, .dibao),
            cell("430202", "DIBAO_AMOUNT_U", "1000", .A, .dibao),
            cell("430203", "DIBAO_HH_U", "12"), cell("430203", "DIBAO_PERSONS_U", "40", .P),
            cell("430203", "DIBAO_AMOUNT_U", "12345.67"),
            cell("430212", "DIBAO_HH_U", "1", .A, .dibao), cell("430212", "DIBAO_PERSONS_U", "1", .A, .dibao),
            cell("430212", "DIBAO_AMOUNT_U", "10.5", .A, .dibao),
            // 株洲市's own totals: the sum of its counties is kept and compared with them.
            cell("430200", "DIBAO_HH_U", "16"), cell("430200", "DIBAO_PERSONS_U", "54"),
            // 湘潭市 has no county in the registry: its own figures stand.
            cell("430300", "DIBAO_HH_U", "20"), cell("430300", "DIBAO_PERSONS_U", "50"), cell("430300", "DIBAO_AMOUNT_U", "15000"),
            // Standards are not additive: each stands where it is submitted.
            cell("430200", "DIBAO_STD_U", "610"), cell("430300", "DIBAO_STD_U", "620", .E),
            // 芦淞区's beds are missing: 株洲市 has no sum, and its own 210 is not used.
            cell("430202", "BEDS_TOTAL", "120", .P), cell("430203", "BEDS_TOTAL", nil, .M), cell("430212", "BEDS_TOTAL", "80"),
            cell("430200", "BEDS_TOTAL", "210"),
        ])
        let result = try Aggregation.run(base: base, indicators: Fixture.indicators, registry: Fixture.registry, periods: [2019])
        #expect(Fixture.rows(result.observations) == [
            "430000,DIBAO_AMOUNT_U,2019,28356.17,A,aggregated",  // 13356.17 + 15000
            "430000,DIBAO_HH_U,2019,35,A,aggregated",  // 15 + 20
            "430000,DIBAO_PC_U,2019,301.6614,P,derived",  // 28356.17 / 94 = 301.66138…, not the mean of 303.55 and 300
            "430000,DIBAO_PERSONS_U,2019,94,P,aggregated",  // 44 + 50, P from 芦淞区
            "430200,DIBAO_AMOUNT_U,2019,13356.17,A,aggregated",  // 1000 + 12345.67 + 10.5
            "430200,DIBAO_HH_U,2019,15,A,aggregated",  // 2 + 12 + 1, not the submitted 16
            "430200,DIBAO_PC_U,2019,303.5493,P,derived",  // 13356.17 / 44 = 303.549318…
            "430200,DIBAO_PERSONS_U,2019,44,P,aggregated",  // 3 + 40 + 1, not the submitted 54
            "430200,DIBAO_STD_U,2019,610,A,submission",
            "430202,BEDS_TOTAL,2019,120,P,submission",
            "430202,DIBAO_AMOUNT_U,2019,1000,A,dibao",
            "430202,DIBAO_HH_U,2019,2,A,dibao",
            "430202,DIBAO_PC_U,2019,333.3333,A,derived",  // 1000 / 3
            "430202,DIBAO_PERSONS_U,2019,3,A,dibao",
            "430203,BEDS_TOTAL,2019,,M,submission",
            "430203,DIBAO_AMOUNT_U,2019,12345.67,A,submission",
            "430203,DIBAO_HH_U,2019,12,A,submission",
            "430203,DIBAO_PC_U,2019,308.6418,P,derived",  // 12345.67 / 40 = 308.64175, half away from zero
            "430203,DIBAO_PERSONS_U,2019,40,P,submission",
            "430212,BEDS_TOTAL,2019,80,A,submission",
            "430212,DIBAO_AMOUNT_U,2019,10.5,A,dibao",
            "430212,DIBAO_HH_U,2019,1,A,dibao",
            "430212,DIBAO_PC_U,2019,10.5000,A,derived",
            "430212,DIBAO_PERSONS_U,2019,1,A,dibao",
            "430300,DIBAO_AMOUNT_U,2019,15000,A,submission",
            "430300,DIBAO_HH_U,2019,20,A,submission",
            "430300,DIBAO_PC_U,2019,300.0000,A,derived",
            "430300,DIBAO_PERSONS_U,2019,50,A,submission",
            "430300,DIBAO_STD_U,2019,620,E,submission",
        ])
        // The ratio is exact, not a decimal approximation: 28356.17 / 94 = 2835617 / 9400.
        let province = result.observations[ObservationKey(area: "430000", indicator: "DIBAO_PC_U", period: 2019)]?.value
        #expect(province == Exact(numerator: 2835617, denominator: 9400))
        // The stage words its own problems: the incomplete sum, and the submitted total its areas contradict.
        #expect(result.problems.map(Fixture.finding) == [
            "warning incomplete [] Elderly-care beds BEDS_TOTAL 2019 of Zhuzhou 430200 has no value: 1 of 3 areas have none (Lusong 430203); "
                + "its own submitted 210 is not used",
            "warning reconciliation [] Urban minimum-allowance recipients DIBAO_PERSONS_U 2019 of Zhuzhou 430200: "
                + "sum of its areas 44, submitted total 54 (difference 10, tolerance 5); the sum is kept",
        ])
        // Tolerance max(5, 0.5% of the sum): 16 against 15 is within it, 54 against 44 is not.
        #expect(result.comparisons.map { "\($0.key.area) \($0.key.indicator) kept \($0.kept.plainDecimal) reported \($0.reported.plainDecimal) "
            + "tolerance \($0.tolerance.plainDecimal) \($0.exceedsTolerance ? "exceeded" : "within")" } == [
            "430200 DIBAO_HH_U kept 15 reported 16 tolerance 5 within",
            "430200 DIBAO_PERSONS_U kept 44 reported 54 tolerance 5 exceeded",
        ])
    }
}

/// Ranks, given/expect: values in, competition ranks among each parent's areas
/// on the published value, with the previous year's rank (a predecessor's too).
@Suite struct RankingStageTests {
    @Test func tiesShareARankAndTheNextRankSkips() {
        let derived = ObservationSource.derived
        let observations = Fixture.dataset([
            // 2017: 株洲县 1st, 芦淞区 2nd, 荷塘区 3rd.
            Fixture.observation("430202", "DIBAO_PC_U", 2017, "300", .A, derived),
            Fixture.observation("430203", "DIBAO_PC_U", 2017, "310", .A, derived),
            Fixture.observation("430221", "DIBAO_PC_U", 2017, "320", .A, derived),
            // 2018: 333.4 and 332.5 both publish as 333 (half away from zero): a tie for 1st, then 3rd.
            Fixture.observation("430202", "DIBAO_PC_U", 2018, "333.4", .A, derived),
            Fixture.observation("430203", "DIBAO_PC_U", 2018, "310", .A, derived),
            Fixture.observation("430212", "DIBAO_PC_U", 2018, "332.5", .A, derived),
            // The only prefecture with a value ranks among one.
            Fixture.observation("430300", "DIBAO_PC_U", 2018, "300", .A, derived),
            Fixture.observation("430200", "DIBAO_STD_U", 2017, "500", .A, .submission),
            Fixture.observation("430300", "DIBAO_STD_U", 2017, "520", .A, .submission),
            Fixture.observation("430200", "DIBAO_STD_U", 2018, "600", .A, .submission),
            Fixture.observation("430300", "DIBAO_STD_U", 2018, "580", .A, .submission),
            // A province has no parent: not ranked. BEDS_TOTAL has no rank direction: not ranked.
            Fixture.observation("430000", "DIBAO_STD_U", 2018, "590", .A, .submission),
            Fixture.observation("430202", "BEDS_TOTAL", 2018, "100", .A, .submission),
        ])
        let rows = Ranking.table(observations: observations, indicators: Fixture.indicators, registry: Fixture.registry, year: 2018)
        #expect(rows.map { row in
            "\(row.indicator) \(row.parent) \(row.area) \(row.period) \(row.published) \(row.rank)/\(row.rankedAmong) "
                + "previous \(row.previousRank.map(String.init) ?? "–") change \(row.rankChange.map(String.init) ?? "–")"
        } == [
            "DIBAO_PC_U 430000 430300 2018 300 1/1 previous – change –",
            "DIBAO_PC_U 430200 430202 2018 333 1/3 previous 3 change 2",
            // 渌口区's previous rank is its predecessor 株洲县's.
            "DIBAO_PC_U 430200 430212 2018 333 1/3 previous 1 change 0",
            "DIBAO_PC_U 430200 430203 2018 310 3/3 previous 2 change -1",
            "DIBAO_STD_U 430000 430200 2018 600 1/2 previous 2 change 1",
            "DIBAO_STD_U 430000 430300 2018 580 2/2 previous 1 change -1",
        ])
    }
}
