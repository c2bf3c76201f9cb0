import CLibXML2
import YearbookCore

/// One attribute of a start tag. Namespace declarations (`xmlns`, `xmlns:p`)
/// are not attributes: libxml2 resolves them into `namespaceURI`s.
struct XMLAttribute {
    var localName: String
    var namespaceURI: String?
    var value: String
}

/// A start tag, with names resolved to namespace URIs.
struct XMLStartTag {
    var localName: String
    var namespaceURI: String?
    var attributes: [XMLAttribute]
    /// 1-based line of the tag's `<`.
    var line: Int
}

/// What the push parser reports, in document order. An error thrown here stops
/// the parser, and `XMLPushParser.feed`/`finish` rethrow it unchanged.
protocol XMLPushParserDelegate: AnyObject {
    func didStart(_ tag: XMLStartTag) throws
    func didEnd(localName: String, namespaceURI: String?) throws
    /// Text content, in as many pieces as libxml2 likes (UTF-8).
    func foundText(_ bytes: UnsafeBufferPointer<UInt8>) throws
}

/// libxml2's SAX2 push parser, set up for untrusted input. This file is the
/// one home of libxml2's raw calls.
///
/// Hardening: no DOCTYPE at all (refused as soon as it is seen, so no entity
/// is ever declared, let alone expanded or fetched), no network, none of
/// NOENT/DTDLOAD/DTDVALID/HUGE (so libxml2's size limits hold), nesting capped
/// at libxml2's default depth, and every libxml2 message is captured instead
/// of printed to stderr.
final class XMLPushParser {
    let file: String
    private let delegate: XMLPushParserDelegate
    private let documentKind: String
    private var context: xmlParserCtxtPtr?
    /// The first problem: a libxml2 error, a refusal, or a delegate's error.
    private var failure: Error?
    /// Open elements. libxml2 checks its depth limit only when it builds a tree
    /// or parses in pull mode, not for a SAX push parser: we check it here.
    private var depth = 0
    /// The document's first bytes, until there are 4 to create the context with.
    private var head: [UInt8] = []
    /// Namespace URIs seen so far, so each becomes a Swift string only once.
    private var namespaces: [(bytes: [xmlChar], string: String)] = []

    private static let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOBLANKS.rawValue)

    /// xmlInitParser must run once per process before any parsing.
    private static let initialized: Void = { xmlInitParser() }()

    /// `documentKind` names the expected document in refusals ("SDMX message").
    init(file: String, documentKind: String, delegate: XMLPushParserDelegate) {
        self.file = file
        self.documentKind = documentKind
        self.delegate = delegate
    }

    deinit {
        if let context { xmlFreeParserCtxt(context) }
    }

    /// Parses the next bytes of the document, in chunks of any size.
    func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var rest = bytes
        if context == nil {
            // libxml2 detects the encoding (a byte-order mark, UTF-16) only from
            // the first 4 bytes given at creation: gather them first.
            let taken = min(4 - head.count, rest.count)
            head += rest.prefix(taken)
            rest = UnsafeRawBufferPointer(rebasing: rest.dropFirst(taken))
            if head.count < 4 { return }
            try createContext()
        }
        if !rest.isEmpty { try parse(rest, terminate: false) }
    }

    /// Ends the document: an unclosed element or missing root is an error here.
    func finish() throws {
        if context == nil { try createContext() }
        try parse(UnsafeRawBufferPointer(start: nil, count: 0), terminate: true)
    }

    /// The line the parser has reached (1-based).
    var currentLine: Int {
        guard let context else { return 1 }
        return Int(xmlSAX2GetLineNumber(context))
    }

    // MARK: - Context

    private func createContext() throws {
        _ = XMLPushParser.initialized
        var sax = XMLPushParser.saxHandler()
        let userData = Unmanaged.passUnretained(self).toOpaque()
        let created = head.withUnsafeBytes { head in
            xmlCreatePushParserCtxt(
                &sax, userData, head.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(head.count), file)
        }
        guard let context = created else {
            throw YearbookError.input(file: file, "cannot create an XML parser")
        }
        self.context = context
        xmlCtxtUseOptions(context, XMLPushParser.options)
    }

    private func parse(_ bytes: UnsafeRawBufferPointer, terminate: Bool) throws {
        if let failure { throw failure }
        guard let context else { return }
        // Errors raised outside the context (encoding conversion) go to the
        // thread's global handler; point it at us only while libxml2 runs.
        // The previous handler comes back after, should parsers ever nest.
        let previousHandler = __xmlStructuredError().pointee
        let previousContext = __xmlStructuredErrorContext().pointee
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(self).toOpaque(), XMLPushParser.errorHandler)
        let status = xmlParseChunk(
            context, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(bytes.count), terminate ? 1 : 0)
        xmlSetStructuredErrorFunc(previousContext, previousHandler)
        if failure == nil, status != 0 {
            failure = YearbookError.input(file: file, line: currentLine, "malformed XML (libxml2 error \(status))")
        }
        if let failure { throw failure }
    }

    /// Records the first failure and halts libxml2 (no further callbacks).
    private func stop(_ error: Error) {
        if failure == nil { failure = error }
        if let context { xmlStopParser(context) }
    }

    // MARK: - SAX callbacks

    private static func parser(_ userData: UnsafeMutableRawPointer?) -> XMLPushParser? {
        guard let userData else { return nil }
        return Unmanaged<XMLPushParser>.fromOpaque(userData).takeUnretainedValue()
    }

    private static let errorHandler: xmlStructuredErrorFunc = { userData, error in
        guard let parser = XMLPushParser.parser(userData), let error else { return }
        parser.record(error.pointee)
    }

    private func record(_ error: xmlError) {
        // Warnings are harmless; errors include namespace errors, which would
        // otherwise leave element names unresolved.
        guard error.level.rawValue >= XML_ERR_ERROR.rawValue, failure == nil else { return }
        var message = error.message.map { String(cString: $0) } ?? "libxml2 error \(error.code)"
        message = String(trimmingXMLWhitespace(message).prefix(300))
        failure = YearbookError.input(file: file, line: error.line > 0 ? Int(error.line) : currentLine, "malformed XML: \(message)")
        // libxml2 disables SAX on fatal errors itself; `failure` mutes the rest.
    }

    private static func saxHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = UInt32(XML_SAX2_MAGIC)
        sax.serror = errorHandler
        // A DOCTYPE is where entities are declared: refuse it outright.
        sax.internalSubset = { userData, _, _, _ in
            guard let parser = XMLPushParser.parser(userData) else { return }
            parser.stop(YearbookError.input(file: parser.file, line: parser.currentLine,
                                     "DOCTYPE not allowed in an \(parser.documentKind)"))
        }
        // No entity is ever resolved (only the five predefined ones, built in).
        sax.getEntity = { _, _ in nil }
        sax.startElementNs = { userData, localName, _, uri, _, _, attributeCount, _, attributes in
            guard let parser = XMLPushParser.parser(userData), parser.failure == nil, let localName else { return }
            parser.depth += 1
            guard parser.depth <= Int(xmlParserMaxDepth) else {
                parser.stop(YearbookError.input(file: parser.file, line: parser.currentLine,
                                         "malformed XML: elements nested deeper than \(xmlParserMaxDepth) levels"))
                return
            }
            parser.deliver {
                var list: [XMLAttribute] = []
                if let attributes, attributeCount > 0 {
                    list.reserveCapacity(Int(attributeCount))
                    // Five pointers per attribute: localname, prefix, URI, value start, value end.
                    for index in 0..<Int(attributeCount) {
                        let base = index * 5
                        guard let name = attributes[base], let start = attributes[base + 3],
                              let end = attributes[base + 4] else { continue }
                        let value = attributeValue(UnsafeBufferPointer(start: start, count: end - start))
                        list.append(XMLAttribute(localName: String(cString: name),
                                                 namespaceURI: parser.namespaceString(attributes[base + 2]),
                                                 value: value))
                    }
                }
                try parser.delegate.didStart(XMLStartTag(
                    localName: String(cString: localName), namespaceURI: parser.namespaceString(uri),
                    attributes: list, line: parser.startTagLine))
            }
        }
        sax.endElementNs = { userData, localName, _, uri in
            guard let parser = XMLPushParser.parser(userData), parser.failure == nil, let localName else { return }
            parser.depth -= 1
            parser.deliver {
                try parser.delegate.didEnd(localName: String(cString: localName), namespaceURI: parser.namespaceString(uri))
            }
        }
        let text: charactersSAXFunc = { userData, bytes, count in
            guard let parser = XMLPushParser.parser(userData), parser.failure == nil, let bytes else { return }
            parser.deliver { try parser.delegate.foundText(UnsafeBufferPointer(start: bytes, count: Int(count))) }
        }
        sax.characters = text
        sax.cdataBlock = text
        return sax
    }

    private func deliver(_ body: () throws -> Void) {
        do { try body() } catch { stop(error) }
    }

    /// The line of the current start tag's `<`. libxml2 calls startElementNs
    /// with its cursor at the tag's end, so step back over the tag (a raw `<`
    /// cannot occur inside it) counting newlines.
    private var startTagLine: Int {
        guard let input = context?.pointee.input?.pointee, let base = input.base, var cursor = input.cur else {
            return currentLine
        }
        var line = Int(input.line)
        while cursor > base {
            cursor -= 1
            if cursor.pointee == UInt8(ascii: "<") { return line }
            if cursor.pointee == UInt8(ascii: "\n") { line -= 1 }
        }
        return Int(input.line)  // the tag's start is no longer buffered
    }

    private func namespaceString(_ uri: UnsafePointer<xmlChar>?) -> String? {
        guard let uri else { return nil }
        for entry in namespaces where entry.bytes.withUnsafeBufferPointer({ xmlStrEqual($0.baseAddress, uri) != 0 }) {
            return entry.string
        }
        let string = String(cString: uri)
        // A hostile file may declare endless namespaces: cache only the first few.
        if namespaces.count < 32 {
            namespaces.append((bytes: Array(UnsafeBufferPointer(start: uri, count: Int(xmlStrlen(uri)))) + [0], string: string))
        }
        return string
    }
}

/// An attribute value as libxml2 hands it to SAX2 without entity substitution:
/// every `&` (from `&amp;` or `&#38;`) comes as `&#38;`, and no other `&` can
/// occur, so turning each `&#38;` back into `&` in one pass is exact.
private func attributeValue(_ bytes: UnsafeBufferPointer<xmlChar>) -> String {
    guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
    let escape = Array("&#38;".utf8)
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
        if bytes[index] == UInt8(ascii: "&"), index + escape.count <= bytes.count,
           bytes[index..<(index + escape.count)].elementsEqual(escape) {
            result.append(UInt8(ascii: "&"))
            index += escape.count
        } else {
            result.append(bytes[index])
            index += 1
        }
    }
    return String(decoding: result, as: UTF8.self)
}

/// `text` without leading and trailing XML white space (space, tab, CR, LF).
func trimmingXMLWhitespace(_ text: String) -> String {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" || $0 == "\r\n" }
    guard let first = text.firstIndex(where: { !isSpace($0) }), let last = text.lastIndex(where: { !isSpace($0) }) else {
        return ""
    }
    return String(text[first...last])
}
