import Definition
import Pipeline
import Testing
import Validate
import YearbookCore
import YearbookTestSupport

/// Rules of the pipeline definition, checked cell by cell.
@Suite struct ValidationTests {
    let registry = AreaRegistry([
        Area(code: "430200", nameZH: "株洲市", nameEN: "Zhuzhou", level: .prefecture),
        Area(code: "430202", nameZH: "荷塘区", nameEN: "Hetang", level: .county, parent: "430200"),
        Area(code: "430203", nameZH: "芦淞区", nameEN: "Lusong", level: .county, parent: "430200"),
    ])

    var indicators: [Indicator] { try! PipelineDefinition.load(path: pipelinePath).indicators }

    func cells(_ list: [(String, String, Int, String)]) -> [ObservationKey: Observation] {
        var result: [ObservationKey: Observation] = [:]
        for (area, code, period, value) in list {
            let key = ObservationKey(area: area, indicator: code, period: period)
            result[key] = Observation(key: key, value: Exact(decimal: value), status: .A, source: .submission,
                                      origin: [SourceLocation(file: "2019/submissions/\(area).xml", line: period - 2000)])
        }
        return result
    }

    func rule(_ id: String, _ check: String? = nil, severity: String = "warning", each: IndicatorSelection? = nil,
              kind: Rule.Kind? = nil, levels: [String]? = nil) -> Rule {
        Rule(id: id, severity: severity, description: nil, kind: kind, check: check, each: each, levels: levels, periods: nil)
    }

    @Test func plausibilityRuleCatchesADroppedDecimalPoint() throws {
        // The printed report's 102万 for 10.2万 recipients: 1,020,000 of 4,000,000 is 25.5%.
        let data = cells([
            ("430202", "DIBAO_PERSONS_U", 2019, "1000000"), ("430202", "DIBAO_PERSONS_R", 2019, "20000"),
            ("430202", "POP_TOTAL", 2019, "4000000"),
            ("430203", "DIBAO_PERSONS_U", 2019, "80000"), ("430203", "DIBAO_PERSONS_R", 2019, "22000"),
            ("430203", "POP_TOTAL", 2019, "4000000"),
        ])
        let (results, problems) = try Validation.run(
            rules: [rule("share", "DIBAO_PERSONS_U + DIBAO_PERSONS_R <= 0.15 * POP_TOTAL", levels: ["county"])],
            observations: data, indicators: indicators, registry: registry, year: 2019)
        #expect(results[0].checked == 2)
        #expect(results[0].passed == 1)
        #expect(results[0].failed == 1)
        #expect(try results[0].failures.all().map(\.figures) == ["DIBAO_PERSONS_U=1000000, DIBAO_PERSONS_R=20000, POP_TOTAL=4000000"])
        #expect(try problems.all().map(\.description) == [
            "2019/submissions/430202.xml:19: warning: rule share fails for Hetang 430202 Urban minimum-allowance recipients DIBAO_PERSONS_U 2019: DIBAO_PERSONS_U + DIBAO_PERSONS_R <= 0.15 * POP_TOTAL (DIBAO_PERSONS_U=1000000, DIBAO_PERSONS_R=20000, POP_TOTAL=4000000)",
        ])
    }

    @Test func eachIndicatorAndYearOverYearJumps() throws {
        let data = cells([
            ("430202", "BEDS_TOTAL", 2018, "100"), ("430202", "BEDS_TOTAL", 2019, "151"),
            ("430203", "BEDS_TOTAL", 2018, "100"), ("430203", "BEDS_TOTAL", 2019, "150"),
            ("430203", "BEDS_NEW", 2019, "-1"),
        ])
        let (results, problems) = try Validation.run(
            rules: [rule("jump", "abs(value - previous(value)) <= 0.5 * abs(previous(value))", each: .codes(["BEDS_TOTAL", "BEDS_NEW"])),
                    rule("non_negative", "value >= 0", severity: "error", each: .all)],
            observations: data, indicators: indicators, registry: registry, year: 2019)
        #expect((results[0].checked, results[0].passed, results[0].failed, results[0].missing) == (6, 1, 1, 4))
        #expect(try results[0].failures.all().map { "\($0.area) \($0.indicator ?? "")" } == ["430202 BEDS_TOTAL"])
        #expect(try results[1].failures.all().map { "\($0.area) \($0.indicator ?? "") \($0.figures)" } == ["430203 BEDS_NEW BEDS_NEW=-1"])
        #expect(try problems.all().filter { $0.severity == .error }.count == 1)
    }

    /// Many areas are checked in many pieces, a batch joined while the next is made: the failures and
    /// problems come out as one area after the other would give them.
    @Test func manyPiecesJoinInAreaOrder() throws {
        let counties = (1...1500).map { String(format: "99%04d", $0) }
        let registry = AreaRegistry([Area(code: "990000", nameZH: "测试市", nameEN: "Test", level: .prefecture)]
            + counties.map { Area(code: $0, nameZH: "区\($0)", nameEN: "County \($0)", level: .county, parent: "990000") })
        let data = cells(counties.enumerated().map { index, county in (county, "BEDS_NEW", 2019, index % 3 == 0 ? "-1" : "2") })
        let (results, problems) = try Validation.run(
            rules: [rule("non_negative", "value >= 0", each: .codes(["BEDS_NEW"]), levels: ["county"]),
                    rule("small", "value <= 1", each: .codes(["BEDS_NEW"]), levels: ["county"])],
            observations: data, indicators: indicators, registry: registry, year: 2019)
        let negative = counties.enumerated().filter { $0.offset % 3 == 0 }.map(\.element)
        let large = counties.enumerated().filter { $0.offset % 3 != 0 }.map(\.element)
        #expect((results[0].checked, results[0].passed, results[0].failed) == (1500, 1000, 500))
        #expect((results[1].checked, results[1].passed, results[1].failed) == (1500, 500, 1000))
        #expect(try results[0].failures.all().map(\.area) == negative)
        #expect(try results[1].failures.all().map(\.area) == large)
        // Report order: by file (each county's own message), then the rule's message.
        let listed = try problems.all()
        #expect(listed.count == 1500)
        #expect(listed.map { $0.area ?? "" } == counties)
        #expect(listed[0].message.hasPrefix("rule non_negative fails for County 990001 990001 "))
        #expect(listed[1].message.hasPrefix("rule small fails for County 990002 990002 "))
    }

    @Test func completenessNamesEveryMissingCell() throws {
        let data = cells([("430202", "BEDS_TOTAL", 2019, "1"), ("430202", "BEDS_NEW", 2019, "1"), ("430203", "BEDS_TOTAL", 2019, "1")])
        let (results, _) = try Validation.run(
            rules: [rule("complete", each: .codes(["BEDS_TOTAL", "BEDS_NEW"]), kind: .completeness, levels: ["county"])],
            observations: data, indicators: indicators, registry: registry, year: 2019)
        #expect((results[0].checked, results[0].passed, results[0].failed) == (4, 3, 1))
        #expect(try results[0].failures.all().map { "\($0.area) \($0.indicator ?? "")" } == ["430203 BEDS_NEW"])
    }

    @Test func errorRuleFailsTheBuildAndNamesTheFile() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T00:00:00Z", [
            SDMXMessage.Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "10"),
            SDMXMessage.Obs(area: "430202", indicator: "BEDS_NEW", period: 2019, value: "11"),
        ]))
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: pipelinePath))
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().map(\.description) == [
            "2019/submissions/a.xml:6: error: rule new_beds_within_beds fails for Hetang 430202 New elderly-care beds BEDS_NEW 2019: New beds at most all beds (BEDS_NEW=11, BEDS_TOTAL=10)",
        ])
    }

    @Test func aYearOverYearFailureGivesLastYearsFigureAndTheChange() throws {
        let data = cells([("430200", "PRICE_SUBSIDY", 2019, "12650000"), ("430200", "PRICE_SUBSIDY", 2018, "3520000")])
        let (_, problems) = try Validation.run(
            rules: [Rule(id: "year_over_year_jump", severity: "warning",
                         description: Bilingual(zh: "与上年相比变化不超过50%", en: "No figure moves more than 50% on last year"),
                         kind: nil, check: "abs(value - previous(value)) <= 0.5 * abs(previous(value))",
                         each: .codes(["PRICE_SUBSIDY"]), levels: nil, periods: nil)],
            observations: data, indicators: indicators, registry: registry, year: 2019)
        #expect(try problems.all().map(\.bilingualMessage) == [
            "规则 year_over_year_jump 未通过：株洲市 430200 价格临时补贴发放金额 PRICE_SUBSIDY 2019年：与上年相比变化不超过50%（PRICE_SUBSIDY=12650000; PRICE_SUBSIDY 2018=3520000 (+259.4%)） | "
                + "rule year_over_year_jump fails for Zhuzhou 430200 Temporary price subsidies paid PRICE_SUBSIDY 2019: No figure moves more than 50% on last year (PRICE_SUBSIDY=12650000; PRICE_SUBSIDY 2018=3520000 (+259.4%))",
        ])
    }

    /// `levels` says which areas a rule reads: a prefecture-only rule never asks a county.
    @Test func levelsLimitTheAreasARuleChecks() throws {
        let data = cells([("430200", "PRICE_SUBSIDY", 2019, "12650000"), ("430202", "VILLAGES", 2019, "120")])
        let (results, _) = try Validation.run(
            rules: [rule("prefecture", each: .codes(["PRICE_SUBSIDY"]), kind: .completeness, levels: ["prefecture"]),
                    rule("counties", each: .codes(["PRICE_SUBSIDY"]), kind: .completeness, levels: ["county"]),
                    rule("everywhere", each: .codes(["PRICE_SUBSIDY"]), kind: .completeness)],
            observations: data, indicators: indicators, registry: registry, year: 2019)
        #expect((results[0].checked, results[0].passed, results[0].failed) == (1, 1, 0))
        #expect((results[1].checked, results[1].passed, results[1].failed) == (2, 0, 2))
        #expect(try results[1].failures.all().map { "\($0.area) \($0.figures)" } == [
            "430202 PRICE_SUBSIDY has no value", "430203 PRICE_SUBSIDY has no value",
        ])
        #expect((results[2].checked, results[2].passed, results[2].failed) == (3, 1, 2))
    }

    /// `min_base: 10`: a jump from a last-year figure under 10 (1 → 2 villages, +100%) is not checked;
    /// one from 10 or more is (10 → 16, +60%; 3,520,000 → 12,650,000, +259.4%).
    @Test func aJumpFromASmallBaseIsNotChecked() throws {
        let data = cells([
            ("430200", "PRICE_SUBSIDY", 2018, "3520000"), ("430200", "PRICE_SUBSIDY", 2019, "12650000"),
            ("430202", "VILLAGE_COUNCILS", 2018, "1"), ("430202", "VILLAGE_COUNCILS", 2019, "2"),
            ("430203", "VILLAGE_COUNCILS", 2018, "-9.5"), ("430203", "VILLAGE_COUNCILS", 2019, "2"),
            ("430202", "VILLAGES", 2018, "10"), ("430202", "VILLAGES", 2019, "16"),
            ("430203", "VILLAGES", 2018, "10"), ("430203", "VILLAGES", 2019, "14"),
        ])
        let jump = Rule(id: "jump", severity: "warning", check: "abs(value - previous(value)) <= 0.5 * abs(previous(value))",
                        each: .codes(["PRICE_SUBSIDY", "VILLAGE_COUNCILS", "VILLAGES"]), minBase: "10")
        #expect(jump.minimumBase == Exact(10))
        let (results, _) = try Validation.run(rules: [jump], observations: data, indicators: indicators, registry: registry, year: 2019)
        // 9 cells; the 2 councils' bases (1 and -9.5) are under 10: 7 checked, of which 4 have no figure.
        #expect((results[0].checked, results[0].passed, results[0].failed, results[0].missing) == (7, 1, 2, 4))
        #expect(try results[0].failures.all().map { "\($0.area) \($0.figures)" } == [
            "430200 PRICE_SUBSIDY=12650000; PRICE_SUBSIDY 2018=3520000 (+259.4%)",
            "430202 VILLAGES=16; VILLAGES 2018=10 (+60.0%)",
        ])
        // Without min_base the move from 1 to 2 is a +100% jump.
        var everyBase = jump
        everyBase.minBase = nil
        let (unlimited, _) = try Validation.run(rules: [everyBase], observations: data, indicators: indicators, registry: registry, year: 2019)
        #expect((unlimited[0].checked, unlimited[0].failed) == (9, 4))
    }
}
