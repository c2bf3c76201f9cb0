import YearbookCore

/// The four SDMX-ML 2.1 data messages, named by their root element.
public enum SDMXForm: String, Sendable {
    case genericData = "GenericData"
    case genericTimeSeriesData = "GenericTimeSeriesData"
    case structureSpecificData = "StructureSpecificData"
    case structureSpecificTimeSeriesData = "StructureSpecificTimeSeriesData"

    /// An agency's error message (root `Error`): no data, only its messages.
    case error = "Error"

    var isGeneric: Bool { self == .genericData || self == .genericTimeSeriesData }
}

/// What a data set asks of its receiver (SDMX-ML 2.1 `ActionType`): on the
/// `DataSet` element, else the header's `DataSetAction`.
public enum SDMXAction: String, Sendable, CaseIterable {
    case append = "Append", replace = "Replace", delete = "Delete", information = "Information"
}

/// A message of an agency: a footer's `Message` or an error message's
/// `ErrorMessage`, with its texts (every language given, in document order).
public struct SDMXAgencyMessage: Sendable, Equatable {
    public var code: String?
    public var severity: String?
    public var text: String

    public init(code: String?, severity: String?, text: String) {
        self.code = code
        self.severity = severity
        self.text = text
    }
}

public struct SDMXHeader: Sendable, Equatable {
    public var id: String?
    public var prepared: String?
    public var senderID: String?
    public var senderName: String?
    /// Of the first `message:Structure`; "AllDimensions" for a flat message.
    public var dimensionAtObservation: String?

    public init(id: String? = nil, prepared: String? = nil, senderID: String? = nil,
                senderName: String? = nil, dimensionAtObservation: String? = nil) {
        self.id = id
        self.prepared = prepared
        self.senderID = senderID
        self.senderName = senderName
        self.dimensionAtObservation = dimensionAtObservation
    }
}

public struct SDMXObservation: Sendable, Equatable {
    /// Every component value that applies to this observation, by component id:
    /// dimensions and attributes from the dataset, group(s) matching the series key, series and observation levels, the more specific level winning (obs > series > group > dataset).
    public var components: [String: String]
    /// The ids among `components` that are dimensions. Exact for generic forms
    /// (series key, obs key, obs dimension). Structure-specific forms do not say
    /// without the DSD: there they are the Series' XML attributes plus the
    /// dimension at observation (for a flat message, the Obs' XML attributes),
    /// less the ids in `SDMXReader.attributeIDs`.
    public var dimensionIDs: Set<String>
    /// OBS_VALUE as written (nil when absent).
    public var value: String?
    /// 1-based line of the <Obs> start tag.
    public var line: Int
    /// The data set's action; nil when neither it nor the header states one.
    public var action: SDMXAction?

    public init(components: [String: String], dimensionIDs: Set<String>, value: String?, line: Int,
                action: SDMXAction? = nil) {
        self.components = components
        self.dimensionIDs = dimensionIDs
        self.value = value
        self.line = line
        self.action = action
    }
}

public struct SDMXSummary: Sendable, Equatable {
    public var form: SDMXForm
    public var header: SDMXHeader
    /// Elements named `Series`, `Group`, `Obs` read in data sets.
    public var series: Int
    public var groups: Int
    public var observations: Int
    public var dataSets: Int
    /// Series of Delete data sets that hold no observation: in SDMX they delete
    /// the whole series, which the reader does not expand (it has no DSD).
    public var seriesDeletedWhole: Int
    /// The footer's messages, or an error message's (at most `maxAgencyMessages`).
    public var agencyMessages: [SDMXAgencyMessage]
}

/// A streaming reader of SDMX-ML 2.1 data messages (generic and structure
/// specific, series, flat and cross-sectional layouts), plain or gzipped.
/// Memory stays bounded: observations go to a callback one at a time; only the
/// data set's attributes and its groups are kept.
public final class SDMXReader {
    public let path: String
    public let limits: ReadLimits
    /// Component ids taken for attributes, not dimensions, in structure-specific
    /// messages (see `SDMXObservation.dimensionIDs`). Pass the DSD's attributes
    /// when known.
    public let attributeIDs: Set<String>

    /// Cross-domain SDMX concepts that are attributes in practice (never
    /// dimensions in the usual DSDs).
    /// Agency messages kept of one file: a footer is a few lines, not a data stream.
    public static let maxAgencyMessages = 16

    public static let commonAttributeIDs: Set<String> = [
        "OBS_STATUS", "OBS_CONF", "OBS_PRE_BREAK", "OBS_COM", "CONF_STATUS", "CONF_STATUS_OBS",
        "COMMENT", "COMMENT_OBS", "COMMENT_TS", "COMMENT_DSET", "UNIT_MULT", "DECIMALS",
        "TITLE", "TITLE_COMPL", "TIME_FORMAT", "TIME_PER_COLLECT", "COLL_METHOD", "COMPILATION",
        "SOURCE_AGENCY", "SOURCE_PUB", "BASE_PER", "EMBARGO_TIME", "DATA_COMP", "REF_PERIOD_DETAIL",
        "UNIT_INDEX_BASE", "NAT_TITLE", "BREAKS", "DOM_SER_IDS", "PUBL_PUBLIC", "PUBL_ECB", "PUBL_MU",
        "COMPILING_ORG", "DISS_ORG", "COVERAGE",
    ]

    private let open: () throws -> ByteStream

    public init(path: String, limits: ReadLimits = .standard, attributeIDs: Set<String> = SDMXReader.commonAttributeIDs) {
        self.path = path
        self.limits = limits
        self.attributeIDs = attributeIDs
        open = { try openByteStream(path: path, limits: limits) }
    }

    /// Reads a message from any byte stream (`name` stands for the file in errors).
    public init(name: String, limits: ReadLimits = .standard, attributeIDs: Set<String> = SDMXReader.commonAttributeIDs,
                open: @escaping () throws -> ByteStream) {
        self.path = name
        self.limits = limits
        self.attributeIDs = attributeIDs
        self.open = open
    }

    /// Streams the file (plain or gzip, via openByteStream) in 64 KiB chunks through the push parser; calls onHeader once when </Header> is seen (before the first observation), and onObservation for each observation in document order. Throws an input YearbookError naming the file and the line for any failure.
    public func read(onHeader: (SDMXHeader) -> Void = { _ in },
                     onObservation: (SDMXObservation) throws -> Void) throws -> SDMXSummary {
        let stream = try open()
        return try withoutActuallyEscaping(onHeader) { onHeader in
            try withoutActuallyEscaping(onObservation) { onObservation in
                let handler = SDMXMessageHandler(file: path, limits: limits, attributeIDs: attributeIDs,
                                                 onHeader: onHeader, onObservation: onObservation)
                let parser = XMLPushParser(file: path, documentKind: "SDMX message", delegate: handler)
                let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 1)
                defer { chunk.deallocate() }
                var start = MarkupStart()
                var attributes = AttributeLimit()
                while true {
                    let count = try stream.read(into: chunk)
                    if count == 0 { break }
                    let bytes = UnsafeRawBufferPointer(rebasing: chunk[0..<count])
                    try start.check(bytes, file: path)
                    try attributes.check(bytes, file: path)
                    try parser.feed(bytes)
                }
                if start.isEmpty { throw YearbookError.input(file: path, "empty file: not an SDMX message") }
                try parser.finish()
                return try handler.summary(line: parser.currentLine)
            }
        }
    }
}

/// Tells a file that is not XML at all (a CSV, an error page in plain text)
/// by its first byte that is not white space, before libxml2's vaguer
/// "Document is empty".
private struct MarkupStart {
    private(set) var isEmpty = true
    private var decided = false
    private var line = 1

    mutating func check(_ bytes: UnsafeRawBufferPointer, file: String) throws {
        guard !decided, let first = bytes.first else { return }
        if isEmpty {
            isEmpty = false
            // A byte-order mark, or UTF-16/32 without one: libxml2 decodes those.
            if [0xEF, 0xFE, 0xFF, 0x00].contains(first) {
                decided = true
                return
            }
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"): continue
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: "<"):
                decided = true
                return
            default: throw YearbookError.input(file: file, line: line, "not an XML document: it does not start with '<'")
            }
        }
    }
}

private enum SDMXNamespace {
    static let message = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    static let generic = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
    static let structureSpecific = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
    static let common = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common"
    static let footer = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message/footer"
}

/// Where the parser is: one frame per open element.
private enum Frame: Equatable {
    /// An element whose content is not read, nor anything inside it.
    case skipped
    case root, header, sender, dataSet, group, series, obs
    /// `footer:Footer`, then a footer `Message` or an error message's `ErrorMessage`, then its `common:Text`.
    case footer, agencyMessage, agencyText
    case headerText(HeaderText)
    /// Generic `SeriesKey`/`GroupKey`/`ObsKey` and `Attributes` of a level.
    case key(Level), attributes(Level)
}

private enum HeaderText { case id, prepared, senderName, dataSetAction }

private enum Level { case dataSet, group, series, obs }

/// A group's values. Generic groups say which values are the key; a
/// structure-specific Group element does not (without the DSD), so it matches
/// a series when every value the series also has agrees.
private struct SDMXGroup {
    var key: [String: String]?
    var values: [String: String]

    func applies(to target: [String: String]) -> Bool {
        if let key { return key.allSatisfy { target[$0.key] == $0.value } }
        return values.allSatisfy { target[$0.key] == nil || target[$0.key] == $0.value }
    }
}

/// The state machine behind `SDMXReader.read`, driven by SAX events.
private final class SDMXMessageHandler: XMLPushParserDelegate {
    /// DataSet XML attributes that describe the data set, not components.
    static let dataSetProperties: Set<String> = [
        "structureRef", "setID", "action", "reportingBeginDate", "reportingEndDate", "validFromDate",
        "validToDate", "publicationYear", "publicationPeriod", "dataScope", "REPORTING_YEAR_START_DAY",
    ]

    let file: String
    let limits: ReadLimits
    let attributeIDs: Set<String>
    let onHeader: (SDMXHeader) -> Void
    let onObservation: (SDMXObservation) throws -> Void

    var form: SDMXForm?
    var header = SDMXHeader()
    var headerDelivered = false
    var seenStructure = false
    /// dimensionAtObservation by Structure@structureID, for DataSet@structureRef.
    var dimensionAtObservationByStructure: [String: String] = [:]
    var frames: [Frame] = []
    var text: [UInt8] = []
    var textLine = 0
    var counts = (series: 0, groups: 0, observations: 0, dataSets: 0, seriesDeletedWhole: 0)
    var seriesObservations = 0
    var headerAction: String?
    var dataSetAction: SDMXAction?
    var agencyMessages: [SDMXAgencyMessage] = []
    var agencyTexts: [String] = []
    var agencyMessage = SDMXAgencyMessage(code: nil, severity: nil, text: "")

    // The data set being read.
    var dimensionAtObservation = "TIME_PERIOD"
    var dataSetValues: [String: String] = [:]
    var groups: [SDMXGroup] = []
    var group = SDMXGroup(key: nil, values: [:])
    // The series being read: its values (key and attributes), which are dimensions.
    var seriesValues: [String: String] = [:]
    var seriesDimensions: Set<String> = []
    /// Data set, groups and series merged; built at the series' first Obs.
    var seriesBase: (components: [String: String], dimensions: Set<String>)?
    /// The last observation's dimensions, reused while they repeat (they
    /// usually do), so each observation does not build a new set.
    var lastDimensions: (observation: [String], all: Set<String>)?
    // The observation being read: its own values, which are dimensions.
    var obsValues: [String: String] = [:]
    var obsDimensions: [String] = []
    var obsValue: String?
    var obsLine = 0
    var obsInSeries = false

    init(file: String, limits: ReadLimits, attributeIDs: Set<String>,
         onHeader: @escaping (SDMXHeader) -> Void, onObservation: @escaping (SDMXObservation) throws -> Void) {
        self.file = file
        self.limits = limits
        self.attributeIDs = attributeIDs
        self.onHeader = onHeader
        self.onObservation = onObservation
    }

    func summary(line: Int) throws -> SDMXSummary {
        guard let form else { throw YearbookError.input(file: file, line: line, "no root element: not an SDMX message") }
        deliverHeader()
        return SDMXSummary(form: form, header: header, series: counts.series, groups: counts.groups,
                           observations: counts.observations, dataSets: counts.dataSets,
                           seriesDeletedWhole: counts.seriesDeletedWhole, agencyMessages: agencyMessages)
    }

    // MARK: - Events

    func didStart(_ tag: XMLStartTag) throws {
        guard let parent = frames.last else {
            frames.append(.root)
            form = try rootForm(tag)
            return
        }
        let frame = frame(for: tag, in: parent)
        if case .headerText = frame { textLine = tag.line }
        if frame == .agencyText { textLine = tag.line }
        if frame == .dataSet { dataSetAction = try action(of: tag) }
        frames.append(frame)
    }

    func didEnd(localName: String, namespaceURI: String?) throws {
        guard let frame = frames.popLast() else { return }
        switch frame {
        case .header:
            deliverHeader()
        case .headerText(let field):
            let value = trimmingXMLWhitespace(String(decoding: text, as: UTF8.self))
            text = []
            switch field {
            case .id: header.id = value
            case .prepared: header.prepared = value
            case .senderName: if header.senderName == nil { header.senderName = value }
            case .dataSetAction: headerAction = value
            }
        case .agencyText:
            agencyTexts.append(trimmingXMLWhitespace(String(decoding: text, as: UTF8.self)))
            text = []
        case .agencyMessage:
            agencyMessage.text = agencyTexts.filter { !$0.isEmpty }.joined(separator: " / ")
            agencyTexts = []
            if agencyMessages.count < SDMXReader.maxAgencyMessages { agencyMessages.append(agencyMessage) }
        case .group:
            groups.append(group)
        case .series:
            if dataSetAction == .delete && seriesObservations == 0 { counts.seriesDeletedWhole += 1 }
        case .obs:
            try deliverObservation()
        default:
            break
        }
    }

    func foundText(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        switch frames.last {
        case .headerText, .agencyText: break
        default: return
        }
        guard text.count + bytes.count <= limits.maxRecordBytes else {
            throw YearbookError.input(file: file, line: textLine, "header text longer than \(limits.maxRecordBytes) bytes")
        }
        text.append(contentsOf: bytes)
    }

    // MARK: - Elements

    private func rootForm(_ tag: XMLStartTag) throws -> SDMXForm {
        if tag.namespaceURI == SDMXNamespace.message, let form = SDMXForm(rawValue: tag.localName) {
            return form
        }
        let found = tag.namespaceURI == SDMXNamespace.message && tag.localName == "Structure"
            ? "an SDMX structure message (root <Structure>)"
            : "root element <\(tag.localName)> in namespace \(tag.namespaceURI ?? "(none)")"
        throw YearbookError.input(file: file, line: tag.line,
                           "not an SDMX 2.1 data message: \(found); expected GenericData, GenericTimeSeriesData, StructureSpecificData, StructureSpecificTimeSeriesData or Error in \(SDMXNamespace.message)")
    }

    private func frame(for tag: XMLStartTag, in parent: Frame) -> Frame {
        let name = tag.localName, uri = tag.namespaceURI
        let isMessage = uri == SDMXNamespace.message
        switch parent {
        case .root:
            if isMessage && name == "Header" { return .header }
            if uri == SDMXNamespace.footer && name == "Footer" { return .footer }
            if isMessage && name == "ErrorMessage" && form == .error { return startAgencyMessage(tag) }
            if name == "DataSet" && (isMessage || (!isGeneric && isStructureSpecificData(uri))) {
                startDataSet(tag)
                return .dataSet
            }
        case .header:
            guard isMessage else { break }
            switch name {
            case "ID": return .headerText(.id)
            case "Prepared": return .headerText(.prepared)
            case "DataSetAction": return .headerText(.dataSetAction)
            case "Sender":
                header.senderID = value("id", in: tag)
                return .sender
            case "Structure":
                readStructure(tag)
            default: break
            }
        case .sender:
            if uri == SDMXNamespace.common && name == "Name" { return .headerText(.senderName) }
        case .footer:
            if uri == SDMXNamespace.footer && name == "Message" { return startAgencyMessage(tag) }
        case .agencyMessage:
            if uri == SDMXNamespace.common && name == "Text" { return .agencyText }
        case .dataSet, .series, .group, .obs:
            return dataFrame(for: tag, in: parent)
        case .key(let level), .attributes(let level):
            if uri == SDMXNamespace.generic && name == "Value", let id = value("id", in: tag) {
                addGeneric(id: id, value: value("value", in: tag) ?? "", to: parent, level: level)
            }
        case .skipped, .headerText, .agencyText:
            break
        }
        return .skipped
    }

    private var isGeneric: Bool { form?.isGeneric ?? false }

    /// Structure-specific data elements are in the DSD's namespace, the message
    /// namespace or none: anything but the generic and common namespaces.
    private func isStructureSpecificData(_ uri: String?) -> Bool {
        uri != SDMXNamespace.generic && uri != SDMXNamespace.common
    }

    private func dataFrame(for tag: XMLStartTag, in parent: Frame) -> Frame {
        let name = tag.localName
        if isGeneric {
            guard tag.namespaceURI == SDMXNamespace.generic else { return .skipped }
            switch (parent, name) {
            case (.dataSet, "Attributes"): return .attributes(.dataSet)
            case (.group, "Attributes"): return .attributes(.group)
            case (.series, "Attributes"): return .attributes(.series)
            case (.obs, "Attributes"): return .attributes(.obs)
            case (.group, "GroupKey"): return .key(.group)
            case (.series, "SeriesKey"): return .key(.series)
            case (.obs, "ObsKey"): return .key(.obs)
            case (.obs, "ObsDimension"):
                let id = value("id", in: tag) ?? (dimensionAtObservation == "AllDimensions" ? "TIME_PERIOD" : dimensionAtObservation)
                obsValues[id] = value("value", in: tag) ?? ""
                obsDimensions.append(id)
            case (.obs, "ObsValue"):
                obsValue = value("value", in: tag)
            default:
                return startDataElement(tag, in: parent) ?? .skipped
            }
            return .skipped
        }
        guard isStructureSpecificData(tag.namespaceURI) else { return .skipped }
        return startDataElement(tag, in: parent) ?? .skipped
    }

    /// Group, Series and Obs, in either form.
    private func startDataElement(_ tag: XMLStartTag, in parent: Frame) -> Frame? {
        // Structure-specific components are the element's own XML attributes;
        // generic ones come in child elements.
        switch (parent, tag.localName) {
        case (.dataSet, "Group"):
            counts.groups += 1
            group = isGeneric ? SDMXGroup(key: [:], values: [:]) : SDMXGroup(key: nil, values: components(of: tag))
            return .group
        case (.dataSet, "Series"):
            counts.series += 1
            seriesValues = isGeneric ? [:] : components(of: tag)
            seriesDimensions = Set(seriesValues.keys.filter { !attributeIDs.contains($0) })
            seriesBase = nil
            lastDimensions = nil
            seriesObservations = 0
            return .series
        case (.dataSet, "Obs"), (.series, "Obs"):
            counts.observations += 1
            seriesObservations += 1
            obsLine = tag.line
            obsInSeries = parent == .series
            obsValue = nil
            obsValues = Dictionary(minimumCapacity: tag.attributes.count)
            obsDimensions = []
            guard !isGeneric else { return .obs }
            for attribute in tag.attributes where attribute.namespaceURI == nil {
                let id = attribute.localName
                if id == "OBS_VALUE" {
                    obsValue = attribute.value
                    continue
                }
                obsValues[id] = attribute.value
                // In a series only the dimension at observation is one; a flat
                // observation carries the whole key.
                if obsInSeries ? id == dimensionAtObservation : !attributeIDs.contains(id) {
                    obsDimensions.append(id)
                }
            }
            return .obs
        default:
            return nil
        }
    }

    private func addGeneric(id: String, value: String, to frame: Frame, level: Level) {
        let isKey: Bool
        if case .key = frame { isKey = true } else { isKey = false }
        switch level {
        case .dataSet: dataSetValues[id] = value
        case .group:
            if isKey { group.key?[id] = value } else { group.values[id] = value }
        case .series:
            seriesValues[id] = value
            if isKey { seriesDimensions.insert(id) }
            seriesBase = nil
            lastDimensions = nil
        case .obs:
            obsValues[id] = value
            if isKey { obsDimensions.append(id) }
        }
    }

    private func startAgencyMessage(_ tag: XMLStartTag) -> Frame {
        agencyMessage = SDMXAgencyMessage(code: value("code", in: tag), severity: value("severity", in: tag), text: "")
        agencyTexts = []
        return .agencyMessage
    }

    /// The data set's own action, else the header's; nil when neither says.
    /// The standard's structure-specific example qualifies it (`data:action`),
    /// other messages do not: both forms are the same attribute.
    private func action(of tag: XMLStartTag) throws -> SDMXAction? {
        let written = tag.attributes.filter { attribute in
            attribute.localName == "action" && (attribute.namespaceURI == nil
                || attribute.namespaceURI == SDMXNamespace.structureSpecific || attribute.namespaceURI == SDMXNamespace.generic)
        }.map { trimmingXMLWhitespace($0.value) }
        if let first = written.first, written.contains(where: { $0.lowercased() != first.lowercased() }) {
            throw YearbookError.input(file: file, line: tag.line,
                               "DataSet states two different actions (\(written.map { "'\($0)'" }.joined(separator: " and "))): keep one action attribute")
        }
        guard let text = written.first ?? headerAction else { return nil }
        let word = trimmingXMLWhitespace(text)
        guard let action = SDMXAction.allCases.first(where: { $0.rawValue.lowercased() == word.lowercased() }) else {
            throw YearbookError.input(file: file, line: tag.line,
                               "DataSet action '\(word)' is not Append, Replace, Delete or Information")
        }
        return action
    }

    private func startDataSet(_ tag: XMLStartTag) {
        counts.dataSets += 1
        deliverHeader()
        dataSetValues = [:]
        groups = []
        let reference = tag.attributes.first { $0.localName == "structureRef" }?.value
        dimensionAtObservation = reference.flatMap { dimensionAtObservationByStructure[$0] }
            ?? header.dimensionAtObservation ?? "TIME_PERIOD"
        guard !isGeneric else { return }
        for attribute in tag.attributes
        where attribute.namespaceURI == nil && !SDMXMessageHandler.dataSetProperties.contains(attribute.localName) {
            dataSetValues[attribute.localName] = attribute.value
        }
    }

    private func readStructure(_ tag: XMLStartTag) {
        let dimension = value("dimensionAtObservation", in: tag)
        if let dimension, let id = value("structureID", in: tag) {
            dimensionAtObservationByStructure[id] = dimension
        }
        if !seenStructure { header.dimensionAtObservation = dimension }
        seenStructure = true
    }

    // MARK: - Delivery

    private func deliverHeader() {
        guard !headerDelivered else { return }
        headerDelivered = true
        onHeader(header)
    }

    private func deliverObservation() throws {
        var components: [String: String]
        let dimensions: Set<String>
        if obsInSeries {
            let base = seriesBase ?? (merged(seriesValues, room: obsValues.count), seriesDimensions)
            seriesBase = base
            components = base.components
            if let last = lastDimensions, last.observation == obsDimensions {
                dimensions = last.all
            } else {
                dimensions = base.dimensions.union(obsDimensions)
                lastDimensions = (obsDimensions, dimensions)
            }
        } else {
            // Flat: the observation carries the whole key, and groups match it.
            components = merged(obsValues, room: 0)
            dimensions = Set(obsDimensions)
        }
        for (id, value) in obsValues { components[id] = value }
        try onObservation(SDMXObservation(components: components, dimensionIDs: dimensions,
                                          value: obsValue, line: obsLine, action: dataSetAction))
    }

    /// Data set values, then matching groups, then `values` (a series, or a
    /// flat observation's key): later levels win. `room` reserves space for
    /// the observation's own values, so adding them to a copy does not rehash.
    private func merged(_ values: [String: String], room: Int) -> [String: String] {
        var result = dataSetValues
        result.reserveCapacity(dataSetValues.count + values.count + room)
        for group in groups where group.applies(to: values) {
            result.merge(group.key ?? [:]) { _, new in new }
            result.merge(group.values) { _, new in new }
        }
        result.merge(values) { _, new in new }
        return result
    }

    private func components(of tag: XMLStartTag) -> [String: String] {
        var values: [String: String] = [:]
        for attribute in tag.attributes where attribute.namespaceURI == nil {
            values[attribute.localName] = attribute.value
        }
        return values
    }

    private func value(_ name: String, in tag: XMLStartTag) -> String? {
        tag.attributes.first { $0.localName == name && $0.namespaceURI == nil }?.value
    }
}
