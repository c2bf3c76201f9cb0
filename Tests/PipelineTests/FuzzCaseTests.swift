import Extract
import Foundation
import Normalize
import Testing
import YearbookCore
import YearbookTestSupport

/// Inputs the fuzzers once crashed on (Fuzz/run), read again as they would be.
@Suite struct FuzzCaseTests {
    let registry = AreaRegistry([
        Area(code: "430200", nameZH: "株洲市", nameEN: "Zhuzhou", level: .prefecture),
        Area(code: "430212", nameZH: "渌口区", nameEN: "Lukou", level: .county, parent: "430200", validFrom: 2018),
    ])

    @Test(arguments: ["roster-1.bin"])
    func rosterCase(_ name: String) throws {
        let bytes = Array(try #require(FileManager.default.contents(atPath: repositoryRoot + "/Tests/PipelineTests/FuzzCases/" + name)))
        let limits = ReadLimits(maxDecompressedBytes: 16 << 20, maxRecordBytes: 64 << 10)
        for schema in RosterSchema.all {
            let reader = RosterReader(schema: schema, measures: [], registry: registry, limits: limits)
            do {
                let result = try reader.read(displayName: name, county: "430212", year: 2019) {
                    MemoryByteStream.opening(bytes, name: name, limits: limits)
                }
                #expect(result.balances)
            } catch is YearbookError {
            }
        }
    }
}
