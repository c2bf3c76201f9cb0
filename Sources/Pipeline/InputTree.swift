import Foundation
import YearbookCore

/// The files of an input tree that a build of one year reads (contract section 1).
public struct InputTree: Sendable {
    public struct RosterFile: Sendable, Hashable {
        public var path: String
        /// The path relative to the input folder, as reports name it.
        public var name: String
        public var year: Int
        public var county: String
        public var roster: String
    }

    public struct SubmissionFile: Sendable, Hashable {
        public var path: String
        public var name: String
        public var year: Int
    }

    public var root: String
    public var year: Int
    public var areasPath: String
    public var rosters: [RosterFile] = []
    public var submissions: [SubmissionFile] = []
    /// Files and folders that fit none of the contract's names.
    public var problems: [Problem] = []

    /// The year folders present, ascending.
    public static func years(in root: String) -> [Int] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return entries.compactMap { entry in
            entry.count == 4 && entry.allSatisfy({ $0.isASCII && $0.isNumber }) ? Int(entry) : nil
        }.sorted()
    }

    /// Lists the files of `year` and `year - 1`; everything else that does not fit is a warning.
    public static func scan(root: String, year: Int) throws -> InputTree {
        let fm = FileManager.default
        var tree = InputTree(root: root, year: year, areasPath: (root as NSString).appendingPathComponent("areas.csv"))
        func isFolder(_ path: String) -> Bool {
            var folder: ObjCBool = false
            return fm.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
        }
        func warn(_ name: String, _ why: String) {
            tree.problems.append(.warning("input-tree", "\(why); not read", file: name))
        }
        for entry in try fm.contentsOfDirectory(atPath: root).sorted() {
            if entry == "areas.csv" { continue }
            let isYear = entry.count == 4 && entry.allSatisfy({ $0.isASCII && $0.isNumber })
            if !isYear || !isFolder((root as NSString).appendingPathComponent(entry)) {
                warn(entry, "fits none of the input tree's names (areas.csv, <year>/)")
            }
        }
        for folderYear in [year - 1, year] {
            let yearPath = (root as NSString).appendingPathComponent(String(folderYear))
            guard isFolder(yearPath) else { continue }
            for entry in try fm.contentsOfDirectory(atPath: yearPath).sorted() {
                let path = (yearPath as NSString).appendingPathComponent(entry)
                let name = "\(folderYear)/\(entry)"
                switch entry {
                case "exports" where isFolder(path):
                    for file in try fm.contentsOfDirectory(atPath: path).sorted() {
                        let filePath = (path as NSString).appendingPathComponent(file)
                        if let (county, roster) = rosterName(file), !isFolder(filePath) {
                            tree.rosters.append(RosterFile(path: filePath, name: "\(name)/\(file)", year: folderYear,
                                                           county: county, roster: roster))
                        } else if let intended = likelyRosterName(file), let (county, roster) = rosterName(intended), !isFolder(filePath) {
                            let gzipped = file.lowercased().hasSuffix(".csv") ? ", gzipped" : ""
                            warn("\(name)/\(file)", "fits none of the export names (<county>_dibao.csv.gz, <county>_tekun.csv.gz): "
                                 + "likely meant as \(intended)\(gzipped); until it is, the \(roster) figures of \(county) for \(folderYear) are missing")
                        } else {
                            warn("\(name)/\(file)", "fits none of the export names (<county>_dibao.csv.gz, <county>_tekun.csv.gz)")
                        }
                    }
                case "submissions" where isFolder(path):
                    for file in try fm.contentsOfDirectory(atPath: path).sorted() {
                        let filePath = (path as NSString).appendingPathComponent(file)
                        if (file.hasSuffix(".xml") || file.hasSuffix(".xml.gz")) && !file.hasPrefix(".") && !isFolder(filePath) {
                            tree.submissions.append(SubmissionFile(path: filePath, name: "\(name)/\(file)", year: folderYear))
                        } else {
                            warn("\(name)/\(file)", "fits none of the submission names (*.xml, *.xml.gz)")
                        }
                    }
                default:
                    warn(name, "fits none of the year folder's names (exports/, submissions/)")
                }
            }
        }
        return tree
    }

    /// A build year whose folders hold no input file would publish an empty yearbook: an error instead.
    public var emptyYearProblems: [Problem] {
        guard !rosters.contains(where: { $0.year == year }), !submissions.contains(where: { $0.year == year }) else { return [] }
        return [.error("input-tree", "no input for \(year): \(year)/exports and \(year)/submissions hold no file the contract names "
                       + "(<county>_dibao.csv.gz, <county>_tekun.csv.gz, *.xml, *.xml.gz)", file: "\(year)/")]
    }

    /// The export name a misnamed file was likely meant to have: a copy's
    /// suffix (`430204_dibao (1).csv.gz`, `… - 副本`, `… copy`) dropped, `.gz`
    /// added to a plain `.csv`, case and `-` for `_` forgiven.
    static func likelyRosterName(_ file: String) -> String? {
        var name = file.lowercased().replacingOccurrences(of: "-", with: "_")
        if name.hasSuffix(".csv") { name += ".gz" }
        guard name.hasSuffix(".csv.gz") else { return nil }
        var stem = String(name.dropLast(".csv.gz".count))
        for copy in [#" ?\(\d+\)$"#, #" ?_ ?副本( ?\(\d+\))?$"#, #" ?_? ?copy( ?\d+)?$"#] {
            stem = stem.replacingOccurrences(of: copy, with: "", options: .regularExpression)
        }
        stem = stem.trimmingCharacters(in: .whitespaces)
        let intended = stem + ".csv.gz"
        return intended != file && rosterName(intended) != nil ? intended : nil
    }

    /// `430202_dibao.csv.gz` → ("430202", "dibao").
    static func rosterName(_ file: String) -> (String, String)? {
        guard file.hasSuffix(".csv.gz") else { return nil }
        let stem = file.dropLast(".csv.gz".count)
        let parts = stem.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 6, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
              ["dibao", "tekun"].contains(String(parts[1])) else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
