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

    /// An edition of three counties under `disclosure.min_units: 3` (or none): 芦淞区 with one urban household of
    /// 123.45 yuan a month (a small cell), 荷塘区 with 4 urban households of 2 and 3 rural ones, 渌口区 with 5 of 4.
    func edition(pipeline: String = pipelinePath) throws -> String {
        let tree = TestTree()
        tree.write("areas.csv", TestTree.zhuzhouAreas)
        tree.writeGzip("2019/exports/430202_dibao.csv.gz", Self.header + (1...4).map { "u\($0),430202,U,2,300,active\n" }.joined()
            + (1...3).map { "r\($0),430202,R,3,200,active\n" }.joined())
        tree.writeGzip("2019/exports/430203_dibao.csv.gz", Self.header + "h1,430203,U,1,123.45,active\n")
        tree.writeGzip("2019/exports/430212_dibao.csv.gz", Self.header + (1...5).map { "u\($0),430212,U,4,400,active\n" }.joined())
        let result = try YearbookBuild.run(BuildOptions(input: tree.root, year: 2019, out: outputs.path("out"), pipeline: pipeline))
        #expect(result.exitCode == 0 && result.published)
        return outputs.path("out/2019")
    }

    func read(_ path: String) -> String { String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }

    @Test func theReleasedDataHoldNoWithheldValueAndTheReleaseVerifies() throws {
        let edition = try edition()
        // 芦淞区's urban figures are the small cell (A); 荷塘区's, the smaller of its siblings', stop 株洲市's total revealing them (D).
        #expect(read(edition + "/" + WithheldFile.path).components(separatedBy: "\n") == [
            "area_code,indicator,period,conf_status",
            "430202,DIBAO_AMOUNT_U,2019,D", "430202,DIBAO_HH_U,2019,D", "430202,DIBAO_PC_U,2019,D", "430202,DIBAO_PERSONS_U,2019,D",
            "430203,DIBAO_AMOUNT_U,2019,A", "430203,DIBAO_HH_U,2019,A", "430203,DIBAO_PC_U,2019,A", "430203,DIBAO_PERSONS_U,2019,A", ""])
        #expect(try Verification.verify(edition: edition, input: nil) == [])
        let dest = outputs.path("public/2019")
        let result = try EditionRelease.publish(edition: edition, dest: dest) { try Verification.verify(edition: $0, input: nil) }
        #expect(!result.files.contains(WithheldFile.path) && !FileManager.default.fileExists(atPath: dest + "/" + WithheldFile.path))

        let observations = read(dest + "/data/observations.csv").components(separatedBy: "\n")
        #expect(observations.first == "area_code,indicator,period,value,status,source,conf_status")
        #expect(observations.contains("430203,DIBAO_AMOUNT_U,2019,,A,dibao,A"))
        #expect(observations.contains("430203,DIBAO_PC_U,2019,,A,derived,A"))
        #expect(observations.contains("430202,DIBAO_PERSONS_U,2019,,A,dibao,D"))
        #expect(observations.contains("430202,DIBAO_PERSONS_R,2019,9,A,dibao,"))
        #expect(observations.contains("430212,DIBAO_HH_U,2019,5,A,dibao,"))
        // The internal file keeps the exact values.
        #expect(read(edition + "/data/observations.csv").contains("430203,DIBAO_AMOUNT_U,2019,123.45,A,dibao\n"))

        let sdmx = read(dest + "/data/observations.xml")
        #expect(sdmx.contains("""
                <Series FREQ="A" REF_AREA="430203" INDICATOR="DIBAO_AMOUNT_U" UNIT_MULT="0">
                  <Obs TIME_PERIOD="2019" OBS_STATUS="A" CONF_STATUS="A"/>
            """))
        for digits in ["123.45", "123.4500", "1200", "150.0000"] {
            #expect(!sdmx.contains("OBS_VALUE=\"\(digits)\"") && !observations.contains { $0.contains(",\(digits),") })
        }
        #expect(sdmx.components(separatedBy: "CONF_STATUS=").count == 9)

        // 渌口区 alone is ranked among 株洲市's counties on the allowance per recipient: 荷塘区 and 芦淞区 are withheld.
        #expect(read(dest + "/data/rankings.csv").components(separatedBy: "\n").filter { $0.hasPrefix("DIBAO_PC_U,430200,") }
            == ["DIBAO_PC_U,430200,430212,2019,100,1,,"])
        #expect(read(edition + "/data/rankings.csv").contains("DIBAO_PC_U,430200,430203,2019,123,2,,\n"))

        // The release's manifest records the released bytes.
        #expect(try Verification.verify(edition: dest, input: nil) == [])
    }

    @Test func anEditionThatWithholdsNothingIsReleasedAsBuilt() throws {
        let edition = try edition(pipeline: pipelinePublishingSmallCells)
        #expect(!FileManager.default.fileExists(atPath: edition + "/" + WithheldFile.path))
        let dest = outputs.path("public/2019")
        _ = try EditionRelease.publish(edition: edition, dest: dest) { try Verification.verify(edition: $0, input: nil) }
        for file in ["data/observations.csv", "data/observations.xml", "data/rankings.csv"] {
            #expect(FileManager.default.contents(atPath: dest + "/" + file) == FileManager.default.contents(atPath: edition + "/" + file))
        }
    }
}
