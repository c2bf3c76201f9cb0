import Extract

// Any bytes as an SDMX-ML message: the reader must deliver observations or
// throw an ExtractError, never crash, hang or read outside the input.
let limits = ReadLimits(maxDecompressedBytes: 16 << 20, maxRecordBytes: 64 << 10)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSDMX(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
    let reader = SDMXReader(name: "fuzz.xml", limits: limits) {
        MemoryByteStream.opening(bytes, name: "fuzz.xml", limits: limits)
    }
    var observations = 0
    do {
        let summary = try reader.read { _ in observations += 1 }
        precondition(summary.observations >= observations, "more observations delivered than counted")
    } catch is ExtractError {
    } catch {
        preconditionFailure("unexpected error type: \(error)")
    }
    return 0
}
