import Aggregate
import Database
import EditionFiles
import Foundation
import Readers
import Testing
import YearbookCore
import YearbookTestSupport
@testable import Pipeline

/// Small cells in whole builds: what is withheld is in the internal edition (data/withheld.csv, the database,
/// `explain`, the report, the terminal) with every exact value kept, and stays withheld in the next edition.
@Suite struct DisclosureBuildTests {
    static let header = "person_id,area_code,category,care_mode,annual_amount,status\n"

    /// `urban` active urban persons of `county` at 6000 yuan each (one suspended beside them) and 5 rural ones in centralized care.
    static func roster(_ county: String, urban: Int) -> String {
        header + (1...urban).map { "u\($0),\(county),U,D,6000,active\n" }.joined() + "s1,\(county),U,D,6000,suspended\n"
            + (1...5).map { "r\($0),\(county),R,C,5000,active\n" }.joined()
    }

    /// The repository's definition (its `disclosure.min_units: 3`, or `minUnits`) copied into the tree.
    static func pipeline(_ tree: TestTree, minUnits: Int) -> String {
        for file in ["indicators.csv", "chapters.csv"] {
            tree.write("pipelines/" + file, Array(FileManager.default.contents(atPath: repositoryRoot + "/pipelines/" + file)!))
        }
        let definition = String(decoding: FileManager.default.contents(atPath: pipelinePath)!, as: UTF8.self)
        precondition(definition.contains("min_units: 3"))
        return tree.write("pipelines/yearbook.yml", definition.replacingOccurrences(of: "min_units: 3", with: "min_units: \(minUnits)"))
    }

    static let withheld2019 = [
        "430202,TEKUN_AMOUNT_U,2019,A",
        "430202,TEKUN_PC_U,2019,A",
        "430202,TEKUN_PERSONS_U,2019,A",
        "430212,TEKUN_AMOUNT_U,2019,D",
        "430212,TEKUN_PC_U,2019,D",
        "430212,TEKUN_PERSONS_U,2019,D",
    ]

    func lines(_ path: String) -> [String] {
        String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func aCountyOfTwoPersonsIsWithheldInTheInternalEditionAndStaysWithheldInTheNext() throws {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        for (county, urban) in [("430202", 2), ("430203", 5), ("430212", 4)] {
            tree.writeGzip("2019/exports/\(county)_tekun.csv.gz", Self.roster(county, urban: urban))
        }
        let out = tree.path("out")
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: out, pipeline: Self.pipeline(tree, minUnits: 3)))
        #expect(result.exitCode == 0 && result.published)
        #expect(lines(tree.path("out/2019/data/withheld.csv")) == ["area_code,indicator,period,conf_status"] + Self.withheld2019)
        #expect(!EditionLayout.isPublic(WithheldFile.path))
        // The internal edition keeps the exact figure.
        #expect(lines(tree.path("out/2019/data/observations.csv")).contains("430202,TEKUN_PERSONS_U,2019,2,A,tekun"))
        #expect(try BuildSummary(result, definition: result.definition, registry: result.registry).lines[1]
            == "保密 disclosure: 6 figures withheld from release: 3 primary (counted from fewer than 3 households or persons), "
            + "3 secondary (they would reveal the primary ones); listed in data/withheld.csv and reports/disclosure.md; "
            + "the smallest published count is 5 persons (430202 荷塘区 Hetang · TEKUN_PERSONS_R · 2019) · "
            + "6项数据不公布：首要保密3项（少于3户或人），次要保密3项（可推算首要保密数）；详见 data/withheld.csv 与 reports/disclosure.md；"
            + "公布的最小名册数为5人")
        #expect(lines(tree.path("out/2019/reports/disclosure.md")).contains(
            "| 430202 | TEKUN\\_PERSONS\\_U | 2019 | A | primary: 2 persons &lt; disclosure.min\\_units 3 |"))
        let db = try SQLiteConnection.readOnly(path: tree.path("out/2019/data/yearbook.sqlite"))
        #expect(try db.rows("SELECT area_code, indicator, period, conf_status FROM withheld ORDER BY 1, 2").map { row in
            "\(row[0].text!),\(row[1].text!),\(row[2].integer!),\(row[3].text!)"
        } == Self.withheld2019)
        let explanation = try Explanation.load(edition: tree.path("out/2019"), area: "430202", indicator: "TEKUN_PERSONS_U", period: nil)
        #expect(explanation.text.split(separator: "\n")[1] == "   withheld from release 不公布: A, primary: 2 persons < disclosure.min_units 3")
        let published = try Explanation.load(edition: tree.path("out/2019"), area: "430203", indicator: "TEKUN_PERSONS_U", period: nil)
        #expect(published.withheld == nil)
        // The internal SDMX export, sent upward, keeps the exact value and marks it.
        #expect(lines(tree.path("out/2019/data/observations.xml")).contains { $0.contains("OBS_VALUE=\"2\"") && $0.contains("CONF_STATUS=\"A\"") })

        // The release holds no digit of a withheld figure: its data are typed (empty value, conf_status), its pages marked.
        let dest = tree.path("public/2019")
        let release = try EditionRelease.publish(edition: tree.path("out/2019"), dest: dest) { try Verification.verify(edition: $0, input: nil) }
        #expect(!release.files.contains(WithheldFile.path))
        let released = lines(dest + "/data/observations.csv")
        #expect(released.contains("430202,TEKUN_PERSONS_U,2019,,A,tekun,A"))
        #expect(released.contains("430212,TEKUN_PERSONS_U,2019,,A,tekun,D"))
        #expect(released.contains("430203,TEKUN_PERSONS_U,2019,5,A,tekun,"))
        let releasedXML = lines(dest + "/data/observations.xml")
        #expect(releasedXML.filter { $0.contains("CONF_STATUS=") }.count == 6)
        #expect(!releasedXML.contains { $0.contains("CONF_STATUS=") && $0.contains("OBS_VALUE") })
        // The tekun table: persons (urban, rural), in centralized care, paid (urban, rural), per person (urban, rural).
        let tekun = lines(dest + "/chapters/social-assistance.md").filter { $0.contains("| 25,000.00 |") }
        #expect(tekun == ["| 荷塘区 Hetang | \\* | 5 | 5 | \\* | 25,000.00 | \\* | 5,000 |",
                          "| 芦淞区 Lusong | 5 | 5 | 5 | 30,000.00 | 25,000.00 | 6,000 | 5,000 |",
                          "| 渌口区 Lukou | \\* | 5 | 5 | \\* | 25,000.00 | \\* | 5,000 |"])
        #expect(try Verification.verify(edition: dest, input: nil) == [])

        // The 2020 edition, with a rule under which 2 persons are no small cell, keeps what the 2019 edition withheld.
        for (county, urban) in [("430202", 3), ("430203", 5), ("430212", 4)] {
            tree.writeGzip("2020/exports/\(county)_tekun.csv.gz", Self.roster(county, urban: urban))
        }
        let next = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2020, out: out, pipeline: Self.pipeline(tree, minUnits: 2)))
        #expect(next.exitCode == 0 && next.published)
        #expect(lines(tree.path("out/2020/data/withheld.csv")) == ["area_code,indicator,period,conf_status"] + Self.withheld2019)
        #expect(next.disclosure.facts.kept == 6)
        #expect(next.disclosure.reasons[ObservationKey(area: "430202", indicator: "TEKUN_PERSONS_U", period: 2019)]
            == "primary: withheld in the 2019 edition")

        // An earlier edition's withheld.csv that does not read fails the build: published now, its figures could reveal a small cell.
        tree.write("out/2019/data/withheld.csv", "area_code,indicator,period,conf_status\n430202,TEKUN_PERSONS_U,2019,X\n")
        let broken = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2020, out: out, pipeline: Self.pipeline(tree, minUnits: 2)))
        #expect(broken.exitCode == 1 && !broken.published)
        #expect(try broken.problems.errors().map { "\($0.file == tree.path("out/2019/data/withheld.csv")):\($0.line ?? 0): \($0.message)" } == [
            "true:2: the figures the 2019 edition withheld from release cannot be read (conf_status 'X' is neither A (primary) "
                + "nor D (secondary)); published now, they could reveal a small cell: restore 2019/data/withheld.csv as that edition wrote it",
        ])
    }

    /// The sample has no small cell: nothing withheld, no data/withheld.csv, and the terminal says what the smallest published
    /// count is (芦淞区's 76 persons in centralized care; its 521 rural recipients are 224 households).
    @Test func theSampleWithholdsNothingAndSaysItsSmallestCount() throws {
        let (result, _) = SampleEdition.built
        #expect(result.disclosure.withholding.isEmpty && result.disclosure.problems.isEmpty)
        #expect(SampleEdition.read(WithheldFile.path).isEmpty)
        #expect(try BuildSummary(result, definition: result.definition, registry: result.registry).lines[1]
            == "保密 disclosure: nothing withheld; the smallest published count is 76 persons (430203 芦淞区 Lusong · TEKUN_CENTRAL · 2019) · "
            + "无保密数据；公布的最小名册数为76人")
    }

    /// The rows behind each figure are kept with the aggregation in the target cache: a build that takes it from
    /// the cache withholds what a full one does.
    @Test func theUnitsRoundTripThroughTheTargetCache() throws {
        let key = ObservationKey(area: "430200", indicator: "TEKUN_PERSONS_U", period: 2019)
        let result = Aggregation.Result(observations: [:], comparisons: [], problems: [],
                                        units: [key: 11, ObservationKey(area: "430202", indicator: "TEKUN_PERSONS_U", period: 2019): 2])
        var out = BinaryWriter()
        result.encode(into: &out)
        let decoded = try Aggregation.Result(decoding: out.bytes)
        #expect(decoded.units == result.units)
    }
}
