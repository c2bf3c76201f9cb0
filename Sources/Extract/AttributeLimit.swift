import YearbookCore

/// Counts the attributes of each start tag in the bytes before libxml2 sees them:
/// libxml2 2.9 checks each attribute of a tag against every earlier one, so a tag
/// with 300,000 attributes takes minutes. A tag with more than `limit` attributes
/// stops the read, naming the element and its line, while reading stays linear.
///
/// A lexical count, not a parse: an `=` outside quotes inside a tag is an
/// attribute; comments, CDATA, processing instructions and declarations are skipped
/// to their first `>`.
struct AttributeLimit {
    static let limit = 256

    private enum State { case text, tagName, tag, quoted(UInt8), declaration }
    private var state = State.text
    private var count = 0
    private var line = 1
    private var tagLine = 1
    private var name: [UInt8] = []

    mutating func check(_ bytes: UnsafeRawBufferPointer, file: String) throws {
        for byte in bytes {
            if byte == 0x0A { line += 1 }
            switch state {
            case .text:
                if byte == UInt8(ascii: "<") {
                    state = .tagName
                    name.removeAll(keepingCapacity: true)
                    count = 0
                    tagLine = line
                }
            case .tagName:
                if name.isEmpty && (byte == UInt8(ascii: "!") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "/")) {
                    state = .declaration
                } else if byte == UInt8(ascii: ">") {
                    state = .text
                } else if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    state = .tag
                } else if name.count < 64 {
                    name.append(byte)
                }
            case .tag:
                if byte == UInt8(ascii: ">") {
                    state = .text
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    state = .quoted(byte)
                } else if byte == UInt8(ascii: "=") {
                    count += 1
                    if count > AttributeLimit.limit {
                        throw YearbookError.input(file: file, line: tagLine,
                                           "element <\(String(decoding: name, as: UTF8.self))> has more than \(AttributeLimit.limit) attributes (the most one element may have)")
                    }
                }
            case .quoted(let quote):
                if byte == quote { state = .tag }
            case .declaration:
                if byte == UInt8(ascii: ">") { state = .text }
            }
        }
    }
}
