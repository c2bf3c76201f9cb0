import CRosterScan
import Extract
import YearbookCore

/// The Swift side of the roster fast path (`Sources/C/CRosterScan`), the one
/// home of its raw calls: the C state holds one file's id set and indicator
/// totals, which both the fast path and `RowValidator` write.
final class RosterScan {
    private let state: OpaquePointer

    struct Lines {
        var bytes: Int
        var rows: Int
        var active: Int
        var inactive: Int
    }

    /// `fields`: the file's header width; `positions`: the file position of each
    /// schema column; `vocabularies`: per code column, its ASCII words (lowercased)
    /// and their code indices; `codeCounts`: per column, its number of codes (0
    /// for other columns); `measures`: per measure, the column summed (nil: a
    /// row count) and its (column, code index) conditions. `fastPath` false
    /// sends every row through Swift.
    init(columns: Int, fields: Int, positions: [Int], kinds: [Int32], vocabularies: [[(word: [UInt8], code: Int)]],
         codeCounts: [Int],
         areas: [[UInt8]], statusColumn: Int, activeCode: Int,
         measures: [(sumColumn: Int?, conditions: [(column: Int, code: Int)])], maxRecordBytes: Int, fastPath: Bool) {
        guard let state = yearbook_roster_scan_create(Int32(columns), Int32(measures.count)) else {
            fatalError("roster scan state: out of memory, or more than \(YEARBOOK_SCAN_MAX_COLUMNS) columns")
        }
        self.state = state
        // CSVReader.skim's promise must cover what the C scan reads past a buffer's end.
        precondition(CSVReader.skimPadding > Int(YEARBOOK_SCAN_PADDING), "CSVReader.skimPadding is too small for the roster scan")
        for (index, measure) in measures.enumerated() {
            let columns = measure.conditions.map { Int32($0.column) }
            let codes = measure.conditions.map { Int32($0.code) }
            // RosterMeasure allows no more conditions than the C side holds.
            let set = yearbook_roster_scan_set_measure(state, Int32(index), Int32(measure.sumColumn ?? -1),
                                                       Int32(columns.count), columns, codes)
            precondition(set != 0, "measure \(index) does not fit the roster scan")
        }
        yearbook_roster_scan_set_status(state, Int32(statusColumn), Int32(activeCode))
        for (column, count) in codeCounts.enumerated() {
            yearbook_roster_scan_set_code_count(state, Int32(column), Int32(count))
        }
        for (column, words) in vocabularies.enumerated() {
            for entry in words {
                entry.word.withUnsafeBufferPointer {
                    yearbook_roster_scan_add_word(state, Int32(column), $0.baseAddress, $0.count, Int32(entry.code))
                }
            }
        }
        // Only codes the Swift path would compare as plain ASCII bytes.
        for area in areas where area.allSatisfy({ $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x2C }) {
            area.withUnsafeBufferPointer { yearbook_roster_scan_add_area(state, $0.baseAddress, $0.count) }
        }
        // A file wider than the fast path reads goes row by row through Swift.
        yearbook_roster_scan_set_fields(state, fastPath ? Int32(fields) : 0, maxRecordBytes)
        for (column, position) in positions.enumerated() {
            yearbook_roster_scan_set_field(state, Int32(position), Int32(column), kinds[column])
        }
    }

    deinit { yearbook_roster_scan_destroy(state) }

    /// Adds an id first seen on `line`; the line of an earlier occurrence, if any.
    func insertID(_ id: UnsafeBufferPointer<UInt8>, line: Int) -> Int? {
        let earlier = yearbook_roster_scan_insert_id(state, id.baseAddress, id.count, UInt32(clamping: line))
        return earlier == 0 ? nil : Int(earlier)
    }

    func setCode(_ column: Int, _ code: Int) { yearbook_roster_scan_set_code(state, Int32(column), Int32(code)) }

    /// An integer, or an amount in cents (at most 17 digits: it fits 64 bits).
    func setNumber(_ column: Int, _ value: UInt64) { yearbook_roster_scan_set_number(state, Int32(column), value) }

    /// Adds the row whose codes and numbers were set; true when it is active.
    func addRow() -> Bool { yearbook_roster_scan_add_row(state) != 0 }

    /// Reads plainly valid lines from the start of `bytes` (see the C header).
    func lines(_ bytes: UnsafeBufferPointer<UInt8>, firstLine: Int) -> Lines {
        let result = yearbook_roster_scan_lines(state, bytes.baseAddress, bytes.count, UInt32(clamping: firstLine))
        return Lines(bytes: result.bytes, rows: result.rows, active: result.active, inactive: result.inactive)
    }

    func count(_ measure: Int) -> Int { Int(yearbook_roster_scan_count(state, Int32(measure))) }

    func sum(_ measure: Int) -> Int128 {
        var low: UInt64 = 0
        var high: Int64 = 0
        yearbook_roster_scan_sum(state, Int32(measure), &low, &high)
        return Int128(high) << 64 | Int128(low)
    }
}
