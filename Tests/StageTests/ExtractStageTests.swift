import Extract
import Testing
import YearbookTestSupport

/// Extract, given/expect: bytes in, the records and observations the reader gives out.
@Suite struct ExtractStageTests {
    func records(_ stream: ByteStream) throws -> [String] {
        let reader = CSVReader(stream: stream, name: "430212_dibao.csv.gz")
        var rows: [String] = []
        while try reader.next() {
            rows.append("\(reader.line): " + (0..<reader.fieldCount).map { String(decoding: reader.fieldBytes($0), as: UTF8.self) }
                .joined(separator: " | "))
        }
        return rows
    }

    /// A roster export in two gzip members, CRLF and LF, a quoted field with a comma, one with a
    /// line break, a doubled quote and a blank line.
    static let rosterMembers = [
        "household_id,area_code,category,members,monthly_amount,status\r\nh1,430212,U,2,\"1,234.50\",active\r\n",
        "h2,430212,\"城\r\n市\",3,100.05,在保\n\nh3,430221,R,1,50,\"say \"\"x\"\"\"\n",
    ]

    @Test func csvBytesBecomeRecordsWithTheLineEachStartsOn() throws {
        let expected = [
            "1: household_id | area_code | category | members | monthly_amount | status",
            "2: h1 | 430212 | U | 2 | 1,234.50 | active",
            // The record of h2 starts on line 3 and ends on line 4; line 5 is blank.
            "3: h2 | 430212 | 城\r\n市 | 3 | 100.05 | 在保",
            "6: h3 | 430221 | R | 1 | 50 | say \"x\"",
        ]
        #expect(try records(MemoryByteStream(Array(Self.rosterMembers.joined().utf8))) == expected)
        // The same bytes gzipped, one member each: the members are read one after the other.
        let tree = TestTree()
        let path = tree.writeGzip("430212_dibao.csv.gz", members: Self.rosterMembers.map { Array($0.utf8) })
        #expect(try records(openByteStream(path: path)) == expected)
    }

    static let message = """
        <?xml version="1.0" encoding="UTF-8"?>
        <message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common" xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">
        <message:Header>
        <message:ID>ZZ2019</message:ID><message:Test>false</message:Test>
        <message:Prepared>2020-01-10T08:00:00+08:00</message:Prepared>
        <message:Sender id="430200"/>
        <message:Structure structureID="YB" dimensionAtObservation="TIME_PERIOD"><common:Structure><URN>urn:x</URN></common:Structure></message:Structure>
        </message:Header>
        <message:DataSet ss:structureRef="YB">
        <Series FREQ="A" REF_AREA="430200" INDICATOR="BEDS_TOTAL" UNIT_MULT="2">
        <Obs TIME_PERIOD="2018" OBS_VALUE="1.8"/>
        <Obs TIME_PERIOD="2019" OBS_VALUE="2" OBS_STATUS="P" UNIT_MULT="0"/>
        </Series>
        <Series FREQ="A" REF_AREA="430300" INDICATOR="DIBAO_STD_U">
        <Obs TIME_PERIOD="2019" OBS_VALUE="NaN"/>
        </Series>
        </message:DataSet>
        </message:StructureSpecificData>

        """

    @Test func sdmxBytesBecomeObservationsWithSeriesAttributesAndTheirLines() throws {
        var header: SDMXHeader?
        var observations: [String] = []
        let reader = SDMXReader(name: "2019/submissions/430200_2019.xml") { MemoryByteStream(Array(Self.message.utf8)) }
        let summary = try reader.read(onHeader: { header = $0 }) { obs in
            let components = obs.components.keys.sorted().map { "\($0)=\(obs.components[$0]!)" }.joined(separator: " ")
            observations.append("\(obs.line): \(components) value=\(obs.value ?? "none")")
        }
        #expect(header?.prepared == "2020-01-10T08:00:00+08:00")
        #expect(header?.senderID == "430200")
        #expect((summary.form, summary.series, summary.observations) == (.structureSpecificData, 2, 3))
        // The series' UNIT_MULT 2 reaches each of its observations; the second one's own 0 wins.
        // The value is left as written (`NaN` too): what it means is Normalize's business.
        #expect(observations == [
            "11: FREQ=A INDICATOR=BEDS_TOTAL REF_AREA=430200 TIME_PERIOD=2018 UNIT_MULT=2 value=1.8",
            "12: FREQ=A INDICATOR=BEDS_TOTAL OBS_STATUS=P REF_AREA=430200 TIME_PERIOD=2019 UNIT_MULT=0 value=2",
            "15: FREQ=A INDICATOR=DIBAO_STD_U REF_AREA=430300 TIME_PERIOD=2019 value=NaN",
        ])
    }
}
