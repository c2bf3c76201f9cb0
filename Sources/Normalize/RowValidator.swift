import Extract
import YearbookCore

/// Validates the rows of one roster file against the contract's rules and
/// adds each active row into the file's indicator totals.
///
/// This is the inner loop of the whole build: an ASCII field (nearly every
/// field) is checked as bytes, without making a String; other text is decoded
/// in the file's encoding, trimmed and digit-folded first.
struct RowValidator {
    enum Outcome {
        case active, inactive
        case rejected(String)
    }

    /// A code column's words: ASCII ones lowercased as bytes, others as text.
    struct Vocabulary {
        var codes: [String]
        var ascii: [(word: [UInt8], code: Int)]
        var text: [String: Int]

        init(_ words: [String: String]) {
            codes = Array(Set(words.values)).sorted()
            ascii = []
            text = [:]
            for (word, code) in words.sorted(by: { $0.key < $1.key }) {
                let index = codes.firstIndex(of: code)!
                if word.utf8.allSatisfy({ $0 < 0x80 }) {
                    ascii.append((Array(FieldText.wordKey(word).utf8), index))
                } else {
                    text[word] = index
                }
            }
        }

        /// Words of up to 8 bytes packed into one integer (lowercased), for one comparison each.
        var packed: [(key: UInt64, code: Int)] { ascii.compactMap { entry in
            entry.word.count <= 8 ? (Vocabulary.pack(entry.word.withUnsafeBufferPointer { $0 })!, entry.code) : nil
        } }

        /// Up to 8 bytes, ASCII-lowercased, with the length in the top byte; nil when longer.
        @inline(__always)
        static func pack(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
            guard bytes.count <= 7 else { return bytes.count == 8 ? packEight(bytes) : nil }
            var key = UInt64(bytes.count) << 56
            for i in 0..<bytes.count {
                var b = bytes[i]
                if b >= 0x41 && b <= 0x5A { b += 32 }
                key |= UInt64(b) << (UInt64(i) * 8)
            }
            return key
        }

        static func packEight(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
            var key: UInt64 = 0
            for i in 0..<8 {
                var b = bytes[i]
                if b >= 0x41 && b <= 0x5A { b += 32 }
                key |= UInt64(b) << (UInt64(i) * 8)
            }
            return key ^ 0x8000_0000_0000_0000
        }

        /// The code index of an ASCII word, ignoring ASCII case.
        func code(ascii bytes: UnsafeBufferPointer<UInt8>) -> Int? {
            for entry in ascii where entry.word.count == bytes.count {
                var same = true
                for i in 0..<bytes.count {
                    var b = bytes[i]
                    if b >= 0x41 && b <= 0x5A { b += 32 }
                    if b != entry.word[i] {
                        same = false
                        break
                    }
                }
                if same { return entry.code }
            }
            return nil
        }
    }

    let schema: RosterSchema
    let county: String
    /// File position of each schema column.
    let positions: [Int]
    let decoder: FieldDecoder
    /// Area codes accepted in this file: the county and its predecessors.
    private let allowedAreas: [[UInt8]]
    private let vocabularies: [Vocabulary?]
    /// Per code column, its short ASCII words packed (see `Vocabulary.pack`).
    private let packedWords: [[(key: UInt64, code: Int)]]
    /// The allowed area codes packed, when they are at most 8 bytes (six digits are).
    private let packedAreas: [UInt64]
    /// What each column holds, without payloads: the hot loop reads only this.
    private enum Check { case identifier, areaCode, code, positiveInteger, amount }
    private let checks: [Check]
    private let statusColumn: Int
    private let activeCode: Int
    /// Per measure: the column summed (or nil) and the (column, code index) conditions.
    private let measureSums: [Int?]
    private let measureConditions: [[(column: Int, code: Int)]]
    private let measureIndicators: [String]
    private let ids = IdentifierSet()
    /// Totals and per-row scratch in raw memory: written once per field of every row.
    private let memory: Scratch
    private var counts: UnsafeMutablePointer<Int> { memory.counts }
    /// Int128: a sum of many 17-digit amounts in cents does not fit 64 bits.
    private var sums: UnsafeMutablePointer<Int128> { memory.sums }
    // Per-row scratch: the code index of code columns, the value of number columns.
    private var rowCodes: UnsafeMutablePointer<Int> { memory.rowCodes }
    private var rowNumbers: UnsafeMutablePointer<Int128> { memory.rowNumbers }

    final class Scratch {
        let counts: UnsafeMutablePointer<Int>
        let sums: UnsafeMutablePointer<Int128>
        let rowCodes: UnsafeMutablePointer<Int>
        let rowNumbers: UnsafeMutablePointer<Int128>

        init(measures: Int, columns: Int) {
            counts = .allocate(capacity: max(measures, 1))
            counts.initialize(repeating: 0, count: max(measures, 1))
            sums = .allocate(capacity: max(measures, 1))
            sums.initialize(repeating: 0, count: max(measures, 1))
            rowCodes = .allocate(capacity: columns)
            rowCodes.initialize(repeating: -1, count: columns)
            rowNumbers = .allocate(capacity: columns)
            rowNumbers.initialize(repeating: 0, count: columns)
        }

        deinit {
            counts.deallocate()
            sums.deallocate()
            rowCodes.deallocate()
            rowNumbers.deallocate()
        }
    }

    init(schema: RosterSchema, measures: [RosterMeasure], registry: AreaRegistry, county: String,
         positions: [Int], decoder: FieldDecoder) {
        self.schema = schema
        self.county = county
        self.positions = positions
        self.decoder = decoder
        var allowed: [String] = [county]
        var frontier = [county]
        while let next = frontier.popLast() {
            for predecessor in registry.predecessors(of: next) where !allowed.contains(predecessor) {
                allowed.append(predecessor)
                frontier.append(predecessor)
            }
        }
        allowedAreas = allowed.map { Array($0.utf8) }
        packedAreas = allowedAreas.compactMap { code in code.withUnsafeBufferPointer { Vocabulary.pack($0) } }
        let vocabularies: [Vocabulary?] = schema.columns.map {
            if case .code(let words, _) = $0.kind { return Vocabulary(words) }
            return nil
        }
        self.vocabularies = vocabularies
        packedWords = vocabularies.map { $0?.packed ?? [] }
        checks = schema.columns.map {
            switch $0.kind {
            case .identifier: return .identifier
            case .areaCode: return .areaCode
            case .code: return .code
            case .positiveInteger: return .positiveInteger
            case .amount: return .amount
            }
        }
        statusColumn = schema.index(of: "status")!
        activeCode = vocabularies[statusColumn]!.codes.firstIndex(of: "active")!
        measureSums = measures.map(\.sumColumn)
        measureConditions = measures.map { measure in
            measure.conditions.map { ($0.column, vocabularies[$0.column]?.codes.firstIndex(of: $0.code) ?? -1) }
        }
        measureIndicators = measures.map(\.indicator)
        memory = Scratch(measures: measures.count, columns: schema.columns.count)
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    mutating func validate(_ csv: CSVReader) throws -> Outcome {
        var reasons: [String] = []
        let recordIsASCII = csv.isASCII
        for column in 0..<schema.columns.count {
            let bytes = csv.field(positions[column])
            let reason: String?
            if recordIsASCII || TextEncoding.isASCII(bytes) {
                reason = check(column, ascii: FieldText.trimASCII(bytes), text: nil, line: csv.line)
            } else if let decoded = try decoder.decode(bytes) {
                let normalized = FieldText.normalize(decoded)
                if normalized.utf8.allSatisfy({ $0 < 0x80 }) {
                    // Full-width digits or U+3000 around ASCII: the byte path after all.
                    let copy = Array(normalized.utf8)
                    reason = copy.withUnsafeBufferPointer { check(column, ascii: $0, text: nil, line: csv.line) }
                } else {
                    reason = check(column, ascii: UnsafeBufferPointer(start: nil, count: 0), text: normalized, line: csv.line)
                }
            } else {
                reason = "\(schema.columns[column].canonical) is not valid \(decoder.encoding.rawValue)"
            }
            if let reason { reasons.append(reason) }
        }
        if !reasons.isEmpty { return .rejected(reasons.joined(separator: "; ")) }
        if rowCodes[statusColumn] != activeCode { return .inactive }
        for index in 0..<measureSums.count {
            var matches = true
            for condition in measureConditions[index] where rowCodes[condition.column] != condition.code {
                matches = false
                break
            }
            guard matches else { continue }
            counts[index] += 1
            if let column = measureSums[index] { sums[index] += rowNumbers[column] }
        }
        return .active
    }

    /// Checks one field: `ascii` trimmed bytes, or `text` when the field is not
    /// ASCII after normalization. Returns the reason for a rejection; the
    /// messages (and any String) are only made for a rejected field.
    private mutating func check(_ column: Int, ascii: UnsafeBufferPointer<UInt8>, text: String?, line: Int) -> String? {
        switch checks[column] {
        case .identifier:
            if text == nil && ascii.isEmpty { return "missing \(name(column))" }
            let first: Int?
            if let text {
                first = Array(text.utf8).withUnsafeBufferPointer { ids.insert($0, line: line) }
            } else {
                first = ids.insert(ascii, line: line)
            }
            if let first { return "duplicate \(name(column)) '\(shown(ascii, text))' (first on line \(first))" }
            return nil
        case .areaCode:
            if text == nil && ascii.isEmpty { return "missing \(name(column))" }
            if text == nil {
                if let key = Vocabulary.pack(ascii), packedAreas.count == allowedAreas.count {
                    for area in packedAreas where area == key { return nil }
                } else {
                    for code in allowedAreas where code.count == ascii.count && code.elementsEqual(ascii) { return nil }
                }
            }
            return "\(name(column)) '\(shown(ascii, text))' is neither the file's county \(county) nor a predecessor of it"
        case .code:
            var code: Int?
            if let text {
                code = vocabularies[column]!.text[FieldText.wordKey(text)]
            } else if let key = Vocabulary.pack(ascii) {
                for entry in packedWords[column] where entry.key == key {
                    code = entry.code
                    break
                }
            } else {
                code = vocabularies[column]!.code(ascii: ascii)
            }
            guard let code else {
                rowCodes[column] = -1
                guard case .code(_, let what) = schema.columns[column].kind else { return nil }
                let word = shown(ascii, text)
                return word.isEmpty ? "missing \(what)" : "unknown \(what) '\(word)'"
            }
            rowCodes[column] = code
            return nil
        case .positiveInteger:
            guard text == nil, !ascii.isEmpty, let number = WrittenNumber.parse(ascii),
                  let value = number.integerValue, value >= 1 else {
                return "\(name(column)) '\(shown(ascii, text))' is not an integer ≥ 1"
            }
            rowNumbers[column] = Int128(value)
            return nil
        case .amount:
            if text == nil && ascii.isEmpty { return "\(name(column)) is empty" }
            guard text == nil, let number = WrittenNumber.parse(ascii) else {
                return "\(name(column)) '\(shown(ascii, text))' is not a number"
            }
            if number.negative { return "\(name(column)) '\(shown(ascii, text))' is negative" }
            if number.scale > 2 { return "\(name(column)) '\(shown(ascii, text))' has more than 2 decimals" }
            rowNumbers[column] = Int128(number.units) * (number.scale == 0 ? 100 : number.scale == 1 ? 10 : 1)
            return nil
        }
    }

    private func name(_ column: Int) -> String { schema.columns[column].canonical }

    private func shown(_ ascii: UnsafeBufferPointer<UInt8>, _ text: String?) -> String {
        text ?? RowValidator.string(ascii)
    }

    /// The file's indicator values: counts, sums of integers, sums of amounts in yuan.
    func totals() -> [String: Exact] {
        var values: [String: Exact] = [:]
        for index in 0..<measureIndicators.count {
            if let column = measureSums[index] {
                if case .amount = schema.columns[column].kind {
                    values[measureIndicators[index]] = Exact(units: sums[index], scale: 2)
                } else {
                    values[measureIndicators[index]] = Exact(units: sums[index], scale: 0)
                }
            } else {
                values[measureIndicators[index]] = Exact(counts[index])
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
