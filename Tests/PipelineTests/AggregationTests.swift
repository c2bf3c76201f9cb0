import Aggregate
import Definition
import Pipeline
import Testing
import YearbookCore
import YearbookTestSupport

/// Contract section 5 on small, hand-made datasets with exact expected rows.
@Suite struct AggregationTests {
    @Test func keysSortFastInTheContractsOrder() {
        // Areas and indicators that differ in length, case and script, over three periods.
        let areas = ["430200", "43020", "4302001", "990000", "A1", "a1", "株洲", "430212"]
        let indicators = ["DIBAO_HH_U", "DIBAO_HH", "BEDS_TOTAL", "beds", "POP_60PLUS", "人口"]
        var keys: [ObservationKey] = []
        for area in areas {
            for indicator in indicators {
                for period in [2019, 2017, 2018] { keys.append(ObservationKey(area: area, indicator: indicator, period: period)) }
            }
        }
        keys.reverse()
        #expect(ObservationKey.sorted(keys) == keys.sorted())
        #expect(ObservationKey.sorted(keys).prefix(3).map { "\($0.area) \($0.indicator) \($0.period)" }
                == ["43020 BEDS_TOTAL 2017", "43020 BEDS_TOTAL 2018", "43020 BEDS_TOTAL 2019"])
        #expect(ObservationKey.sorted(keys).last.map { "\($0.area) \($0.indicator) \($0.period)" } == "株洲 人口 2019")
    }

    @Test func keysSortFastAsOneSortOfManyRandomKeys() {
        // A shuffled sample of 3,000 areas x 7 indicators x 3 periods (negative and far apart too),
        // some missing, in random order: the packed sort gives exactly the order of `<`.
        var generator = FastPathTests.Generator(state: 2019)
        let indicators = ["DIBAO_HH", "DIBAO_HH_U", "BEDS", "beds", "Z", "人口", "POP_60PLUS"]
        var keys: [ObservationKey] = []
        for area in 0..<3_000 {
            for indicator in indicators {
                for period in [-5, 2019, 1_000_000_000] where Int.random(in: 0..<4, using: &generator) > 0 {
                    keys.append(ObservationKey(area: String(area * 7919 % 100_003), indicator: indicator, period: period))
                }
            }
        }
        keys.shuffle(using: &generator)
        #expect(keys.count > 40_000)
        #expect(ObservationKey.sorted(keys) == keys.sorted())
        #expect(ObservationKey.sorted(Set(keys)) == keys.sorted())
        #expect(ObservationKey.sorted([ObservationKey]()) == [])
        #expect(ObservationKey.sorted([keys[0]]) == [keys[0]])
    }

    let registry = AreaRegistry([
        Area(code: "430000", nameZH: "湖南省", nameEN: "Hunan", level: .province),
        Area(code: "430100", nameZH: "长沙市", nameEN: "Changsha", level: .prefecture, parent: "430000"),
        Area(code: "430200", nameZH: "株洲市", nameEN: "Zhuzhou", level: .prefecture, parent: "430000"),
        Area(code: "430300", nameZH: "湘潭市", nameEN: "Xiangtan", level: .prefecture, parent: "430000"),
        Area(code: "430202", nameZH: "荷塘区", nameEN: "Hetang", level: .county, parent: "430200"),
        Area(code: "430203", nameZH: "芦淞区", nameEN: "Lusong", level: .county, parent: "430200"),
        Area(code: "430212", nameZH: "渌口区", nameEN: "Lukou", level: .county, parent: "430200", validFrom: 2018),
        Area(code: "430221", nameZH: "株洲县", nameEN: "Zhuzhou County", level: .county, parent: "430200",
             validTo: 2017, successor: "430212"),
    ])

    var indicators: [Indicator] { try! PipelineDefinition.load(path: pipelinePath).indicators }

    func observation(_ area: String, _ indicator: String, _ period: Int, _ value: String?,
                     _ status: ObservationStatus = .A, _ source: ObservationSource = .submission) -> Observation {
        Observation(key: ObservationKey(area: area, indicator: indicator, period: period),
                    value: value.map { Exact(decimal: $0)! }, status: status, source: source)
    }

    func run(_ base: [Observation], periods: [Int] = [2018]) throws -> Aggregation.Result {
        try Aggregation.run(base: Dictionary(uniqueKeysWithValues: base.map { ($0.key, $0) }),
                            indicators: indicators, registry: registry, periods: periods)
    }

    func value(_ result: Aggregation.Result, _ area: String, _ indicator: String, _ period: Int = 2018) -> String? {
        result.observations[ObservationKey(area: area, indicator: indicator, period: period)].map { cell in
            let text = cell.usableValue.map { cell.source == .derived ? $0.formatted(decimals: 4) : $0.plainDecimal } ?? ""
            return "\(text)|\(cell.status.rawValue)|\(cell.source.rawValue)"
        }
    }

    @Test func rollsUpValidChildrenAndCarriesStatus() throws {
        let result = try run([
            observation("430202", "BEDS_TOTAL", 2018, "100"),
            observation("430203", "BEDS_TOTAL", 2018, "50.5", .P),
            observation("430212", "BEDS_TOTAL", 2018, "7"),
            // A retired county's value for a year after its end is not one of 2018's children.
            observation("430221", "BEDS_TOTAL", 2018, "1000"),
        ])
        #expect(value(result, "430200", "BEDS_TOTAL") == "157.5|P|aggregated")
        // The province: Changsha and Xiangtan have no value, so the province has none.
        #expect(value(result, "430000", "BEDS_TOTAL") == nil)
        #expect(result.problems.map(\.bilingualMessage) == [
            "湖南省 430000的1项指标（2018年）无法由下辖地区汇总：3个地区中2个无数据（长沙市 430100、湘潭市 430300）；无值的指标：养老床位数 BEDS_TOTAL | "
                + "Hunan 430000 cannot be summed from its areas for 1 indicator in 2018: 2 of its 3 areas have no value (Changsha 430100, Xiangtan 430300); no value for Elderly-care beds BEDS_TOTAL",
        ])
    }

    @Test func oneWarningPerAreaNamesEveryIndicatorAndPeriodItLeavesEmpty() throws {
        var base: [Observation] = []
        for period in [2018, 2019] {
            for indicator in ["BEDS_TOTAL", "BEDS_NEW"] {
                base += [observation("430202", indicator, period, "10"), observation("430203", indicator, period, "5")]
            }
        }
        // 渌口区 430212 has nothing: 株洲市 has no sum, and so the province has no child with a value (no warning).
        let result = try run(base, periods: [2018, 2019])
        #expect(result.problems.map { "\($0.area ?? "") \($0.indicator ?? "-") \($0.period.map(String.init) ?? "-"): \($0.message)" } == [
            "430200 - -: Zhuzhou 430200 cannot be summed from its areas for 2 indicators in 2018 and 2019: 1 of its 3 areas has no value (Lukou 430212); no value for Elderly-care beds BEDS_TOTAL, New elderly-care beds BEDS_NEW",
        ])
    }

    @Test func missingChildEmptiesTheParentEvenItsOwnValue() throws {
        let result = try run([
            observation("430202", "BEDS_TOTAL", 2018, "100"),
            observation("430203", "BEDS_TOTAL", 2018, nil, .M),
            observation("430212", "BEDS_TOTAL", 2018, "7"),
            observation("430200", "BEDS_TOTAL", 2018, "200"),
        ])
        #expect(value(result, "430200", "BEDS_TOTAL") == nil)
        #expect(value(result, "430203", "BEDS_TOTAL") == "|M|submission")
        #expect(result.problems.first?.message
            == "Elderly-care beds BEDS_TOTAL 2018 of Zhuzhou 430200 has no value: 1 of 3 areas have none (Lusong 430203); its own submitted 200 is not used")
    }

    @Test func parentValueStandsWhereNoChildHasOne() throws {
        let result = try run([observation("430200", "LOTTERY_SALES", 2018, "348000000", .E)])
        #expect(value(result, "430200", "LOTTERY_SALES") == "348000000|E|submission")
    }

    @Test func submittedParentTotalIsComparedWithTheSum() throws {
        let result = try run([
            observation("430202", "SOCIAL_WORKERS", 2018, "300"),
            observation("430203", "SOCIAL_WORKERS", 2018, "300"),
            observation("430212", "SOCIAL_WORKERS", 2018, "66"),
            observation("430200", "SOCIAL_WORKERS", 2018, "680"),
        ])
        #expect(value(result, "430200", "SOCIAL_WORKERS") == "666|A|aggregated")
        #expect(result.comparisons.count == 1)
        #expect(result.comparisons[0].exceedsTolerance)
        #expect(result.comparisons[0].tolerance == Exact(5))
        // 0.5% of 2000 is 10: a difference of 10 is within, 11 is not.
        let within = Comparison(kind: .parentVersusChildren, key: result.comparisons[0].key, kept: Exact(2000),
                                keptFrom: "", reported: Exact(2010), reportedAt: nil)
        #expect(!within.exceedsTolerance)
        #expect(Comparison(kind: .parentVersusChildren, key: within.key, kept: Exact(2000), keptFrom: "",
                           reported: Exact(1989), reportedAt: nil).exceedsTolerance)
    }

    @Test func derivedIsARatioOfSumsAtEveryLevel() throws {
        let result = try run([
            observation("430202", "DIBAO_AMOUNT_U", 2018, "1000", .A, .dibao),
            observation("430202", "DIBAO_PERSONS_U", 2018, "3", .A, .dibao),
            observation("430203", "DIBAO_AMOUNT_U", 2018, "10", .A, .dibao),
            observation("430203", "DIBAO_PERSONS_U", 2018, "1", .A, .dibao),
            observation("430212", "DIBAO_AMOUNT_U", 2018, "0", .A, .dibao),
            observation("430212", "DIBAO_PERSONS_U", 2018, "0", .A, .dibao),
        ])
        #expect(value(result, "430202", "DIBAO_PC_U") == "333.3333|A|derived")
        // 1010 / 4, not the mean of 333.33 and 10.
        #expect(value(result, "430200", "DIBAO_PC_U") == "252.5000|A|derived")
        // Zero denominator: no value, no row.
        #expect(value(result, "430212", "DIBAO_PC_U") == nil)
    }

    @Test func derivedFromDerivedAndPercentages() throws {
        let result = try run([
            observation("430100", "SO_GROUPS", 2018, "10", .P),
            observation("430100", "SO_PRIVATE_NONPROFIT", 2018, "5"),
            observation("430100", "SO_FOUNDATIONS", 2018, "1", .E),
            observation("430100", "POP_TOTAL", 2018, "30000"),
            observation("430100", "CHILD_HOMES", 2018, "1"),
            observation("430100", "VILLAGES", 2018, "8"),
            // A submitted derived value is never used.
            observation("430100", "SO_TOTAL", 2018, "999"),
        ])
        #expect(value(result, "430100", "SO_TOTAL") == "16.0000|E|derived")
        #expect(value(result, "430100", "SO_PER_10K") == "5.3333|E|derived")
        #expect(value(result, "430100", "CHILD_HOME_COVERAGE") == "12.5000|A|derived")
    }

    @Test func competitionRanksOnPublishedValuesWithPredecessorsRank() throws {
        var base: [Observation] = []
        // 2017: 株洲县 ranks 1st among Zhuzhou's counties.
        base.append(observation("430202", "DIBAO_STD_R", 2017, "300"))
        base.append(observation("430203", "DIBAO_STD_R", 2017, "310"))
        base.append(observation("430221", "DIBAO_STD_R", 2017, "320"))
        // 2018: 374.4 and 374.5 publish as 374 and 375; 374.4 ties with 374.
        base.append(observation("430202", "DIBAO_STD_R", 2018, "374.4"))
        base.append(observation("430203", "DIBAO_STD_R", 2018, "374"))
        base.append(observation("430212", "DIBAO_STD_R", 2018, "374.5"))
        let result = try run(base, periods: [2017, 2018])
        let rows = Ranking.table(observations: result.observations, indicators: indicators, registry: registry, year: 2018)
            .filter { $0.indicator == "DIBAO_STD_R" }
            .map { "\($0.parent) \($0.area) \($0.published) \($0.rank) \($0.previousRank.map(String.init) ?? "") \($0.rankChange.map(String.init) ?? "")" }
        #expect(rows == [
            "430200 430212 375 1 1 0",
            "430200 430202 374 2 3 1",
            "430200 430203 374 2 2 0",
        ])
    }

    @Test func yearOverYearFollowsSuccessionAndUsesPointsForPercent() throws {
        let result = try run([
            observation("430221", "BEDS_TOTAL", 2017, "200"),
            observation("430212", "BEDS_TOTAL", 2018, "250"),
            observation("430100", "CHILD_HOMES", 2017, "40"),
            observation("430100", "VILLAGES", 2017, "100"),
            observation("430100", "CHILD_HOMES", 2018, "45"),
            observation("430100", "VILLAGES", 2018, "100"),
        ], periods: [2017, 2018])
        let beds = indicators.first { $0.code == "BEDS_TOTAL" }!
        let lukou = YearOverYear.lookup(area: "430212", indicator: "BEDS_TOTAL", year: 2018,
                                        observations: result.observations, registry: registry)
        #expect(lukou.previous?.area == "430221")
        #expect(lukou.change(for: beds) == Exact(25))
        let coverage = indicators.first { $0.code == "CHILD_HOME_COVERAGE" }!
        let changsha = YearOverYear.lookup(area: "430100", indicator: "CHILD_HOME_COVERAGE", year: 2018,
                                           observations: result.observations, registry: registry)
        #expect(changsha.change(for: coverage) == Exact(5))
    }
}
