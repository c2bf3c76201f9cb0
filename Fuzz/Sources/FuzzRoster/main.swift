import Extract
import Normalize
import YearbookCore

// Any bytes as a county's dibao or tekun export (gzipped when they start with
// the gzip magic): the reader must answer with a result or an ExtractError,
// never crash, and its counts must add up; and the C fast path must give
// exactly what the Swift validator alone gives.
let registry = AreaRegistry([
    Area(code: "430200", nameZH: "株洲市", nameEN: "Zhuzhou", level: .prefecture),
    Area(code: "430212", nameZH: "渌口区", nameEN: "Lukou", level: .county, parent: "430200", validFrom: 2018),
    Area(code: "430221", nameZH: "株洲县", nameEN: "Zhuzhou County", level: .county, parent: "430200", validTo: 2017, successor: "430212"),
])
let limits = ReadLimits(maxDecompressedBytes: 16 << 20, maxRecordBytes: 64 << 10)
let readers = RosterSchema.all.map { schema in
    RosterReader(schema: schema, measures: schema.name == "dibao"
        ? [try! RosterMeasure(indicator: "HH_U", formula: "count where category=U", schema: schema),
           try! RosterMeasure(indicator: "AMOUNT", formula: "sum monthly_amount", schema: schema),
           try! RosterMeasure(indicator: "MEMBERS_R", formula: "sum members where category=R", schema: schema)]
        : [try! RosterMeasure(indicator: "CENTRAL", formula: "count where care_mode=C", schema: schema)],
        registry: registry, limits: limits)
}

/// What one read gave, to compare the fast path (C) with the Swift validator alone.
struct Outcome: Equatable {
    var rows = 0, accepted = 0, inactive = 0
    var rejected: [RejectedRow] = []
    var values: [String: Exact] = [:]
    var error: ExtractError?
}

func read(_ bytes: [UInt8], _ reader: RosterReader, fastPath: Bool) -> Outcome {
    var reader = reader
    reader.fastPath = fastPath
    do {
        let result = try reader.read(displayName: "fuzz.csv.gz", county: "430212", year: 2019) {
            MemoryByteStream.opening(bytes, name: "fuzz.csv.gz", limits: limits)
        }
        precondition(result.balances, "rows read != accepted + inactive + rejected")
        return Outcome(rows: result.rowsRead, accepted: result.accepted, inactive: result.inactive,
                       rejected: try result.rejects.rows(), values: result.values)
    } catch let error as ExtractError {
        // A clear error naming the file is a correct answer to broken input.
        return Outcome(error: error)
    } catch {
        preconditionFailure("unexpected error type: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoster(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    for reader in readers {
        // Both paths must decide every row alike.
        precondition(read(bytes, reader, fastPath: true) == read(bytes, reader, fastPath: false),
                     "the fast path and the Swift validator disagree")
    }
    return 0
}
