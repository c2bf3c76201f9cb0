import Foundation
import Testing

/// `verify` and `diff` exit codes on small editions built with the tests' own
/// definition (Tests/Fixtures) from two messages: each build takes a moment.
extension CommandLineTests {
    static let fixtureDefinition = repositoryRoot + "/Tests/Fixtures/pipelines/yearbook.yml"

    /// 2018 and 2019 messages of beds and standards; `standard` is 株洲市's 2019 standard.
    func fixtureInput(standard: String = "610") throws -> String {
        let input = temporaryFolder() + "/input"
        for year in [2018, 2019] { try FileManager.default.createDirectory(atPath: "\(input)/\(year)/submissions", withIntermediateDirectories: true) }
        try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/Tests/Fixtures/areas.csv", toPath: input + "/areas.csv")
        writeMessage(input + "/2018/submissions/a.xml", period: 2018, beds: "100", standard: "600")
        writeMessage(input + "/2019/submissions/a.xml", period: 2019, beds: "120", standard: standard)
        return input
    }

    func writeMessage(_ path: String, period: Int, beds: String, standard: String) {
        let series = [("430202", "BEDS_TOTAL", beds), ("430203", "BEDS_TOTAL", "40"), ("430212", "BEDS_TOTAL", "80"),
                      ("430200", "DIBAO_STD_U", standard), ("430300", "DIBAO_STD_U", "620")].map { area, indicator, value in
            "<Series FREQ=\"A\" REF_AREA=\"\(area)\" INDICATOR=\"\(indicator)\"><Obs TIME_PERIOD=\"\(period)\" OBS_VALUE=\"\(value)\"/></Series>\n"
        }
        _ = FileManager.default.createFile(atPath: path, contents: Data("""
            <?xml version="1.0" encoding="UTF-8"?>
            <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">
            <message:Header><message:ID>A\(period)</message:ID><message:Prepared>\(period + 1)-01-10T00:00:00Z</message:Prepared><message:Sender id="430200"/></message:Header>
            <message:DataSet ss:structureRef="YB">
            \(series.joined())</message:DataSet>
            </message:StructureSpecificData>

            """.utf8))
    }

    func buildFixture(_ input: String, out: String, _ extra: [String] = []) throws -> Run {
        try run(["build", "--input", input, "--year", "2019", "--out", out, "--pipeline", Self.fixtureDefinition, "--quiet"] + extra)
    }

    @Test func verifyPassesAWholeEditionAndFailsATamperedOrStaleOne() throws {
        let input = try fixtureInput(), out = temporaryFolder()
        #expect(try buildFixture(input, out: out).status == 0)
        let whole = try run(["verify", out + "/2019", "--input", input])
        #expect(whole.status == 0)
        #expect(whole.stdout == "\(out)/2019: every output is as built and every input as read\n")

        let tampered = temporaryFolder() + "/2019"
        try FileManager.default.copyItem(atPath: out + "/2019", toPath: tampered)
        _ = FileManager.default.createFile(atPath: tampered + "/data/observations.csv", contents: Data("area_code\n".utf8))
        let edited = try run(["verify", tampered])
        #expect(edited.status == 1)
        #expect(edited.stdout == "output data/observations.csv is not what the build wrote\n")

        // A corrected input not built yet: the edition no longer matches its inputs.
        writeMessage(input + "/2019/submissions/a.xml", period: 2019, beds: "120", standard: "615")
        let changed = try run(["verify", out + "/2019", "--input", input])
        #expect(changed.status == 1)
        #expect(changed.stdout == "input 2019/submissions/a.xml changed since the build\n")

        // Only the elderly-care chapter rebuilt: the social-assistance chapter, which shows the standard, is stale.
        #expect(try buildFixture(input, out: out, ["--chapter", "elderly-care"]).status == 0)
        let stale = try run(["verify", out + "/2019", "--input", input])
        #expect(stale.status == 1)
        #expect(stale.stdout == """
            output chapters/charts/social-assistance-rank-DIBAO_STD_U.svg is stale: a full build would change it
            output chapters/social-assistance.html is stale: a full build would change it
            output chapters/social-assistance.md is stale: a full build would change it
            output data/tables/social-assistance.json is stale: a full build would change it
            output yearbook.xlsx is stale: a full build would change it

            """)
        #expect(stale.stderr == "yearbook verify: to make it current, build 2019 again in full (no --chapter): "
                + "yearbook build --input \(input) --year 2019 --out \(out)\n")
        #expect(try buildFixture(input, out: out).status == 0)
        #expect(try run(["verify", out + "/2019", "--input", input]).status == 0)

        let notAnEdition = try run(["verify", input])
        #expect(notAnEdition.status == 2)
        #expect(notAnEdition.stderr == "yearbook verify: \(input) is not a yearbook edition: no manifest.json\n")
    }

    /// Consecutive editions: the year both publish is compared; exit 1 only when a figure of it was revised.
    @Test func diffOfConsecutiveEditionsExitsOneForARevisionOnly() throws {
        let input = try fixtureInput(), out = temporaryFolder()
        #expect(try buildFixture(input, out: out, ["--year", "2018"]).status == 0)
        #expect(try buildFixture(input, out: out).status == 0)
        // Every 2018 figure as published in 2018: the movements to 2019 are no difference.
        let same = try run(["diff", out + "/2018", out + "/2019"])
        #expect(same.status == 0)
        #expect(same.stdout.contains("**No differences.**"))
        // 荷塘区's 2018 beds corrected 100 → 104 after the 2018 edition; the 2019 edition takes it.
        writeMessage(input + "/2018/submissions/a.xml", period: 2018, beds: "104", standard: "600")
        #expect(try buildFixture(input, out: out).status == 0)
        let revised = try run(["diff", out + "/2018", out + "/2019", "--format", "markdown"])
        #expect(revised.status == 1)
        #expect(revised.stdout.contains("| figures revised (修订) | 2 |\n"))
        #expect(revised.stdout.contains("| 荷塘区 430202 | 养老床位数 BEDS_TOTAL | 2018 | 100 | 104 | 4 | 4.00% | A | submission (2018/submissions/a.xml, line 5) |\n"))
        let json = try run(["diff", out + "/2018", out + "/2019", "--format", "json"])
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((object["revisions"] as? [[String: Any]])?.compactMap { $0["b"] as? String } == ["224", "104"])
        let format = try run(["diff", out + "/2018", out + "/2019", "--format", "xml"])
        #expect(format.status == 2)
        #expect(format.stderr.contains("--format 'xml' is not a format: give markdown or json"))
    }

    @Test func diffExitsZeroWhenSameOneBeyondTheToleranceTwoForAUsageError() throws {
        let input = try fixtureInput(), before = temporaryFolder(), again = temporaryFolder(), after = temporaryFolder()
        #expect(try buildFixture(input, out: before).status == 0)
        #expect(try buildFixture(input, out: again).status == 0)
        #expect(try run(["diff", before + "/2019", again + "/2019"]).status == 0)

        // 株洲市's standard 610 → 615: a value and its two table cells move by 5 (0.82% of 610), and its change
        // on 2018's 600 from +1.7% to +2.5%.
        writeMessage(input + "/2019/submissions/a.xml", period: 2019, beds: "120", standard: "615")
        #expect(try buildFixture(input, out: after).status == 0)
        let moved = try run(["diff", before + "/2019", after + "/2019"])
        #expect(moved.status == 1)
        #expect(moved.stdout.contains("| 株洲市 430200 | 城市低保标准 DIBAO_STD_U | 2019 | 610 | 615 | 5 | 0.82% |\n"))
        #expect(try run(["diff", before + "/2019", after + "/2019", "--tolerance", "5"]).status == 0)
        #expect(try run(["diff", before + "/2019", after + "/2019", "--tolerance", "4"]).status == 1)
        #expect(try run(["diff", before + "/2019", after + "/2019", "--tolerance", "0.5%"]).status == 1)

        for malformed in ["abc", "-1", "-0.5%", "5%%"] {
            let usage = try run(["diff", before + "/2019", after + "/2019", "--tolerance=\(malformed)"])
            #expect(usage.status == 2, "\(malformed)")
            #expect(usage.stderr == "yearbook diff: --tolerance '\(malformed)' is not a figure ≥ 0 (0.5) or a percentage ≥ 0 (0.5%)\n")
        }
        // As `yearbook diff --help` says: 2 for a folder that is not an edition, on either side.
        for (a, b) in [(before + "/2019", input), (input, before + "/2019")] {
            let notAnEdition = try run(["diff", a, b])
            #expect(notAnEdition.status == 2)
            #expect(notAnEdition.stderr == "yearbook diff: \(input) is not a yearbook edition (no data/observations.csv)\n")
        }
    }
}
