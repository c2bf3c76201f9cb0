import Extract
import YearbookCore

/// Validates the rows of one roster file against the contract's rules and
/// adds each active row into the file's indicator totals.
struct RowValidator {
    enum Outcome {
        case active, inactive
        case rejected(String)
    }

    let schema: RosterSchema
    let measures: [RosterMeasure]
    let registry: AreaRegistry
    let county: String
    /// File position of each schema column.
    let positions: [Int]
    let decoder: FieldDecoder
    /// Area codes accepted in this file: the county and its predecessors.
    private let allowedAreas: Set<String>
    private let statusColumn: Int
    /// First line of each id seen.
    private var seenIDs: [String: Int] = [:]
    private var counts: [Int]
    private var sums: [Int64]
    // Per-row scratch: the code of code columns, the value of number columns.
    private var rowCodes: [String?]
    private var rowNumbers: [Int64]

    init(schema: RosterSchema, measures: [RosterMeasure], registry: AreaRegistry, county: String,
         positions: [Int], decoder: FieldDecoder) {
        self.schema = schema
        self.measures = measures
        self.registry = registry
        self.county = county
        self.positions = positions
        self.decoder = decoder
        var allowed: Set<String> = [county]
        var frontier = [county]
        while let next = frontier.popLast() {
            for predecessor in registry.predecessors(of: next) where allowed.insert(predecessor).inserted {
                frontier.append(predecessor)
            }
        }
        allowedAreas = allowed
        statusColumn = schema.index(of: "status")!
        counts = Array(repeating: 0, count: measures.count)
        sums = Array(repeating: 0, count: measures.count)
        rowCodes = Array(repeating: nil, count: schema.columns.count)
        rowNumbers = Array(repeating: 0, count: schema.columns.count)
    }

    /// A field, normalized: ASCII bytes stay bytes (the common, fast case);
    /// other text is decoded in the file's encoding, trimmed and digit-folded.
    private enum Field {
        case ascii(UnsafeBufferPointer<UInt8>)
        case text(String)
        case undecodable
    }

    private func withField<T>(_ csv: CSVReader, _ column: Int, _ body: (Field) throws -> T) throws -> T {
        var result: T?
        try csv.field(positions[column]) { bytes in
            if TextEncoding.isASCII(bytes) {
                result = try body(.ascii(FieldText.trimASCII(bytes)))
            } else if let text = try decoder.decode(bytes) {
                let normalized = FieldText.normalize(text)
                if normalized.utf8.allSatisfy({ $0 < 0x80 }) {
                    var copy = Array(normalized.utf8)
                    result = try copy.withUnsafeMutableBufferPointer { try body(.ascii(UnsafeBufferPointer($0))) }
                } else {
                    result = try body(.text(normalized))
                }
            } else {
                result = try body(.undecodable)
            }
        }
        return result!
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    mutating func validate(_ csv: CSVReader) throws -> Outcome {
        var reasons: [String] = []
        for (column, spec) in schema.columns.enumerated() {
            let name = spec.canonical
            let reason: String? = try withField(csv, column) { field -> String? in
                if case .undecodable = field { return "\(name) is not valid \(decoder.encoding.rawValue)" }
                switch spec.kind {
                case .identifier:
                    let id: String
                    switch field {
                    case .ascii(let bytes): id = RowValidator.string(bytes)
                    case .text(let text): id = text
                    case .undecodable: id = ""
                    }
                    if id.isEmpty { return "missing \(name)" }
                    if let first = seenIDs[id] { return "duplicate \(name) '\(id)' (first on line \(first))" }
                    seenIDs[id] = csv.line
                    return nil
                case .areaCode:
                    let code: String
                    switch field {
                    case .ascii(let bytes): code = RowValidator.string(bytes)
                    case .text(let text): code = text
                    case .undecodable: code = ""
                    }
                    if code.isEmpty { return "missing \(name)" }
                    if !allowedAreas.contains(code) {
                        return "\(name) '\(code)' is neither the file's county \(county) nor a predecessor of it"
                    }
                    return nil
                case .code(let vocabulary, let what):
                    let word: String
                    switch field {
                    case .ascii(let bytes): word = RowValidator.string(bytes)
                    case .text(let text): word = text
                    case .undecodable: word = ""
                    }
                    guard let code = vocabulary[FieldText.wordKey(word)] else {
                        rowCodes[column] = nil
                        return word.isEmpty ? "missing \(what)" : "unknown \(what) '\(word)'"
                    }
                    rowCodes[column] = code
                    return nil
                case .positiveInteger:
                    guard case .ascii(let bytes) = field, !bytes.isEmpty, let number = WrittenNumber.parse(bytes),
                          let value = number.integerValue, value >= 1 else {
                        return "\(name) '\(RowValidator.text(of: field))' is not an integer ≥ 1"
                    }
                    rowNumbers[column] = value
                    return nil
                case .amount:
                    guard case .ascii(let bytes) = field, !bytes.isEmpty else {
                        if case .ascii = field { return "\(name) is empty" }
                        return "\(name) '\(RowValidator.text(of: field))' is not a number"
                    }
                    guard let number = WrittenNumber.parse(bytes) else {
                        return "\(name) '\(RowValidator.string(bytes))' is not a number"
                    }
                    if number.negative { return "\(name) '\(RowValidator.string(bytes))' is negative" }
                    if number.scale > 2 { return "\(name) '\(RowValidator.string(bytes))' has more than 2 decimals" }
                    rowNumbers[column] = number.units * (number.scale == 0 ? 100 : number.scale == 1 ? 10 : 1)
                    return nil
                }
            }
            if let reason { reasons.append(reason) }
        }
        if !reasons.isEmpty { return .rejected(reasons.joined(separator: "; ")) }
        if rowCodes[statusColumn] != "active" { return .inactive }
        for (index, measure) in measures.enumerated() {
            var matches = true
            for condition in measure.conditions where rowCodes[condition.column] != condition.code {
                matches = false
                break
            }
            guard matches else { continue }
            counts[index] += 1
            if let column = measure.sumColumn { sums[index] += rowNumbers[column] }
        }
        return .active
    }

    private static func text(of field: Field) -> String {
        switch field {
        case .ascii(let bytes): return string(bytes)
        case .text(let text): return text
        case .undecodable: return ""
        }
    }

    /// The file's indicator values: counts, sums of integers, sums of amounts in yuan.
    func totals() -> [String: Exact] {
        var values: [String: Exact] = [:]
        for (index, measure) in measures.enumerated() {
            if let column = measure.sumColumn {
                if case .amount = schema.columns[column].kind {
                    values[measure.indicator] = Exact(units: Int128(sums[index]), scale: 2)
                } else {
                    values[measure.indicator] = Exact(Int(sums[index]))
                }
            } else {
                values[measure.indicator] = Exact(counts[index])
            }
        }
        return values
    }
}

extension WrittenNumber {
    /// The value when it is a whole number (`2`, `2.0`), else nil.
    var integerValue: Int64? {
        if negative { return -1 }
        var value = units
        for _ in 0..<scale {
            if value % 10 != 0 { return nil }
            value /= 10
        }
        return value
    }
}
