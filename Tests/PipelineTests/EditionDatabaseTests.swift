import Database
import EditionFiles
import Foundation
@testable import Readers
import Testing
@testable import Pipeline
import YearbookCore
import YearbookTestSupport

/// data/yearbook.sqlite, the lineage and `explain`, and data/observations.xml,
/// on the sample 2019 edition.
@Suite(.serialized) struct EditionDatabaseTests {
    static let out = Scratch.folder("database")
    static let built: BuildResult = {
        try! YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: out, pipeline: pipelinePath))
    }()
    static var edition: String { _ = built; return out + "/2019" }

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }
    static func text(_ path: String) -> String { String(decoding: bytes(path), as: UTF8.self) }

    static func database() throws -> SQLiteConnection {
        try SQLiteConnection.readOnly(path: edition + "/data/yearbook.sqlite")
    }

    /// A query's rows as CSV lines, NULL as an empty field (what `sqlite3 -csv` prints).
    static func csvLines(_ sql: String) throws -> [String] {
        try database().rows(sql).map { row in
            row.map { value in
                switch value {
                case .null: return ""
                case .integer(let number): return String(number)
                case .text(let text): return text
                }
            }.joined(separator: ",")
        }
    }

    @Test func observationsTableIsObservationsCSVRowForRow() throws {
        let csv = Self.text(Self.edition + "/data/observations.csv").split(separator: "\n").dropFirst().map(String.init)
        let table = try Self.csvLines("SELECT area_code, indicator, period, value_exact, status, source FROM observations")
        #expect(csv.count == 941)
        #expect(table == csv)
        #expect(try Self.csvLines("SELECT * FROM observations WHERE area_code = '430200' AND indicator = 'DIBAO_PC_U' AND period = 2019")
                == ["430200,DIBAO_PC_U,2019,373.62,373.6200,A,derived"])
    }

    @Test func rankingsTableIsRankingsCSV() throws {
        let csv = Self.text(Self.edition + "/data/rankings.csv").split(separator: "\n").dropFirst().map(String.init)
        #expect(try Self.csvLines("SELECT indicator, parent_code, area_code, period, value_exact, rank, previous_rank, rank_change FROM rankings") == csv)
    }

    @Test func changesAreAsTheChaptersPrintThem() throws {
        let columns = "area_code, indicator, value_exact, published_exact, previous_area, previous_value_exact, change_exact, change_printed, change_kind, rank, previous_rank, rank_change"
        #expect(try Self.csvLines("SELECT \(columns) FROM changes WHERE area_code = '430200' AND indicator IN ('BEDS_TOTAL', 'BEDS_PER_1000', 'CHILD_HOME_COVERAGE')") == [
            "430200,BEDS_PER_1000,37.7058,37.7,430200,36.9538,2.0,+2.0%,percent,1,1,0",
            "430200,BEDS_TOTAL,28132,28132,430200,26742,5.2,+5.2%,percent,,,",
            // A percentage changes in points.
            "430200,CHILD_HOME_COVERAGE,88.9049,88.9,430200,70.5331,18.4,+18.4 pp,percentage points,1,1,0",
        ])
        // The chapters print no rank columns: every key figure of theirs that ranks, ranks among one.
        #expect(Self.text(Self.edition + "/chapters/elderly-care.md").contains("| 养老床位数 Elderly-care beds | 张 beds | 28,132 | 26,742 | +5.2% |\n"))
        #expect(Self.text(Self.edition + "/chapters/child-welfare.md").contains("| 儿童之家覆盖率 Children's-home coverage | % | 88.9 | 70.5 | +18.4 pp |\n"))
    }

    /// Figures are numbers to SQL: the README's three queries give the statistician's answers.
    @Test func figuresAreNumbersToSQLAndTheReadmeQueriesAnswerRight() throws {
        // As text, 7231 (a county) sorted above 35348 (the city).
        #expect(try Self.csvLines("SELECT max(value), typeof(value), typeof(value_exact) FROM observations WHERE indicator = 'DIBAO_PERSONS_U' AND period = 2019")
                == ["35348,integer,text"])
        #expect(try Self.csvLines("SELECT area_code FROM observations WHERE indicator = 'DIBAO_PERSONS_U' AND period = 2019 ORDER BY value DESC LIMIT 3")
                == ["430200", "430281", "430202"])
        #expect(try Self.csvLines("SELECT max(value) FROM rankings WHERE indicator = 'BEDS_PER_1000'") == ["49.8"])
        #expect(try Self.csvLines("SELECT value, value_exact, published, change, change_exact FROM changes WHERE area_code = '430200' AND indicator = 'BEDS_PER_1000'")
                == ["37.7058,37.7058,37.7,2,2.0"])
        #expect(try Self.csvLines("SELECT count(*) FROM observations WHERE value IS NOT NULL AND typeof(value) NOT IN ('integer', 'real')") == ["0"])
        // The README's queries, run as written by the sqlite3 shell.
        let readme = Self.text(repositoryRoot + "/README.md")
        let sql = try #require(readme.components(separatedBy: "```sql\n").dropFirst().first?.components(separatedBy: "```").first)
        let sqlite3 = try #require(installedTool("sqlite3"), "needs the sqlite3 shell (apt-get install sqlite3)")
        let (status, output) = try runTool(sqlite3, ["-readonly", "-csv", Self.edition + "/data/yearbook.sqlite", sql])
        #expect(status == 0)
        let lines = output.split(separator: "\n").map(String.init)
        #expect(lines.first == "430200,35348")
        #expect(lines.dropFirst().first == "35348,35348")
        #expect(lines.dropFirst(2).first == "\"株洲市\",\"价格临时补贴发放金额\",3520000,12650000,+259.4%")
        #expect(lines.count == 48)
        #expect(!output.contains(" pp"))
    }

    @Test func chapterViewIsTheChapterTableSideBySide() throws {
        let rows = try Self.csvLines("SELECT area_code, area_zh, BEDS_TOTAL, BEDS_TOTAL_previous, BEDS_TOTAL_change FROM chapter_elderly_care")
        #expect(rows.first == "430200,株洲市,28132,26742,+5.2%")
        #expect(rows.count == 10)
    }

    @Test func prefectureRosterFigureIsTracedToEveryCountyRosterFile() throws {
        let explanation = try Explanation.load(edition: Self.edition, area: "株洲市", indicator: "城市低保对象", period: nil)
        let figure = explanation.figure
        #expect((figure.area, figure.indicator, figure.period, figure.value, figure.source) == ("430200", "DIBAO_PERSONS_U", 2019, "35348", "aggregated"))
        let counties = figure.steps.compactMap(\.operand)
        #expect(counties.map(\.area) == ["430202", "430203", "430204", "430211", "430212", "430223", "430224", "430225", "430281"])
        let rosterFiles = counties.flatMap { $0.steps.filter { $0.recorded.role == .roster }.compactMap(\.recorded.file) }
        #expect(rosterFiles == counties.map { "2019/exports/\($0.area)_dibao.csv.gz" })
        let sum = counties.compactMap { $0.value.flatMap { Exact(decimal: $0) } }.reduce(Exact.zero, +)
        #expect(sum == Exact(35348))
        let liling = try #require(counties.last)
        let (roster, submitted) = (liling.steps[0].recorded, liling.steps[1].recorded)
        #expect(liling.steps.map(\.recorded.role) == [.roster, .notUsed])
        #expect((roster.rowsRead, roster.accepted, roster.inactive, roster.rejected) == (12922, 12594, 327, 1))
        #expect((submitted.file, submitted.value, submitted.difference) == ("2019/submissions/430281_2019.xml", "7381", "150"))
        let lines = explanation.text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "株洲市 Zhuzhou (430200) · 城市低保对象 (DIBAO_PERSONS_U) · 2019 = 35,348 persons [A, aggregated]; −4.2% on 2018 (36,912)")
        #expect(lines[1] == "└─ the sum of 9 areas:")
        #expect(lines.last == "      └─ not used: 2019/submissions/430281_2019.xml, line 89, Prepared 2020-01-16T09:40:00+08:00 reported 7,381, differs by 150 (tolerance 36.155); beyond tolerance (a warning)")
    }

    /// The first line is the figure as the chapters print it: rounded, its change and its rank.
    @Test func explanationLeadsWithThePublishedFigureItsChangeAndRank() throws {
        let derived = try Explanation.load(edition: Self.edition, area: "430200", indicator: "DIBAO_PC_U", period: nil)
        #expect(derived.text.components(separatedBy: "\n")[0] == "株洲市 Zhuzhou (430200) · 城市低保月人均救助水平 (DIBAO_PC_U) · 2019 = "
                + "374 yuan/person-month (373.6200, rounded to 0 decimals) [A, derived]; +6.1% on 2018 (352); rank 1/1, =")
        let county = try Explanation.load(edition: Self.edition, area: "醴陵市", indicator: "BEDS_PER_1000", period: nil)
        #expect(county.text.components(separatedBy: "\n")[0] == "醴陵市 Liling (430281) · 每千名老年人拥有养老床位 (BEDS_PER_1000) · 2019 = "
                + "36.5 beds/1000 elderly (36.5047, rounded to 1 decimal) [A, derived]; +2.0% on 2018 (35.8); rank 5, =")
        // Last year's figure as this year's tables print it beside this year's.
        let previous = try Explanation.load(edition: Self.edition, area: "430281", indicator: "BEDS_PER_1000", period: 2018)
        #expect(previous.text.components(separatedBy: "\n")[0] == "醴陵市 Liling (430281) · 每千名老年人拥有养老床位 (BEDS_PER_1000) · 2018 = "
                + "35.8 beds/1000 elderly (35.7750, rounded to 1 decimal) [A, derived]")
    }

    /// A part of a name is not guessed at: every candidate is named, for the area and the indicator at once.
    @Test func aPartOfANameListsTheCandidates() throws {
        #expect(throws: YearbookError.usage(
            "unknown area '株洲': did you mean 株洲市 Zhuzhou (430200), 株洲县 Zhuzhou County (430221)? give the code or the full name; "
            + "unknown indicator '低保对象': did you mean 农村低保对象 Rural minimum-allowance recipients (DIBAO_PERSONS_R), "
            + "城市低保对象 Urban minimum-allowance recipients (DIBAO_PERSONS_U)? give the code or the full name")) {
            try Explanation.load(edition: Self.edition, area: "株洲", indicator: "低保对象", period: nil)
        }
        #expect(throws: YearbookError.usage("unknown area '火星市': neither a code nor a name in the edition's areas")) {
            try Explanation.load(edition: Self.edition, area: "火星市", indicator: "DIBAO_PERSONS_U", period: nil)
        }
        #expect(try Explanation.load(edition: Self.edition, area: "zhuzhou", indicator: "Urban minimum-allowance recipients", period: nil)
                .figure.value == "35348")
    }

    /// An empty figure is explained: the sum has none because 炎陵县 sent M, named with its file and element.
    @Test func anEmptyFigureIsExplainedDownToTheMissingPart() throws {
        let sum = try Explanation.load(edition: Self.edition, area: "430200", indicator: "AGE80_ALLOWANCE", period: 2018)
        let lines = sum.text.split(separator: "\n").map(String.init)
        #expect(Array(lines.prefix(4)) == [
            "株洲市 Zhuzhou (430200) · 高龄津贴领取人数 (AGE80_ALLOWANCE) · 2018 = no value",
            "   no sum: 1 of its 9 areas has no value (炎陵县 430225), so no sum is given",
            "   warning (incomplete): Zhuzhou 430200 cannot be summed from its areas for 1 indicator in 2018: 1 of its 9 areas has no value "
                + "(Yanling 430225); no value for Recipients of the 80-plus longevity allowance AGE80_ALLOWANCE",
            "└─ no sum of 9 areas:",
        ])
        #expect(lines.contains("   ├─ 炎陵县 Yanling (430225) = missing [M, submission]"))
        let county = try Explanation.load(edition: Self.edition, area: "430225", indicator: "AGE80_ALLOWANCE", period: 2018)
        #expect(county.why == ["sent as missing (OBS_STATUS M, or no OBS_VALUE) in 2018/submissions/430225_2018.xml, "
                               + "the <Obs> element at line 56: ask the submitter for the figure"])
        // A figure the edition's years do not hold stays an input error.
        #expect(throws: YearbookError(.input, "430200 AGE80_ALLOWANCE 1990 has no value or status in the edition 2019")) {
            try Explanation.load(edition: Self.edition, area: "430200", indicator: "AGE80_ALLOWANCE", period: 1990)
        }
    }

    /// A formula's operand without a value and a zero denominator each say so.
    @Test func aDerivedFigureWithoutAValueNamesTheOperandOrTheZeroDenominator() throws {
        // Hunan's sums are incomplete (13 of its 14 prefectures sent nothing): so are its ratios.
        let missing = try Explanation.load(edition: Self.edition, area: "430000", indicator: "DIBAO_PC_U", period: nil)
        #expect(missing.why.first == "no value from the formula DIBAO_AMOUNT_U / DIBAO_PERSONS_U: DIBAO_AMOUNT_U, DIBAO_PERSONS_U have no value")
        // A county whose roster has no urban household: no urban recipients, no amount per recipient.
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", "household_id,area_code,category,members,monthly_amount,status\nh1,430202,R,2,300,active\n")
        _ = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: pipelinePath))
        let zero = try Explanation.load(edition: tree.path("out/2019"), area: "430202", indicator: "DIBAO_PC_U", period: nil)
        #expect(zero.text.split(separator: "\n").prefix(2) == ["荷塘区 Hetang (430202) · 城市低保月人均救助水平 (DIBAO_PC_U) · 2019 = no value",
            "   no value from the formula DIBAO_AMOUNT_U / DIBAO_PERSONS_U: the denominator DIBAO_PERSONS_U is 0"])
        #expect(Explanation.zeroDenominators(try Formula.parse("A / (B - C) * 100")) { ["A": Exact(3), "B": Exact(2), "C": Exact(2)][$0] }
                == ["B, C"])
    }

    @Test func derivedFigureIsTracedToItsOperands() throws {
        let figure = try Explanation.load(edition: Self.edition, area: "430200", indicator: "DIBAO_PC_U", period: 2019).figure
        #expect((figure.value, figure.source, figure.formula) == ("373.6200", "derived", "DIBAO_AMOUNT_U / DIBAO_PERSONS_U"))
        #expect(figure.steps.compactMap(\.operand).map { "\($0.indicator)=\($0.value ?? "")" }
                == ["DIBAO_AMOUNT_U=13206719.76", "DIBAO_PERSONS_U=35348"])
    }

    @Test func submittedFigureUnderARetiredCodeNamesItsMessageAndTheSuccessorMapping() throws {
        #expect(try Self.csvLines("SELECT role, file, line, prepared, value, note FROM lineage WHERE area_code = '430212' AND indicator = 'VILLAGE_COUNCILS' AND period = 2018")
                == ["submission,2018/submissions/430221_2018_late.xml,17,2019-01-30T11:20:00+08:00,9,successor mapping 430221 → 430212"])
    }

    /// A roster figure's lineage names the files Reconcile summed into it, a retired county's under its successor.
    @Test func rosterFigureUnderASuccessorNamesEachFileItSums() throws {
        let tree = TestTree()
        let header = "household_id,area_code,category,members,monthly_amount,status\n"
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", header + "h1,430212,U,2,300,active\n")
        tree.writeGzip("2019/exports/430221_dibao.csv.gz", header + "h1,430221,U,3,200,active\nh2,430221,U,1,100,active\n")
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: pipelinePath))
        #expect(result.published)
        let rows = try SQLiteConnection.readOnly(path: tree.path("out/2019/data/yearbook.sqlite")).rows(
            "SELECT file, value, note FROM lineage WHERE role = 'roster' AND area_code = '430212' AND indicator = 'DIBAO_PERSONS_U' AND period = 2019")
        #expect(rows.map { row in row.map { value -> String in
            switch value {
            case .null: return ""
            case .integer(let number): return String(number)
            case .text(let text): return text
            }
        }.joined(separator: ",") } == ["2019/exports/430212_dibao.csv.gz,2,",
                                        "2019/exports/430221_dibao.csv.gz,4,successor mapping 430221 → 430212"])
    }

    /// Names and records from the inputs reach the database as bound values, never as SQL.
    @Test func hostileNamesAndRecordsAreStoredAsWritten() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas.replacingOccurrences(
            of: "430202,荷塘区,Hetang,", with: "430202,荷塘区'); DROP TABLE areas; --,\"<Hetang & \"\"Co\"\">\",\n"
                .trimmingCharacters(in: .newlines)))
        let header = "household_id,area_code,category,members,monthly_amount,status\n"
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", header + "h1,430202,U,2,300,active\nh2,430202,X,1,\"1'0\",active\n")
        // One of two rows rejected: allowed here, where the rejected record is what is stored.
        let definitions = TestTree()
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"),
                                                        pipeline: definitions.pipelineAllowingAnyRejects()))
        #expect(!result.problems.hasErrors)
        let db = try SQLiteConnection.readOnly(path: tree.path("out/2019/data/yearbook.sqlite"))
        #expect(try db.rows("SELECT name_zh, name_en FROM areas WHERE code = '430202'")
                == [[.text("荷塘区'); DROP TABLE areas; --"), .text("<Hetang & \"Co\">")]])
        #expect(try db.rows("SELECT file, line, raw FROM rejects")
                == [[.text("2019/exports/430202_dibao.csv.gz"), .integer(3), .text("h2,430202,X,1,\"1'0\",active")]])
        #expect(try db.rows("SELECT area_code FROM chapter_social_assistance").compactMap { $0.first?.text } == ["430200", "430202", "430203", "430212"])
    }

    @Test func unknownAreaOrIndicatorIsAUsageError() {
        let area = #expect(throws: YearbookError.self) { try Explanation.load(edition: Self.edition, area: "火星市", indicator: "DIBAO_PERSONS_U", period: nil) }
        let indicator = #expect(throws: YearbookError.self) { try Explanation.load(edition: Self.edition, area: "430200", indicator: "NO_SUCH", period: nil) }
        #expect(area?.code == .usage)
        #expect(indicator?.code == .usage)
    }

    @Test func databaseAndExportAreByteIdenticalAcrossBuilds() throws {
        let again = Scratch.folder("database-again")
        defer { try? FileManager.default.removeItem(atPath: again) }
        _ = try YearbookBuild.run(BuildOptions(input: repositoryRoot + "/samples/input", year: 2019, out: again, pipeline: pipelinePath))
        for file in ["data/yearbook.sqlite", "data/observations.xml"] {
            let first = Self.bytes(Self.edition + "/" + file), second = Self.bytes(again + "/2019/" + file)
            #expect(!first.isEmpty && first == second, "\(file)")
        }
        let manifest = Self.text(Self.edition + "/manifest.json")
        #expect(manifest.contains("\"data/yearbook.sqlite\"") && manifest.contains("\"data/observations.xml\""))
    }

    /// Written without VACUUM: a file only ever appended to has no free page to reclaim.
    @Test func databaseHasNoFreePageAndPassesItsIntegrityCheck() throws {
        let db = try Self.database()
        #expect(try db.rows("PRAGMA freelist_count") == [[.integer(0)]])
        #expect(try db.rows("PRAGMA page_size") == [[.integer(4096)]])
        #expect(try db.rows("PRAGMA integrity_check") == [["ok"]])
    }

    /// A tree whose only submission is the edition's observations.xml (with the
    /// same areas.csv) builds to the same values and statuses.
    @Test func observationsXMLReadBackAsTheOnlyInputReproducesEveryValueAndStatus() throws {
        let tree = TestTree()
        tree.write("areas.csv", Self.bytes(repositoryRoot + "/samples/input/areas.csv"))
        tree.write("2018/submissions/.keep", "")
        tree.write("2019/submissions/observations.xml", Self.bytes(Self.edition + "/data/observations.xml"))
        let rebuilt = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: pipelinePath))
        #expect(!rebuilt.problems.hasErrors)
        func cells(_ observations: [ObservationKey: Observation]) -> [String] {
            ObservationKey.sorted(observations.keys).map { key in
                "\(key.area),\(key.indicator),\(key.period),\(observations[key]!.usableValue?.plainDecimal ?? ""),\(observations[key]!.status.rawValue)"
            }
        }
        #expect(cells(rebuilt.observations) == cells(Self.built.observations))
        #expect(rebuilt.observations.count == 941)
    }

    /// The export read by an independent reader: Python's sdmx1, without the DSD.
    @Test func observationsXMLReadsInSDMX1() throws {
        let script = """
            import sys, sdmx
            message = sdmx.read_sdmx(sys.argv[1])
            series = message.data[0].obs
            print(len(series))
            for obs in series:
                d = {k: v.value for k, v in obs.key.values.items()}
                if d.get('REF_AREA') == '430200' and d.get('INDICATOR') == 'DIBAO_PERSONS_U' and d.get('TIME_PERIOD') == '2019':
                    print(obs.value, obs.attached_attribute['OBS_STATUS'].value)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, Self.edition + "/data/observations.xml"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "needs Python's sdmx1 (pip install sdmx1), as .ci/run installs it")
        #expect(printed == "941\n35348 A\n")
    }
}
