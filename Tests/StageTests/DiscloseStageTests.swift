import Aggregate
import Disclose
import Normalize
import Reconcile
import Testing
import YearbookCore
import YearbookTestSupport

/// Disclose, given/expect: literal tekun rosters read, reconciled and aggregated as a build does, then the cells
/// withheld from release (primary A, secondary D) with the audit that none can be worked out from published ones.
@Suite struct DiscloseStageTests {
    /// The tekun urban indicators: a count, an amount from the same rows, and the average of the two.
    static let indicators = [
        Indicator(code: "TEKUN_PERSONS_U", chapter: "social-assistance", nameZH: "城市特困供养人员", nameEN: "Urban persons in extreme-poverty support",
                  unit: "persons", source: .tekun, formula: "count where category=U", additive: true, decimals: 0, rank: nil),
        Indicator(code: "TEKUN_AMOUNT_U", chapter: "social-assistance", nameZH: "城市特困供养年支出", nameEN: "Urban extreme-poverty support paid per year",
                  unit: "yuan", source: .tekun, formula: "sum annual_amount where category=U", additive: true, decimals: 2, rank: nil),
        Indicator(code: "TEKUN_PC_U", chapter: "social-assistance", nameZH: "城市特困人员基本生活保障水平", nameEN: "Urban support per person per year",
                  unit: "yuan/person-year", source: .derived, formula: "TEKUN_AMOUNT_U / TEKUN_PERSONS_U", additive: false, decimals: 0, rank: .desc),
    ]

    static let header = "person_id,area_code,category,care_mode,annual_amount,status\n"

    /// `active` urban persons of `county` at 6000 yuan each, one suspended urban person and `rural` rural ones beside them.
    static func roster(_ county: String, active: Int, rural: Int = 1) -> String {
        header + (1...active).map { "p\($0),\(county),U,D,6000,active\n" }.joined()
            + "s1,\(county),U,D,6000,suspended\n" + (1...rural).map { "r\($0),\(county),R,C,5000,active\n" }.joined()
    }

    /// The rosters read by the tekun reader, reconciled and aggregated over the Fixture registry (430200 of
    /// 430202, 430203, 430212 in 2019); 湘潭市 430300 submits its own figures, so the province is summed too.
    func aggregated(_ actives: [String: Int], rural: Int = 1, indicators: [Indicator] = DiscloseStageTests.indicators) throws -> Aggregation.Result {
        let tree = TestTree()
        let schema = RosterSchema.named("tekun")!
        let measures = try indicators.filter { $0.roster != nil }.map {
            try RosterMeasure(indicator: $0.code, formula: $0.formula, schema: schema)
        }
        let reader = RosterReader(schema: schema, measures: measures, registry: Fixture.registry)
        let rosters = try actives.keys.sorted().map { county in
            let name = "2019/exports/\(county)_tekun.csv.gz"
            return try reader.read(path: tree.writeGzip(name, Self.roster(county, active: actives[county]!, rural: rural)), displayName: name,
                                   county: county, year: 2019)
        }
        var base = BaseDataset.reconcile(rosters: rosters, submissions: Revisions.resolve([], registry: Fixture.registry, names: Fixture.names),
                                         indicators: Dictionary(uniqueKeysWithValues: indicators.map { ($0.code, $0) }),
                                         registry: Fixture.registry)
        for cell in [Fixture.observation("430300", "TEKUN_PERSONS_U", 2019, "50", .A, .submission),
                     Fixture.observation("430300", "TEKUN_AMOUNT_U", 2019, "300000", .A, .submission)] {
            base.observations[cell.key] = cell
        }
        return try Aggregation.run(base: base.observations, units: base.units, indicators: indicators,
                                   registry: Fixture.registry, periods: [2019])
    }

    func cells(_ withholding: Withholding) -> [String] {
        ObservationKey.sorted(withholding.cells.keys).map { "\($0.area) \($0.indicator) \($0.period) \(withholding.cells[$0]!.rawValue)" }
    }

    @Test func theActiveRowsBehindEachRosterFigureAreCountedAndSummedUpTheHierarchy() throws {
        let result = try aggregated(["430202": 2, "430203": 5, "430212": 4])
        // The suspended person and the rural one are behind no urban figure; a submitted figure has no rows the build counts.
        #expect(ObservationKey.sorted(result.units.keys).map { "\($0.area) \($0.indicator) \(result.units[$0]!)" } == [
            "430200 TEKUN_AMOUNT_U 11",
            "430200 TEKUN_PERSONS_U 11",
            "430202 TEKUN_AMOUNT_U 2",
            "430202 TEKUN_PERSONS_U 2",
            "430203 TEKUN_AMOUNT_U 5",
            "430203 TEKUN_PERSONS_U 5",
            "430212 TEKUN_AMOUNT_U 4",
            "430212 TEKUN_PERSONS_U 4",
        ])
        // The figures themselves are as before: 2 persons paid 12000.
        #expect(Fixture.rows(result.observations).filter { $0.hasPrefix("430202,") || $0.hasPrefix("430000,") } == [
            "430000,TEKUN_AMOUNT_U,2019,366000,A,aggregated",
            "430000,TEKUN_PC_U,2019,6000.0000,A,derived",
            "430000,TEKUN_PERSONS_U,2019,61,A,aggregated",
            "430202,TEKUN_AMOUNT_U,2019,12000,A,tekun <- 2019/exports/430202_tekun.csv.gz",
            "430202,TEKUN_PC_U,2019,6000.0000,A,derived",
            "430202,TEKUN_PERSONS_U,2019,2,A,tekun <- 2019/exports/430202_tekun.csv.gz",
        ])
    }

    @Test func aCountyOfTwoPersonsIsWithheldWithTheSmallestSiblingThatWouldRevealIt() throws {
        let aggregated = try aggregated(["430202": 2, "430203": 5, "430212": 4])
        let result = Disclosure.run(observations: aggregated.observations, units: aggregated.units, indicators: Self.indicators,
                                    registry: Fixture.registry, periods: [2019], minUnits: 3)
        // 荷塘区's count, amount and average (A); 株洲市 − 芦淞区 − 渌口区 would give them back, so 渌口区, the smaller
        // of the two (4 persons against 5), is withheld too (D), with the figures of the same rows.
        #expect(cells(result.withholding) == [
            "430202 TEKUN_AMOUNT_U 2019 A",
            "430202 TEKUN_PC_U 2019 A",
            "430202 TEKUN_PERSONS_U 2019 A",
            "430212 TEKUN_AMOUNT_U 2019 D",
            "430212 TEKUN_PC_U 2019 D",
            "430212 TEKUN_PERSONS_U 2019 D",
        ])
        #expect(result.reasons[ObservationKey(area: "430202", indicator: "TEKUN_AMOUNT_U", period: 2019)]
            == "primary: 2 persons < disclosure.min_units 3")
        #expect(result.reasons[ObservationKey(area: "430212", indicator: "TEKUN_PERSONS_U", period: 2019)]
            == "secondary: published, it would reveal a withheld figure by 430200 = 430202 + 430203 + 430212 (TEKUN_PERSONS_U 2019)")
        #expect(result.problems.isEmpty)
        #expect((result.facts.primary, result.facts.secondary, result.facts.kept) == (3, 3, 0))
        // The smallest figure still published: 芦淞区's 5 persons.
        #expect(result.facts.smallest == Disclosure.Smallest(key: ObservationKey(area: "430203", indicator: "TEKUN_PERSONS_U", period: 2019),
                                                             units: 5, unit: "persons"))
        // Nothing small, or no rule: nothing withheld. Zero rows publish "0", which reveals no one.
        let none = Disclosure.run(observations: aggregated.observations, units: aggregated.units, indicators: Self.indicators,
                                  registry: Fixture.registry, periods: [2019], minUnits: 0)
        #expect(none.withholding.isEmpty && none.problems.isEmpty)
        #expect(none.facts.smallest?.units == 2)
    }

    @Test func theAuditFailsOnAPatternThatLeavesACellRecoverable() throws {
        let aggregated = try aggregated(["430202": 2, "430203": 5, "430212": 4])
        let equations = Disclosure.equations(observations: aggregated.observations, indicators: Self.indicators,
                                             registry: Fixture.registry, periods: [2019])
        func key(_ area: String) -> ObservationKey { ObservationKey(area: area, indicator: "TEKUN_PERSONS_U", period: 2019) }
        // One cell withheld alone: 株洲市 − 芦淞区 − 渌口区 gives it.
        let naive = Disclosure.audit(withheld: [key("430202")], equations: equations)
        #expect(naive.map { "\($0.key.area): " + $0.equations.map(\.text).joined(separator: "; ") } == [
            "430202: 430200 = 430202 + 430203 + 430212 (TEKUN_PERSONS_U 2019)",
        ])
        // Two cells in every sum, yet recoverable: 株洲市 is 湖南省 − 湘潭市, and then 荷塘区 is 株洲市 − the others.
        // Only elimination across both sums finds it; a check of each sum alone passes.
        let linked = Disclosure.audit(withheld: [key("430200"), key("430202")], equations: equations)
        #expect(linked.map { "\($0.key.area): " + $0.equations.map(\.text).joined(separator: "; ") } == [
            "430200: 430000 = 430200 + 430300 (TEKUN_PERSONS_U 2019)",
            "430202: 430000 = 430200 + 430300 (TEKUN_PERSONS_U 2019); 430200 = 430202 + 430203 + 430212 (TEKUN_PERSONS_U 2019)",
        ])
        #expect(Disclosure.auditErrors(Array(linked.prefix(1)), registry: Fixture.registry, names: IndicatorNames(Self.indicators))
            .map(Fixture.finding) == [
                "error disclosure [] withheld Zhuzhou 430200 Urban persons in extreme-poverty support TEKUN_PERSONS_U 2019 can be worked out "
                    + "from published figures by 430000 = 430200 + 430300 (TEKUN_PERSONS_U 2019); withhold another figure of these relations "
                    + "(none is left for the build to choose: check the areas in areas.csv and the totals in indicators.csv behind them)",
            ])
        // The pattern the stage chooses passes.
        #expect(Disclosure.audit(withheld: [key("430202"), key("430212")], equations: equations).isEmpty)
    }

    @Test func whatAnEarlierEditionWithheldStaysWithheldAndWhatItPublishedIsAWarning() throws {
        let aggregated = try aggregated(["430202": 3, "430203": 5, "430212": 4])
        // The 2018 edition withheld 渌口区's 2019 count (its figure then), and published 荷塘区's.
        let earlier = Disclosure.Earlier(
            edition: 2018, withheld: Withholding(cells: [ObservationKey(area: "430212", indicator: "TEKUN_PERSONS_U", period: 2019): .primary]),
            published: [ObservationKey(area: "430202", indicator: "TEKUN_PERSONS_U", period: 2019)])
        let kept = Disclosure.run(observations: aggregated.observations, units: aggregated.units, indicators: Self.indicators,
                                  registry: Fixture.registry, periods: [2019], minUnits: 3, earlier: [earlier])
        // 3 persons are not small: only the earlier edition's cell, and 荷塘区 (3 persons, the smaller sibling) that would reveal it.
        #expect(cells(kept.withholding) == [
            "430202 TEKUN_AMOUNT_U 2019 D",
            "430202 TEKUN_PC_U 2019 D",
            "430202 TEKUN_PERSONS_U 2019 D",
            "430212 TEKUN_AMOUNT_U 2019 A",
            "430212 TEKUN_PC_U 2019 A",
            "430212 TEKUN_PERSONS_U 2019 A",
        ])
        #expect(kept.reasons[ObservationKey(area: "430212", indicator: "TEKUN_PERSONS_U", period: 2019)] == "primary: withheld in the 2018 edition")
        #expect(kept.facts.kept == 3)
        // 荷塘区's count was published by the 2018 edition: it cannot be unpublished, and the statistician is told.
        #expect(kept.problems.map(Fixture.finding) == [
            "warning disclosure [] Hetang 430202 Urban persons in extreme-poverty support TEKUN_PERSONS_U 2019 is withheld now "
                + "but the 2018 edition published it; it cannot be unpublished: check whether that edition should be corrected",
        ])
    }

    @Test func aTotalOfUrbanAndRuralIsWithheldWithItsWithheldPart() throws {
        let indicators = Self.indicators + [
            Indicator(code: "TEKUN_PERSONS_R", chapter: "social-assistance", nameZH: "农村特困供养人员", nameEN: "Rural persons in extreme-poverty support",
                      unit: "persons", source: .tekun, formula: "count where category=R", additive: true, decimals: 0, rank: nil),
            Indicator(code: "TEKUN_PERSONS", chapter: "social-assistance", nameZH: "特困供养人员", nameEN: "Persons in extreme-poverty support",
                      unit: "persons", source: .derived, formula: "TEKUN_PERSONS_U + TEKUN_PERSONS_R", additive: false, decimals: 0, rank: nil),
        ]
        let aggregated = try aggregated(["430202": 2, "430203": 5, "430212": 4], rural: 6, indicators: indicators)
        let result = Disclosure.run(observations: aggregated.observations, units: aggregated.units, indicators: indicators,
                                    registry: Fixture.registry, periods: [2019], minUnits: 3)
        // The total less its published rural part would give the urban part: it goes with it, at the county and its sibling.
        #expect(cells(result.withholding) == [
            "430202 TEKUN_AMOUNT_U 2019 A",
            "430202 TEKUN_PC_U 2019 A",
            "430202 TEKUN_PERSONS 2019 A",
            "430202 TEKUN_PERSONS_U 2019 A",
            "430212 TEKUN_AMOUNT_U 2019 D",
            "430212 TEKUN_PC_U 2019 D",
            "430212 TEKUN_PERSONS 2019 D",
            "430212 TEKUN_PERSONS_U 2019 D",
        ])
        #expect(result.problems.isEmpty)
        let equations = Disclosure.equations(observations: aggregated.observations, indicators: indicators,
                                             registry: Fixture.registry, periods: [2019])
        #expect(equations.map(\.text).contains("TEKUN_PERSONS = TEKUN_PERSONS_U + TEKUN_PERSONS_R (430202 2019)"))
        // Published, the total would reveal the urban part.
        let total = ObservationKey(area: "430202", indicator: "TEKUN_PERSONS", period: 2019)
        let withoutTotal = Set(result.withholding.cells.keys).subtracting([total])
        #expect(Disclosure.audit(withheld: withoutTotal, equations: equations).map(\.key.area).contains("430202"))
    }
}
