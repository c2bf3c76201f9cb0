import Pipeline
import Extract
import Foundation
import Testing
import YearbookCore
import YearbookTestSupport

/// Broken and malicious inputs: each gives the contract's exit code and a
/// message naming the file, and never leaks, crashes or corrupts the output.
@Suite struct HostileInputTests {
    func tree() -> TestTree {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeEdition("out/2019", file: "index.md", "previous edition\n")
        return tree
    }

    func build(_ tree: TestTree, limits: ReadLimits = .standard) throws -> BuildResult {
        try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: Fixture.definitionPath, limits: limits))
    }

    func previousEditionIsIntact(_ tree: TestTree) -> Bool {
        FileManager.default.contents(atPath: tree.path("out/2019/index.md")) == Data("previous edition\n".utf8)
            && !FileManager.default.fileExists(atPath: tree.path("out/2019/data"))
    }

    static let header = """
        <?xml version="1.0"?>
        """

    @Test func externalEntityIsRefusedAndNothingIsRead() throws {
        let tree = tree()
        tree.write("2019/submissions/xxe.xml", """
            <?xml version="1.0"?>
            <!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
            <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
            <message:Header><message:ID>&secret;</message:ID><message:Prepared>2020-01-01</message:Prepared></message:Header>
            </message:StructureSpecificData>
            """)
        let result = try build(tree)
        #expect(result.exitCode == 1)
        let errors = try result.problems.errors()
        #expect(errors.count == 1)
        #expect(errors.first?.file == "2019/submissions/xxe.xml")
        #expect(errors.first?.message.contains("DOCTYPE") == true)
        #expect(try !result.problems.all().contains { $0.message.contains("root:") })
        #expect(previousEditionIsIntact(tree))
    }

    @Test func entityBombIsRefusedQuickly() throws {
        let tree = tree()
        var entities = "<!ENTITY a0 \"lol\">"
        for level in 1...10 { entities += "<!ENTITY a\(level) \"" + String(repeating: "&a\(level - 1);", count: 10) + "\">" }
        tree.write("2019/submissions/bomb.xml", "<?xml version=\"1.0\"?><!DOCTYPE m [\(entities)]><m>&a10;</m>")
        let start = Date()
        let result = try build(tree)
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().map(\.file) == ["2019/submissions/bomb.xml"])
        #expect(previousEditionIsIntact(tree))
    }

    @Test func malformedAndDeeplyNestedXMLNameTheFileAndLine() throws {
        let tree = tree()
        tree.write("2019/submissions/deep.xml", "<message:StructureSpecificData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\">"
            + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000) + "</message:StructureSpecificData>")
        tree.write("2019/submissions/malformed.xml", "<?xml version=\"1.0\"?>\n<message:GenericData xmlns:message=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\">\n<message:Header>\n</message:GenericData>\n")
        let result = try build(tree)
        #expect(result.exitCode == 1)
        let errors = try result.problems.errors()
        #expect(errors.map(\.file) == ["2019/submissions/deep.xml", "2019/submissions/malformed.xml"])
        #expect(errors[0].message.contains("nested deeper"))
        #expect(errors[1].line == 4)
        #expect(previousEditionIsIntact(tree))
    }

    @Test func decompressionBombAndEndlessLineStopAtTheirLimits() throws {
        let tree = tree()
        let row = Array("h,430202,U,1,1,active\n".utf8)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz",
                       members: [Array("household_id,area_code,category,members,monthly_amount,status\n".utf8)
                                 + (0..<(2 << 20) / row.count).flatMap { _ in row }])
        tree.writeGzip("2019/exports/430203_dibao.csv.gz",
                       "household_id,area_code,category,members,monthly_amount,status\n" + String(repeating: "x", count: 300_000))
        let result = try build(tree, limits: ReadLimits(maxDecompressedBytes: 1 << 20, maxRecordBytes: 100_000))
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().map(\.description) == [
            "2019/exports/430202_dibao.csv.gz: error: inflates to more than 1048576 bytes (limit on decompressed size)",
            "2019/exports/430203_dibao.csv.gz:2: error: record longer than 100000 bytes (an endless line?)",
        ])
        #expect(previousEditionIsIntact(tree))
    }

    @Test func invalidBytesRejectTheRowNotTheFile() throws {
        let tree = tree()
        // 0xFF is valid in neither UTF-8 nor GB18030.
        let bytes = Array("household_id,area_code,category,members,monthly_amount,status\nh1,430202,U,1,1,active\nh2,430202,".utf8)
            + [0xFF, 0xFE] + Array(",1,1,active\n".utf8)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", members: [bytes])
        let result = try build(tree)
        let file = try #require(result.rosters.first)
        #expect(file.encoding == .gb18030)
        #expect(file.accepted == 1)
        #expect(try file.rejects.rows().map { "\($0.line): \($0.reason)" } == ["3: category is not valid GB18030"])
        #expect(try file.rejects.rows().first?.raw == "h2,430202,\u{FFFD}\u{FFFD},1,1,active")
    }

    @Test func rosterMissingAColumnNamesIt() throws {
        let tree = tree()
        tree.writeGzip("2019/exports/430202_tekun.csv.gz", "person_id,area_code,category,annual_amount,status\np1,430202,U,1,active\n")
        let result = try build(tree)
        #expect(result.exitCode == 1)
        #expect(try result.problems.errors().map(\.description) == [
            "2019/exports/430202_tekun.csv.gz:1: error: missing required column care_mode (供养方式) in the tekun header",
        ])
    }

    @Test func namesWithMarkupAreEscapedInEveryOutput() throws {
        let tree = TestTree()
        tree.write("areas.csv", """
            code,name_zh,name_en,level,parent,valid_from,valid_to,successor
            430000,湖南省,Hunan,province,,,,
            430200,"株洲<script>alert(1)</script>市","Zhu*zhou* | [x](javascript:y) & <b>",prefecture,430000,,,
            430202,荷塘区,"Het""ang, <i>",county,430200,,,

            """)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", "household_id,area_code,category,members,monthly_amount,status\nh1,430202,U,2,300,active\n")
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: tree.path("out"), pipeline: Fixture.definitionPath))
        #expect(result.exitCode == 0)
        let html = String(decoding: FileManager.default.contents(atPath: tree.path("out/2019/chapters/social-assistance.html"))!, as: UTF8.self)
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>"))
        #expect(!html.contains("<i>"))
        #expect(html.contains("株洲&lt;script&gt;alert(1)&lt;/script&gt;市 Zhu*zhou* | [x](javascript:y) &amp; &lt;b&gt;"))
        #expect(html.contains("Het&quot;ang, &lt;i&gt;"))
        let markdown = String(decoding: FileManager.default.contents(atPath: tree.path("out/2019/chapters/social-assistance.md"))!, as: UTF8.self)
        #expect(markdown.contains("株洲&lt;script&gt;alert(1)&lt;/script&gt;市 Zhu\\*zhou\\* \\| \\[x\\](javascript:y) &amp; &lt;b&gt;"))
        #expect(!markdown.contains("<script>"))
    }
}
