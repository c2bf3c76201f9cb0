import Pipeline
import Foundation
import Normalize
import Testing
import YearbookCore
import YearbookTestSupport

/// A submitted figure its unit cannot hold is set aside with its file and line, never added up.
@Suite struct UnitBoundsTests {
    typealias Obs = SDMXMessage.Obs

    @Test func figuresTheirUnitCannotHoldAreRejectedWithFileAndLineAndNeverSummed() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "120.30000000000000004"),
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "5"),
            Obs(area: "430212", indicator: "BEDS_TOTAL", period: 2019, value: "7"),
            Obs(area: "430203", indicator: "BEDS_NEW", period: 2019, value: "1e30"),
            Obs(area: "430202", indicator: "POP_60PLUS", period: 2019, value: "1.0000000000000000000000000000000001"),
            Obs(area: "430203", indicator: "DIBAO_HH_U", period: 2019, value: "-5"),
            Obs(area: "430203", indicator: "PRICE_SUBSIDY", period: 2019, value: "12.345"),
            Obs(area: "430212", indicator: "POP_TOTAL", period: 2019, value: "1.2345", unitMult: 4),
            Obs(area: "430212", indicator: "PRICE_SUBSIDY", period: 2019, value: "1.23456", unitMult: 4),
            Obs(area: "430202", indicator: "VILLAGES", period: 2019, value: "1.5", unitMult: -1),
            Obs(area: "430202", indicator: "COMMUNITY_SPACE", period: 2019, value: "1000", status: "M"),
        ]))
        let out = tree.path("out")
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: out, pipeline: pipelinePath))
        #expect(result.exitCode == 0)
        let rejected = try result.problems.all().filter { $0.kind == .unit }.sorted(by: Problem.reportOrder)
        #expect(rejected.map(\.description) == [
            "2019/submissions/a.xml:5: warning: BEDS_TOTAL 120.30000000000000004 beds is not a whole number: a count of beds is a whole number ≥ 0 of at most 12 digits; observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
            "2019/submissions/a.xml:8: warning: BEDS_NEW 1000000000000000000000000000000 beds has 31 integer digits: a count of beds is a whole number ≥ 0 of at most 12 digits; observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
            "2019/submissions/a.xml:9: warning: POP_60PLUS 1.0000000000000000000000000000000001 persons is not a whole number: a count of persons is a whole number ≥ 0 of at most 12 digits; observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
            "2019/submissions/a.xml:10: warning: DIBAO_HH_U -5 households is negative: a count of households is a whole number ≥ 0 of at most 12 digits; observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
            "2019/submissions/a.xml:11: warning: PRICE_SUBSIDY 12.345 yuan has 3 decimals: an amount in yuan has at most 15 integer digits and 2 decimals; observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
            "2019/submissions/a.xml:14: warning: VILLAGES 0.15 units (OBS_VALUE 1.5 × 10^-1 by UNIT_MULT) is not a whole number: a count of units is a whole number ≥ 0 of at most 12 digits; observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
        ])
        #expect(rejected[0].messageZH == "BEDS_TOTAL 120.30000000000000004 beds不是整数：以“beds”计的数量为不小于 0 的整数，至多 12 位；观测值未采用：请更正 OBS_VALUE 或 UNIT_MULT 后重新报送")
        #expect(rejected.map { "\($0.area ?? "") \($0.indicator ?? "") \($0.period ?? 0)" } == [
            "430202 BEDS_TOTAL 2019", "430203 BEDS_NEW 2019", "430202 POP_60PLUS 2019", "430203 DIBAO_HH_U 2019",
            "430203 PRICE_SUBSIDY 2019", "430202 VILLAGES 2019",
        ])
        #expect(result.submissions[0].skipped == 6)

        let rows = try String(contentsOfFile: out + "/2019/data/observations.csv", encoding: .utf8)
            .split(separator: "\n").dropFirst().filter { line in
                ["BEDS_TOTAL", "BEDS_NEW", "POP_60PLUS", "DIBAO_HH_U", "PRICE_SUBSIDY", "POP_TOTAL", "VILLAGES", "COMMUNITY_SPACE"]
                    .contains { line.contains(",\($0),") }
            }
        #expect(rows == [
            "430202,COMMUNITY_SPACE,2019,,M,submission",
            "430203,BEDS_TOTAL,2019,5,A,submission",
            "430212,BEDS_TOTAL,2019,7,A,submission",
            "430212,POP_TOTAL,2019,12345,A,submission",
            "430212,PRICE_SUBSIDY,2019,12345.6,A,submission",
        ].map { Substring($0) })
        // Zhuzhou's bed total would be made from the rejected figure: it has none, as for any missing county figure.
        let incomplete = try result.problems.all().filter { $0.kind == .incomplete }.map(\.message)
        #expect(incomplete.contains { $0.hasPrefix("Zhuzhou 430200 cannot be summed from its areas") && $0.contains("Elderly-care beds BEDS_TOTAL") })

        let summary = try BuildSummary(result, definition: result.definition, registry: result.registry).lines
        #expect(summary.contains { $0.hasPrefix("警告 warnings: ") && $0.contains("6 不符合计量单位 value outside its unit") })
        let section = try #require(summary.firstIndex(of: "  未采用的报送值 submitted values not used (6):"))
        #expect(summary[section + 1] == "    2019/submissions/a.xml:5: " + rejected[0].message)
        #expect(summary[section + 6] == "    2019/submissions/a.xml:14: " + rejected[5].message)
    }

    /// Units no submitted indicator of the sample has (a percent, an unknown unit) read through the reader alone.
    @Test func aPercentAndAnUnknownUnitHaveTheirBounds() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.write("a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", [
            Obs(area: "430202", indicator: "SHARE", period: 2019, value: "12.34567"),
            Obs(area: "430203", indicator: "SHARE", period: 2019, value: "12.3456"),
            Obs(area: "430202", indicator: "WEIGHT", period: 2019, value: "1e15"),
            Obs(area: "430203", indicator: "WEIGHT", period: 2019, value: "123456789012345.123456"),
        ]))
        let registry = try Dictionaries.loadAreas(path: tree.path("areas.csv"), displayName: "areas.csv")
        let indicators = [
            "SHARE": Indicator(code: "SHARE", chapter: "c", nameZH: "占比", nameEN: "Share", unit: "%", source: .submission, additive: false, decimals: 1),
            "WEIGHT": Indicator(code: "WEIGHT", chapter: "c", nameZH: "重量", nameEN: "Weight", unit: "kg", source: .submission, additive: true, decimals: 0),
        ]
        let read = try SubmissionReader(indicators: indicators, registry: registry, periods: [2019]).read(path: tree.path("a.xml"), displayName: "a.xml")
        #expect(read.problems.map(\.description) == [
            "a.xml:5: warning: SHARE 12.34567 % has 5 decimals: a ratio in % has at most 9 integer digits and 4 decimals; observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
            "a.xml:7: warning: WEIGHT 1000000000000000 kg has 16 integer digits: a figure in kg has at most 15 integer digits and 6 decimals; observation not used: correct OBS_VALUE or UNIT_MULT and submit again",
        ])
        #expect(read.observations.map { "\($0.writtenArea) \($0.indicator) \($0.value?.plainDecimal ?? "")" } == [
            "430203 SHARE 12.3456", "430203 WEIGHT 123456789012345.123456",
        ])
    }

    @Test func everyUnitOfTheDefinitionHasARowAndTheSampleFiguresPass() throws {
        let indicators = try Dictionaries.loadIndicators(path: repositoryRoot + "/pipelines/indicators.csv", displayName: "indicators.csv")
        let named = Set(UnitBound.table.flatMap(\.units))
        #expect(Set(indicators.map(\.unit)).subtracting(named).isEmpty)
        #expect(UnitBound.bound(forUnit: "beds").violation(of: Exact(999_999_999_999), unit: "beds") == nil)
        #expect(UnitBound.bound(forUnit: "beds").violation(of: Exact(1_000_000_000_000), unit: "beds")?.en
                == "has 13 integer digits: a count of beds is a whole number ≥ 0 of at most 12 digits")
        #expect(UnitBound.bound(forUnit: "yuan").violation(of: Exact(-12), unit: "yuan") == nil)
    }
}
