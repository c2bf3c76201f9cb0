import YearbookTestSupport
/// SDMX-ML 2.1 data messages of the yearbook's dataflow, written for tests.
enum SDMXMessage {
    struct Obs {
        var area: String
        var indicator: String
        var period: Int
        var value: String?
        var unitMult: Int? = nil
        var status: String? = nil
    }

    static func header(_ prepared: String, sender: String) -> String {
        """
        <message:Header><message:ID>T1</message:ID><message:Test>false</message:Test>\
        <message:Prepared>\(prepared)</message:Prepared><message:Sender id="\(sender)"/>\
        <message:Structure structureID="YB" dimensionAtObservation="TIME_PERIOD"><common:Structure><URN>urn:x</URN></common:Structure></message:Structure>\
        </message:Header>
        """
    }

    /// StructureSpecificData: one series per observation, attributes as XML attributes.
    static func structureSpecific(prepared: String, sender: String = "430200", action: String? = nil,
                                  _ observations: [Obs]) -> String {
        var series = ""
        for o in observations {
            let mult = o.unitMult.map { " UNIT_MULT=\"\($0)\"" } ?? ""
            let status = o.status.map { " OBS_STATUS=\"\($0)\"" } ?? ""
            let value = o.value.map { " OBS_VALUE=\"\($0)\"" } ?? ""
            series += "<Series FREQ=\"A\" REF_AREA=\"\(o.area)\" INDICATOR=\"\(o.indicator)\"\(mult)><Obs TIME_PERIOD=\"\(o.period)\"\(value)\(status)/></Series>\n"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" \
            xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="urn:yearbook:YB">
            \(header(prepared, sender: sender))
            <message:DataSet ss:structureRef="YB" xsi:type="ns1:DataSetType"\(action.map { " action=\"\($0)\"" } ?? "")>
            \(series)</message:DataSet>
            </message:StructureSpecificData>

            """
    }

    /// The form of the standard's own structure-specific example: the
    /// structure-specific namespace bound to `data`, the action qualified by it
    /// (`data:action`); or, with `headerAction`, the action only in the header.
    static func standardExample(prepared: String, action: String? = nil, headerAction: String? = nil, _ observations: [Obs]) -> String {
        structureSpecific(prepared: prepared, observations)
            .replacingOccurrences(of: "xmlns:ss=", with: "xmlns:data=")
            .replacingOccurrences(of: "ss:structureRef", with: "data:structureRef")
            .replacingOccurrences(of: "xsi:type=\"ns1:DataSetType\"", with: "xsi:type=\"ns1:DataSetType\"" + (action.map { " data:action=\"\($0)\"" } ?? ""))
            .replacingOccurrences(of: "</message:Structure>",
                                  with: "</message:Structure>" + (headerAction.map { "<message:DataSetAction>\($0)</message:DataSetAction>" } ?? ""))
    }

    /// An SDMX error message, as an agency answers a query it cannot serve.
    static func error(code: String, text: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <message:Error xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
        xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
        <message:ErrorMessage code="\(code)"><common:Text xml:lang="en">\(text)</common:Text></message:ErrorMessage>
        </message:Error>

        """
    }

    /// A GenericData message with a header and a footer but no data set, as an
    /// agency answers a query it will not serve (Eurostat's code 413).
    static func footerOnly(prepared: String, code: String, severity: String, text: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <message:GenericData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
        xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" \
        xmlns:footer="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer">
        \(header(prepared, sender: "ESTAT"))
        <footer:Footer><footer:Message code="\(code)" severity="\(severity)">\
        <common:Text xml:lang="en">\(text)</common:Text></footer:Message></footer:Footer>
        </message:GenericData>

        """
    }

    /// GenericData with other prefixes for the same namespaces.
    static func generic(prepared: String, sender: String = "430200", _ observations: [Obs]) -> String {
        var series = ""
        for o in observations {
            var attributes = ""
            if let mult = o.unitMult { attributes += "<g:Value id=\"UNIT_MULT\" value=\"\(mult)\"/>" }
            series += """
                <g:Series><g:SeriesKey><g:Value id="FREQ" value="A"/><g:Value id="REF_AREA" value="\(o.area)"/>\
                <g:Value id="INDICATOR" value="\(o.indicator)"/></g:SeriesKey>\
                \(attributes.isEmpty ? "" : "<g:Attributes>\(attributes)</g:Attributes>")\
                <g:Obs><g:ObsDimension value="\(o.period)"/>\(o.value.map { "<g:ObsValue value=\"\($0)\"/>" } ?? "")\
                \(o.status.map { "<g:Attributes><g:Value id=\"OBS_STATUS\" value=\"\($0)\"/></g:Attributes>" } ?? "")</g:Obs></g:Series>

                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <m:GenericData xmlns:m="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" \
            xmlns:g="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic">
            \(header(prepared, sender: sender).replacingOccurrences(of: "message:", with: "m:"))
            <m:DataSet structureRef="YB">
            \(series)</m:DataSet>
            </m:GenericData>

            """
    }
}
