import Definition
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport
@testable import Pipeline

/// The definition is checked whole at load, like a compiler: every problem at
/// once, each at its line and column. A small definition of the tests' own.
@Suite struct DefinitionCheckTests {
    static let indicators = """
        code,chapter,name_zh,name_en,unit,source,formula,additive,decimals,rank
        PERSONS_U,assistance,城市低保对象,Urban recipients,persons,submission,,yes,0,
        PERSONS_R,assistance,农村低保对象,Rural recipients,persons,submission,,yes,0,
        AMOUNT_U,assistance,城市低保金,Urban allowance,yuan,submission,,yes,0,
        PC_U,assistance,城市月人均救助水平,Urban allowance per recipient,yuan/person-month,derived,AMOUNT_U / PERSONS_U,no,2,desc
        BEDS,care,养老床位,Elderly-care beds,beds,submission,,yes,0,

        """
    static let chapters = """
        chapter,order,title_zh,title_en
        assistance,1,社会救助,Social Assistance
        care,2,养老服务,Elderly Care

        """
    /// A definition with no mistake; each test breaks one line of it.
    static let valid = """
        title: {zh: 测试年鉴, en: Test Yearbook}
        subject: "430200"
        indicators: indicators.csv
        chapters: chapters.csv
        columns: [value, change]
        units:
          persons: {zh: 人, en: persons}
          yuan: {zh: 元, en: yuan}
          yuan/person-month: {zh: 元/人·月, en: yuan per person-month}
          beds: {zh: 张, en: beds}
        content:
          assistance:
            headlines:
              - zh: 全市城乡低保对象{PERSONS_U+PERSONS_R|万|1}万人，月人均{PC_U}元，排第{rank:PC_U}位。
                en: "Recipients: {PERSONS_U+PERSONS_R|万|1} persons; {PC_U} yuan, ranked {rank:PC_U}."
            rankings: [PC_U]
        rules:
          - id: beds_non_negative
            severity: error
            check: BEDS >= 0

        """

    func problems(_ definition: String) -> [String] {
        let tree = TestTree()
        tree.write("indicators.csv", Self.indicators)
        tree.write("chapters.csv", Self.chapters)
        let reading = PipelineDefinition.read(path: tree.write("yearbook.yml", definition))
        #expect((reading.definition == nil) == !reading.problems.isEmpty)
        return reading.problems.map { $0.description.replacingOccurrences(of: tree.root + "/", with: "") }
    }

    func replacing(_ old: String, _ new: String) -> String {
        precondition(Self.valid.contains(old))
        return Self.valid.replacingOccurrences(of: old, with: new)
    }

    @Test func theValidDefinitionHasNoProblem() {
        #expect(problems(Self.valid) == [])
    }

    @Test func theRejectedShareOfARosterIsAPercentage() {
        #expect(problems(Self.valid + "rosters:\n  max_rejected_share: 2.5%\n") == [])
        let notAPercentage = "is not a percentage from 0% to 100% (write it like 10% or 2.5%); "
            + "it is the share of a roster file's rows that may be rejected before the file is an error"
        #expect(problems(Self.valid + "rosters:\n  max_rejected_share: 0.1\n") == [
            "yearbook.yml:22:23: rosters.max_rejected_share: '0.1' \(notAPercentage)",
        ])
        #expect(problems(Self.valid + "rosters:\n  max_rejected_share: 150%\n") == [
            "yearbook.yml:22:23: rosters.max_rejected_share: '150%' \(notAPercentage)",
        ])
        #expect(problems(Self.valid + "rosters:\n  max_rejected_shares: 5%\n") == [
            "yearbook.yml:22:3: unknown key 'max_rejected_shares'; did you mean 'max_rejected_share'?",
        ])
    }

    @Test func theSmallCellRuleIsAWholeNumberFromZeroUp() throws {
        #expect(problems(Self.valid + "disclosure:\n  min_units: 3\n") == [])
        #expect(problems(Self.valid + "disclosure:\n  min_units: 0\n") == [])
        let notAWholeNumber = "is not a whole number from 0 up (write it like 3, or 0 to withhold nothing); "
            + "a roster figure counted from fewer active households or persons than this is withheld from release"
        for written in ["-1", "2.5", "three"] {
            #expect(problems(Self.valid + "disclosure:\n  min_units: \(written)\n") == [
                "yearbook.yml:22:14: disclosure.min_units: '\(written)' \(notAWholeNumber)",
            ])
        }
        #expect(problems(Self.valid + "disclosure:\n  min_unit: 3\n") == [
            "yearbook.yml:22:3: unknown key 'min_unit'; did you mean 'min_units'?",
        ])
        // Emptied, a key would read as absent and quietly take its default: no rule, small cells published.
        #expect(problems(Self.valid + "disclosure:\n  min_units:\n") == [
            "yearbook.yml:22:3: 'min_units' has no value: write one, or remove the key to take its default",
        ])
        #expect(problems(Self.valid + "disclosure:\n") == [
            "yearbook.yml:21:1: 'disclosure' has no value: write one, or remove the key to take its default",
        ])
        #expect(problems(Self.valid + "rosters:\n  max_rejected_share:\n") == [
            "yearbook.yml:22:3: 'max_rejected_share' has no value: write one, or remove the key to take its default",
        ])
        // The rule as the build reads it: the number, or 0 (nothing withheld) without the section.
        let tree = TestTree()
        tree.write("indicators.csv", Self.indicators)
        tree.write("chapters.csv", Self.chapters)
        let withRule = PipelineDefinition.read(path: tree.write("yearbook.yml", Self.valid + "disclosure:\n  min_units: 3\n"))
        #expect(withRule.definition?.minUnits == 3)
        let without = PipelineDefinition.read(path: tree.write("yearbook.yml", Self.valid))
        #expect(without.definition?.minUnits == 0)
    }

    @Test func headlinePlaceholdersArePrintableOrErrors() {
        #expect(problems(replacing("{PERSONS_U+PERSONS_R|万|1}万人", "{PERSONS_U+PERSONS_R|千}万人")) == [
            "yearbook.yml:14:21: {PERSONS_U+PERSONS_R|千}: the figure is printed in 千 (10^3) but the text after it says 万 (10^4)",
        ])
        #expect(problems(replacing("月人均{PC_U}元", "月人均{PC_UU}元")) == [
            "yearbook.yml:14:52: {PC_UU}: unknown indicator 'PC_UU'; did you mean 'PC_U'?",
        ])
        #expect(problems(replacing("月人均{PC_U}元", "床位{BED_TOTAL}张")) == [
            "yearbook.yml:14:51: {BED_TOTAL}: unknown indicator 'BED_TOTAL'",
        ])
        #expect(problems(replacing("排第{rank:PC_U}位。", "排第{rank:PC_X}位，{BEDS人。")) == [
            "yearbook.yml:14:62: {rank:PC_X}: unknown indicator 'PC_X'; did you mean 'PC_U'?",
            "yearbook.yml:14:75: unclosed placeholder '{BEDS人。': no '}' after its '{'",
        ])
        #expect(problems(replacing("{rank:PC_U}位", "{rnk:PC_U}位")) == [
            "yearbook.yml:14:62: {rnk:PC_U}: unknown function 'rnk:'; did you mean 'rank'? (known: rank:, move:)",
        ])
        #expect(problems(replacing("{rank:PC_U}位", "{rank:BEDS}位")) == [
            "yearbook.yml:14:62: {rank:BEDS}: BEDS is not ranked (indicators.csv gives it no rank order)",
        ])
        #expect(problems(replacing("月人均{PC_U}元", "月人均{PC_U|万}万元")) == [
            "yearbook.yml:14:52: {PC_U|万}: the scale 万 does not fit PC_U, a figure in yuan/person-month",
        ])
        #expect(problems(replacing("{PERSONS_U+PERSONS_R|万|1} persons", "{PERSONS_U+AMOUNT_U|百} persons")) == [
            "yearbook.yml:15:26: {PERSONS_U+AMOUNT_U|百}: adds PERSONS_U (persons) and AMOUNT_U (yuan): a sum needs one unit",
            "yearbook.yml:15:26: {PERSONS_U+AMOUNT_U|百}: unknown scale '百' (known: 千 10³, 万 10⁴, 亿 10⁸)",
        ])
        #expect(problems(replacing("{PERSONS_U+PERSONS_R|万|1}万人", "{PERSONS_U+PERSONS_R}万人")) == [
            "yearbook.yml:14:21: {PERSONS_U+PERSONS_R}: the text after the figure says 万 (10^4) but the figure is printed whole; write {PERSONS_U+PERSONS_R|万}",
        ])
    }

    /// In English a scaled figure brings its own scale word (102 thousand): one written after it says it twice.
    @Test func anEnglishHeadlineWritesNoScaleWordAfterAFigure() {
        #expect(problems(replacing("|万|1} persons;", "|万|1} ten-thousand persons;")) == [
            "yearbook.yml:15:26: {PERSONS_U+PERSONS_R|万|1}: in English the figure is written in thousand, million or billion as its size needs (10.2万 reads \"102 thousand\"): remove 'ten-thousand' after it",
        ])
        #expect(problems(replacing("{PC_U} yuan,", "{PC_U} thousand yuan,")) == [
            "yearbook.yml:15:61: {PC_U}: the text after the figure says 'thousand' but the figure is printed whole; write {PC_U|万} and remove 'thousand': in English it reads in thousand, million or billion as its size needs",
        ])
    }

    @Test func unknownAndDuplicateKeysAreErrorsWithDidYouMean() {
        #expect(problems(replacing("columns: [value, change]", "colums: [value, change]")) == [
            "yearbook.yml:5:1: unknown key 'colums'; did you mean 'columns'?",
        ])
        #expect(problems(replacing("title: {zh: 测试年鉴, en: Test Yearbook}", "title: {zh: 测试年鉴, zh: 测试, en: Test Yearbook}")) == [
            "yearbook.yml:1:19: duplicate key 'zh' (first on line 1)",
        ])
        #expect(problems(replacing("    rankings: [PC_U]", "    ranking: [PC_U]\n    colour: red")) == [
            "yearbook.yml:16:5: unknown key 'ranking'; did you mean 'rankings'?",
            "yearbook.yml:17:5: unknown key 'colour' (known keys here: headlines, key, tables, rankings, charts, trends)",
        ])
        #expect(problems(replacing("    severity: error", "    severity: error\n    sevrity: warning")) == [
            "yearbook.yml:20:5: unknown key 'sevrity'; did you mean 'severity'?",
        ])
    }

    @Test func namesAreCheckedAgainstTheDictionaries() {
        #expect(problems(replacing("columns: [value, change]", "columns: [value, chnage, value]")) == [
            "yearbook.yml:5:18: unknown column kind 'chnage'; did you mean 'change'? (known: value, previous, change, rank, rank_change)",
            "yearbook.yml:5:26: column 'value' is listed twice",
        ])
        #expect(problems(replacing("  beds: {zh: 张, en: beds}\n", "  bed: {zh: 张, en: beds}\n")) == [
            "yearbook.yml:6:1: unit 'beds' of BEDS (养老床位) has no label under units; its tables would print the code",
            "yearbook.yml:10:3: unit 'bed' is the unit of no indicator in indicators.csv; did you mean 'beds'?",
        ])
        #expect(problems(replacing("  assistance:\n", "  asistance:\n")) == [
            "yearbook.yml:12:3: unknown chapter 'asistance'; did you mean 'assistance'?",
        ])
        #expect(problems(replacing("rankings: [PC_U]", "rankings: [PC_U, BEDS, PERSON_U]")) == [
            "yearbook.yml:16:22: BEDS is not ranked (indicators.csv gives it no rank order)",
            "yearbook.yml:16:28: unknown indicator 'PERSON_U'; did you mean 'PERSONS_U'?",
        ])
        #expect(problems(replacing("    check: BEDS >= 0", "    check: BEDZ >= 0\n    levels: [city]")) == [
            "yearbook.yml:20:12: rule beds_non_negative: unknown indicator 'BEDZ'; did you mean 'BEDS'?",
            "yearbook.yml:21:14: rule beds_non_negative: level 'city' is not province, prefecture or county",
        ])
    }

    /// `min_base` is a number of 0 or more, on a check that reads last year's figures.
    @Test func minBaseIsANumberOnAYearOverYearCheck() {
        #expect(problems(replacing("    check: BEDS >= 0", "    check: abs(BEDS - previous(BEDS)) <= 0.5 * abs(previous(BEDS))\n    min_base: 10")) == [])
        #expect(problems(replacing("    check: BEDS >= 0", "    check: abs(BEDS - previous(BEDS)) <= 0.5 * abs(previous(BEDS))\n    min_base: ten")) == [
            "yearbook.yml:21:15: rule beds_non_negative: min_base 'ten' is not a number of 0 or more (e.g. min_base: 10)",
        ])
        #expect(problems(replacing("    check: BEDS >= 0", "    check: abs(BEDS - previous(BEDS)) <= 0.5 * abs(previous(BEDS))\n    min_base: -1")) == [
            "yearbook.yml:21:15: rule beds_non_negative: min_base '-1' is not a number of 0 or more (e.g. min_base: 10)",
        ])
        #expect(problems(replacing("    check: BEDS >= 0", "    check: BEDS >= 0\n    min_base: 10")) == [
            "yearbook.yml:21:15: rule beds_non_negative: min_base applies only to a check that reads previous(CODE); "
                + "remove it or compare with last year",
        ])
        #expect(problems(replacing("    check: BEDS >= 0", "    check: BEDS >= 0\n    min_base: [10]")) == [
            "yearbook.yml:21:15: rules[0].min_base: expected text, found a list",
        ])
        #expect(problems(replacing("    check: BEDS >= 0", "    check: BEDS >= 0\n    min_bas: 10")) == [
            "yearbook.yml:21:5: unknown key 'min_bas'; did you mean 'min_base'?",
        ])
    }

    @Test func yamlAndTypeErrorsArePlacedNotDumped() {
        #expect(problems(replacing("subject: \"430200\"", "subject: \"430200")) == [
            "yearbook.yml:15:14: YAML: did not find expected key (while parsing a block mapping at line 1, column 1)",
        ])
        #expect(problems(replacing("columns: [value, change]", "columns: value")) == [
            "yearbook.yml:5:10: columns: expected a list, found 'value'",
        ])
        #expect(problems(replacing("    check: BEDS >= 0", "    check: BEDS >= 0\n    each: some")) == [
            "yearbook.yml:21:11: each: expected 'all' or a list of indicator codes",
        ])
        #expect(problems("# nothing yet\n") == ["yearbook.yml: the pipeline definition is empty"])
        #expect(problems(replacing("title: {zh: 测试年鉴, en: Test Yearbook}", "title: {zh: 测试年鉴}")) == [
            "yearbook.yml:1:8: missing key 'en' in title",
        ])
    }

    @Test func aliasesThatExpandToBillionsAreRefusedAtOnce() {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 { bomb += "b\(level): &b\(level) [" + Array(repeating: level == 1 ? "*a" : "*b\(level - 1)", count: 10).joined(separator: ", ") + "]\n" }
        #expect(problems(bomb) == ["yearbook.yml: the definition holds more than 100000 values once its aliases are expanded"])
    }

    @Test func everyProblemIsReportedTogether() throws {
        let broken = replacing("columns: [value, change]", "colums: [value, change]")
            .replacingOccurrences(of: "月人均{PC_U}元", with: "月人均{PC_UU}元")
            .replacingOccurrences(of: "check: BEDS >= 0", with: "check: BEDZ >= 0")
        #expect(problems(broken) == [
            "yearbook.yml:5:1: unknown key 'colums'; did you mean 'columns'?",
            "yearbook.yml:14:52: {PC_UU}: unknown indicator 'PC_UU'; did you mean 'PC_U'?",
            "yearbook.yml:20:12: rule beds_non_negative: unknown indicator 'BEDZ'; did you mean 'BEDS'?",
        ])
    }
}

/// The subject of the definition, against the registry and the data.
@Suite struct SubjectTests {
    func tree(subject: String) -> (TestTree, BuildOptions) {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.write("pipelines/indicators.csv", DefinitionCheckTests.indicators)
        tree.write("pipelines/chapters.csv", DefinitionCheckTests.chapters)
        let definition = tree.write("pipelines/yearbook.yml",
                                    DefinitionCheckTests.valid.replacingOccurrences(of: "\"430200\"", with: "\"\(subject)\""))
        tree.write("input/areas.csv", TestTree.zhuzhouAreas)
        tree.write("input/2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T00:00:00Z", [
            SDMXMessage.Obs(area: "430202", indicator: "BEDS", period: 2019, value: "10"),
            SDMXMessage.Obs(area: "430203", indicator: "BEDS", period: 2019, value: "20"),
            SDMXMessage.Obs(area: "430212", indicator: "BEDS", period: 2019, value: "30"),
        ]))
        return (tree, BuildOptions(input: tree.path("input"), year: 2019, out: tree.path("out"), pipeline: definition))
    }

    @Test func aSubjectMissingFromTheRegistryIsAUsageErrorNamingIt() throws {
        let (tree, options) = tree(subject: "430209")
        let error = #expect(throws: YearbookError.self) { try YearbookBuild.run(options) }
        #expect(error?.code == .usage)
        do { _ = try YearbookBuild.run(options) } catch let error as YearbookError {
            #expect(error.description == "\(tree.path("pipelines/yearbook.yml")):2:10: subject 430209 is not in "
                + "\(tree.path("input/areas.csv")); did you mean 430200 (株洲市 Zhuzhou)?")
        }
        #expect(!FileManager.default.fileExists(atPath: tree.path("out")))
    }

    @Test func aSubjectWithNoFigureIsAnError() throws {
        let (tree, options) = tree(subject: "430100")
        let result = try YearbookBuild.run(options)
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().map(\.description) == [
            "error: subject 430100 (长沙市 Changsha) and its areas have no figure for 2019: read 1 submission of 2019 "
                + "(2019/submissions/a.xml): its figures are for other areas (are the files of its counties in 2019/exports and 2019/submissions?)",
        ])
        #expect(!result.published && !FileManager.default.fileExists(atPath: tree.path("out/2019")))
        let (zhuzhouTree, zhuzhouOptions) = self.tree(subject: "430200")
        #expect(try YearbookBuild.run(zhuzhouOptions).exitCode == 0)
        #expect(FileManager.default.fileExists(atPath: zhuzhouTree.path("out/2019/index.md")))
    }

    /// The files of the year were read, and none reached the subject: the error names them and says why.
    @Test func aSubjectWithNoFigureNamesTheFilesReadAndWhy() throws {
        let (tree, options) = tree(subject: "430200")
        tree.write("input/2020/submissions/last.xml", SDMXMessage.structureSpecific(prepared: "2021-01-10T00:00:00Z", [
            SDMXMessage.Obs(area: "430202", indicator: "BEDS", period: 2019, value: "10"),
        ]))
        tree.write("input/2020/submissions/old.xml", SDMXMessage.structureSpecific(prepared: "2015-01-10T00:00:00Z", [
            SDMXMessage.Obs(area: "430202", indicator: "BEDS", period: 2014, value: "7"),
        ]))
        var year2020 = options
        year2020.year = 2020
        let result = try YearbookBuild.run(year2020)
        #expect(try result.problems.errors().map(\.description) == [
            "error: subject 430200 (株洲市 Zhuzhou) and its areas have no figure for 2020: read 2 submissions of 2020 "
                + "(2020/submissions/last.xml, 2020/submissions/old.xml): 1 with figures for 2019, 1 with figures for years other than 2020 and 2019 "
                + "(are the files of its counties in 2020/exports and 2020/submissions?)",
        ])
    }

    @Test func aYearWithNoInputIsAnError() throws {
        let (tree, options) = tree(subject: "430200")
        try FileManager.default.removeItem(atPath: tree.path("input/2019/submissions/a.xml"))
        let result = try YearbookBuild.run(options)
        #expect(try result.problems.errors().map(\.description) == [
            "2019/: error: no input for 2019: 2019/exports and 2019/submissions hold no file the contract names "
                + "(<county>_dibao.csv.gz, <county>_tekun.csv.gz, *.xml, *.xml.gz)",
        ])
        #expect(!result.published)
    }
}
