import YearbookCore

/// A small CSV file read whole into rows of text: the registry and the
/// dictionaries, never the rosters. UTF-8, with or without a BOM.
public struct CSVTable: Sendable {
    public var file: String
    public var header: [String]
    /// Each data row with the physical line it starts on.
    public var rows: [(line: Int, cells: [String])]

    /// Cells lose their leading and trailing spaces and tabs unless `trimming` is false
    /// (the header always does).
    public static func read(path: String, displayName: String? = nil, trimming: Bool = true) throws -> CSVTable {
        let name = displayName ?? path
        let stream: ByteStream
        do { stream = try openByteStream(path: path) } catch let error as YearbookError where error.code == .input {
            throw error.naming(file: name)
        }
        let csv = CSVReader(stream: stream, name: name)
        var table = CSVTable(file: name, header: [], rows: [])
        var first = true
        while try csv.next() {
            var cells: [String] = []
            for index in 0..<csv.fieldCount {
                var bytes = csv.fieldBytes(index)
                if first && index == 0 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw YearbookError.input(file: name, line: csv.line, "not valid UTF-8 (field \(index + 1))")
                }
                cells.append(trimming || first ? text.trimmingASCIISpaces : text)
            }
            if first {
                table.header = cells
                first = false
            } else {
                table.rows.append((csv.line, cells))
            }
        }
        if first { throw YearbookError.input(file: name, "empty file: no header") }
        return table
    }

    /// The position of each named column; throws naming the first one missing.
    public func columns(_ names: [String]) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for name in names {
            guard let index = header.firstIndex(of: name) else {
                throw YearbookError.input(file: file, line: 1, "missing required column \(name)")
            }
            result[name] = index
        }
        return result
    }
}

extension String {
    public var trimmingASCIISpaces: String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[start...end])
    }
}
