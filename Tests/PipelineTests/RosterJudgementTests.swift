import Extract
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport
@testable import Pipeline

/// A roster is judged as a whole file, and a file in the wrong encoding is
/// named with its cause: each broken file below fails the build (exit 1),
/// names the file, its county and the cause, and leaves the published
/// edition as it was; a file with a few rejected rows is a warning on the terminal.
@Suite struct RosterJudgementTests {
    static let header = "household_id,area_code,category,members,monthly_amount,status\n"

    /// `count` valid urban rows of 430202 (households h1, h2, …: 2 members, 300 yuan each).
    static func rows(_ count: Int, from first: Int = 1, county: String = "430202") -> String {
        (first..<(first + count)).map { "h\($0),\(county),U,2,300,active\n" }.joined()
    }

    /// A tree with a published 2019 edition built from a good 430202 dibao file of 20 rows.
    func published() throws -> TestTree {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.header + Self.rows(20))
        #expect(try build(tree).exitCode == 0)
        return tree
    }

    func build(_ tree: TestTree, pipeline: String = Fixture.definitionPath) throws -> BuildResult {
        try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: pipeline))
    }

    /// The edition's data, as the previous good build published it.
    func publishedData(_ tree: TestTree) -> [Data?] {
        ["out/2019/data/observations.csv", "out/2019/data/tables/social-assistance.json"].map {
            FileManager.default.contents(atPath: tree.path($0))
        }
    }

    /// Builds after `replace` changed the tree: the build fails and the edition's data stay as they were.
    func failedBuild(_ tree: TestTree, replace: () -> Void) throws -> BuildResult {
        let before = publishedData(tree)
        #expect(before.allSatisfy { $0 != nil })
        replace()
        let result = try build(tree)
        #expect(result.exitCode == 1)
        #expect(!result.published)
        #expect(publishedData(tree) == before)
        return result
    }

    func value(_ result: BuildResult, _ indicator: String, area: String = "430202") -> String? {
        result.observations[ObservationKey(area: area, indicator: indicator, period: 2019)]?.usableValue?.plainDecimal
    }

    @Test func gb18030BehindAUTF8BOMIsAFileErrorNamingTheCause() throws {
        let tree = try published()
        let body = "h1,430202,城市,2,300,active\nh2,430202,城镇,1,200,active\n"
        let result = try failedBuild(tree) {
            tree.writeGzip("2019/exports/430202_dibao.csv.gz", members: [[0xEF, 0xBB, 0xBF] + Array(Self.header.utf8) + gb18030(body)])
        }
        let offset = 3 + Self.header.utf8.count + "h1,430202,".utf8.count
        let errors = try result.problems.errors()
        #expect(errors.map(\.description) == [
            "2019/exports/430202_dibao.csv.gz:2: error: the bytes after the UTF-8 BOM are GB18030 (the first that is not UTF-8 is at "
                + "byte offset \(offset)): save the file as \"CSV UTF-8\" (or remove the 3-byte BOM, to have it read as GB18030) and build again",
        ])
        #expect(errors.map { "\($0.area ?? "") \($0.period ?? 0)" } == ["430202 2019"])
    }

    /// The same with a Chinese header: the header is the first text that is not UTF-8, and the GB18030
    /// reading that follows checks the file after its BOM.
    @Test func gb18030BehindAUTF8BOMWithAChineseHeaderIsNamedToo() throws {
        let tree = try published()
        let header = "户编号,行政区划代码,城乡类别,保障人数,月保障金额(元),状态\n"
        let result = try failedBuild(tree) {
            tree.writeGzip("2019/exports/430202_dibao.csv.gz",
                           members: [[0xEF, 0xBB, 0xBF] + gb18030(header + "h1,430202,城市,2,300,在保\n")])
        }
        #expect(try result.problems.errors().map(\.description) == [
            "2019/exports/430202_dibao.csv.gz:1: error: the bytes after the UTF-8 BOM are GB18030 (the first that is not UTF-8 is at "
                + "byte offset 3): save the file as \"CSV UTF-8\" (or remove the 3-byte BOM, to have it read as GB18030) and build again",
        ])
    }

    @Test func idsASpreadsheetRewroteMakeTheFileBroken() throws {
        let tree = try published()
        let result = try failedBuild(tree) {
            tree.writeGzip("2019/exports/430202_dibao.csv.gz",
                           Self.header + String(repeating: "4.30202E+12,430202,U,2,300,active\n", count: 20))
        }
        let errors = try result.problems.errors()
        #expect(errors.map(\.description) == [
            "2019/exports/430202_dibao.csv.gz: error: 19 of 20 rows (95.00%) rejected, more than the 10% the definition allows "
                + "(rosters.max_rejected_share): the file is judged broken and none of its figures are used (nothing is published). "
                + "Most frequent reasons: 19 × duplicate household_id '…' (first: line 3, duplicate household_id '4.30202E+12' (first on line 2)). "
                + "Likely cause: the ids look like numbers a spreadsheet rewrote (4.30202E+12): export the roster again from the county system, "
                + "or format the id column as text before saving it as CSV. Every rejected row is in reports/rejects.csv",
        ])
        #expect(errors.first?.messageZH?.contains("编号像是被电子表格改写成了数字（4.30202E+12）") == true)
        #expect(errors.map { "\($0.kind) \($0.area ?? "") \($0.period ?? 0)" } == ["rejects 430202 2019"])
    }

    @Test func utf16WithABOMIsNamedBeforeAnyRowIsRead() throws {
        let tree = try published()
        let text = Self.header + Self.rows(3)
        let result = try failedBuild(tree) {
            tree.writeGzip("2019/exports/430202_dibao.csv.gz", members: [[0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }])
        }
        #expect(try result.problems.errors().map(\.description) == [
            "2019/exports/430202_dibao.csv.gz: error: this is UTF-16LE text (\"Unicode text\"), which a roster may not be: "
                + "save it as \"CSV UTF-8\" (comma delimited) and build again",
        ])
        #expect(result.counts.rowsRead == 0)
    }

    @Test func utf16AndUTF32WithoutABOMAreNamedByTheirNULBytes() throws {
        let tree = try published()
        // A Chinese header has NULs only beside its commas and brackets.
        let text = "户编号,行政区划代码,城乡类别,保障人数,月保障金额(元),状态\nh1,430202,城市,2,300,在保\n"
        let utf16BE = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        let utf32LE = text.unicodeScalars.flatMap { scalar in (0..<4).map { UInt8((scalar.value >> (8 * $0)) & 0xFF) } }
        let result = try failedBuild(tree) {
            tree.writeGzip("2019/exports/430202_dibao.csv.gz", members: [utf16BE])
            tree.writeGzip("2019/exports/430203_dibao.csv.gz", members: [utf32LE])
        }
        #expect(try result.problems.errors().map(\.description) == [
            "2019/exports/430202_dibao.csv.gz: error: this is UTF-16BE text (\"Unicode text\"), which a roster may not be: "
                + "save it as \"CSV UTF-8\" (comma delimited) and build again",
            "2019/exports/430203_dibao.csv.gz: error: this is UTF-32LE text (\"Unicode text\"), which a roster may not be: "
                + "save it as \"CSV UTF-8\" (comma delimited) and build again",
        ])
    }

    @Test func aStrayByteValidInNoEncodingIsAWarningAndTheFileIsReadRight() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        let start = Array("household_id,area_code,category,members,monthly_amount,status,note\nh1,430202,城市,2,300,active,\nh2,430202,农村,1,200,active,\nh3,430202,城镇,3,100.50,active,x".utf8)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", members: [start + [0xFF] + Array("y\n".utf8)])
        let result = try build(tree)
        #expect(result.exitCode == 0)
        #expect(result.rosters.map(\.encoding) == [.utf8])
        #expect(result.counts.rejected == 0)
        let warnings = try result.problems.warnings().filter { $0.kind == .encoding }
        #expect(warnings.map(\.description) == [
            "2019/exports/430202_dibao.csv.gz:4: warning: the file is valid neither as UTF-8 (first invalid bytes at line 4, byte offset \(start.count)) "
                + "nor as GB18030 (at line 4, byte offset \(start.count)); it was read as UTF-8, the reading that rejects fewer rows "
                + "(0 rejected; as GB18030: 3): correct the bytes at that place, or save the file again as \"CSV UTF-8\"",
        ])
        #expect(warnings.map { "\($0.area ?? "") \($0.period ?? 0)" } == ["430202 2019"])
        #expect(["DIBAO_HH_U", "DIBAO_PERSONS_U", "DIBAO_AMOUNT_U"].map { value(result, $0) } == ["2", "5", "400.5"])
        let summary = try BuildSummary(result, definition: result.definition, registry: result.registry).lines
        #expect(summary.contains("  编码有误的名册 rosters in no valid encoding (1):"))
    }

    @Test func aFewRejectedRowsAreAWarningOnTheTerminal() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.header + Self.rows(19) + "h20,430202,suburban,2,300,active\n")
        let result = try build(tree)
        #expect(result.exitCode == 0)
        #expect(result.published)
        #expect(value(result, "DIBAO_HH_U") == "19")
        let summary = try BuildSummary(result, definition: result.definition, registry: result.registry).lines
        let listed = try #require(summary.firstIndex(of: "  有被拒行的名册 rosters with rejected rows (1):"))
        #expect(summary[listed + 1] == "    2019/exports/430202_dibao.csv.gz: 1 of 20 rows (5.00%) rejected; leading reason: "
                + "1 × unknown category '…' (first: line 21, unknown category 'suburban'); every rejected row is in reports/rejects.csv")
        let warning = try #require(try result.problems.warnings().first { $0.kind == .rejects })
        #expect("\(warning.area ?? "") \(warning.period ?? 0)" == "430202 2019")
        #expect(warning.messageZH == "20 行中 1 行被拒（5.00%）；主要原因：1 × unknown category '…' (first: line 21, unknown category 'suburban')；"
                + "被拒的行全部列在 reports/rejects.csv")
    }

    /// 1000 rows with `rejected` of them negative amounts.
    func share(_ rejected: Int, pipeline: String = Fixture.definitionPath, in tree: TestTree = TestTree()) throws -> BuildResult {
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        let bad = (1...rejected).map { "x\($0),430202,U,2,-1,active\n" }.joined()
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.header + Self.rows(1000 - rejected) + bad)
        return try build(tree, pipeline: pipeline)
    }

    @Test func exactlyTheAllowedShareIsAWarningAndJustAboveItAnError() throws {
        let atTheLimit = try share(100)
        #expect(atTheLimit.exitCode == 0)
        #expect(try atTheLimit.problems.warnings().filter { $0.kind == .rejects }.map(\.message).first?
            .hasPrefix("100 of 1000 rows (10.00%) rejected; leading reason: 100 × monthly_amount '…' is negative") == true)
        let above = try share(101)
        #expect(above.exitCode == 1)
        #expect(!above.published)
        let error = try #require(try above.problems.errors().first)
        #expect(error.message.hasPrefix("101 of 1000 rows (10.10%) rejected, more than the 10% the definition allows (rosters.max_rejected_share)"))
        #expect(error.message.contains("Likely cause: the export does not follow the data contract's rules for this roster"))
    }

    @Test func everyRowRejectedIsAnErrorWhateverTheShareAllowed() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.write("pipelines/indicators.csv", String(decoding: FileManager.default.contents(atPath: Fixture.folder + "/pipelines/indicators.csv")!, as: UTF8.self))
        tree.write("pipelines/chapters.csv", String(decoding: FileManager.default.contents(atPath: Fixture.folder + "/pipelines/chapters.csv")!, as: UTF8.self))
        let definition = String(decoding: FileManager.default.contents(atPath: Fixture.definitionPath)!, as: UTF8.self)
        let pipeline = tree.write("pipelines/yearbook.yml", definition + "rosters:\n  max_rejected_share: 100%\n")
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430202,U,2,300,active\nh2,430202,U,2,300,active\n")
        let result = try build(tree, pipeline: pipeline)
        #expect(result.exitCode == 1)
        let message = try result.problems.errors().first?.message ?? ""
        #expect(message.hasPrefix("2 of 2 rows (100.00%) rejected, no row was accepted: the file is judged broken"))
        #expect(message.contains("Most frequent reasons: 2 × area_code '…' is neither the file's county 430203 nor a predecessor of it "
                                 + "(first: line 2, area_code '430202' is neither the file's county 430203 nor a predecessor of it). "
                                 + "Likely cause: the rows are of another county than 430203, the one the file is named after"))
    }

    @Test func theDefinitionSetsTheShare() throws {
        let tree = TestTree()
        let definition = String(decoding: FileManager.default.contents(atPath: Fixture.definitionPath)!, as: UTF8.self)
        for file in ["indicators.csv", "chapters.csv"] {
            tree.write("pipelines/" + file, FileManager.default.contents(atPath: Fixture.folder + "/pipelines/" + file).map { Array($0) }!)
        }
        let strict = tree.write("pipelines/yearbook.yml", definition + "rosters:\n  max_rejected_share: 2.5%\n")
        // 3% rejected: a warning by default, an error above 2.5%.
        #expect(try share(30).exitCode == 0)
        let result = try share(30, pipeline: strict, in: tree)
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().first?.message.hasPrefix(
            "30 of 1000 rows (3.00%) rejected, more than the 2.5% the definition allows (rosters.max_rejected_share)") == true)

        let wrong = tree.write("pipelines/wrong.yml", definition + "rosters:\n  max_rejected_share: 0.1\n")
        #expect(throws: YearbookError.self) { try build(tree, pipeline: wrong) }
    }

    @Test func aHeaderNamingNoneOfTheColumnsSaysSo() throws {
        let tree = try published()
        let result = try failedBuild(tree) {
            tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.rows(3))
        }
        #expect(try result.problems.errors().map(\.description) == [
            "2019/exports/430202_dibao.csv.gz:1: error: the header names none of the dibao roster's columns (household_id (户编号), "
                + "area_code (行政区划代码), category (城乡类别), members (保障人数), monthly_amount (月保障金额(元)), status (状态)): "
                + "the first line must be the header; the file may have lost its header row, or be another roster or another kind of file",
        ])
    }
}
