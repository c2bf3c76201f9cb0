import Normalize
import Reconcile
import Testing
import YearbookCore
import YearbookTestSupport

/// Reconcile, given/expect: two counties' rosters and three messages in
/// (read by Normalize), the revisions, the base dataset and its warnings out.
@Suite struct ReconcileStageTests {
    let tree = TestTree()

    func roster(_ county: String, _ rows: String) throws -> RosterFileResult {
        let name = "2019/exports/\(county)_dibao.csv.gz"
        let path = tree.writeGzip(name, "household_id,area_code,category,members,monthly_amount,status\n" + rows)
        let reader = RosterReader(schema: RosterSchema.named("dibao")!, measures: try Fixture.definition.measures()["dibao"]!,
                                  registry: Fixture.registry)
        return try reader.read(path: path, displayName: name, county: county, year: 2019)
    }

    /// A message with one observation a line, from line 5 on.
    func submission(_ name: String, prepared: String, _ observations: [String]) throws -> [SubmittedObservation] {
        let path = tree.write(name, """
            <?xml version="1.0" encoding="UTF-8"?>
            <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">
            <message:Header><message:ID>\(name)</message:ID><message:Prepared>\(prepared)</message:Prepared><message:Sender id="430200"/></message:Header>
            <message:DataSet ss:structureRef="YB">
            \(observations.joined(separator: "\n"))
            </message:DataSet>
            </message:StructureSpecificData>

            """)
        let reader = SubmissionReader(indicators: Fixture.indicatorsByCode, registry: Fixture.registry, periods: [2018, 2019])
        return try reader.read(path: path, displayName: name).observations
    }

    func series(_ area: String, _ indicator: String, _ period: Int, _ value: String) -> String {
        "<Series FREQ=\"A\" REF_AREA=\"\(area)\" INDICATOR=\"\(indicator)\"><Obs TIME_PERIOD=\"\(period)\" OBS_VALUE=\"\(value)\"/></Series>"
    }

    @Test func rostersWinOverSubmissionsAndTheLatestMessageWins() throws {
        let hetang = try roster("430202", "h1,430202,U,2,300,active\nh2,430202,U,3,700,active\n")
        // 株洲县 430221 is retired after 2017: its 2019 roster counts under 渌口区 430212.
        let zhuzhouCounty = try roster("430221", "p1,430221,U,1,10.5,active\n")
        let submitted = try submission("2019/submissions/a.xml", prepared: "2020-01-10T00:00:00Z", [
            series("430202", "DIBAO_PERSONS_U", 2019, "20"),  // line 5: 15 more than the roster's 5
            series("430202", "DIBAO_HH_U", 2019, "2"),  // line 6: as the roster says
            series("430203", "DIBAO_PERSONS_U", 2019, "40"),  // line 7: 芦淞区 has no roster
            series("430200", "DIBAO_STD_U", 2019, "600"),  // line 8: revised by b.xml
            series("430221", "BEDS_TOTAL", 2018, "70"),  // line 9: a retired code
        ]) + submission("2019/submissions/b.xml", prepared: "2020-02-01T00:00:00Z", [
            series("430200", "DIBAO_STD_U", 2019, "610"),  // line 5
        ])
        let revisions = Revisions.resolve(submitted, registry: Fixture.registry, names: Fixture.names)
        #expect(revisions.revisions.map {
            "\($0.writtenArea) \($0.indicator) \($0.period): \($0.kept.value!.plainDecimal) of \($0.kept.file) over "
                + $0.superseded.map { "\($0.value!.plainDecimal) of \($0.file)" }.joined(separator: ", ")
        } == ["430200 DIBAO_STD_U 2019: 610 of 2019/submissions/b.xml over 600 of 2019/submissions/a.xml"])

        let base = BaseDataset.reconcile(rosters: [hetang, zhuzhouCounty], submissions: revisions,
                                         indicators: Fixture.indicatorsByCode, registry: Fixture.registry)
        #expect(Fixture.rows(base.observations) == [
            "430200,DIBAO_STD_U,2019,610,A,submission <- 2019/submissions/b.xml:5",
            "430202,DIBAO_AMOUNT_U,2019,1000,A,dibao <- 2019/exports/430202_dibao.csv.gz",  // 300 + 700
            "430202,DIBAO_HH_U,2019,2,A,dibao <- 2019/exports/430202_dibao.csv.gz",
            "430202,DIBAO_PERSONS_U,2019,5,A,dibao <- 2019/exports/430202_dibao.csv.gz",  // 2 + 3, not the submitted 20
            "430203,DIBAO_PERSONS_U,2019,40,A,submission <- 2019/submissions/a.xml:7",
            "430212,BEDS_TOTAL,2018,70,A,submission <- 2019/submissions/a.xml:9",
            "430212,DIBAO_AMOUNT_U,2019,10.5,A,dibao <- 2019/exports/430221_dibao.csv.gz",
            "430212,DIBAO_HH_U,2019,1,A,dibao <- 2019/exports/430221_dibao.csv.gz",
            "430212,DIBAO_PERSONS_U,2019,1,A,dibao <- 2019/exports/430221_dibao.csv.gz",
        ])
        #expect(base.comparisons.map { "\($0.key.area) \($0.key.indicator): kept \($0.kept.plainDecimal), reported \($0.reported.plainDecimal)" }
                == ["430202 DIBAO_HH_U: kept 2, reported 2", "430202 DIBAO_PERSONS_U: kept 5, reported 20"])
        // Tolerance max(5, 0.5% of 5) = 5; |20 - 5| = 15 > 5.
        #expect((revisions.problems + base.problems).map(Fixture.finding) == [
            "warning succession [2019/submissions/a.xml:9] Elderly-care beds BEDS_TOTAL 2018 submitted under retired code "
                + "Zhuzhou County 430221 counts under its successor Lukou 430212",
            "warning succession [2019/exports/430221_dibao.csv.gz] roster of retired code Zhuzhou County 430221 for 2019 "
                + "counts under its successor Lukou 430212",
            "warning reconciliation [2019/submissions/a.xml:5] Urban minimum-allowance recipients DIBAO_PERSONS_U 2019 of Hetang 430202: "
                + "roster gives 5, submission reports 20 (difference 15, tolerance 5); the roster's value is kept",
        ])
        #expect(base.successions.map { "\($0.from) → \($0.to) \($0.period) \($0.what)" }
                == ["430221 → 430212 2018 BEDS_TOTAL submission", "430221 → 430212 2019 dibao roster"])
    }

    @Test func twoMessagesOfTheSameTimeThatDisagreeAreAConflict() throws {
        let submitted = try submission("2019/submissions/a.xml", prepared: "2020-01-10T08:00:00+08:00", [
            series("430200", "DIBAO_STD_U", 2019, "600"),
        ]) + submission("2019/submissions/b.xml", prepared: "2020-01-10T00:00:00Z", [
            series("430200", "DIBAO_STD_U", 2019, "6"),
        ]) + submission("2019/submissions/c.xml", prepared: "2020-01-10T00:00:00", [
            // 6 × 10² is b's 6 in hundreds: the same value is no conflict.
            "<Series FREQ=\"A\" REF_AREA=\"430200\" INDICATOR=\"DIBAO_STD_U\" UNIT_MULT=\"2\"><Obs TIME_PERIOD=\"2019\" OBS_VALUE=\"6\"/></Series>",
        ])
        let revisions = Revisions.resolve(submitted, registry: Fixture.registry, names: Fixture.names)
        // 08:00 at +08:00 is 00:00 UTC, and no time zone means UTC: all three have the same Prepared.
        #expect(revisions.problems.map(Fixture.finding) == [
            "error conflict [2019/submissions/a.xml:5] conflicting submissions for Zhuzhou 430200 Urban minimum-allowance standard "
                + "DIBAO_STD_U 2019 with the same Prepared 2020-01-10T08:00:00+08:00: 600 in 2019/submissions/a.xml:5 and 6 in 2019/submissions/b.xml:5",
        ])
    }
}
