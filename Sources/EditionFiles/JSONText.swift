/// Writes JSON straight into bytes, for files too large to build as an
/// encoder's tree first (a national build can list tens of thousands of
/// failing cells; its manifest, 11,600 inputs). Byte for byte as `EditionJSON`
/// writes them (pretty-printed with two spaces; the caller writes the keys in
/// sorted order).
public struct JSONText {
    public private(set) var bytes: [UInt8] = []

    public init() {}
    private var depth = 0
    private var first = [true]

    /// The document with its final line feed (the bytes themselves, not a copy: a big report is not held twice).
    public mutating func ended() -> [UInt8] {
        bytes.append(0x0A)
        return bytes
    }

    /// What is written so far, handed over (the text goes on empty): a large document is written in pieces.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    private mutating func indent() {
        bytes.append(0x0A)
        for _ in 0..<depth { bytes.append(0x20); bytes.append(0x20) }
    }

    private mutating func separate() {
        if first[first.count - 1] { first[first.count - 1] = false } else { bytes.append(UInt8(ascii: ",")) }
        indent()
    }

    public mutating func open(_ bracket: Character, key: String? = nil) {
        if let key { member(key) } else if depth > 0 { separate() }
        bytes.append(bracket.asciiValue!)
        depth += 1
        first.append(true)
    }

    public mutating func close(_ bracket: Character) {
        depth -= 1
        // An empty container is written as the other reports' encoder writes it: "[\n\n  ]".
        if first.removeLast() { bytes.append(0x0A) }
        indent()
        bytes.append(bracket.asciiValue!)
    }

    private mutating func member(_ key: String) {
        separate()
        quoted(key)
        bytes += Array(" : ".utf8)
    }

    public mutating func string(_ key: String, _ value: String) {
        member(key)
        quoted(value)
    }

    public mutating func int(_ key: String, _ value: Int) {
        member(key)
        bytes += Array(String(value).utf8)
    }

    public mutating func bool(_ key: String, _ value: Bool) {
        member(key)
        bytes += Array((value ? "true" : "false").utf8)
    }

    public mutating func element(_ value: String) {
        separate()
        quoted(value)
    }

    private mutating func quoted(_ text: String) {
        bytes.append(0x22)
        // Most texts need no escape: copied whole once that is seen.
        let copied = text.utf8.withContiguousStorageIfAvailable { buffer -> Bool in
            guard !buffer.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else { return false }
            bytes.append(contentsOf: buffer)
            return true
        } ?? false
        if copied {
            bytes.append(0x22)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case 0x22: bytes += [0x5C, 0x22]
            case 0x5C: bytes += [0x5C, 0x5C]
            case 0x08: bytes += [0x5C, UInt8(ascii: "b")]
            case 0x0C: bytes += [0x5C, UInt8(ascii: "f")]
            case 0x0A: bytes += [0x5C, UInt8(ascii: "n")]
            case 0x0D: bytes += [0x5C, UInt8(ascii: "r")]
            case 0x09: bytes += [0x5C, UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]]
            default: bytes.append(byte)
            }
        }
        bytes.append(0x22)
    }
}
