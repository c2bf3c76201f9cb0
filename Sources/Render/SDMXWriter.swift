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
    /// the caller from the inputs, so the bytes depend on nothing else. This is the internal export (sent
    /// upward to the province): a figure withheld from release keeps its value and carries `CONF_STATUS`
    /// (`A` primary, `D` secondary; SDMX codelist CL_CONF_STATUS), the others none; `released` makes
    /// the public one of it.
    public static func structureSpecificData(_ observations: [ObservationKey: Observation], year: Int,
                                             sender: String, prepared: String, withheld: Withholding = .none) -> [UInt8] {
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
            let confidential = withheld[key].map { " \(confStatus)=\"\($0.rawValue)\"" } ?? ""
            xml += "      <Obs TIME_PERIOD=\"\(key.period)\"\(valueAttribute) OBS_STATUS=\"\(observation.status.rawValue)\"\(confidential)/>\n"
        }
        if open != nil { xml += "    </Series>\n" }
        xml += "  </message:DataSet>\n</message:StructureSpecificData>\n"
        return Array(xml.utf8)
    }

    /// The SDMX attribute of a withheld observation's confidentiality.
    static let confStatus = "CONF_STATUS"

    /// The released form of an export `structureSpecificData` wrote: each observation `withheld` holds
    /// loses its `OBS_VALUE` and carries its `CONF_STATUS` (added where the internal export lacks it);
    /// every other line stays as it is. Reads the writer's own lines, one per series and observation.
    public static func released(_ export: [UInt8], withheld: Withholding) -> [UInt8] {
        var escaped: [String: Confidentiality] = [:]
        for (key, status) in withheld.cells {
            escaped["\(Escape.html(key.area))\u{0}\(Escape.html(key.indicator))\u{0}\(key.period)"] = status
        }
        var series = ""
        var out: [UInt8] = []
        out.reserveCapacity(export.count)
        for line in export.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            var text = String(decoding: line, as: UTF8.self)
            if text.hasPrefix("    <Series "), let area = attribute("REF_AREA", in: text), let indicator = attribute("INDICATOR", in: text) {
                series = "\(area)\u{0}\(indicator)\u{0}"
            } else if text.hasPrefix("      <Obs "), let period = attribute("TIME_PERIOD", in: text), let status = escaped[series + period] {
                if let value = attribute("OBS_VALUE", in: text), let range = text.firstRange(of: " OBS_VALUE=\"\(value)\"") {
                    text.removeSubrange(range)
                }
                if attribute(confStatus, in: text) == nil {
                    text = String(text.dropLast(2)) + " \(confStatus)=\"\(status.rawValue)\"/>"
                }
            }
            out += Array(text.utf8)
            out.append(UInt8(ascii: "\n"))
        }
        out.removeLast()
        return out
    }

    /// The value of the XML attribute `name="…"` on a line this writer wrote.
    private static func attribute(_ name: String, in line: String) -> String? {
        guard let start = line.firstRange(of: " \(name)=\"") else { return nil }
        let rest = line[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }
}
