import Normalize
import Testing
import YearbookCore
import YearbookTestSupport

/// Normalize, given/expect: roster rows in, the indicators' totals and every
/// rejected row with its line and reason out; SDMX observations in, the
/// submitted observations in base units with their status out.
@Suite struct NormalizeStageTests {
    func readRoster(_ text: String, county: String) throws -> RosterFileResult {
        let tree = TestTree()
        let name = "2019/exports/\(county)_dibao.csv.gz"
        let path = tree.writeGzip(name, text)
        let reader = RosterReader(schema: RosterSchema.named("dibao")!, measures: try Fixture.definition.measures()["dibao"]!,
                                  registry: Fixture.registry)
        return try reader.read(path: path, displayName: name, county: county, year: 2019)
    }

    @Test func rosterRowsBecomeTotalsAndRejectedRowsWithReasons() throws {
        // 渌口区's file, in Chinese headers and another column order.
        let result = try readRoster("""
            户编号,状态,城乡类别,行政区划代码,保障人数,月保障金额(元)
            h1,在保,城市,430212,2,"1,234.50"
            h2,active,U,430212,３,100.05
            h3,正常,R,430212,1,50
            h4,停保,U,430212,9,999
            h1,active,U,430212,1,10
            h5,active,U,430221,1,20
            h6,active,U,430202,1,30
            h7,active,U,430212,0,10
            h8,active,U,430212,1,1.234

            """, county: "430212")
        #expect(result.columns.map(\.canonical) == ["household_id", "status", "category", "area_code", "members", "monthly_amount"])
        // Active urban rows: h1 (2 persons, 1234.50), h2 (full-width 3, 100.05) and h5 (under the
        // predecessor 株洲县 430221: 1, 20). h3 is rural: accepted, in no urban total. h4 is suspended.
        #expect(result.values.keys.sorted().map { "\($0)=\(result.values[$0]!.plainDecimal)" } == [
            "DIBAO_AMOUNT_U=1354.55",  // 1234.50 + 100.05 + 20
            "DIBAO_HH_U=3",
            "DIBAO_PERSONS_U=6",  // 2 + 3 + 1
        ])
        #expect(try result.rejects.rows().map { "\($0.file):\($0.line): \($0.reason): \($0.raw)" } == [
            "2019/exports/430212_dibao.csv.gz:6: duplicate household_id 'h1' (first on line 2): h1,active,U,430212,1,10",
            "2019/exports/430212_dibao.csv.gz:8: area_code '430202' is neither the file's county 430212 nor a predecessor of it: h6,active,U,430202,1,30",
            "2019/exports/430212_dibao.csv.gz:9: members '0' is not an integer ≥ 1: h7,active,U,430212,0,10",
            "2019/exports/430212_dibao.csv.gz:10: monthly_amount '1.234' has more than 2 decimals: h8,active,U,430212,1,1.234",
        ])
        // 9 rows = 4 accepted + 1 inactive + 4 rejected.
        #expect((result.rowsRead, result.accepted, result.inactive, result.rejected) == (9, 4, 1, 4))
    }

    @Test func submittedObservationsAreInBaseUnitsWithStatus() throws {
        let tree = TestTree()
        let path = tree.write("2019/submissions/430200_2019.xml", ExtractStageTests.message.replacingOccurrences(
            of: "</Series>\n</message:DataSet>",
            with: """
                </Series>
                <Series FREQ="A" REF_AREA="430200" INDICATOR="DIBAO_PC_U"><Obs TIME_PERIOD="2019" OBS_VALUE="250"/></Series>
                <Series FREQ="A" REF_AREA="430200" INDICATOR="DIBAO_STD_U"><Obs TIME_PERIOD="2017" OBS_VALUE="500"/></Series>
                <Series FREQ="A" REF_AREA="430200" INDICATOR="DIBAO_STD_U"><Obs TIME_PERIOD="2019" OBS_VALUE="610" OBS_STATUS="M"/></Series>
                </message:DataSet>
                """))
        let reader = SubmissionReader(indicators: Fixture.indicatorsByCode, registry: Fixture.registry, periods: [2018, 2019])
        let result = try reader.read(path: path, displayName: "2019/submissions/430200_2019.xml")
        #expect(result.prepared?.text == "2020-01-10T08:00:00+08:00")
        // 1.8 × 10² = 180; 2 × 10⁰ = 2, provisional; NaN is missing; M has no value whatever OBS_VALUE says.
        #expect(result.observations.map {
            "\($0.line): \($0.writtenArea) \($0.indicator) \($0.period) \($0.value?.plainDecimal ?? "none") \($0.status.rawValue)"
        } == [
            "11: 430200 BEDS_TOTAL 2018 180 A",
            "12: 430200 BEDS_TOTAL 2019 2 P",
            "15: 430300 DIBAO_STD_U 2019 none M",
            "19: 430200 DIBAO_STD_U 2019 none M",
        ])
        // A derived indicator is the yearbook's to compute; 2017 is neither of the build's periods.
        #expect((result.observationsRead, result.skipped, result.otherPeriods) == (6, 1, 1))
        #expect(result.problems.map(Fixture.finding) == [
            "warning submission [2019/submissions/430200_2019.xml:17] Urban allowance per recipient per month DIBAO_PC_U is derived: "
                + "the yearbook computes it from its operands; the submitted value is not used",
            "warning submission [2019/submissions/430200_2019.xml] 2 of its 6 observations are not used: 1 of other periods: 2017; "
                + "1 set aside, each with its own warning; the build reads the periods 2018 and 2019 and the codes of indicators.csv "
                + "and areas.csv: move a file of another year or another dataflow out of submissions/, or correct its codes",
        ])
    }
}
