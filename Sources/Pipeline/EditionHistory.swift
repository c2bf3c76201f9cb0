import Aggregate
import Disclose
import EditionFiles
import Extract
import Foundation
import Render
import YearbookCore

/// The earlier editions a chapter's history is read from: `<folder>/<year>/data/observations.csv`
/// of the four years before, typed (never their pages), the subject's rows only.
public enum EditionHistory {
    public struct Loaded: Sendable {
        public var editions: [PublishedEdition] = []
        /// What was read, for the manifest: the edition stays reproducible.
        public var read: [Manifest.FileEntry] = []
        public var problems: [Problem] = []
        /// What each earlier edition withheld and, for the period it shares with this build, what it published:
        /// a cell withheld once stays withheld, and one published cannot be withheld without a warning.
        public var disclosure: [Disclosure.Earlier] = []
        public init() {}
    }

    /// - Parameter disclosure: whether small cells are withheld (then the edition of the year before is read
    ///   whole, for the figures it published). What earlier editions withheld is read in any case: it stays withheld.
    static func load(folder: String, year: Int, subject: String, indicators: [Indicator], disclosure: Bool = false) -> Loaded {
        var loaded = Loaded()
        for edition in (year - Edition.historySpan + 1)..<year {
            let name = "\(edition)/\(EditionLayout.observations)"
            let path = (folder as NSString).appendingPathComponent(name)
            guard let bytes = try? POSIX.readFile(SystemPath(path)) else { continue }
            // What the edition withheld stays withheld: a file that does not read fails the build rather than publish those figures.
            let withheldName = "\(edition)/\(WithheldFile.path)"
            let withheldPath = (folder as NSString).appendingPathComponent(withheldName)
            var withheld = Withholding.none
            var withheldEntry: Manifest.FileEntry?
            if let withheldBytes = try? POSIX.readFile(SystemPath(withheldPath)) {
                do {
                    withheld = try WithheldFile.read(path: withheldPath, displayName: withheldName)
                    withheldEntry = Manifest.entry(withheldName, withheldBytes)
                } catch {
                    let why = (error as? YearbookError)?.explanation ?? "\(error)"
                    loaded.problems.append(.error(
                        .disclosure, "the figures the \(edition) edition withheld from release cannot be read (\(why)); published now, they "
                            + "could reveal a small cell: restore \(withheldName) as that edition wrote it",
                        file: withheldPath, line: (error as? YearbookError)?.location?.line,
                        messageZH: "无法读取\(edition)年版不公布的数据（\(why)）；若本版公布，可能泄露小单元：请按该版原样恢复 \(withheldName)"))
                }
            }
            var published: Set<ObservationKey> = []
            defer {
                loaded.disclosure.append(Disclosure.Earlier(edition: edition, withheld: withheld, published: published))
                if let withheldEntry { loaded.read.append(withheldEntry) }
            }
            do {
                // Read once: every area's rows when the figures it published are needed, else the subject's alone.
                let everyArea = disclosure && edition == year - 1
                let rows = try ObservationsFile.read(path: path, displayName: name, keep: { everyArea || $0 == subject })
                if everyArea {
                    for row in rows where row.key.period == edition && !row.value.isEmpty { published.insert(row.key) }
                }
                let observations = try subjectObservations(rows.filter { $0.key.area == subject }, name: name, indicators: indicators)
                loaded.editions.append(PublishedEdition(year: edition, observations: observations, withheld: withheld))
                loaded.read.append(Manifest.entry(name, bytes))
            } catch let error as YearbookError {
                loaded.problems.append(.warning(.history, "earlier edition not read: \(error.explanation)", file: path, line: error.location?.line,
                                                messageZH: "未读取往年年鉴（其历年数据不列入本版）：\(error.explanation)"))
            } catch {
                loaded.problems.append(.warning(.history, "earlier edition not read: \(error)", file: path,
                                                messageZH: "未读取往年年鉴（其历年数据不列入本版）：\(error)"))
            }
        }
        return loaded
    }

    /// The subject's observations from its rows; a derived figure is computed again
    /// from its operands (exact), not taken from its 4-decimal rounding.
    static func subjectObservations(_ rows: [ObservationsFile.Row], name: String, indicators: [Indicator]) throws
        -> [ObservationKey: Observation] {
        var observations: [ObservationKey: Observation] = [:]
        for row in rows {
            guard let status = ObservationStatus(rawValue: row.status), let source = ObservationSource(rawValue: row.source) else {
                throw YearbookError.input(file: name, line: row.line, "status '\(row.status)' or source '\(row.source)' does not read")
            }
            let value = row.value.isEmpty ? nil : Exact(decimal: row.value)
            if !row.value.isEmpty, value == nil { throw YearbookError.input(file: name, line: row.line, "value '\(row.value)' is not a decimal") }
            observations[row.key] = Observation(key: row.key, value: value, status: status, source: source,
                                                origin: [SourceLocation(file: name, line: row.line)])
        }
        for indicator in indicators where indicator.source == .derived {
            guard let formula = try? Formula.parse(indicator.formula) else { continue }
            for (key, observation) in observations where key.indicator == indicator.code && observation.usableValue != nil {
                if let exact = formula.evaluate({ code in observations[ObservationKey(area: key.area, indicator: code, period: key.period)]?.usableValue }) {
                    observations[key]?.value = exact
                }
            }
        }
        return observations
    }
}
