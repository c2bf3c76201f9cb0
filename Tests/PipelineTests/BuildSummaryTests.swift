import Foundation
import Testing
@testable import Pipeline

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
