import Foundation
import Testing
import YearbookTestSupport
@testable import Pipeline
import YearbookCore

/// What the terminal says after a build: warnings by kind, then what a statistician must look at.
@Suite struct BuildSummaryTests {
    @Test func theSummaryNamesSkippedFilesDifferencesAndRuleFailuresWithBothFigures() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.write("pipelines/indicators.csv", DefinitionCheckTests.indicators)
        tree.write("pipelines/chapters.csv", DefinitionCheckTests.chapters)
        let definition = tree.write("pipelines/yearbook.yml", DefinitionCheckTests.valid + """
              - id: beds_jump
                severity: warning
                description: {zh: 床位变化不超过50%, en: Beds move at most 50%}
                each: [BEDS]
                check: abs(value - previous(value)) <= 0.5 * abs(previous(value))

            """)
        tree.write("input/areas.csv", TestTree.zhuzhouAreas)
        for (year, beds) in [(2018, ["10", "20", "30"]), (2019, ["30", "20", "30"])] {
            tree.write("input/\(year)/submissions/beds.xml", SDMXMessage.structureSpecific(prepared: "\(year + 1)-01-10T00:00:00Z", [
                SDMXMessage.Obs(area: "430202", indicator: "BEDS", period: year, value: beds[0]),
                SDMXMessage.Obs(area: "430203", indicator: "BEDS", period: year, value: beds[1]),
                SDMXMessage.Obs(area: "430212", indicator: "BEDS", period: year, value: beds[2]),
                SDMXMessage.Obs(area: "430200", indicator: "BEDS", period: year, value: year == 2019 ? "95" : "60"),
            ]))
        }
        tree.write("input/2019/exports/430203_dibao (1).csv.gz", "a copy")
        let result = try YearbookBuild.run(BuildOptions(input: tree.path("input"), year: 2019, out: tree.path("out"), pipeline: definition))
        #expect(result.exitCode == 0)
        let accounting = [
            "yearbook 2019: 0 roster files, 0 rows = 0 accepted + 0 inactive + 0 rejected; 2 submissions, 8 observations; 0 errors, 4 warnings",
            "警告 warnings: 1 不完整 incomplete, 1 未读取的文件 file not read, 1 核对差异 reconciliation, 1 规则未通过 rule failed",
            "须核查 to look at:",
            "  未读取的文件 files not read (1):",
            "    2019/exports/430203_dibao (1).csv.gz: fits none of the export names (<county>_dibao.csv.gz, <county>_tekun.csv.gz): "
                + "likely meant as 430203_dibao.csv.gz; until it is, the dibao figures of 430203 for 2019 are missing; not read",
        ]
        #expect(try BuildSummary(result, definition: result.definition, registry: result.registry).lines == accounting + [
            "  核对差异 figures that disagree (1):",
            "    430200 株洲市 Zhuzhou · BEDS 养老床位 (Elderly-care beds) · 2019: sum of its areas 下级合计 80 (sum of 3 areas), "
                + "submitted 报送 95 (submission); difference 差 15, 80 kept 采用",
            "  规则未通过 rule failed: beds_jump 床位变化不超过50% (Beds move at most 50%) (1):",
            "    430202 荷塘区 Hetang · BEDS 养老床位 (Elderly-care beds): BEDS=30; BEDS 2018=10 (+200.0%); 2019 本年 30, 2018 上年 10",
        ])

        // A chapter regenerated from the target cache has the problems, not the comparisons and rule
        // results: its sections list the same warnings as the reports word them, never an empty header.
        let chapter = try YearbookBuild.run(BuildOptions(input: tree.path("input"), year: 2019, out: tree.path("out"),
                                                         pipeline: definition, chapter: "care"))
        #expect(chapter.filesRead == 0)
        #expect(chapter.comparisons.isEmpty && chapter.validation.isEmpty)
        #expect(try BuildSummary(chapter, definition: chapter.definition, registry: chapter.registry).lines == accounting + [
            "  核对差异 figures that disagree (1):",
            "    Elderly-care beds BEDS 2019 of Zhuzhou 430200: sum of its areas 80, submitted total 95 (difference 15, tolerance 5); the sum is kept",
            "  规则未通过 rules failed (1):",
            "    rule beds_jump fails for Hetang 430202 Elderly-care beds BEDS 2019: Beds move at most 50% (BEDS=30; BEDS 2018=10 (+200.0%))",
        ])
    }
}

/// A failed build: its error first and last, the warnings that only repeat it counted, not listed, and
/// whether an edition exists.
@Suite struct FailedBuildSummaryTests {
    static let indicators = """
        code,chapter,name_zh,name_en,unit,source,formula,additive,decimals,rank
        HH_U,assistance,城市低保户数,Urban households,households,dibao,count where category=U,yes,0,
        BEDS,care,养老床位,Elderly-care beds,beds,submission,,yes,0,

        """
    static let definition = """
        title: {zh: 测试年鉴, en: Test Yearbook}
        subject: "430200"
        indicators: indicators.csv
        chapters: chapters.csv
        units:
          households: {zh: 户, en: households}
          beds: {zh: 张, en: beds}
        rules:
          - id: counties_report
            severity: warning
            description: {zh: 每个县报送, en: Every county reports}
            kind: completeness
            levels: [county]
            each: [HH_U, BEDS]

        """
    static let dibaoHeader = "household_id,area_code,category,members,monthly_amount,status\n"

    /// A tree with the definition and, per year, a dibao roster and the beds of each county named.
    func tree(_ years: [Int: [String]]) -> (TestTree, String) {
        let tree = TestTree()
        tree.write("pipelines/indicators.csv", Self.indicators)
        tree.write("pipelines/chapters.csv", DefinitionCheckTests.chapters)
        let definition = tree.write("pipelines/yearbook.yml", Self.definition)
        tree.write("input/areas.csv", TestTree.zhuzhouAreas)
        for (year, counties) in years {
            write(tree, year: year, counties: counties)
        }
        return (tree, definition)
    }

    func write(_ tree: TestTree, year: Int, counties: [String]) {
        try? FileManager.default.createDirectory(atPath: tree.path("input/\(year)/exports"), withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(atPath: tree.path("input/\(year)/submissions"), withIntermediateDirectories: true)
        guard !counties.isEmpty else { return }
        for county in counties {
            tree.writeGzip("input/\(year)/exports/\(county)_dibao.csv.gz", Self.dibaoHeader + "h1,\(county),U,2,300,active\n")
        }
        tree.write("input/\(year)/submissions/beds.xml", SDMXMessage.structureSpecific(prepared: "\(year + 1)-01-10T00:00:00Z",
            counties.map { SDMXMessage.Obs(area: $0, indicator: "BEDS", period: year, value: "10") }))
    }

    func lines(_ result: BuildResult, out: String) throws -> [String] {
        try BuildSummary(result, definition: result.definition, registry: result.registry).lines
            + BuildSummary.ending(result, out: out, chapter: nil)
    }

    @Test func aYearWithNoInputEndsWithItsErrorAndSaysNoEditionExists() throws {
        let (tree, definition) = tree([2019: ["430202", "430203", "430212"], 2020: []])
        let out = tree.path("out")
        let result = try YearbookBuild.run(BuildOptions(input: tree.path("input"), year: 2020, out: out, pipeline: definition))
        #expect(result.exitCode == 1)
        let error = "2020/: error: no input for 2020: 2020/exports and 2020/submissions hold no file the contract names "
            + "(<county>_dibao.csv.gz, <county>_tekun.csv.gz, *.xml, *.xml.gz)"
        #expect(try lines(result, out: out) == [
            "yearbook 2020: 3 roster files, 3 rows = 3 accepted + 0 inactive + 0 rejected; 1 submissions, 3 observations; 1 errors, 7 warnings",
            // Of last year (Changsha has no county): not a consequence.
            "警告 warnings: 1 不完整 incomplete",
            "6 warnings that follow from the errors above are not listed: 6 规则未通过 rule failed, figures that have no value "
                + "because an error left their year or county without input 因上述错误缺少输入而无值; all are in reports/problems.csv",
            error,
            "no edition of 2020 exists in \(out): nothing was published; the reports of this build are in \(out)/2020.failed/reports/",
        ])
        // Still every one in the reports.
        let problems = try String(contentsOfFile: out + "/2020.failed/reports/problems.csv", encoding: .utf8)
        #expect(problems.split(separator: "\n").filter { $0.contains("counties_report") }.count == 6)
        // The report targets made them, as for an edition (those written in place were moved); the staging folder is gone.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).sorted() == [".yearbook-cache", ".yearbook-lock", "2020.failed"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/2020.failed/reports").sorted() == [
            "disclosure.json", "disclosure.md", "inputs.json", "inputs.md", "problems.csv", "reconciliation.json", "reconciliation.md", "rejects.csv", "rejects.json",
            "validation.json", "validation.md"])

        // The edition of 2020 published before stays as it was.
        write(tree, year: 2020, counties: ["430202", "430203", "430212"])
        #expect(try YearbookBuild.run(BuildOptions(input: tree.path("input"), year: 2020, out: out, pipeline: definition)).published)
        try FileManager.default.removeItem(atPath: tree.path("input/2020/exports"))
        try FileManager.default.removeItem(atPath: tree.path("input/2020/submissions"))
        write(tree, year: 2020, counties: [])
        let again = try YearbookBuild.run(BuildOptions(input: tree.path("input"), year: 2020, out: out, pipeline: definition))
        #expect(try lines(again, out: out).suffix(2) == [
            error,
            "nothing published: the edition \(out)/2020/ is as it was; the reports of this build are in \(out)/2020.failed/reports/",
        ])
    }

    /// Which warnings follow from which errors: a roster file's county and year (named by the file when the
    /// error gives no area), a year with no input, the areas within an area an error names; never a failed check.
    @Test func consequencesAreTheMissingFiguresOfWhatAnErrorLeftWithoutInput() throws {
        let registry = AreaRegistry([
            Area(code: "430200", nameZH: "株洲市", nameEN: "Zhuzhou", level: .prefecture),
            Area(code: "430202", nameZH: "荷塘区", nameEN: "Hetang", level: .county, parent: "430200"),
            Area(code: "430203", nameZH: "芦淞区", nameEN: "Lusong", level: .county, parent: "430200"),
        ])
        var problems = ProblemList()
        problems.add(.error(.roster, "too many rejected rows", file: "2019/exports/430202_dibao.csv.gz"))
        problems.add(.error(.rule, "rule non_negative fails", area: "430203", period: 2019))
        problems.add(.error(.inputTree, "no input for 2020", file: "2020/", period: 2020))
        problems.add(.error(.subject, "subject 430200 has no figure for 2018", area: "430200", period: 2018))
        func missing(_ area: String, _ period: Int, kind: Problem.Kind = .rule) -> Problem {
            .warning(kind, kind == .rule ? "rule r fails for \(area) HH_U \(period): r (HH_U has no value)" : "\(area) cannot be summed",
                     area: area, indicator: "HH_U", period: period)
        }
        let consequences = try ErrorConsequences(problems, registry: registry)
        #expect(consequences.follows(missing("430202", 2019)))
        #expect(!consequences.follows(missing("430202", 2017)))
        #expect(!consequences.follows(missing("430203", 2019)))
        #expect(!consequences.follows(missing("430200", 2019, kind: .incomplete)))
        #expect(consequences.follows(missing("430203", 2020)))
        #expect(consequences.follows(missing("430200", 2020, kind: .incomplete)))
        #expect(consequences.follows(missing("430203", 2018)))
        #expect(!consequences.follows(.warning(.rule, "rule jump fails for 430202 (HH_U=9; HH_U 2018=2 (+350.0%))",
                                               area: "430202", indicator: "HH_U", period: 2019)))
        #expect(!consequences.follows(.warning(.succession, "430221 became 430212", area: "430202", period: 2019)))
    }

    /// A truncated roster is an error of its county and year: the county's missing figures follow from it;
    /// another county's are listed.
    @Test func theMissingFiguresOfACountyWhoseFileFailedAreCountedNotListed() throws {
        let (tree, definition) = tree([2019: ["430202", "430203"]])
        let bytes = gzip(Array((Self.dibaoHeader + "h1,430202,U,2,300,active\n").utf8))
        tree.write("input/2019/exports/430202_dibao.csv.gz", Array(bytes.prefix(bytes.count - 12)))
        let out = tree.path("out")
        let result = try YearbookBuild.run(BuildOptions(input: tree.path("input"), year: 2019, out: out, pipeline: definition))
        let errors = try result.problems.errors()
        #expect(errors.map { "\($0.kind) \($0.area ?? "") \($0.period.map(String.init) ?? "")" } == ["unreadable 430202 2019"])
        #expect(try lines(result, out: out) == [
            "yearbook 2019: 1 roster files, 1 rows = 1 accepted + 0 inactive + 0 rejected; 1 submissions, 2 observations; 1 errors, 5 warnings",
            // Zhuzhou's sums lack Hetang, and Lukou which sent nothing: listed.
            "警告 warnings: 2 不完整 incomplete, 2 规则未通过 rule failed",
            "1 warnings that follow from the errors above are not listed: 1 规则未通过 rule failed, figures that have no value "
                + "because an error left their year or county without input 因上述错误缺少输入而无值; all are in reports/problems.csv",
            "须核查 to look at:",
            "  规则未通过 rule failed: counties_report 每个县报送 (Every county reports) (2):",
            "    430212 渌口区 Lukou · HH_U 城市低保户数 (Urban households): HH_U has no value",
            "    430212 渌口区 Lukou · BEDS 养老床位 (Elderly-care beds): BEDS has no value",
            errors[0].description,
            "no edition of 2019 exists in \(out): nothing was published; the reports of this build are in \(out)/2019.failed/reports/",
        ])
    }
}

@Suite struct ProgressTests {
    final class Sink: @unchecked Sendable {
        var text = ""
        func write(_ part: String) { text += part }
    }

    /// The last extraction line counts as the summary does: files, roster rows, observations.
    @Test func progressNamesEveryStageAndEndsWithTheSummarysCounts() {
        let sink = Sink()
        let write: @Sendable (String) -> Void = { sink.write($0) }
        Progress.stage("input tree and registry", shown: true, write: write)
        let progress = Progress(totalFiles: 2, write: write)
        progress.fileDone(rosterRows: 3835, observations: 0)
        progress.fileDone(rosterRows: 0, observations: 7)
        Progress.stage("reconcile", shown: true, write: write)
        Progress.stage("aggregate and rank", shown: false, write: write)
        Progress.finished(shown: true, write: write)
        let lines = sink.text.components(separatedBy: "\r\u{1B}[K").filter { !$0.isEmpty }
        #expect(lines.count == 4)
        #expect(lines.first == "input tree and registry…")
        #expect(lines[1].hasPrefix("extract: 1/2 files, 3835 roster rows, 0 observations, "))
        #expect(lines[2].hasPrefix("extract: 2/2 files, 3835 roster rows, 7 observations in "))
        #expect(lines[2].hasSuffix("s\n"))
        #expect(lines[3] == "reconcile…")
        #expect(sink.text.hasSuffix("reconcile…\r\u{1B}[K"))
    }
}
