import Extract
import YearbookCore

// The binary form of one file's extraction, for the build cache (a roster's rejected rows stay in their spool).

extension RosterFileResult {
    public func write(to out: inout BinaryWriter) {
        out.string(file); out.string(roster); out.string(county); out.int(year); out.string(encoding.rawValue)
        out.array(columns) { o, c in o.string(c.canonical); o.string(c.header); o.int(c.position) }
        out.array(ignoredColumns) { o, s in o.string(s) }
        out.int(rowsRead); out.int(accepted); out.int(inactive)
        out.int(rejects.count); out.int(rejects.bytes)
        out.array(values.keys.sorted()) { o, key in o.string(key); o.exact(values[key]!) }
        out.int(bytesOnDisk); out.int(bytesDecompressed); out.string(sha256)
        out.array(rejectTally.reasons) { o, r in o.string(r.kind); o.int(r.count); o.int(r.line); o.string(r.example) }
        out.array(problems) { o, p in p.write(to: &o) }
        out.array(units.keys.sorted()) { o, key in o.string(key); o.int(units[key]!) }
    }

    /// The rejected rows are in the spool at `rejectsAt`, which must be whole.
    public init(reading input: inout BinaryReader, rejectsAt: SystemPath) throws {
        let file = try input.string(), roster = try input.string(), county = try input.string(), year = try input.int()
        guard let encoding = TextEncoding(rawValue: try input.string()) else { throw BinaryReader.malformed }
        let columns = try input.array { i in ColumnMapping(canonical: try i.string(), header: try i.string(), position: try i.int()) }
        let ignored = try input.array { i in try i.string() }
        self.init(file: file, roster: roster, county: county, year: year, encoding: encoding, columns: columns, ignoredColumns: ignored)
        rowsRead = try input.int(); accepted = try input.int(); inactive = try input.int()
        rejects = RejectSpool(file: file, count: try input.int(), bytes: try input.int(), path: rejectsAt)
        guard rejects.isIntact else { throw BinaryReader.malformed }
        for (key, value) in try input.array({ i in (try i.string(), try i.exact()) }) { values[key] = value }
        bytesOnDisk = try input.int(); bytesDecompressed = try input.int(); sha256 = try input.string()
        rejectTally = RejectTally(reasons: try input.array { i in
            RejectTally.Reason(kind: try i.string(), count: try i.int(), line: try i.int(), example: try i.string())
        })
        problems = try input.array { i in try Problem(reading: &i) }
        for (key, count) in try input.array({ i in (try i.string(), try i.int()) }) { units[key] = count }
    }
}

extension SubmissionFileResult {
    public func write(to out: inout BinaryWriter) {
        out.string(file); out.string(form.rawValue)
        for text in [header.id, header.prepared, header.senderID, header.senderName, header.dimensionAtObservation] {
            out.optional(text) { o, s in o.string(s) }
        }
        out.int(series); out.int(groups); out.int(observationsRead)
        out.array(observations) { o, obs in
            o.string(obs.writtenArea); o.string(obs.indicator); o.int(obs.period)
            o.optional(obs.value) { o, v in o.exact(v) }
            o.string(obs.status.rawValue); o.string(obs.file); o.int(obs.line)
            o.optional(obs.prepared) { o, p in o.string(p.text) }
            o.int(obs.deletes ? 1 : 0)
        }
        out.int(otherPeriods); out.int(skipped)
        out.array(problems) { o, p in p.write(to: &o) }
        out.int(bytesOnDisk); out.string(sha256)
    }

    public init(reading input: inout BinaryReader) throws {
        let file = try input.string()
        guard let form = SDMXForm(rawValue: try input.string()) else { throw BinaryReader.malformed }
        var texts: [String?] = []
        for _ in 0..<5 { texts.append(try input.optional { i in try i.string() }) }
        let header = SDMXHeader(id: texts[0], prepared: texts[1], senderID: texts[2], senderName: texts[3], dimensionAtObservation: texts[4])
        let series = try input.int(), groups = try input.int(), read = try input.int()
        let observations = try input.array { i -> SubmittedObservation in
            let area = try i.string(), indicator = try i.string(), period = try i.int()
            let value = try i.optional { i in try i.exact() }
            guard let status = ObservationStatus(rawValue: try i.string()) else { throw BinaryReader.malformed }
            let file = try i.string(), line = try i.int()
            let prepared = try i.optional { i in try i.string() }.flatMap(PreparedTime.init)
            return SubmittedObservation(writtenArea: area, indicator: indicator, period: period, value: value, status: status,
                                        file: file, line: line, prepared: prepared, deletes: try i.int() != 0)
        }
        let otherPeriods = try input.int(), skipped = try input.int()
        let problems = try input.array { i in try Problem(reading: &i) }
        self.init(file: file, form: form, header: header, prepared: header.prepared.flatMap { PreparedTime($0.trimmingASCIISpaces) },
                  series: series, groups: groups, observationsRead: read, observations: observations,
                  otherPeriods: otherPeriods, skipped: skipped, problems: problems,
                  bytesOnDisk: try input.int(), sha256: try input.string())
    }
}
