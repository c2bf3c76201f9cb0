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
        /// The path as text (escaped where the name is not UTF-8).
        public var path: String
        /// The path as the file system holds it, which opens the file whatever its name's bytes.
        public var systemPath: SystemPath
        public var name: String
        public var year: Int
    }

    public var root: String
    public var year: Int
    public var areasPath: String
    /// False when areas.csv is there but must not be read (not a regular file, or a link out of the tree).
    public var areasUsable = true
    public var rosters: [RosterFile] = []
    public var submissions: [SubmissionFile] = []
    /// Files and folders that fit none of the contract's names, and those that must not be read.
    public var problems: [Problem] = []

    /// Refuses an input tree that is not a folder (missing, a file, an empty or too long path): a usage error.
    public static func checkRoot(_ root: String) throws {
        guard let info = try? POSIX.stat(SystemPath(root)), FileKind(mode: info.st_mode) == .folder else {
            throw YearbookError.usage("no such input folder: \(root.isEmpty ? "'' (--input is empty)" : root)")
        }
    }

    /// The year folders present, ascending.
    public static func years(in root: String) -> [Int] {
        let entries = (try? POSIX.folderEntries(SystemPath(root))) ?? []
        return entries.compactMap { entry in
            entry.count == 4 && entry.allSatisfy({ $0 >= 48 && $0 <= 57 }) ? Int(String(decoding: entry, as: UTF8.self)) : nil
        }.sorted()
    }

    /// Lists the files of `year` and `year - 1`; everything else that does not fit is a warning.
    /// Only regular files inside the tree are read: a FIFO, socket, device or folder named like an
    /// input, and a symbolic link that leads out of the tree, are errors naming them.
    public static func scan(root: String, year: Int) throws -> InputTree {
        var tree = InputTree(root: root, year: year, areasPath: (root as NSString).appendingPathComponent("areas.csv"))
        let rootPath = SystemPath(root)
        let realRoot = try POSIX.realpath(rootPath)
        func warn(_ name: String, _ why: String) {
            tree.problems.append(.warning(.inputTree, "\(why); not read", file: name))
        }
        func refuse(_ name: String, _ why: String) {
            tree.problems.append(.error(.inputTree, "\(why); not read", file: name))
        }
        /// What `path` is, a symbolic link followed; nil (with an error) for a link that leaves the tree.
        func kind(_ path: SystemPath, name: String) -> FileKind? {
            guard let info = try? POSIX.lstat(path) else { return nil }
            guard FileKind(mode: info.st_mode) == .symbolicLink else { return FileKind(mode: info.st_mode) }
            guard let target = try? POSIX.realpath(path), let followed = try? POSIX.stat(target) else {
                refuse(name, "is a symbolic link to nothing")
                return nil
            }
            guard target == realRoot || target.bytes.starts(with: realRoot.bytes + [UInt8(ascii: "/")]) else {
                refuse(name, "is a symbolic link to \(target), outside the input tree")
                return nil
            }
            return FileKind(mode: followed.st_mode)
        }
        /// A file named like an input is read only when it is a regular file.
        func isReadable(_ path: SystemPath, name: String) -> Bool {
            guard let kind = kind(path, name: name) else { return false }
            if kind != .regular { refuse(name, "is \(kind.rawValue), not a regular file") }
            return kind == .regular
        }
        let areas = rootPath.appending("areas.csv")
        if (try? POSIX.lstat(areas)) != nil { tree.areasUsable = isReadable(areas, name: "areas.csv") }
        var yearFolders: Set<[UInt8]> = []
        for entry in try POSIX.folderEntries(rootPath) where entry != Array("areas.csv".utf8) {
            let name = SystemPath.shown(entry)
            let isYear = entry.count == 4 && entry.allSatisfy({ $0 >= 48 && $0 <= 57 })
            guard let entryKind = kind(rootPath.appending(entry), name: name) else { continue }
            if isYear && entryKind == .folder {
                yearFolders.insert(entry)
            } else {
                warn(name, "fits none of the input tree's names (areas.csv, <year>/)")
            }
        }
        for folderYear in [year - 1, year] where yearFolders.contains(Array(String(folderYear).utf8)) {
            let yearPath = rootPath.appending(String(folderYear))
            for entry in try POSIX.folderEntries(yearPath) {
                let path = yearPath.appending(entry)
                let name = "\(folderYear)/\(SystemPath.shown(entry))"
                let entryKind = kind(path, name: name)
                switch entry {
                case Array("exports".utf8) where entryKind == .folder:
                    for file in try POSIX.folderEntries(path) {
                        let filePath = path.appending(file)
                        let fileName = "\(name)/\(SystemPath.shown(file))"
                        let text = String(decoding: file, as: UTF8.self)
                        if let (county, roster) = rosterName(text) {
                            if isReadable(filePath, name: fileName) {
                                tree.rosters.append(RosterFile(path: filePath.text!, name: fileName, year: folderYear,
                                                               county: county, roster: roster))
                            }
                        } else if let intended = likelyRosterName(text), let (county, roster) = rosterName(intended),
                                  POSIX.kind(filePath) != .folder {
                            let gzipped = text.lowercased().hasSuffix(".csv") ? ", gzipped" : ""
                            warn(fileName, "fits none of the export names (<county>_dibao.csv.gz, <county>_tekun.csv.gz): "
                                 + "likely meant as \(intended)\(gzipped); until it is, the \(roster) figures of \(county) for \(folderYear) are missing")
                        } else {
                            warn(fileName, "fits none of the export names (<county>_dibao.csv.gz, <county>_tekun.csv.gz)")
                        }
                    }
                case Array("submissions".utf8) where entryKind == .folder:
                    for file in try POSIX.folderEntries(path) {
                        let filePath = path.appending(file)
                        let fileName = "\(name)/\(SystemPath.shown(file))"
                        if (file.ends(with: ".xml") || file.ends(with: ".xml.gz")) && file.first != UInt8(ascii: ".") {
                            if isReadable(filePath, name: fileName) {
                                tree.submissions.append(SubmissionFile(path: filePath.text ?? filePath.description, systemPath: filePath,
                                                                       name: fileName, year: folderYear))
                            }
                        } else {
                            warn(fileName, "fits none of the submission names (*.xml, *.xml.gz)")
                        }
                    }
                default:
                    if entryKind != nil {
                        warn(name, "fits none of the year folder's names (exports/, submissions/)")
                    }
                }
            }
        }
        return tree
    }

    /// A build year whose folders hold no input file would publish an empty yearbook: an error instead.
    public var emptyYearProblems: [Problem] {
        guard !rosters.contains(where: { $0.year == year }), !submissions.contains(where: { $0.year == year }) else { return [] }
        return [.error(.inputTree, "no input for \(year): \(year)/exports and \(year)/submissions hold no file the contract names "
                       + "(<county>_dibao.csv.gz, <county>_tekun.csv.gz, *.xml, *.xml.gz)", file: "\(year)/", period: year)]
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
    public static func rosterName(_ file: String) -> (String, String)? {
        // Six ASCII digits, "_", a roster's name, ".csv.gz": every character ASCII, so the bytes are compared.
        let bytes = Array(file.utf8)
        guard bytes.count == 19, bytes[..<6].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
              bytes[6] == UInt8(ascii: "_"), bytes[12...].elementsEqual(".csv.gz".utf8) else { return nil }
        let roster = String(decoding: bytes[7..<12], as: UTF8.self)
        guard roster == "dibao" || roster == "tekun" else { return nil }
        return (String(decoding: bytes[..<6], as: UTF8.self), roster)
    }
}

private extension Array where Element == UInt8 {
    func ends(with suffix: String) -> Bool { self.suffix(suffix.utf8.count).elementsEqual(suffix.utf8) }
}
