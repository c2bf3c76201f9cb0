import CRosterScan
import Extract
import YearbookCore

/// Validates the rows of one roster file against the contract's rules and
/// adds each active row into the file's indicator totals.
///
/// Two paths share one state (`RosterScan`: ids, totals): plainly valid lines
/// go through the C fast path in bulk; every other row comes here, where an
/// ASCII field is checked as bytes and other text is decoded in the file's
/// encoding, trimmed and digit-folded first, and a rejection says why.
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

    /// What a schema and its measures give every file: built once per build, not per file.
    final class Plan: @unchecked Sendable {
        let schema: RosterSchema
        let vocabularies: [Vocabulary?]
        fileprivate let checks: [Check]
        let statusColumn: Int
        let activeCode: Int
        /// Per measure: the column summed (or nil), its (column, code index) conditions, its indicator.
        let measureSums: [Int?]
        let measureConditions: [[(column: Int, code: Int)]]
        let measureIndicators: [String]

        init(schema: RosterSchema, measures: [RosterMeasure]) {
            self.schema = schema
            let vocabularies: [Vocabulary?] = schema.columns.map {
                if case .code(let words, _) = $0.kind { return Vocabulary(words) }
                return nil
            }
            self.vocabularies = vocabularies
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
        }
    }

    /// What each column holds, without payloads.
    fileprivate enum Check {
        case identifier, areaCode, code, positiveInteger, amount

        var kernelKind: Int32 {
            switch self {
            case .identifier: Int32(YEARBOOK_FIELD_IDENTIFIER)
            case .areaCode: Int32(YEARBOOK_FIELD_AREA)
            case .code: Int32(YEARBOOK_FIELD_CODE)
            case .positiveInteger: Int32(YEARBOOK_FIELD_POSITIVE_INTEGER)
            case .amount: Int32(YEARBOOK_FIELD_AMOUNT)
            }
        }
    }

    let plan: Plan
    var schema: RosterSchema { plan.schema }
    let county: String
    /// File position of each schema column.
    let positions: [Int]
    let decoder: FieldDecoder
    /// Area codes accepted in this file: the county and its predecessors.
    private let allowedAreas: [[UInt8]]
    private var vocabularies: [Vocabulary?] { plan.vocabularies }
    private var checks: [Check] { plan.checks }
    /// The file's id set and totals, and the fast path that shares them.
    let scan: RosterScan

    /// `fields`: the header's width; `fastPath` false sends every row through `validate`.
    init(plan: Plan, registry: AreaRegistry, county: String,
         positions: [Int], fields: Int, decoder: FieldDecoder, maxRecordBytes: Int, fastPath: Bool = true) {
        self.plan = plan
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
        scan = RosterScan(columns: plan.schema.columns.count, fields: fields, positions: positions,
                          kinds: plan.checks.map(\.kernelKind), vocabularies: plan.vocabularies.map { $0?.ascii ?? [] },
                          codeCounts: plan.vocabularies.map { $0?.codes.count ?? 0 },
                          areas: allowedAreas, statusColumn: plan.statusColumn, activeCode: plan.activeCode,
                          measures: zip(plan.measureSums, plan.measureConditions).map { ($0, $1) },
                          maxRecordBytes: maxRecordBytes, fastPath: fastPath)
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
        return scan.addRow() ? .active : .inactive
    }

    /// The fast path: plainly valid lines from the start of `bytes`, decided in C.
    func lines(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int) -> RosterScan.Lines {
        scan.lines(bytes, firstLine: firstLine)
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
                first = Array(text.utf8).withUnsafeBufferPointer { scan.insertID($0, line: line) }
            } else {
                first = scan.insertID(ascii, line: line)
            }
            if let first { return "duplicate \(name(column)) '\(shown(ascii, text))' (first on line \(first))" }
            return nil
        case .areaCode:
            if text == nil && ascii.isEmpty { return "missing \(name(column))" }
            if text == nil {
                for code in allowedAreas where code.count == ascii.count && code.elementsEqual(ascii) { return nil }
            }
            return "\(name(column)) '\(shown(ascii, text))' is neither the file's county \(county) nor a predecessor of it"
        case .code:
            var code: Int?
            if let text {
                code = vocabularies[column]!.text[FieldText.wordKey(text)]
            } else {
                code = vocabularies[column]!.code(ascii: ascii)
            }
            guard let code else {
                scan.setCode(column, -1)
                guard case .code(_, let what) = schema.columns[column].kind else { return nil }
                let word = shown(ascii, text)
                return word.isEmpty ? "missing \(what)" : "unknown \(what) '\(word)'"
            }
            scan.setCode(column, code)
            return nil
        case .positiveInteger:
            guard text == nil, !ascii.isEmpty, let number = WrittenNumber.parse(ascii),
                  let value = number.integerValue, value >= 1 else {
                return "\(name(column)) '\(shown(ascii, text))' is not an integer ≥ 1"
            }
            scan.setNumber(column, UInt64(value))
            return nil
        case .amount:
            if text == nil && ascii.isEmpty { return "\(name(column)) is empty" }
            guard text == nil, let number = WrittenNumber.parse(ascii) else {
                return "\(name(column)) '\(shown(ascii, text))' is not a number"
            }
            if number.negative { return "\(name(column)) '\(shown(ascii, text))' is negative" }
            if number.scale > 2 { return "\(name(column)) '\(shown(ascii, text))' has more than 2 decimals" }
            // At most 17 digits: in cents it still fits 64 bits.
            scan.setNumber(column, UInt64(number.units) * (number.scale == 0 ? 100 : number.scale == 1 ? 10 : 1))
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
        for index in 0..<plan.measureIndicators.count {
            if let column = plan.measureSums[index] {
                if case .amount = schema.columns[column].kind {
                    values[plan.measureIndicators[index]] = Exact(units: scan.sum(index), scale: 2)
                } else {
                    values[plan.measureIndicators[index]] = Exact(units: scan.sum(index), scale: 0)
                }
            } else {
                values[plan.measureIndicators[index]] = Exact(scan.count(index))
            }
        }
        return values
    }

    /// The active rows each indicator is counted from (a sum's rows too, not only a count's).
    func units() -> [String: Int] {
        var units: [String: Int] = [:]
        for index in 0..<plan.measureIndicators.count { units[plan.measureIndicators[index]] = scan.count(index) }
        return units
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
