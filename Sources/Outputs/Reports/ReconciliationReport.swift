import Reconcile
import YearbookCore

/// Rosters against submissions, prefectures against the sum of their
/// counties, the revisions applied and the successions followed.
struct ReconciliationReport: Encodable {
    struct Check: Encodable {
        var kind: String
        var area: String
        var indicator: String
        var period: Int
        var kept: String
        var keptFrom: String
        var reported: String
        var reportedFrom: String
        var difference: String
        var tolerance: String
        var beyondTolerance: Bool
    }

    struct RevisionEntry: Encodable {
        var area: String
        var indicator: String
        var period: Int
        var kept: String
        var keptFrom: String
        var keptPrepared: String
        var superseded: [String]
    }

    struct SuccessionEntry: Encodable {
        var from: String
        var to: String
        var period: Int
        var what: String
        var file: String
    }

    var checks: [Check]
    var revisions: [RevisionEntry]
    var successions: [SuccessionEntry]

    init(_ result: StageResults) {
        checks = result.comparisons.sorted { ($0.key, $0.kind.rawValue) < ($1.key, $1.kind.rawValue) }.map {
            Check(kind: $0.kind.rawValue, area: $0.key.area, indicator: $0.key.indicator, period: $0.key.period,
                  kept: $0.kept.plainDecimal, keptFrom: $0.keptFrom, reported: $0.reported.plainDecimal,
                  reportedFrom: $0.reportedFrom, difference: $0.difference.plainDecimal,
                  tolerance: $0.tolerance.plainDecimal, beyondTolerance: $0.exceedsTolerance)
        }
        revisions = result.revisions.map { revision in
            RevisionEntry(area: revision.writtenArea, indicator: revision.indicator, period: revision.period,
                          kept: Revisions.describe(revision.kept), keptFrom: revision.kept.location.description,
                          keptPrepared: revision.kept.prepared?.text ?? "",
                          superseded: revision.superseded.map {
                              "\(Revisions.describe($0)) in \($0.location) (Prepared \($0.prepared?.text ?? "none"))"
                          })
        }
        successions = result.successions.sorted { ($0.from, $0.period, $0.file) < ($1.from, $1.period, $1.file) }.map {
            SuccessionEntry(from: $0.from, to: $0.to, period: $0.period, what: $0.what, file: $0.file)
        }
    }

    var markdown: String {
        var out = "# 数据核对 Reconciliation\n\n"
        out += "A figure reported twice is kept once; a difference beyond max(5, 0.5% of the kept figure) is a warning.\n\n"
        out += "## 花名册与报送 Rosters against submissions, 汇总与上报 sums against submitted totals\n\n"
        out += checks.isEmpty ? "None.\n" : mdTable(
            ["area", "indicator", "period", "kept", "from", "reported", "from", "difference", "tolerance", "beyond"],
            checks.map { [$0.area, $0.indicator, String($0.period), $0.kept, $0.keptFrom, $0.reported, $0.reportedFrom,
                          $0.difference, $0.tolerance, $0.beyondTolerance ? "yes" : "no"] }, leftAligned: 3)
        out += "\n## 修订 Revisions applied (latest Prepared wins)\n\n"
        out += revisions.isEmpty ? "None.\n" : mdTable(
            ["area", "indicator", "period", "kept", "from", "prepared", "superseded"],
            revisions.map { [$0.area, $0.indicator, String($0.period), $0.kept, $0.keptFrom, $0.keptPrepared,
                             $0.superseded.joined(separator: "; ")] }, leftAligned: 3)
        out += "\n## 区划变更 Successions (data under a retired code counted under its successor)\n\n"
        out += successions.isEmpty ? "None.\n" : mdTable(
            ["retired code", "successor", "period", "what", "file"],
            successions.map { [$0.from, $0.to, String($0.period), $0.what, $0.file] }, leftAligned: 9)
        return out
    }
}
