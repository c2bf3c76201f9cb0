import EditionFiles
import Foundation
import Render
import Testing
import YearbookCore
import YearbookTestSupport

/// The data files as released where figures are withheld, given/expect: the internal SDMX export keeps
/// every value and marks the withheld ones; the released one and the released `observations.csv` have
/// no value for them, only their `CONF_STATUS`.
@Suite struct ReleasedDataTests {
    static func key(_ area: String, _ indicator: String, _ period: Int) -> ObservationKey {
        ObservationKey(area: area, indicator: indicator, period: period)
    }

    @Test func theInternalExportKeepsValuesAndTheReleasedOneDropsThem() {
        let observations = Fixture.dataset([
            Fixture.observation("430202", "BEDS_TOTAL", 2019, "120", .A, .submission),
            Fixture.observation("430203", "BEDS_TOTAL", 2019, "0", .P, .submission),
        ])
        let withheld = Withholding(cells: [Self.key("430202", "BEDS_TOTAL", 2019): .primary])
        let exported = SDMXWriter.structureSpecificData(observations, year: 2019, sender: "430200", prepared: "2020-01-01T00:00:00Z", withheld: withheld)
        let internalLines = String(decoding: exported, as: UTF8.self).components(separatedBy: "\n")
        #expect(internalLines.contains("      <Obs TIME_PERIOD=\"2019\" OBS_VALUE=\"120\" OBS_STATUS=\"A\" CONF_STATUS=\"A\"/>"))
        #expect(internalLines.contains("      <Obs TIME_PERIOD=\"2019\" OBS_VALUE=\"0\" OBS_STATUS=\"P\"/>"))
        #expect(SDMXWriter.structureSpecificData(observations, year: 2019, sender: "430200", prepared: "2020-01-01T00:00:00Z")
            == SDMXWriter.released(SDMXWriter.structureSpecificData(observations, year: 2019, sender: "430200", prepared: "2020-01-01T00:00:00Z"),
                                   withheld: .none))
        let released = String(decoding: SDMXWriter.released(exported, withheld: withheld), as: UTF8.self)
        #expect(released == String(decoding: exported, as: UTF8.self).replacingOccurrences(of: " OBS_VALUE=\"120\"", with: ""))
        // An internal export written without the attribute gets it on release.
        let unmarked = SDMXWriter.structureSpecificData(observations, year: 2019, sender: "430200", prepared: "2020-01-01T00:00:00Z")
        #expect(String(decoding: SDMXWriter.released(unmarked, withheld: withheld), as: UTF8.self) == released)

        let rows = [ObservationsFile.Row(key: Self.key("430202", "BEDS_TOTAL", 2019), value: "120", status: "A", source: "submission"),
                    ObservationsFile.Row(key: Self.key("430203", "BEDS_TOTAL", 2019), value: "0", status: "P", source: "submission")]
        #expect(String(decoding: DataFiles.releasedObservationsCSV(rows, withheld: withheld), as: UTF8.self) == """
            area_code,indicator,period,value,status,source,conf_status
            430202,BEDS_TOTAL,2019,,A,submission,A
            430203,BEDS_TOTAL,2019,0,P,submission,

            """)
    }
}
