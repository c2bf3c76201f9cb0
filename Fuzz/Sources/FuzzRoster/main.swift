import Extract
import Normalize
import YearbookCore

// Any bytes as a county's dibao or tekun export (gzipped when they start with
// the gzip magic): the reader must answer with a result or an ExtractError,
// never crash, and its counts must add up.
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

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoster(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    for reader in readers {
        do {
            let result = try reader.read(displayName: "fuzz.csv.gz", county: "430212", year: 2019) {
                MemoryByteStream.opening(bytes, name: "fuzz.csv.gz", limits: limits)
            }
            precondition(result.balances, "rows read != accepted + inactive + rejected")
        } catch is ExtractError {
            // A clear error naming the file is a correct answer to broken input.
        } catch {
            preconditionFailure("unexpected error type: \(error)")
        }
    }
    return 0
}
