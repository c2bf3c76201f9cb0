import Aggregate
import Disclose
import Normalize
import Outputs
import YearbookCore

// The binary forms of the results the target cache keeps (besides each
// file's extraction, in Normalize): the aggregated dataset, the ranks and the
// findings, what is withheld — what regenerating a chapter reads when no input changed.

extension Observation {
    func write(to out: inout BinaryWriter) {
        out.string(key.area); out.string(key.indicator); out.int(key.period)
        out.optional(value) { o, v in o.exact(v) }
        out.string(status.rawValue); out.string(source.rawValue)
        out.array(origin) { o, l in o.location(l) }
    }

    init(reading input: inout BinaryReader) throws {
        let key = ObservationKey(area: try input.string(), indicator: try input.string(), period: try input.int())
        let value = try input.optional { i in try i.exact() }
        guard let status = ObservationStatus(rawValue: try input.string()),
              let source = ObservationSource(rawValue: try input.string()) else { throw BinaryReader.malformed }
        self.init(key: key, value: value, status: status, source: source, origin: try input.array { i in try i.location() })
    }
}

extension Aggregation.Result {
    /// After what `out` holds already (the cache file's header): one array, not a copy to prepend to.
    func encode(into out: inout BinaryWriter) {
        out.array(ObservationKey.sorted(observations.keys)) { o, key in observations[key]!.write(to: &o) }
        out.array(comparisons) { o, c in
            o.string(c.kind.rawValue); o.string(c.key.area); o.string(c.key.indicator); o.int(c.key.period)
            o.exact(c.kept); o.string(c.keptFrom); o.exact(c.reported); o.optional(c.reportedAt) { o, l in o.location(l) }
        }
        out.array(problems) { o, p in p.write(to: &o) }
        out.array(ObservationKey.sorted(units.keys)) { o, key in
            o.string(key.area); o.string(key.indicator); o.int(key.period); o.int(units[key]!)
        }
    }

    init(decoding bytes: [UInt8]) throws {
        var input = BinaryReader(bytes)
        // Sized once: grown one insert at a time, the table was rebuilt a dozen times (a third of the decoding).
        let read = try input.array { i in try Observation(reading: &i) }
        var observations: [ObservationKey: Observation] = [:]
        observations.reserveCapacity(read.count)
        for observation in read { observations[observation.key] = observation }
        let comparisons = try input.array { i -> Comparison in
            guard let kind = Comparison.Kind(rawValue: try i.string()) else { throw BinaryReader.malformed }
            let key = ObservationKey(area: try i.string(), indicator: try i.string(), period: try i.int())
            return Comparison(kind: kind, key: key, kept: try i.exact(), keptFrom: try i.string(),
                              reported: try i.exact(), reportedAt: try i.optional { i in try i.location() })
        }
        let problems = try input.array { i in try Problem(reading: &i) }
        let counts = try input.array { i in
            (ObservationKey(area: try i.string(), indicator: try i.string(), period: try i.int()), try i.int())
        }
        var units: [ObservationKey: Int] = [:]
        units.reserveCapacity(counts.count)
        for (key, count) in counts { units[key] = count }
        self.init(observations: observations, comparisons: comparisons, problems: problems, units: units)
    }
}

extension Disclosure.Result {
    func encode(into out: inout BinaryWriter) {
        func key(_ o: inout BinaryWriter, _ key: ObservationKey) { o.string(key.area); o.string(key.indicator); o.int(key.period) }
        out.array(ObservationKey.sorted(withholding.cells.keys)) { o, cell in
            key(&o, cell); o.string(withholding.cells[cell]!.rawValue); o.string(reasons[cell] ?? "")
        }
        out.array(problems) { o, p in p.write(to: &o) }
        out.int(facts.minUnits); out.int(facts.primary); out.int(facts.secondary); out.int(facts.kept)
        out.optional(facts.smallest) { o, smallest in key(&o, smallest.key); o.int(smallest.units); o.string(smallest.unit) }
    }

    init(decoding bytes: [UInt8]) throws {
        var input = BinaryReader(bytes)
        func key(_ i: inout BinaryReader) throws -> ObservationKey {
            ObservationKey(area: try i.string(), indicator: try i.string(), period: try i.int())
        }
        var cells: [ObservationKey: Confidentiality] = [:], reasons: [ObservationKey: String] = [:]
        for (cell, status, reason) in try input.array({ i in (try key(&i), try i.string(), try i.string()) }) {
            guard let status = Confidentiality(rawValue: status) else { throw BinaryReader.malformed }
            cells[cell] = status
            if !reason.isEmpty { reasons[cell] = reason }
        }
        let problems = try input.array { i in try Problem(reading: &i) }
        var facts = Disclosure.Facts(minUnits: try input.int())
        (facts.primary, facts.secondary, facts.kept) = (try input.int(), try input.int(), try input.int())
        facts.smallest = try input.optional { i in Disclosure.Smallest(key: try key(&i), units: try i.int(), unit: try i.string()) }
        guard input.isAtEnd else { throw BinaryReader.malformed }
        self.init(withholding: Withholding(cells: cells), problems: problems, facts: facts, reasons: reasons)
    }
}

enum RankingCoding {
    static func encode(_ rows: [RankingRow], into out: inout BinaryWriter) {
        out.array(rows) { o, r in
            o.string(r.indicator); o.string(r.parent); o.string(r.area); o.int(r.period); o.string(r.published); o.int(r.rank)
            o.int(r.rankedAmong)
            o.optional(r.previousRank) { o, n in o.int(n) }
        }
    }

    static func decoded(_ bytes: [UInt8]) throws -> [RankingRow] {
        var input = BinaryReader(bytes)
        return try input.array { i in
            RankingRow(indicator: try i.string(), parent: try i.string(), area: try i.string(), period: try i.int(),
                       published: try i.string(), rank: try i.int(), rankedAmong: try i.int(),
                       previousRank: try i.optional { i in try i.int() })
        }
    }
}

extension Findings {
    /// After `out`'s bytes (the cache file's header), into `file` in pieces: the problem count, each
    /// problem after its length, then the input counts as one record. At national scale the warnings
    /// alone encode to tens of megabytes; `init(reading:)` reads them back one at a time.
    func write(after out: BinaryWriter, to file: BufferedFileWriter) throws {
        var out = out
        out.unsigned(UInt64(problems.count))
        var record = BinaryWriter()
        func put(_ record: BinaryWriter) {
            out.unsigned(UInt64(record.bytes.count))
            out.append(record.bytes)
        }
        try problems.forEach { problem in
            record.removeAll()
            problem.write(to: &record)
            put(record)
            if out.bytes.count >= BufferedFileWriter.bufferSize { try file.write(out.takeBytes()) }
        }
        record.removeAll()
        for count in [counts.rosterFiles, counts.rowsRead, counts.accepted, counts.inactive, counts.rejected,
                      counts.submissionFiles, counts.observationsRead] { record.int(count) }
        put(record)
        try file.write(out.takeBytes())
    }

    /// What `write(after:to:)` wrote after the header, from `reader`: the problems one at a time into the
    /// list, which spools them, never the whole file in memory.
    init(reading reader: BufferedFileReader) throws {
        self.init()
        guard let count = try reader.unsigned() else { throw BinaryReader.malformed }
        // Written in report order: taken as they come, not sorted again (a file out of that order is not one
        // this tool wrote, and is made again).
        var last: Problem?
        for _ in 0..<count {
            guard var input = try reader.record() else { throw BinaryReader.malformed }
            let problem = try Problem(reading: &input)
            if let last, Problem.reportOrder(problem, last) { throw BinaryReader.malformed }
            problems.addInReportOrder(problem)
            last = problem
        }
        guard var input = try reader.record() else { throw BinaryReader.malformed }
        counts = InputCounts(rosterFiles: try input.int(), rowsRead: try input.int(), accepted: try input.int(),
                             inactive: try input.int(), rejected: try input.int(), submissionFiles: try input.int(),
                             observationsRead: try input.int())
        // The counts end the record and the file: a damaged count of problems would otherwise read a
        // problem as the counts, and lose the problems after it.
        guard input.isAtEnd, try reader.take(1) == nil else { throw BinaryReader.malformed }
    }
}

extension ExtractedFile {
    func encoded() -> [UInt8]? {
        var out = BinaryWriter()
        switch self {
        case .roster(let roster): out.int(0); roster.write(to: &out)
        case .submission(let submission): out.int(1); submission.write(to: &out)
        case .unreadable: return nil   // read again next time: the file may have been mended
        }
        return out.bytes
    }

    /// A roster's rejected rows are in the spool at `rejectsAt`.
    init(decoding bytes: [UInt8], rejectsAt: SystemPath) throws {
        var input = BinaryReader(bytes)
        switch try input.int() {
        case 0: self = .roster(try RosterFileResult(reading: &input, rejectsAt: rejectsAt))
        case 1: self = .submission(try SubmissionFileResult(reading: &input))
        default: throw BinaryReader.malformed
        }
    }
}
