import YearbookCore

/// `data/observations.xml`: the unified dataset as an SDMX-ML 2.1
/// StructureSpecificData message in the dataflow counties submit in, so that an
/// edition can be sent upward and read back by this same tool.
public enum SDMXWriter {
    /// The structure the submissions reference (samples/input and the benchmark tree).
    public static let agency = "HNMZ"
    public static let structure = "DSD_YEARBOOK"
    public static let structureVersion = "1.0"
    static let structureNamespace = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=\(agency):\(structure)(\(structureVersion)):ObsLevelDim:TIME_PERIOD"

    /// One series per area and indicator (both periods), values in the base unit
    /// (`UNIT_MULT` 0) as `observations.csv` writes them, every observation with
    /// its `OBS_STATUS`; a missing one has no `OBS_VALUE`. `prepared` is fixed by
    /// the caller from the inputs, so the bytes depend on nothing else.
    public static func structureSpecificData(_ observations: [ObservationKey: Observation], year: Int,
                                             sender: String, prepared: String) -> [UInt8] {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" \
            xmlns:data="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific" \
            xmlns:ns1="\(structureNamespace)" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
              <message:Header>
                <message:ID>\(Escape.html("YEARBOOK_\(sender)_\(year)"))</message:ID>
                <message:Test>false</message:Test>
                <message:Prepared>\(Escape.html(prepared))</message:Prepared>
                <message:Sender id="\(Escape.html(sender))"/>
                <message:Structure structureID="YB" dimensionAtObservation="TIME_PERIOD" namespace="\(structureNamespace)">
                  <common:Structure><Ref agencyID="\(agency)" id="\(structure)" version="\(structureVersion)"/></common:Structure>
                </message:Structure>
                <message:DataSetID>YEARBOOK_\(year)</message:DataSetID>
              </message:Header>
              <message:DataSet data:structureRef="YB" data:dataScope="DataStructure" xsi:type="ns1:DataSetType" data:action="Information">

            """
        var open: (area: String, indicator: String)?
        for key in ObservationKey.sorted(observations.keys) {
            let observation = observations[key]!
            if open.map({ $0 != (key.area, key.indicator) }) ?? true {
                if open != nil { xml += "    </Series>\n" }
                xml += "    <Series FREQ=\"A\" REF_AREA=\"\(Escape.html(key.area))\" INDICATOR=\"\(Escape.html(key.indicator))\" UNIT_MULT=\"0\">\n"
                open = (key.area, key.indicator)
            }
            let value = DataFiles.valueText(observation)
            let valueAttribute = value.isEmpty ? "" : " OBS_VALUE=\"\(value)\""
            xml += "      <Obs TIME_PERIOD=\"\(key.period)\"\(valueAttribute) OBS_STATUS=\"\(observation.status.rawValue)\"/>\n"
        }
        if open != nil { xml += "    </Series>\n" }
        xml += "  </message:DataSet>\n</message:StructureSpecificData>\n"
        return Array(xml.utf8)
    }
}
