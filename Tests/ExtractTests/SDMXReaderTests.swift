import Extract
import Foundation
import Testing
import YearbookCore

// One serialized suite: the stderr check redirects file descriptor 2, which
// must not catch another test's output.
@Suite(.serialized)
struct SDMXReaderTests {

    // MARK: - External specimens (counts as in Fixtures/sdmx/SOURCES.md)

    struct Expected: CustomTestStringConvertible, Sendable {
        var file: String
        var form: SDMXForm
        var series: Int
        var groups: Int
        var observations: Int
        var senderID: String
        var prepared: String
        var dimensionAtObservation: String
        var testDescription: String { file }
    }

    static let specimens: [Expected] = [
        Expected(file: "M.USD.EUR.SP00.A.xml", form: .genericData, series: 1, groups: 0, observations: 252,
                 senderID: "ECB", prepared: "2020-01-16T08:16:20.341+01:00", dimensionAtObservation: "TIME_PERIOD"),
        Expected(file: "ng-ts.xml", form: .genericTimeSeriesData, series: 4, groups: 0, observations: 12,
                 senderID: "ECB", prepared: "2010-01-04T16:21:49+01:00", dimensionAtObservation: "TIME_PERIOD"),
        Expected(file: "ng-ts-ss.xml", form: .structureSpecificTimeSeriesData, series: 4, groups: 0, observations: 12,
                 senderID: "ECB", prepared: "2010-01-04T16:21:49+01:00", dimensionAtObservation: "TIME_PERIOD"),
        Expected(file: "ng-flat-ss.xml", form: .structureSpecificData, series: 0, groups: 0, observations: 12,
                 senderID: "ECB", prepared: "2010-01-04T16:21:49+01:00", dimensionAtObservation: "AllDimensions"),
        Expected(file: "ng-xs-ss.xml", form: .structureSpecificData, series: 3, groups: 0, observations: 12,
                 senderID: "ECB", prepared: "2010-01-04T16:21:49+01:00", dimensionAtObservation: "CURRENCY"),
        Expected(file: "NAMA_10_GDP-ss.xml", form: .structureSpecificData, series: 1, groups: 0, observations: 4,
                 senderID: "ESTAT", prepared: "2022-11-11T12:30:30.333Z", dimensionAtObservation: "TIME_PERIOD"),
        Expected(file: "WEO-data.xml", form: .structureSpecificData, series: 1, groups: 2, observations: 1,
                 senderID: "iData", prepared: "2026-04-02T16:53:31Z", dimensionAtObservation: "TIME_PERIOD"),
        Expected(file: "CNA-2010-CONSO-SI-A17.xml", form: .genericData, series: 1, groups: 0, observations: 2,
                 senderID: "FR1", prepared: "2015-12-23T21:41:55", dimensionAtObservation: "TIME_PERIOD"),
        Expected(file: "22_289.xml", form: .structureSpecificData, series: 2, groups: 0, observations: 8,
                 senderID: "NOT_CONFIGURED", prepared: "2022-11-07T12:07:26", dimensionAtObservation: "TIME_PERIOD"),
        Expected(file: "gh-78.xml", form: .genericData, series: 1, groups: 0, observations: 1,
                 senderID: "WBG_WITS", prepared: "2024-11-05T06:16:41", dimensionAtObservation: "TIME_PERIOD"),
    ]

    @Test(arguments: specimens)
    func specimenCounts(_ expected: Expected) throws {
        let result = try readAll(fixture(expected.file))
        #expect(result.summary.form == expected.form)
        #expect(result.summary.series == expected.series)
        #expect(result.summary.groups == expected.groups)
        #expect(result.summary.observations == expected.observations)
        #expect(result.observations.count == expected.observations)
        #expect(result.headers == [result.summary.header])
        #expect(result.summary.header.senderID == expected.senderID)
        #expect(result.summary.header.prepared == expected.prepared)
        #expect(result.summary.header.dimensionAtObservation == expected.dimensionAtObservation)
    }

    @Test func ecbMonthlyRateFirstObservation() throws {
        let result = try readAll(fixture("M.USD.EUR.SP00.A.xml"))
        #expect(result.summary.header.id == "3a2ac479-1998-4fc7-824d-51fa08322adc")
        #expect(result.summary.header.senderName == nil)
        let first = try #require(result.observations.first)
        #expect(first.value == "1.16078")
        #expect(first.line == 32)
        #expect(first.components["TIME_PERIOD"] == "1999-01")
        #expect(first.components["OBS_STATUS"] == "A")
        #expect(first.components["UNIT_MULT"] == "0")
        #expect(first.components["CURRENCY"] == "USD")
        #expect(first.components["TITLE_COMPL"] == "ECB reference exchange rate, US dollar/Euro, 2:15 pm (C.E.T.)")
        #expect(first.components.count == 15)
        #expect(first.dimensionIDs == ["FREQ", "CURRENCY", "CURRENCY_DENOM", "EXR_TYPE", "EXR_SUFFIX", "TIME_PERIOD"])
        let last = try #require(result.observations.last)
        #expect(last.components["TIME_PERIOD"] == "2019-12")
    }

    @Test func crossSectionMergesSeriesIntoObservation() throws {
        let result = try readAll(fixture("ng-xs-ss.xml"))
        let first = try #require(result.observations.first)
        #expect(first.line == 16)
        #expect(first.value == "1.3413")
        #expect(first.components["CURRENCY"] == "CHF")
        #expect(first.components["TIME_PERIOD"] == "2010-08")
        #expect(first.components["FREQ"] == "M")
        #expect(first.components["OBS_VALUE"] == nil)
        #expect(first.dimensionIDs == ["TIME_PERIOD", "FREQ", "CURRENCY_DENOM", "EXR_TYPE", "EXR_VAR", "CURRENCY"])
        let usdSeptember = try #require(result.observations.first {
            $0.components["CURRENCY"] == "USD" && $0.components["TIME_PERIOD"] == "2010-09"
        })
        #expect(usdSeptember.value == "1.3067")
    }

    @Test func groupAndDataSetAttributesReachTheObservation() throws {
        let result = try readAll(fixture("WEO-data.xml"))
        let obs = try #require(result.observations.first)
        #expect(obs.value == "94669000000")
        #expect(obs.components["TIME_PERIOD"] == "2018")
        // From Group GROUP_INDICATOR (INDICATOR matches) and GROUP_COUNTRY__INDICATOR.
        #expect(obs.components["SERIES_NAME"] == "Gross domestic product (GDP), Constant prices, Domestic currency")
        #expect(obs.components["BASE_YEAR"] == "2020")
        #expect(obs.components["METHODOLOGY_NOTES"] == "Historical data source: Eurostat & Haver Analytics")
        // From message:DataSet; its properties (action, ss:structureRef, xsi:type) are not components.
        #expect(obs.components["PUBLISHER"] == "IMF")
        #expect(obs.components["LICENSE"]?.hasPrefix("© International Monetary Fund") == true)
        #expect(obs.components["action"] == nil)
        #expect(obs.components["structureRef"] == nil)
        #expect(obs.components["type"] == nil)
        #expect(obs.components["SCALE"] == "9")
        #expect(obs.components["COUNTRY"] == "SVK")
    }

    @Test func inseeObservationStatus() throws {
        let result = try readAll(fixture("CNA-2010-CONSO-SI-A17.xml"))
        #expect(result.summary.header.senderName == "Institut national de la statistique et des études économiques")
        #expect(result.observations.map(\.components["OBS_STATUS"]) == ["P", "SD"])
        #expect(result.observations.map(\.components["TIME_PERIOD"]) == ["2014", "2013"])
        #expect(result.observations.map(\.value) == ["89.9", "92.7"])
        #expect(result.observations.map(\.line) == [37, 44])
        #expect(result.observations[0].components["IDBANK"] == "001702690")
    }

    @Test func worldBankDataSetAttribute() throws {
        let result = try readAll(fixture("gh-78.xml"))
        #expect(result.summary.header.senderName == "World Bank Group - WITS")
        let obs = try #require(result.observations.first)
        #expect(obs.components["DATASOURCE"] == "TRN")
        #expect(obs.components["TIME_PERIOD"] == "1989")
        #expect(obs.components["MAX_RATE"] == "0")
        #expect(obs.value == "0")
        #expect(obs.line == 43)
        #expect(obs.dimensionIDs == ["FREQ", "DATATYPE", "PRODUCTCODE", "PARTNER", "REPORTER", "TIME_PERIOD"])
    }

    @Test func istatEstimatedObservations() throws {
        let result = try readAll(fixture("22_289.xml"))
        let estimated = result.observations.filter { $0.components["OBS_STATUS"] == "e" }
        #expect(estimated.map(\.components["TIME_PERIOD"]) == ["2022", "2022"])
        #expect(estimated.map(\.components["SEX"]) == ["1", "2"])
        #expect(estimated.map(\.value) == ["28747417", "30235705"])
        #expect(result.observations.filter { $0.components["OBS_STATUS"] == nil }.count == 6)
    }

    @Test func eurostatDataSetInDSDNamespace() throws {
        let result = try readAll(fixture("NAMA_10_GDP-ss.xml"))
        #expect(result.summary.header.id == "6EC616C41A1449948584F6B5E3749E2B")
        #expect(result.observations.map(\.value) == ["46526.2", "49094.5", "51791.3", "54142.3"])
        let obs = result.observations[0]
        #expect(obs.components == ["geo": "LU", "na_item": "B1GQ", "unit": "CP_MEUR", "freq": "A", "TIME_PERIOD": "2012"])
        #expect(obs.dimensionIDs == ["geo", "na_item", "unit", "freq", "TIME_PERIOD"])
    }

    /// The four ECB specimens hold the same 12 observations in four layouts.
    @Test func ecbLayoutsAgree() throws {
        let attributes = SDMXReader.commonAttributeIDs.union(["UNIT_MEASURE"])
        let generic = try readAll(fixture("ng-ts.xml"), attributeIDs: attributes)
        #expect(generic.observations.count == 12)
        for file in ["ng-ts-ss.xml", "ng-flat-ss.xml", "ng-xs-ss.xml"] {
            let other = try readAll(fixture(file), attributeIDs: attributes)
            #expect(Set(other.observations.map(Essence.init)) == Set(generic.observations.map(Essence.init)), "\(file)")
        }
        #expect(generic.observations[0].components.count == 13)
    }

    // MARK: - Our own dataflow in every form

    @Test(arguments: OwnLayout.allCases)
    func ownDataflow(_ layout: OwnLayout) throws {
        let path = try writeTemp(ownMessage(layout), name: "own-\(layout).xml")
        let result = try readAll(path)
        #expect(result.summary.form == layout.form)
        #expect(result.summary.observations == 6)
        #expect(result.summary.groups == 1)
        #expect(result.summary.series == layout.seriesCount)
        #expect(result.summary.header == SDMXHeader(id: "YB-1", prepared: "2026-01-31T10:00:00", senderID: "YB",
                                                    senderName: "Yearbook & Co", dimensionAtObservation: layout.dimensionAtObservation))
        #expect(Set(result.observations.map(Essence.init)) == Set(ownExpected.map(Essence.init)))
        #expect(result.observations.allSatisfy { $0.line > 10 })
    }

    @Test func ownDataflowLinesAndOrder() throws {
        let result = try readAll(writeTemp(ownMessage(.structureSpecificSeries), name: "own-lines.xml"))
        #expect(result.observations.map(\.line) == [12, 13, 14, 17, 18, 19])
        #expect(result.observations.map(\.value) == ["100", "101", "NaN", "200", "201", nil])
    }

    @Test func gzippedCopyReadsIdentically() throws {
        let path = try writeTemp(ownMessage(.genericSeries), name: "own-gz.xml")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/bin/gzip")
        gzip.arguments = ["-k", "-f", path]
        try gzip.run()
        gzip.waitUntilExit()
        #expect(gzip.terminationStatus == 0)
        let plain = try readAll(path)
        let zipped = try readAll(path + ".gz")
        #expect(zipped.observations == plain.observations)
        #expect(zipped.summary == plain.summary)
    }

    /// Standard: prefixed message, unprefixed structure-specific elements (no
    /// namespace). Then every SDMX namespace under another prefix, data elements
    /// in the DSD namespace; then the message namespace as the default one, so
    /// the data elements are in it.
    @Test(arguments: [Prefixes(message: "m", generic: "g", common: "c", data: "d"),
                      Prefixes(message: "", generic: "gen", common: "com", data: "")])
    func customPrefixesReadIdentically(_ prefixes: Prefixes) throws {
        for layout in OwnLayout.allCases {
            let standard = try readAll(writeTemp(ownMessage(layout), name: "std-\(layout).xml"))
            let custom = try readAll(writeTemp(ownMessage(layout, prefixes: prefixes), name: "custom-\(layout).xml"))
            #expect(custom.observations == standard.observations, "\(layout)")
            #expect(custom.summary == standard.summary, "\(layout)")
        }
    }

    @Test func otherEncodingsReadIdentically() throws {
        let xml = ownMessage(.structureSpecificSeries).replacingOccurrences(of: "Yearbook &amp; Co", with: "Annuaire général")
        let utf8 = try readAll(writeTemp(xml, name: "enc-utf8.xml"))
        #expect(utf8.summary.header.senderName == "Annuaire général")
        let utf16 = xml.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"UTF-16\"")
        var variants: [(String, Data)] = [
            ("enc-bom8.xml", Data([0xEF, 0xBB, 0xBF]) + Data(xml.utf8)),
            ("enc-utf16le.xml", Data([0xFF, 0xFE]) + utf16.data(using: .utf16LittleEndian)!),
            ("enc-utf16be.xml", Data([0xFE, 0xFF]) + utf16.data(using: .utf16BigEndian)!),
        ]
        let latin1 = xml.replacingOccurrences(of: "encoding=\"UTF-8\"", with: "encoding=\"ISO-8859-1\"")
        variants.append(("enc-latin1.xml", latin1.data(using: .isoLatin1)!))
        for (name, data) in variants {
            let result = try readAll(writeTemp(data, name: name))
            #expect(result.summary == utf8.summary, "\(name)")
            #expect(result.observations == utf8.observations, "\(name)")
        }
    }

    @Test func headerTextSplitAcrossChunksAndEntities() throws {
        // A comment pads the Prepared text across the 64 KiB chunk boundary;
        // the entities and a long name come in several SAX text callbacks.
        let base = ownMessage(.genericSeries)
        let offset = base.utf8.distance(from: base.utf8.startIndex, to: try #require(base.range(of: "2026-01-31T10")).lowerBound)
        let padding = "<!--" + String(repeating: "x", count: 65530 - offset - 8) + "-->\n"
        let longName = String(repeating: "é", count: 5000)
        let xml = base.replacingOccurrences(of: "<message:Header>", with: padding + "<message:Header>")
            .replacingOccurrences(of: "Yearbook &amp; Co", with: "\n  Yearbook &amp; Co &lt;\(longName)&gt;\n")
        #expect(xml.utf8.distance(from: xml.utf8.startIndex, to: try #require(xml.range(of: "2026-01-31T10")).lowerBound) == 65530)
        let result = try readAll(writeTemp(xml, name: "split.xml"))
        #expect(result.summary.header.prepared == "2026-01-31T10:00:00")
        #expect(result.summary.header.senderName == "Yearbook & Co <\(longName)>")
        #expect(result.observations.count == 6)
    }

    @Test func actionsReachEachObservationFromTheDataSetOrTheHeader() throws {
        #expect(Set(try readAll(fixture("22_289.xml")).observations.map(\.action)) == [.information])
        #expect(Set(try readAll(fixture("M.USD.EUR.SP00.A.xml")).observations.map(\.action)) == [.replace])
        // The header's DataSetAction stands for a data set that states none.
        let deleted = ownMessage(.genericSeries).replacingOccurrences(of: " action=\"Replace\"", with: "")
            .replacingOccurrences(of: "</message:Prepared>", with: "</message:Prepared><message:DataSetAction>Delete</message:DataSetAction>")
        #expect(Set(try readAll(writeTemp(deleted, name: "delete.xml")).observations.map(\.action)) == [.delete])
        let unknown = ownMessage(.genericSeries).replacingOccurrences(of: "action=\"Replace\"", with: "action=\"Remove\"")
        #expect(throws: YearbookError.input(file: try writeTemp(unknown, name: "remove.xml"), line: 9,
                                     "DataSet action 'Remove' is not Append, Replace, Delete or Information")) {
            try readAll(writeTemp(unknown, name: "remove.xml"))
        }
    }

    @Test func anActionQualifiedByTheDataNamespaceIsTheSameAttribute() throws {
        // The standard's structure-specific example binds `data` to the structure-specific namespace.
        let standard = ownMessage(.structureSpecificSeries)
            .replacingOccurrences(of: "xmlns:ss=", with: "xmlns:data=").replacingOccurrences(of: "ss:", with: "data:")
        let qualified = standard.replacingOccurrences(of: " action=\"Replace\"", with: " data:action=\"Delete\"")
        #expect(Set(try readAll(writeTemp(qualified, name: "data-action.xml")).observations.map(\.action)) == [.delete])
        let generic = ownMessage(.genericSeries).replacingOccurrences(of: " action=\"Replace\"", with: " generic:action=\"Append\"")
        #expect(Set(try readAll(writeTemp(generic, name: "generic-action.xml")).observations.map(\.action)) == [.append])
        // Qualified, it still wins over the header's DataSetAction; an `action` of another namespace is none.
        let overHeader = qualified.replacingOccurrences(
            of: "</message:Prepared>", with: "</message:Prepared><message:DataSetAction>Information</message:DataSetAction>")
        #expect(Set(try readAll(writeTemp(overHeader, name: "over-header.xml")).observations.map(\.action)) == [.delete])
        let foreign = standard.replacingOccurrences(of: " action=\"Replace\"", with: " xsi:action=\"Delete\"")
        #expect(Set(try readAll(writeTemp(foreign, name: "foreign-action.xml")).observations.map(\.action)) == [nil])
        let both = standard.replacingOccurrences(of: " action=\"Replace\"", with: " action=\"Replace\" data:action=\"Delete\"")
        #expect(throws: YearbookError.input(file: try writeTemp(both, name: "both.xml"), line: 9,
                                     "DataSet states two different actions ('Replace' and 'Delete'): keep one action attribute")) {
            try readAll(writeTemp(both, name: "both.xml"))
        }
    }

    @Test func anErrorMessageGivesItsTextsNotAFailure() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <mes:Error xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" \
            xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
            <mes:ErrorMessage code="100"><com:Text xml:lang="en">No Results Found</com:Text>\
            <com:Text xml:lang="fr">Aucun résultat</com:Text></mes:ErrorMessage>
            </mes:Error>
            """
        let summary = try readAll(writeTemp(xml, name: "error.xml")).summary
        #expect(summary.form == .error)
        #expect(summary.dataSets == 0)
        #expect(summary.agencyMessages == [SDMXAgencyMessage(code: "100", severity: nil, text: "No Results Found / Aucun résultat")])
    }

    @Test func observationLineIsWhereTheTagStarts() throws {
        let xml = ownMessage(.structureSpecificSeries).replacingOccurrences(
            of: "<Obs TIME_PERIOD=\"2021\"", with: "<Obs\n   TIME_PERIOD=\"2021\"\n")
        let result = try readAll(writeTemp(xml, name: "multiline.xml"))
        #expect(result.observations.map(\.line) == [12, 13, 16, 19, 20, 23])
    }

    @Test func callbackErrorPropagatesAndStops() throws {
        struct Enough: Error, Equatable {}
        var calls = 0
        #expect(throws: Enough()) {
            _ = try SDMXReader(path: fixture("M.USD.EUR.SP00.A.xml")).read { _ in
                calls += 1
                throw Enough()
            }
        }
        #expect(calls == 1)
    }

    // MARK: - Hostile and broken input

    @Test func billionLaughsIsRefusedFast() throws {
        var xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n"
        var previous = "lol"
        for level in 1...9 {
            xml += "<!ENTITY lol\(level) \"" + String(repeating: "&\(previous);", count: 10) + "\">\n"
            previous = "lol\(level)"
        }
        xml += "]>\n<message:GenericData xmlns:message=\"\(ns.message)\"><message:Header><message:ID>&lol9;</message:ID></message:Header></message:GenericData>\n"
        let start = Date()
        let error = try expectError(xml, name: "laughs.xml")
        #expect(error.message.contains("DOCTYPE not allowed"))
        #expect(error.location?.line == 2)
        #expect(Date().timeIntervalSince(start) < 2)
    }

    @Test func externalEntityIsNeverRead() throws {
        let xml = """
            <?xml version="1.0"?>
            <!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>
            <message:GenericData xmlns:message="\(ns.message)" xmlns:generic="\(ns.generic)">
            <message:Header><message:ID>&e;</message:ID><message:Prepared>&e;</message:Prepared></message:Header>
            <message:DataSet><generic:Obs><generic:ObsKey><generic:Value id="A" value="&e;"/></generic:ObsKey>
            <generic:ObsValue value="&e;"/></generic:Obs></message:DataSet>
            </message:GenericData>
            """
        var seen: [String] = []
        let path = try writeTemp(xml, name: "xxe.xml")
        do {
            _ = try SDMXReader(path: path).read(onHeader: { seen += [$0.id, $0.prepared].compactMap { $0 } }) {
                seen += Array($0.components.values) + [$0.value].compactMap { $0 }
            }
            Issue.record("expected an error")
        } catch let error as YearbookError {
            #expect(error.message.contains("DOCTYPE"))
            #expect(error.location?.file == path)
            #expect(error.location?.line == 2)
            #expect(!error.description.contains("root:"))
        }
        #expect(!seen.contains { $0.contains("root:") })
        // An external DTD alone is refused the same way, before anything is fetched.
        let external = try expectError("<?xml version=\"1.0\"?>\n<!DOCTYPE x SYSTEM \"file:///etc/passwd\">\n<x>&e;</x>", name: "dtd.xml")
        #expect(external.message == "DOCTYPE not allowed in an SDMX message")
        #expect(external.location?.line == 2)
    }

    @Test func undeclaredEntityWithoutDoctypeIsAnError() throws {
        let xml = "<message:GenericData xmlns:message=\"\(ns.message)\">\n<message:Header><message:ID>&e;</message:ID></message:Header></message:GenericData>"
        let error = try expectError(xml, name: "entity.xml")
        #expect(error.message.hasPrefix("malformed XML: Entity 'e' not defined"))
        #expect(error.location?.line == 2)
    }

    @Test func malformedXMLGivesLine() throws {
        let xml = ownMessage(.genericSeries).replacingOccurrences(of: "<message:ID>YB-1</message:ID>", with: "<message:ID>YB-1</message:Prepared>")
        let error = try expectError(xml, name: "mismatch.xml")
        #expect(error.message.hasPrefix("malformed XML: Opening and ending tag mismatch"))
        #expect(error.location?.line == 4)
    }

    @Test func truncatedDocumentFailsAtTheEnd() throws {
        let xml = ownMessage(.genericSeries)
        let cut = String(xml.prefix(xml.count * 2 / 3))
        var delivered = 0
        let path = try writeTemp(cut, name: "truncated.xml")
        #expect(throws: YearbookError.self) { _ = try SDMXReader(path: path).read { _ in delivered += 1 } }
        let error = try expectError(cut, name: "truncated.xml")
        #expect(error.message.hasPrefix("malformed XML:"))
        #expect(error.location?.line != nil)
        #expect(delivered > 0)  // streamed up to the cut
    }

    @Test func deepNestingIsRefused() throws {
        let depth = 10_000
        let xml = "<message:GenericData xmlns:message=\"\(ns.message)\">" + String(repeating: "<a>", count: depth)
            + String(repeating: "</a>", count: depth) + "</message:GenericData>"
        let error = try expectError(xml, name: "deep.xml")
        #expect(error.message == "malformed XML: elements nested deeper than 256 levels")
        #expect(error.location?.line == 1)
    }

    @Test func emptyFileIsAnError() throws {
        let error = try expectError("", name: "empty.xml")
        #expect(error.message.contains("empty file"))
        let blank = try expectError("  \n", name: "blank.xml")
        #expect(blank.message.hasPrefix("malformed XML"))
    }

    @Test func nonXMLIsAnError() throws {
        let error = try expectError("REF_AREA,TIME_PERIOD,OBS_VALUE\nFR,2020,1\n", name: "data.csv")
        #expect(error.message == "not an XML document: it does not start with '<'")
        #expect(error.location?.line == 1)
        let binary = try expectError("\u{1}\u{2}\u{3}\u{4}\u{5}garbage", name: "binary.bin")
        #expect(binary.message.hasPrefix("not an XML document"))
        let latePage = try expectError("\n\n  Service unavailable <b>now</b>", name: "late.txt")
        #expect(latePage.location?.line == 3)
        let invalidUTF8 = try writeTemp(Data([0x3C, 0x61, 0x3E, 0xC3, 0x28, 0xFF, 0x3C, 0x2F, 0x61, 0x3E]), name: "bad-utf8.xml")
        #expect(throws: YearbookError.self) { _ = try SDMXReader(path: invalidUTF8).read { _ in } }
        let shiftJIS = try expectError(Data("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>\n<a>".utf8) + Data([0x81, 0x20, 0xFF]) + Data("</a>".utf8), name: "sjis.xml")
        #expect(shiftJIS.message.hasPrefix("malformed XML: input conversion failed"))
    }

    @Test func otherRootsAreRefused() throws {
        let structure = "<message:Structure xmlns:message=\"\(ns.message)\"><message:Header/></message:Structure>"
        let error = try expectError(structure, name: "structure.xml")
        #expect(error.message.contains("SDMX structure message"))
        #expect(error.location?.line == 1)
        let html = try expectError("<!-- page -->\n<html><body>Not found</body></html>", name: "page.html")
        #expect(html.message.contains("root element <html>"))
        #expect(html.location?.line == 2)
        let tiny = try expectError("<", name: "tiny.xml")
        #expect(tiny.message.hasPrefix("malformed XML"))
        #expect(try expectError("<a/>", name: "tiny2.xml").message.contains("root element <a>"))
        let wrongNamespace = try expectError("<GenericData xmlns=\"urn:other\"/>", name: "other.xml")
        #expect(wrongNamespace.message.contains("not an SDMX 2.1 data message"))
    }

    @Test func nothingReachesStderr() throws {
        let root = "<message:GenericData xmlns:message=\"\(ns.message)\">"
        let inputs = [
            root + "<unclosed></message:GenericData>",
            "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>" + root + "&e;</message:GenericData>",
            "<?xml version=\"1.0\" encoding=\"no-such-encoding\"?>" + root + "</message:GenericData>",
            root + "\u{FFFE}</message:GenericData>",
            root + "<p:b xmlns:p=\"not a uri\"/><q:c/></message:GenericData>",
            root + "&#0;</message:GenericData>",
            root,
        ]
        let output = try capturingStderr {
            for (index, xml) in inputs.enumerated() {
                _ = try? expectError(xml, name: "noise-\(index).xml")
            }
            _ = try? expectError(Data(root.utf8) + Data([0xC3, 0x28, 0xFF]), name: "noise-utf8.xml")
            // Bytes that iconv cannot convert: libxml2 reports those outside the parser context.
            _ = try? expectError(Data("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?>".utf8) + Data(root.utf8) + Data([0x82, 0xA0, 0x81, 0x20, 0xFF, 0xFF]) + Data("</message:GenericData>".utf8), name: "noise-sjis.xml")
            _ = try? expectError(Data("<?xml version=\"1.0\" encoding=\"UTF-16\"?>".utf8) + Data(root.utf8), name: "noise-utf16.xml")
        }
        // Lines of the test runner (other tests run in parallel and it reports on stderr) are not libxml2's.
        let runner: [Character] = ["✔", "✘", "◇", "↳", "􀟈", "􀢄", "􁁛", "􀄵"]
        #expect(output.split(separator: "\n").filter { line in !runner.contains(where: { line.hasPrefix(String($0)) }) } == [])
        // The capture itself works.
        #expect(try capturingStderr { fputs("probe\n", stderr) } == "probe\n")
    }
}

// MARK: - Helpers

private let ns = (
    message: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    generic: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic",
    common: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
    structureSpecific: "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
)

struct ReadResult {
    var summary: SDMXSummary
    var headers: [SDMXHeader]
    var observations: [SDMXObservation]
}

private func readAll(_ path: String, attributeIDs: Set<String> = SDMXReader.commonAttributeIDs) throws -> ReadResult {
    var headers: [SDMXHeader] = []
    var observations: [SDMXObservation] = []
    let summary = try SDMXReader(path: path, attributeIDs: attributeIDs).read(onHeader: { headers.append($0) }) {
        #expect(headers.count == 1, "header before the first observation")
        observations.append($0)
    }
    return ReadResult(summary: summary, headers: headers, observations: observations)
}

private func fixture(_ name: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/sdmx"))
    return url.path
}

private let tempFolder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("sdmx-tests-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}()

private func writeTemp(_ text: String, name: String) throws -> String {
    try writeTemp(Data(text.utf8), name: name)
}

private func writeTemp(_ data: Data, name: String) throws -> String {
    let url = tempFolder.appendingPathComponent(name)
    try data.write(to: url)
    return url.path
}

private func expectError(_ text: String, name: String) throws -> YearbookError {
    try expectError(Data(text.utf8), name: name)
}

private func expectError(_ data: Data, name: String) throws -> YearbookError {
    let path = try writeTemp(data, name: name)
    do {
        _ = try SDMXReader(path: path).read { _ in }
    } catch let error as YearbookError {
        #expect(error.location?.file == path)
        return error
    }
    Issue.record("\(name): expected an YearbookError")
    return YearbookError.input(file: path, "no error")
}

/// Runs `body` with file descriptor 2 sent to a file, and returns what was written.
private func capturingStderr(_ body: () throws -> Void) throws -> String {
    let url = tempFolder.appendingPathComponent("stderr-\(UUID().uuidString).txt")
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let file = try FileHandle(forWritingTo: url)
    fflush(stderr)
    let saved = dup(2)
    dup2(file.fileDescriptor, 2)
    defer {
        fflush(stderr)
        dup2(saved, 2)
        close(saved)
        try? file.close()
    }
    try body()
    fflush(stderr)
    return try String(contentsOf: url, encoding: .utf8)
}

/// An observation without its line, for comparing layouts.
private struct Essence: Hashable {
    var components: [String: String]
    var dimensionIDs: Set<String>
    var value: String?
    init(_ observation: SDMXObservation) {
        components = observation.components
        dimensionIDs = observation.dimensionIDs
        value = observation.value
    }
}

// MARK: - Our dataflow: FREQ, REF_AREA, INDICATOR, TIME_PERIOD; UNIT_MULT and OBS_STATUS

enum OwnLayout: CaseIterable, Sendable {
    case genericSeries, genericFlat, genericTimeSeries
    case structureSpecificSeries, structureSpecificFlat, structureSpecificTimeSeries, structureSpecificCrossSection

    var form: SDMXForm {
        switch self {
        case .genericSeries, .genericFlat: .genericData
        case .genericTimeSeries: .genericTimeSeriesData
        case .structureSpecificSeries, .structureSpecificFlat, .structureSpecificCrossSection: .structureSpecificData
        case .structureSpecificTimeSeries: .structureSpecificTimeSeriesData
        }
    }
    var isGeneric: Bool { form == .genericData || form == .genericTimeSeriesData }
    var dimensionAtObservation: String {
        switch self {
        case .genericFlat, .structureSpecificFlat: "AllDimensions"
        case .structureSpecificCrossSection: "REF_AREA"
        default: "TIME_PERIOD"
        }
    }
    var seriesCount: Int {
        switch self {
        case .genericFlat, .structureSpecificFlat: 0
        case .structureSpecificCrossSection: 3
        default: 2
        }
    }
}

struct Prefixes: Sendable {
    /// "" makes the message namespace the default one.
    var message = "message", generic = "generic", common = "common"
    /// Prefix of the DSD namespace on structure-specific data elements; "" leaves them unprefixed.
    var data = ""
}

private struct OwnObs {
    var area: String, year: String, value: String?, status: String?
}

/// Series attributes UNIT_MULT=3, OBS_STATUS=A; some observations override OBS_STATUS.
private let ownData = [
    OwnObs(area: "FR", year: "2020", value: "100", status: nil),
    OwnObs(area: "FR", year: "2021", value: "101", status: "E"),
    OwnObs(area: "FR", year: "2022", value: "NaN", status: nil),
    OwnObs(area: "DE", year: "2020", value: "200", status: nil),
    OwnObs(area: "DE", year: "2021", value: "201", status: "P"),
    OwnObs(area: "DE", year: "2022", value: nil, status: "M"),
]

private let ownExpected: [SDMXObservation] = ownData.map {
    SDMXObservation(
        components: ["FREQ": "A", "REF_AREA": $0.area, "INDICATOR": "POP", "TIME_PERIOD": $0.year,
                     "UNIT_MULT": "3", "OBS_STATUS": $0.status ?? "A", "TITLE": "Population", "COMMENT_DSET": "test"],
        dimensionIDs: ["FREQ", "REF_AREA", "INDICATOR", "TIME_PERIOD"], value: $0.value, line: 0)
}

private func ownMessage(_ layout: OwnLayout, prefixes p: Prefixes = Prefixes()) -> String {
    func q(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : "\(prefix):\(name)" }
    func xmlns(_ prefix: String, _ uri: String) -> String { prefix.isEmpty ? "xmlns=\"\(uri)\"" : "xmlns:\(prefix)=\"\(uri)\"" }
    let m = { q(p.message, $0) }, g = { q(p.generic, $0) }, d = { q(p.data, $0) }
    let dsd = "urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure=YB:POP(1.0)"
    let dsdPrefix = p.data.isEmpty ? "dsd" : p.data
    func value(_ id: String, _ value: String) -> String { "<\(g("Value")) id=\"\(id)\" value=\"\(value)\"/>" }
    func obsValue(_ v: String?) -> String { v.map { " OBS_VALUE=\"\($0)\"" } ?? "" }
    func status(_ s: String?) -> String { s.map { " OBS_STATUS=\"\($0)\"" } ?? "" }

    var lines = [
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<\(m(layout.form.rawValue)) \(xmlns(p.message, ns.message)) \(xmlns(p.generic, ns.generic)) \(xmlns(p.common, ns.common)) xmlns:ss=\"\(ns.structureSpecific)\" xmlns:\(dsdPrefix)=\"\(dsd)\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">",
        "<\(m("Header"))>",
        "<\(m("ID"))>YB-1</\(m("ID"))>",
        "<\(m("Prepared"))>2026-01-31T10:00:00</\(m("Prepared"))>",
        "<\(m("Sender")) id=\"YB\"><\(q(p.common, "Name")) xml:lang=\"en\">Yearbook &amp; Co</\(q(p.common, "Name"))><\(q(p.common, "Name")) xml:lang=\"fr\">Annuaire</\(q(p.common, "Name"))></\(m("Sender"))>",
        "<\(m("Structure")) structureID=\"YB_POP\" dimensionAtObservation=\"\(layout.dimensionAtObservation)\"><\(q(p.common, "Structure"))><URN>\(dsd)</URN></\(q(p.common, "Structure"))></\(m("Structure"))>",
        "</\(m("Header"))>",
    ]
    if layout.isGeneric {
        lines += [
            "<\(m("DataSet")) structureRef=\"YB_POP\" action=\"Replace\">",
            "<\(g("Attributes"))>\(value("COMMENT_DSET", "test"))</\(g("Attributes"))>",
            "<\(g("Group")) type=\"IndicatorGroup\"><\(g("GroupKey"))>\(value("INDICATOR", "POP"))</\(g("GroupKey"))><\(g("Attributes"))>\(value("TITLE", "Population"))</\(g("Attributes"))></\(g("Group"))>",
        ]
        func obsAttributes(_ o: OwnObs, _ all: Bool) -> String {
            let attributes = all ? value("UNIT_MULT", "3") + value("OBS_STATUS", o.status ?? "A") : o.status.map { value("OBS_STATUS", $0) } ?? ""
            return attributes.isEmpty ? "" : "<\(g("Attributes"))>\(attributes)</\(g("Attributes"))>"
        }
        func obsValueElement(_ o: OwnObs) -> String { o.value.map { "<\(g("ObsValue")) value=\"\($0)\"/>" } ?? "" }
        if layout == .genericFlat {
            for o in ownData {
                lines.append("<\(g("Obs"))><\(g("ObsKey"))>\(value("FREQ", "A"))\(value("REF_AREA", o.area))\(value("INDICATOR", "POP"))\(value("TIME_PERIOD", o.year))</\(g("ObsKey"))>\(obsValueElement(o))\(obsAttributes(o, true))</\(g("Obs"))>")
            }
        } else {
            for area in ["FR", "DE"] {
                lines.append("<\(g("Series"))><\(g("SeriesKey"))>\(value("FREQ", "A"))\(value("REF_AREA", area))\(value("INDICATOR", "POP"))</\(g("SeriesKey"))><\(g("Attributes"))>\(value("UNIT_MULT", "3"))\(value("OBS_STATUS", "A"))</\(g("Attributes"))>")
                for o in ownData where o.area == area {
                    lines.append("<\(g("Obs"))><\(g("ObsDimension")) value=\"\(o.year)\"/>\(obsValueElement(o))\(obsAttributes(o, false))</\(g("Obs"))>")
                }
                lines.append("</\(g("Series"))>")
            }
        }
    } else {
        lines += [
            "<\(d("DataSet")) ss:structureRef=\"YB_POP\" ss:dataScope=\"DataStructure\" xsi:type=\"\(dsdPrefix):DataSetType\" action=\"Replace\" COMMENT_DSET=\"test\">",
            "<\(d("Group")) xsi:type=\"\(dsdPrefix):IndicatorGroup\" INDICATOR=\"POP\" TITLE=\"Population\"/>",
        ]
        switch layout {
        case .structureSpecificFlat:
            for o in ownData {
                lines.append("<\(d("Obs")) FREQ=\"A\" REF_AREA=\"\(o.area)\" INDICATOR=\"POP\" TIME_PERIOD=\"\(o.year)\"\(obsValue(o.value)) UNIT_MULT=\"3\"\(status(o.status ?? "A"))/>")
            }
        case .structureSpecificCrossSection:
            for year in ["2020", "2021", "2022"] {
                lines.append("<\(d("Series")) FREQ=\"A\" INDICATOR=\"POP\" TIME_PERIOD=\"\(year)\" UNIT_MULT=\"3\" OBS_STATUS=\"A\">")
                for o in ownData where o.year == year {
                    lines.append("<\(d("Obs")) REF_AREA=\"\(o.area)\"\(obsValue(o.value))\(status(o.status))/>")
                }
                lines.append("</\(d("Series"))>")
            }
        default:
            for area in ["FR", "DE"] {
                lines.append("<\(d("Series")) FREQ=\"A\" REF_AREA=\"\(area)\" INDICATOR=\"POP\" UNIT_MULT=\"3\" OBS_STATUS=\"A\">")
                for o in ownData where o.area == area {
                    lines.append("<\(d("Obs")) TIME_PERIOD=\"\(o.year)\"\(obsValue(o.value))\(status(o.status))/>")
                }
                lines.append("</\(d("Series"))>")
            }
        }
    }
    lines += ["</\(layout.isGeneric ? m("DataSet") : d("DataSet"))>",
              "<footer:Footer xmlns:footer=\"\(ns.message)/footer\"><footer:Message code=\"413\"/></footer:Footer>",
              "</\(m(layout.form.rawValue))>", ""]
    return lines.joined(separator: "\n")
}
