import Pipeline
import Foundation
import Testing
import YearbookTestSupport
import YearbookCore

/// Contract section 4 through whole builds of small trees: units, statuses,
/// revisions, conflicts, successions and reconciliation.
@Suite struct SubmissionRulesTests {
    typealias Obs = SDMXMessage.Obs

    func build(_ tree: TestTree, year: Int = 2019) throws -> (BuildResult, [String: String]) {
        let out = tree.path("out")
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: year, out: out, pipeline: pipelinePath))
        var rows: [String: String] = [:]
        if let data = FileManager.default.contents(atPath: out + "/\(year)/data/observations.csv") {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false)
                rows["\(cells[0]) \(cells[1]) \(cells[2])"] = cells[3...].joined(separator: ",")
            }
        }
        return (result, rows)
    }

    func tree() -> TestTree {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        try? FileManager.default.createDirectory(atPath: tree.path("2019/submissions"), withIntermediateDirectories: true)
        return tree
    }

    @Test func unitMultiplierStatusAndMissingValues() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", [
            Obs(area: "430200", indicator: "LOTTERY_SALES", period: 2019, value: "3.48", unitMult: 8),
            Obs(area: "430200", indicator: "PRICE_SUBSIDY", period: 2019, value: "1265", unitMult: 4, status: "P"),
            Obs(area: "430200", indicator: "CHARITY_RAISED", period: 2019, value: "NaN"),
            Obs(area: "430200", indicator: "BEDS_NEW", period: 2019, value: "469", status: "M"),
            Obs(area: "430200", indicator: "BEDS_TOTAL", period: 2019, value: nil),
            Obs(area: "430200", indicator: "BEDS_TOTAL", period: 2017, value: "5"),
        ]))
        let (result, rows) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(rows["430200 LOTTERY_SALES 2019"] == "348000000,A,submission")
        #expect(rows["430200 PRICE_SUBSIDY 2019"] == "12650000,P,submission")
        #expect(rows["430200 CHARITY_RAISED 2019"] == ",M,submission")
        #expect(rows["430200 BEDS_NEW 2019"] == ",M,submission")
        #expect(rows["430200 BEDS_TOTAL 2019"] == ",M,submission")
        #expect(rows["430200 BEDS_TOTAL 2017"] == nil)
        #expect(result.submissions[0].otherPeriods == 1)
    }

    @Test func latestPreparedWinsAcrossBothFoldersAndGenericReadsAlike() throws {
        let tree = tree()
        // The 2018 figure is revised by a message in the 2019 folder; "no time zone" is UTC,
        // so 2020-01-10T02:00:00 (UTC) is later than 2020-01-10T09:00:00+08:00 (01:00 UTC).
        tree.write("2018/submissions/first.xml", SDMXMessage.generic(prepared: "2019-01-05T10:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2018, value: "100"),
        ]))
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2018, value: "110"),
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "120"),
        ]))
        tree.write("2019/submissions/b.xml", SDMXMessage.generic(prepared: "2020-01-10T02:00:00", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "12.5", unitMult: 1),
        ]))
        let (result, rows) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(rows["430202 BEDS_TOTAL 2018"] == "110,A,submission")
        #expect(rows["430202 BEDS_TOTAL 2019"] == "125,A,submission")
        #expect(result.revisions.map { "\($0.writtenArea) \($0.period) \($0.kept.file)" } == [
            "430202 2018 2019/submissions/a.xml", "430202 2019 2019/submissions/b.xml",
        ])
    }

    @Test func samePreparedDifferentValuesIsAConflictNamingBothFiles() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00+08:00", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "120"),
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "7"),
        ]))
        // Same instant written in UTC; 430203's value is the same after UNIT_MULT: no conflict.
        tree.write("2019/submissions/b.xml", SDMXMessage.generic(prepared: "2020-01-10T01:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "121"),
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "0.7", unitMult: 1),
        ]))
        let previous = tree.writeEdition("out/2019", file: "index.md", "previous edition\n")
        let (result, _) = try build(tree)
        #expect(result.exitCode == 1)
        #expect(!result.published)
        #expect(try result.problems.errors().map(\.bilingualMessage) == [
            "报送冲突：荷塘区 430202 养老床位数 BEDS_TOTAL 2019 两份报文的 Prepared 同为 2020-01-10T09:00:00+08:00，2019/submissions/a.xml:5 为 120，2019/submissions/b.xml:5 为 121 | "
                + "conflicting submissions for Hetang 430202 Elderly-care beds BEDS_TOTAL 2019 with the same Prepared 2020-01-10T09:00:00+08:00: 120 in 2019/submissions/a.xml:5 and 121 in 2019/submissions/b.xml:5",
        ])
        #expect(String(decoding: FileManager.default.contents(atPath: previous)!, as: UTF8.self) == "previous edition\n")
    }

    @Test func retiredCodeCountsUnderSuccessorAfterRevisions() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T00:00:00Z", [
            Obs(area: "430221", indicator: "BEDS_TOTAL", period: 2019, value: "40"),
            Obs(area: "430221", indicator: "BEDS_TOTAL", period: 2018, value: "30"),
        ]))
        tree.write("2018/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2019-01-10T00:00:00Z", [
            Obs(area: "430221", indicator: "BEDS_TOTAL", period: 2018, value: "20"),
        ]))
        let (result, rows) = try build(tree)
        #expect(rows["430212 BEDS_TOTAL 2019"] == "40,A,submission")
        #expect(rows["430212 BEDS_TOTAL 2018"] == "30,A,submission")
        #expect(rows["430221 BEDS_TOTAL 2018"] == nil)
        #expect(result.successions.map { "\($0.from)→\($0.to) \($0.period)" } == ["430221→430212 2018", "430221→430212 2019"])
        #expect(try result.problems.warnings().filter { $0.kind == .succession }.count == 2)
    }

    @Test func rosterValueWinsOverASubmissionAndDifferencesAreWarned() throws {
        let tree = tree()
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", """
            household_id,area_code,category,members,monthly_amount,status
            h1,430202,U,1000,100,active

            """)
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T00:00:00Z", [
            Obs(area: "430202", indicator: "DIBAO_PERSONS_U", period: 2019, value: "1005"),   // within max(5, 0.5%)
            Obs(area: "430202", indicator: "DIBAO_HH_U", period: 2019, value: "7"),           // 6 over 1: beyond 5
            Obs(area: "430203", indicator: "DIBAO_HH_U", period: 2019, value: "9"),           // no roster: stands
        ]))
        let (result, rows) = try build(tree)
        #expect(rows["430202 DIBAO_PERSONS_U 2019"] == "1000,A,dibao")
        #expect(rows["430202 DIBAO_HH_U 2019"] == "1,A,dibao")
        #expect(rows["430203 DIBAO_HH_U 2019"] == "9,A,submission")
        #expect(try result.problems.warnings().filter { $0.kind == .reconciliation }.map(\.bilingualMessage) == [
            "荷塘区 430202 2019年城市低保户数 DIBAO_HH_U：花名册为1，报送为7（相差6，容差5），采用花名册数 | "
                + "Urban minimum-allowance households DIBAO_HH_U 2019 of Hetang 430202: roster gives 1, submission reports 7 (difference 6, tolerance 5); the roster's value is kept",
        ])
    }

    @Test func unknownAreaIndicatorAndFileNamesAreWarningsNeverSilent() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T00:00:00Z", [
            Obs(area: "999999", indicator: "BEDS_TOTAL", period: 2019, value: "1"),
            Obs(area: "430202", indicator: "NOT_AN_INDICATOR", period: 2019, value: "1"),
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "5"),
        ]))
        tree.write("2019/submissions/notes.txt", "hello")
        tree.write("2019/exports/430202_dibao.csv", "not gzipped, wrong name")
        tree.write("2019/exports/430203_dibao (1).csv.gz", "a copy")
        tree.write("2019/exports/dibao.csv.gz", "no county")
        tree.write("README", "x")
        let (result, _) = try build(tree)
        #expect(result.exitCode == 0)
        let messages = try result.problems.warnings().map { "\($0.file ?? ""):\($0.line.map(String.init) ?? "") \($0.message)" }
        // One warning for the file, a count per reason: the codes are named once, not once per observation.
        #expect(messages.contains("2019/submissions/a.xml: 2 of its 3 observations are not used: 1 of indicators not in indicators.csv: NOT_AN_INDICATOR; "
            + "1 of areas not in areas.csv: 999999; the build reads the periods 2018 and 2019 and the codes of indicators.csv and areas.csv: "
            + "move a file of another year or another dataflow out of submissions/, or correct its codes"))
        #expect(try result.problems.warnings().filter { $0.file == "2019/submissions/a.xml" }.map(\.kind) == [.submission])
        #expect(messages.contains("2019/submissions/notes.txt: fits none of the submission names (*.xml, *.xml.gz); not read"))
        #expect(messages.contains("2019/exports/430202_dibao.csv: fits none of the export names (<county>_dibao.csv.gz, <county>_tekun.csv.gz): "
            + "likely meant as 430202_dibao.csv.gz, gzipped; until it is, the dibao figures of 430202 for 2019 are missing; not read"))
        #expect(messages.contains("2019/exports/430203_dibao (1).csv.gz: fits none of the export names (<county>_dibao.csv.gz, <county>_tekun.csv.gz): "
            + "likely meant as 430203_dibao.csv.gz; until it is, the dibao figures of 430203 for 2019 are missing; not read"))
        #expect(messages.contains("2019/exports/dibao.csv.gz: fits none of the export names (<county>_dibao.csv.gz, <county>_tekun.csv.gz); not read"))
        #expect(messages.contains("README: fits none of the input tree's names (areas.csv, <year>/); not read"))
    }

    @Test func unreadableFilesFailTheBuildNamingEachAndKeepThePreviousOutput() throws {
        let tree = tree()
        tree.write("2019/exports/430202_dibao.csv.gz", Array(gzip(Array("household_id,area_code\n".utf8)).prefix(12)))
        tree.write("2019/submissions/bad.xml", "<message:GenericData xmlns:message=\"x\"><unclosed>")
        let previous = tree.writeEdition("out/2019", file: "data/observations.csv", "previous\n")
        let (result, _) = try build(tree)
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().map(\.file) == ["2019/exports/430202_dibao.csv.gz", "2019/submissions/bad.xml"])
        #expect(String(decoding: FileManager.default.contents(atPath: previous)!, as: UTF8.self) == "previous\n")
    }

    @Test func aLaterDeleteRemovesTheCellsItNamesAndNeverAddsThem() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "100"),
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "40"),
        ]))
        // The Delete is later for 430202 and names 430211, which nobody reported; the 999 it carries is no figure.
        tree.write("2019/submissions/b.xml", SDMXMessage.structureSpecific(prepared: "2020-02-01T09:00:00Z", action: "Delete", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "999"),
            Obs(area: "430212", indicator: "BEDS_TOTAL", period: 2019, value: "999"),
        ]))
        // An older Delete loses to the later figure.
        tree.write("2019/submissions/c.xml", SDMXMessage.structureSpecific(prepared: "2020-01-01T09:00:00Z", action: "Delete", [
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: nil),
        ]))
        let (result, rows) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(rows["430202 BEDS_TOTAL 2019"] == nil)
        #expect(rows["430212 BEDS_TOTAL 2019"] == nil)
        #expect(rows["430203 BEDS_TOTAL 2019"] == "40,A,submission")
        #expect(result.revisions.map { "\($0.writtenArea) \($0.kept.deletes ? "deleted" : "kept") by \($0.kept.file)" }
                == ["430202 deleted by 2019/submissions/b.xml", "430203 kept by 2019/submissions/a.xml"])
        #expect(try result.problems.all().filter { $0.message.contains("deleted") }.map(\.description) == [
            "2019/submissions/b.xml:6: warning: Lukou 430212 Elderly-care beds BEDS_TOTAL 2019 is deleted, but no earlier message reports it: nothing is deleted",
        ])
    }

    @Test func aWholeSeriesDeleteIsSaidToDeleteNothing() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "100"),
        ]))
        let delete = SDMXMessage.structureSpecific(prepared: "2020-02-01T09:00:00Z", action: "Delete", [])
            .replacingOccurrences(of: "</message:DataSet>", with: "<Series FREQ=\"A\" REF_AREA=\"430202\" INDICATOR=\"BEDS_TOTAL\"/>\n</message:DataSet>")
        tree.write("2019/submissions/b.xml", delete)
        let (result, rows) = try build(tree)
        #expect(rows["430202 BEDS_TOTAL 2019"] == "100,A,submission")
        #expect(try result.problems.all().filter { $0.file == "2019/submissions/b.xml" }.map(\.message) == [
            "1 series of a Delete data set name no observation (a whole-series delete): the yearbook deletes only the observations a message names, so these delete nothing",
        ])
    }

    @Test func aMessageThatRepeatsAFigureIsNoRevision() throws {
        let tree = tree()
        for (name, prepared, status) in [("a.xml", "2020-01-10T09:00:00Z", "A"), ("b.xml", "2020-02-10T09:00:00Z", "A"),
                                         ("c.xml", "2020-03-10T09:00:00Z", "P")] {
            tree.write("2019/submissions/\(name)", SDMXMessage.structureSpecific(prepared: prepared, [
                Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "440", status: name == "c.xml" ? status : nil),
                Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "440"),
            ]))
        }
        let (result, _) = try build(tree)
        // 430203 said 440 three times: nothing changed. 430202's status went from A to P: a revision.
        #expect(result.revisions.map { "\($0.writtenArea) \($0.kept.status) \($0.kept.file)" } == ["430202 P 2019/submissions/c.xml"])
    }

    @Test func messagesThatBringNoDataFailTheBuildNamingFileCodeAndText() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "100"),
        ]))
        tree.write("2019/submissions/430203_2019.xml", SDMXMessage.error(code: "500", text: "Internal server error"))
        tree.write("2019/submissions/big.xml", SDMXMessage.footerOnly(
            prepared: "2020-01-10T09:00:00Z", code: "413", severity: "Infomation",
            text: "Due to the large query the response will be written to a file."))
        tree.write("2019/submissions/structure.xml", """
            <message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><message:Header/></message:Structure>
            """)
        let previous = tree.writeEdition("out/2019", file: "data/observations.csv", "previous\n")
        let (result, _) = try build(tree)
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().map(\.description) == [
            "2019/submissions/430203_2019.xml: error: an SDMX error message, not data: the sender answered \"Internal server error\" (code 500); "
                + "the figures it should bring are missing: ask the sender for the data message and put it in submissions/ in place of this file",
            "2019/submissions/big.xml: error: a data message without a data set, only the sender's footer: "
                + "\"Due to the large query the response will be written to a file.\" (code 413, Infomation); "
                + "the figures it should bring are missing: ask the sender for the data message and put it in submissions/ in place of this file",
            "2019/submissions/structure.xml:1: error: not an SDMX 2.1 data message: an SDMX structure message (root <Structure>); expected GenericData, "
                + "GenericTimeSeriesData, StructureSpecificData, StructureSpecificTimeSeriesData or Error in http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
        ])
        #expect(try result.problems.errors().first?.messageZH
                == "SDMX 错误消息，不是数据：报送方答复 \"Internal server error\" (code 500)；其应报数据缺失：请向报送方索取数据报文，替换 submissions/ 中的此文件")
        // Only the error is said of the error message: it has no header whose Prepared could be missing.
        #expect(try result.problems.all().filter { $0.file == "2019/submissions/430203_2019.xml" }.count == 1)
        #expect(String(decoding: FileManager.default.contents(atPath: previous)!, as: UTF8.self) == "previous\n")
    }

    @Test func aFooterBesideDataIsAWarningQuotingTheAgency() throws {
        let tree = tree()
        let message = SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "100"),
        ]).replacingOccurrences(of: "</message:DataSet>", with: """
            </message:DataSet><footer:Footer xmlns:footer="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer">\
            <footer:Message code="200" severity="Warning"><common:Text xml:lang="en">Provisional.</common:Text></footer:Message></footer:Footer>
            """)
        tree.write("2019/submissions/a.xml", message)
        let (result, rows) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(rows["430202 BEDS_TOTAL 2019"] == "100,A,submission")
        #expect(try result.problems.all().filter { $0.kind == .agencyMessage }.map(\.description) == [
            "2019/submissions/a.xml: warning: a footer message from the sender: \"Provisional.\" (code 200, Warning)",
        ])
    }

    @Test func theStandardsQualifiedActionsAndTheHeadersDataSetActionDeleteTheFiguresTheyName() throws {
        let tree = tree()
        // The standard's structure-specific example form: data:action="Replace", then a later data:action="Delete".
        tree.write("2019/submissions/a.xml", SDMXMessage.standardExample(prepared: "2020-01-10T09:00:00Z", action: "Replace", [
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "310"),
            Obs(area: "430203", indicator: "BEDS_NEW", period: 2019, value: "12"),
            Obs(area: "430203", indicator: "PRICE_SUBSIDY", period: 2019, value: "880"),
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "100"),
            Obs(area: "430202", indicator: "BEDS_NEW", period: 2019, value: "7"),
        ]))
        tree.write("2019/submissions/b.xml", SDMXMessage.standardExample(prepared: "2020-02-01T09:00:00Z", action: "Delete", [
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2019, value: "310"),
            Obs(area: "430203", indicator: "BEDS_NEW", period: 2019, value: "12"),
        ]))
        // No action on the data set: the header's DataSetAction says Delete.
        tree.write("2019/submissions/c.xml", SDMXMessage.standardExample(prepared: "2020-02-01T09:00:00Z", headerAction: "Delete", [
            Obs(area: "430202", indicator: "BEDS_NEW", period: 2019, value: "7"),
        ]))
        let (result, rows) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(rows["430203 BEDS_TOTAL 2019"] == nil)
        #expect(rows["430203 BEDS_NEW 2019"] == nil)
        #expect(rows["430202 BEDS_NEW 2019"] == nil)
        #expect(rows["430203 PRICE_SUBSIDY 2019"] == "880,A,submission")
        #expect(rows["430202 BEDS_TOTAL 2019"] == "100,A,submission")
        #expect(result.revisions.map { "\($0.writtenArea) \($0.indicator) \($0.kept.deletes ? "deleted" : "kept") by \($0.kept.file)" } == [
            "430202 BEDS_NEW deleted by 2019/submissions/c.xml",
            "430203 BEDS_NEW deleted by 2019/submissions/b.xml",
            "430203 BEDS_TOTAL deleted by 2019/submissions/b.xml",
        ])
    }

    @Test func aFileOfAnotherYearIsAWarningListedToLookAtAndLastYearsFileIsUsed() throws {
        let tree = tree()
        // Last year's figure in this year's folder is used too (for the year-over-year).
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "100"),
            Obs(area: "430202", indicator: "BEDS_NEW", period: 2018, value: "9"),
        ]))
        tree.write("2019/submissions/430202_2014.xml", SDMXMessage.structureSpecific(prepared: "2015-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2014, value: "60"),
            Obs(area: "430202", indicator: "BEDS_NEW", period: 2014, value: "6"),
        ]))
        // Last year's folder with last year's figures: read for the year-over-year, no warning; its
        // year before is its own build's, in its place.
        tree.write("2018/submissions/430202_2018.xml", SDMXMessage.structureSpecific(prepared: "2019-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2018, value: "90"),
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2017, value: "80"),
        ]))
        // ... which is said beside a period out of place.
        tree.write("2018/submissions/430203_2018.xml", SDMXMessage.structureSpecific(prepared: "2019-01-10T09:00:00Z", [
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2018, value: "50"),
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2017, value: "40"),
            Obs(area: "430203", indicator: "BEDS_TOTAL", period: 2014, value: "30"),
        ]))
        let (result, rows) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(rows["430202 BEDS_TOTAL 2018"] == "90,A,submission")
        #expect(rows["430202 BEDS_NEW 2018"] == "9,A,submission")
        let unused = "2019/submissions/430202_2014.xml: none of its 2 observations is used: 2 of other periods: 2014; the build reads the periods 2018 and 2019 "
            + "and the codes of indicators.csv and areas.csv: move a file of another year or another dataflow out of submissions/, or correct its codes"
        #expect(try result.problems.warnings().filter { $0.file?.contains("submissions") == true }.map(\.description) == [
            "2018/submissions/430203_2018.xml: warning: 2 of its 3 observations are not used: 1 of other periods: 2014; "
                + "1 of 2017, read by the build of its folder's year 2018; the build reads the periods 2018 and 2019 "
                + "and the codes of indicators.csv and areas.csv: move a file of another year or another dataflow out of submissions/, or correct its codes",
            unused.replacingOccurrences(of: ".xml: none", with: ".xml: warning: none"),
        ])
        #expect(try result.problems.warnings().first { $0.kind == .unusedSubmission }?.messageZH
                == "报文的2个观测值均未使用：2个属其他时期：2014；本次汇编只读取2018、2019年的数据及 indicators.csv、areas.csv 中的代码：其他年份或其他数据流的文件请移出 submissions/，代码有误请更正")
        let lines = try BuildSummary(result, definition: result.definition, registry: result.registry).lines
        let section = try #require(lines.firstIndex(of: "  未使用的报送 submissions not used (1):"))
        #expect(lines[section + 1] == "    " + unused)
        #expect(lines[2].contains("1 未使用的报送 submission not used"))
    }

    @Test func manyUnknownCodesAreNamedByTheFirstFewAndTheirNumber() throws {
        let tree = tree()
        let unknown = (1...7).map { Obs(area: "430202", indicator: "X\($0)", period: 2019, value: "1") }
            + ["999998", "999999"].map { Obs(area: $0, indicator: "BEDS_TOTAL", period: 2019, value: "1") }
            + [Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "5")]
        tree.write("2019/submissions/a.xml", SDMXMessage.generic(prepared: "2020-01-10T09:00:00Z", unknown))
        let (result, rows) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(rows["430202 BEDS_TOTAL 2019"] == "5,A,submission")
        let warning = try #require(try result.problems.warnings().first { $0.file == "2019/submissions/a.xml" })
        #expect(warning.kind == .submission)
        #expect(warning.message.hasPrefix("9 of its 10 observations are not used: 7 of indicators not in indicators.csv: X1, X2, X3, X4, X5 … (7 in all); "
            + "2 of areas not in areas.csv: 999998, 999999; "))
        #expect(warning.messageZH?.hasPrefix("报文的10个观测值中有9个未使用：7个指标不在 indicators.csv 中：X1, X2, X3, X4, X5 等7个；"
            + "2个区划不在 areas.csv 中：999998, 999999；") == true)
    }

    @Test func aDataSetWithoutObservationsIsSaidToBeOfNoUse() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "100"),
        ]))
        tree.write("2019/submissions/empty.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00Z", []))
        let (result, _) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(try result.problems.warnings().filter { $0.file?.contains("submissions") == true }.map(\.description) == [
            "2019/submissions/empty.xml: warning: its data sets hold no observation: nothing of it is used; if figures were meant, ask the sender for them",
        ])
        let lines = try BuildSummary(result, definition: result.definition, registry: result.registry).lines
        #expect(lines.contains("    2019/submissions/empty.xml: its data sets hold no observation: nothing of it is used; if figures were meant, ask the sender for them"))
    }

    @Test func everyExternalAgencyFileBuildsAndEachIsSaidNotToBeUsedAndWhy() throws {
        let tree = tree()
        tree.write("2019/submissions/a.xml", SDMXMessage.structureSpecific(prepared: "2020-01-10T09:00:00Z", [
            Obs(area: "430202", indicator: "BEDS_TOTAL", period: 2019, value: "100"),
        ]))
        let specimens = repositoryRoot + "/Tests/ExtractTests/Fixtures/sdmx"
        let names = try FileManager.default.contentsOfDirectory(atPath: specimens).filter { $0.hasSuffix(".xml") }.sorted()
        #expect(names.count == 10)
        for name in names {
            tree.write("2019/submissions/\(name)", Array(try #require(FileManager.default.contents(atPath: specimens + "/" + name))))
        }
        let (result, rows) = try build(tree)
        #expect(result.exitCode == 0)
        #expect(rows["430202 BEDS_TOTAL 2019"] == "100,A,submission")
        let fix = "; the build reads the periods 2018 and 2019 and the codes of indicators.csv and areas.csv: "
            + "move a file of another year or another dataflow out of submissions/, or correct its codes"
        let said = try result.problems.warnings().filter { $0.file?.hasPrefix("2019/submissions/") == true }
        #expect(said.allSatisfy { $0.kind == .unusedSubmission && $0.message.hasSuffix(fix) })
        #expect(said.map { "\($0.file!): \($0.message.replacingOccurrences(of: fix, with: ""))" } == [
            "2019/submissions/22_289.xml: none of its 8 observations is used: 6 of other periods: 2020, 2021, 2022; 2 without INDICATOR",
            "2019/submissions/CNA-2010-CONSO-SI-A17.xml: none of its 2 observations is used: 2 of other periods: 2013, 2014",
            "2019/submissions/M.USD.EUR.SP00.A.xml: none of its 252 observations is used: 252 not annual (FREQ M)",
            "2019/submissions/NAMA_10_GDP-ss.xml: none of its 4 observations is used: 4 of other periods: 2012, 2013, 2014, 2015",
            "2019/submissions/WEO-data.xml: its one observation is not used: 1 without REF_AREA",
            "2019/submissions/gh-78.xml: its one observation is not used: 1 of other periods: 1989",
            "2019/submissions/ng-flat-ss.xml: none of its 12 observations is used: 12 not annual (FREQ M)",
            "2019/submissions/ng-ts-ss.xml: none of its 12 observations is used: 12 not annual (FREQ M)",
            "2019/submissions/ng-ts.xml: none of its 12 observations is used: 12 not annual (FREQ M)",
            "2019/submissions/ng-xs-ss.xml: none of its 12 observations is used: 12 not annual (FREQ M)",
        ])
    }
}
