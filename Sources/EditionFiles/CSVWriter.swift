/// Writes CSV as RFC 4180 asks: a field with a comma, quote or line break is quoted.
public struct CSVWriter {
    public private(set) var bytes: [UInt8] = []

    public init(header: [String]) {
        row(header)
    }

    /// What is written so far, handed over (the writer goes on empty): a large file is written in pieces.
    public mutating func takeBytes() -> [UInt8] {
        defer { bytes = [] }
        return bytes
    }

    public mutating func row(_ fields: [String]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            let quoted = { (byte: UInt8) in byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D }
            // Looked for in the string's own bytes where it has them (a report writes millions of fields).
            if field.utf8.withContiguousStorageIfAvailable({ $0.contains(where: quoted) }) ?? field.utf8.contains(where: quoted) {
                bytes.append(0x22)
                for b in field.utf8 {
                    if b == 0x22 { bytes.append(0x22) }
                    bytes.append(b)
                }
                bytes.append(0x22)
            } else {
                bytes.append(contentsOf: field.utf8)
            }
        }
        bytes.append(0x0A)
    }
}
