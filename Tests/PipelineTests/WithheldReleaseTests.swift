import EditionFiles
import Foundation
import Pipeline
import Readers
import Testing
import YearbookCore
import YearbookTestSupport

/// `release` of an edition that withholds figures (`data/withheld.csv`): the released data files are
/// made from the internal ones without the withheld values, `data/withheld.csv` stays behind, and the
/// release verifies.
@Suite struct WithheldReleaseTests {
    static let header = "household_id,area_code,category,members,monthly_amount,status\n"

    /// Outputs go beside the input tree, never inside it.
    let outputs = TestTree()

    /// An edition of three counties, 芦淞区 with one urban household of 123.45 yuan a month.
    func edition() throws -> String {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.header + "h1,430202,U,2,300,active\nh2,430202,R,3,200,active\n")
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,123.45,active\n")
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", Self.header + "h1,430212,U,4,400,active\n")
        _ = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: outputs.path("out"), pipeline: pipelinePath))
        return outputs.path("out/2019")
    }

    /// Writes `data/withheld.csv` into `edition` and records it in its manifest (internal, not public), as the build does.
    func withhold(_ withholding: Withholding, in edition: String) throws {
        let bytes = WithheldFile.write(withholding)
        try Data(bytes).write(to: URL(fileURLWithPath: edition + "/" + WithheldFile.path))
        var manifest = try Manifest.load(edition)
        manifest.outputs = (manifest.outputs + [Manifest.entry(WithheldFile.path, bytes)]).sorted { $0.file < $1.file }
        try Data(manifest.encoded()).write(to: URL(fileURLWithPath: edition + "/" + Manifest.fileName))
    }

    func read(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }

    @Test func theReleasedDataHoldNoWithheldValueAndTheReleaseVerifies() throws {
        let edition = try edition()
        let key = { (area: String, indicator: String) in ObservationKey(area: area, indicator: indicator, period: 2019) }
        try withhold(Withholding(cells: [key("430203", "DIBAO_AMOUNT_U"): .primary, key("430203", "DIBAO_PC_U"): .primary,
                                         key("430212", "DIBAO_PC_U"): .secondary]), in: edition)
        #expect(try Verification.verify(edition: edition, input: nil) == [])
        let dest = outputs.path("public/2019")
        let result = try EditionRelease.publish(edition: edition, dest: dest) { try Verification.verify(edition: $0, input: nil) }
        #expect(!result.files.contains(WithheldFile.path) && !FileManager.default.fileExists(atPath: dest + "/" + WithheldFile.path))

        let observations = read(dest + "/data/observations.csv").components(separatedBy: "\n")
        #expect(observations.first == "area_code,indicator,period,value,status,source,conf_status")
        #expect(observations.contains("430203,DIBAO_AMOUNT_U,2019,,A,dibao,A"))
        #expect(observations.contains("430203,DIBAO_PC_U,2019,,A,derived,A"))
        #expect(observations.contains("430212,DIBAO_PC_U,2019,,A,derived,D"))
        #expect(observations.contains("430203,DIBAO_HH_U,2019,1,A,dibao,"))
        // The internal file keeps the exact values.
        #expect(read(edition + "/data/observations.csv").contains("430203,DIBAO_AMOUNT_U,2019,123.45,A,dibao\n"))

        let sdmx = read(dest + "/data/observations.xml")
        #expect(sdmx.contains("""
                <Series FREQ="A" REF_AREA="430203" INDICATOR="DIBAO_AMOUNT_U" UNIT_MULT="0">
                  <Obs TIME_PERIOD="2019" OBS_STATUS="A" CONF_STATUS="A"/>
            """))
        for digits in ["123.45", "123.4500", "100.0000"] { #expect(!sdmx.contains("OBS_VALUE=\"\(digits)\"") && !observations.contains { $0.contains(",\(digits),") }) }
        #expect(sdmx.components(separatedBy: "CONF_STATUS=").count == 4)

        // 荷塘区 alone is ranked among 株洲市's counties on the allowance per recipient: 芦淞区 and 渌口区 are withheld.
        #expect(read(dest + "/data/rankings.csv").components(separatedBy: "\n").filter { $0.hasPrefix("DIBAO_PC_U,430200,") }
            == ["DIBAO_PC_U,430200,430202,2019,150,1,,"])
        #expect(read(edition + "/data/rankings.csv").contains("DIBAO_PC_U,430200,430203,2019,123,2,,\n"))

        // The release's manifest records the released bytes.
        #expect(try Verification.verify(edition: dest, input: nil) == [])
    }

    @Test func anEditionThatWithholdsNothingIsReleasedAsBuilt() throws {
        let edition = try edition()
        let dest = outputs.path("public/2019")
        _ = try EditionRelease.publish(edition: edition, dest: dest) { try Verification.verify(edition: $0, input: nil) }
        for file in ["data/observations.csv", "data/observations.xml", "data/rankings.csv"] {
            #expect(FileManager.default.contents(atPath: dest + "/" + file) == FileManager.default.contents(atPath: edition + "/" + file))
        }
    }
}
