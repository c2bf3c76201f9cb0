import Normalize

/// Input accounting: every roster row is accepted, inactive or rejected, and
/// the counts add up, per file and in total; every message's observations are
/// used, outside the edition's two years, or set aside with a warning.
struct InputAccounting: Encodable {
    struct RosterFile: Encodable {
        var file: String
        var roster: String
        var county: String
        var encoding: String
        var bytes: Int
        var rowsRead: Int
        var accepted: Int
        var inactive: Int
        var rejected: Int
    }

    struct Message: Encodable {
        var file: String
        var form: String
        var sender: String
        var prepared: String
        var bytes: Int
        var series: Int
        var observations: Int
        var used: Int
        var otherPeriods: Int
        var setAside: Int
    }

    struct Totals: Encodable {
        var rosterFiles = 0, bytes = 0, rowsRead = 0, accepted = 0, inactive = 0, rejected = 0
        var messages = 0, messageBytes = 0, observations = 0, used = 0, otherPeriods = 0, setAside = 0
        var balanced = true
    }

    var rosters: [RosterFile] = []
    var messages: [Message] = []
    var totals = Totals()

    init(_ result: StageResults) {
        for file in result.rosters.sorted(by: { $0.file < $1.file }) {
            rosters.append(RosterFile(file: file.file, roster: file.roster, county: file.county, encoding: file.encoding.rawValue,
                                      bytes: file.bytesOnDisk, rowsRead: file.rowsRead, accepted: file.accepted,
                                      inactive: file.inactive, rejected: file.rejected))
            totals.rosterFiles += 1
            totals.bytes += file.bytesOnDisk
            totals.rowsRead += file.rowsRead
            totals.accepted += file.accepted
            totals.inactive += file.inactive
            totals.rejected += file.rejected
            totals.balanced = totals.balanced && file.balances
        }
        for file in result.submissions.sorted(by: { $0.file < $1.file }) {
            messages.append(Message(file: file.file, form: file.form.rawValue, sender: file.header.senderID ?? "",
                                    prepared: file.header.prepared ?? "", bytes: file.bytesOnDisk, series: file.series,
                                    observations: file.observationsRead, used: file.observations.count,
                                    otherPeriods: file.otherPeriods, setAside: file.skipped))
            totals.messages += 1
            totals.messageBytes += file.bytesOnDisk
            totals.observations += file.observationsRead
            totals.used += file.observations.count
            totals.otherPeriods += file.otherPeriods
            totals.setAside += file.skipped
            totals.balanced = totals.balanced && file.observationsRead == file.observations.count + file.otherPeriods + file.skipped
        }
        totals.balanced = totals.balanced && totals.rowsRead == totals.accepted + totals.inactive + totals.rejected
    }

    var markdown: String {
        var out = "# 输入核算 Input accounting\n\n"
        out += "Every roster row is accepted, inactive or rejected (rows read = accepted + inactive + rejected); "
        out += "every observation is used, of another year, or set aside with a warning. "
        out += totals.balanced ? "**All counts add up.**\n\n" : "**The counts do not add up: this is a bug, please report it.**\n\n"
        out += "## 花名册 Rosters\n\n"
        out += mdTable(["file", "encoding", "bytes", "rows read", "accepted", "inactive", "rejected"],
                       rosters.map { [$0.file, $0.encoding, String($0.bytes), String($0.rowsRead), String($0.accepted),
                                      String($0.inactive), String($0.rejected)] }
                       + [["total (\(totals.rosterFiles) files)", "", String(totals.bytes), String(totals.rowsRead),
                           String(totals.accepted), String(totals.inactive), String(totals.rejected)]], leftAligned: 2)
        out += "\n## 报送数据 Submissions\n\n"
        out += mdTable(["file", "form", "sender", "prepared", "series", "observations", "used", "other years", "set aside"],
                       messages.map { [$0.file, $0.form, $0.sender, $0.prepared, String($0.series), String($0.observations),
                                       String($0.used), String($0.otherPeriods), String($0.setAside)] }
                       + [["total (\(totals.messages) messages)", "", "", "", "", String(totals.observations), String(totals.used),
                           String(totals.otherPeriods), String(totals.setAside)]], leftAligned: 4)
        return out
    }
}
