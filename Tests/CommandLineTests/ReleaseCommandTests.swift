import Foundation
import Testing

/// `yearbook release EDITION DEST`: what may be published of an edition, and nothing private.
extension CommandLineTests {
    /// The files of a release of the sample 2019 edition, exactly.
    static let released2019: [String] = [
        "chapters/charity-funeral.html", "chapters/charity-funeral.md",
        // No trend charts: a build into a fresh folder has no earlier edition to draw history from.
        "chapters/charts/charity-funeral-areas-CEMETERIES_COMMERCIAL.svg", "chapters/charts/child-welfare-areas-CHILD_HOME_COVERAGE.svg",
        "chapters/charts/community-governance-areas-COMMUNITY_SPACE_AVG.svg", "chapters/charts/elderly-care-areas-BEDS_PER_1000.svg",
        "chapters/charts/social-assistance-areas-DIBAO_PC_R.svg", "chapters/charts/social-assistance-rank-DIBAO_STD_R.svg",
        "chapters/charts/social-assistance-rank-DIBAO_STD_U.svg", "chapters/charts/social-organizations-areas-SO_PER_10K.svg",
        "chapters/child-welfare.html", "chapters/child-welfare.md", "chapters/community-governance.html", "chapters/community-governance.md",
        "chapters/elderly-care.html", "chapters/elderly-care.md", "chapters/social-assistance.html", "chapters/social-assistance.md",
        "chapters/social-organizations.html", "chapters/social-organizations.md",
        "data/areas.csv", "data/observations.csv", "data/observations.xml", "data/rankings.csv",
        "data/tables/charity-funeral.json", "data/tables/child-welfare.json", "data/tables/community-governance.json",
        "data/tables/elderly-care.json", "data/tables/social-assistance.json", "data/tables/social-organizations.json",
        "definitions.html", "definitions.md", "index.html", "index.md", "manifest.json", "yearbook.xlsx",
    ]

    /// Every file under `folder` (relative, sorted), hidden ones included.
    func filesUnder(_ folder: String) -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var files: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder), !isFolder.boolValue { files.append(path) }
        }
        return files.sorted()
    }

    /// Every household and person id of the sample rosters (UTF-8 or GB18030; the id column found by its header).
    func rosterIds() throws -> Set<String> {
        var ids: Set<String> = []
        let exports = try FileManager.default.contentsOfDirectory(atPath: Self.repositoryRoot + "/samples/input")
            .filter { $0.count == 4 }.map { Self.repositoryRoot + "/samples/input/\($0)/exports" }
        for folder in exports {
            for name in try FileManager.default.contentsOfDirectory(atPath: folder) where name.hasSuffix(".csv.gz") {
                let file = folder + "/" + name
                let text = try #require(shell("gzip -dc '\(file)' | iconv -f UTF-8 -t UTF-8 2>/dev/null || gzip -dc '\(file)' | iconv -f GB18030 -t UTF-8"))
                let rows = text.split(whereSeparator: \.isNewline).map { line in
                    line.split(separator: ",", omittingEmptySubsequences: false).map {
                        $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"\u{FEFF}"))
                            .trimmingCharacters(in: .whitespaces)
                    }
                }
                let column = try #require(rows.first?.firstIndex { ["household_id", "person_id", "户编号", "人员编号"].contains($0) }, "\(file)")
                // A remark's line break starts no record: what is not an id there is skipped.
                for row in rows.dropFirst() where row.count > column && !row[column].isEmpty
                    && row[column].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                    ids.insert(row[column])
                }
            }
        }
        return ids
    }

    /// The ids of `ids` found in `bytes`: every window of an id's length in each run of letters and digits.
    func idsFound(in bytes: Data, among ids: Set<String>, lengths: Set<Int>) -> Set<String> {
        var found: Set<String> = [], run: [UInt8] = []
        func check() {
            for length in lengths where run.count >= length {
                for start in 0...(run.count - length) {
                    let window = String(decoding: run[start..<(start + length)], as: UTF8.self)
                    if ids.contains(window) { found.insert(window) }
                }
            }
            run.removeAll(keepingCapacity: true)
        }
        for byte in bytes {
            if (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) { run.append(byte) } else { check() }
        }
        check()
        return found
    }

    /// Builds the samples' `year` into a temporary folder; the edition's path.
    func builtEdition(year: Int = 2019) throws -> String {
        let out = temporaryFolder()
        let built = try run(["build", "--year", String(year), "--out", out, "--quiet"])
        #expect(built.status == 0, "\(built.stderr)")
        return out + "/\(year)"
    }

    @Test func aReleaseHoldsThePublicFilesAndNoIdRejectOrInputName() throws {
        let edition = try builtEdition(), dest = temporaryFolder() + "/public/2019"
        let released = try run(["release", edition, dest])
        #expect(released.status == 0, "\(released.stderr)")
        #expect(released.stdout == "\(dest): released 36 files of \(edition), with no household id, rejected record or input file name\n")
        #expect(released.stderr == "")
        #expect(filesUnder(dest) == Self.released2019)
        #expect(try run(["verify", dest]).stdout == "\(dest): every output is as built\n")
        // The edition itself keeps its reports, with an index of their own, and verifies.
        #expect(try run(["verify", edition]).status == 0)
        for file in ["reports/index.html", "reports/index.md"] { #expect(FileManager.default.fileExists(atPath: edition + "/" + file)) }
        let index = String(decoding: try #require(contents(edition + "/index.html")), as: UTF8.self)
        #expect(!index.contains("reports/"))
        #expect(index.contains("<a href=\"data/observations.xml\">"))
        let reportsIndex = String(decoding: try #require(contents(edition + "/reports/index.md")), as: UTF8.self)
        for link in ["(validation.md)", "(reconciliation.md)", "(inputs.md)", "(problems.csv)", "(rejects.csv)", "(../data/yearbook.sqlite)"] {
            #expect(reportsIndex.contains(link))
        }

        // No id of any sample roster and no input file name in any released byte (the workbook unzipped).
        let ids = try rosterIds()
        #expect(ids.count == 87_590)
        let lengths = Set(ids.map(\.count))
        var scanned: [String: Data] = [:]
        for file in filesUnder(dest) {
            let data = FileManager.default.contents(atPath: dest + "/" + file)
            #expect(data != nil, "\(file) does not read")
            scanned[file] = data
        }
        let parts = try #require(shell("unzip -Z1 '\(dest)/yearbook.xlsx'")).split(separator: "\n").map(String.init)
        #expect(parts.contains("xl/sharedStrings.xml"))
        for part in parts { scanned["yearbook.xlsx:" + part] = Data(try #require(shell("unzip -p '\(dest)/yearbook.xlsx' '\(part.replacingOccurrences(of: "[", with: "\\["))'")).utf8) }
        for (file, bytes) in scanned {
            #expect(idsFound(in: bytes, among: ids, lengths: lengths).isEmpty, "\(file) holds a roster id")
            for name in ["exports/", ".csv.gz", "submissions/", "rejects", "lineage"] {
                #expect(bytes.range(of: Data(name.utf8)) == nil, "\(file) holds '\(name)'")
            }
        }
        // The scan finds what it looks for: the edition's rejects hold ids.
        #expect(!idsFound(in: try #require(contents(edition + "/reports/rejects.csv")), among: ids, lengths: lengths).isEmpty)
    }

    @Test func everyLinkOfAReleasedPageResolvesInsideTheRelease() throws {
        let edition = try builtEdition(), dest = temporaryFolder() + "/www"
        #expect(try run(["release", edition, dest]).status == 0)
        var checked = 0
        for file in filesUnder(dest) where file.hasSuffix(".html") || file.hasSuffix(".md") {
            let text = String(decoding: try #require(contents(dest + "/" + file)), as: UTF8.self)
            let pattern = file.hasSuffix(".html") ? #"(?:href|src)="([^"]*)""# : #"\]\(([^)\s]*)\)"#
            let expression = try NSRegularExpression(pattern: pattern)
            for match in expression.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let link = String(text[Range(match.range(at: 1), in: text)!])
                let target = String(link.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0])
                if target.isEmpty { continue }   // a place on the same page
                #expect(!target.contains("://") && !target.hasPrefix("/"), "\(file) links outside the release: \(link)")
                let folder = (file as NSString).deletingLastPathComponent
                let resolved = ((dest + "/" + folder + "/" + target) as NSString).standardizingPath
                #expect(resolved.hasPrefix(dest + "/"), "\(file): \(link) leaves the release")
                #expect(FileManager.default.fileExists(atPath: resolved), "\(file): \(link) does not resolve in the release")
                checked += 1
            }
        }
        #expect(checked == 58)
    }

    @Test func aStaleATamperedEditionAndAForeignDestAreRefused() throws {
        // Stale: a headline edited, then only its chapter regenerated: the workbook, which prints it, is stale.
        let definition = temporaryFolder(), out = temporaryFolder()
        for name in ["yearbook.yml", "indicators.csv", "chapters.csv"] {
            try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/pipelines/" + name, toPath: definition + "/" + name)
        }
        let pipeline = definition + "/yearbook.yml"
        #expect(try run(["build", "--pipeline", pipeline, "--out", out, "--quiet"]).status == 0)
        let yaml = String(decoding: try #require(contents(pipeline)), as: UTF8.self)
        let edited = yaml.replacingOccurrences(of: "全市养老床位", with: "全市各类养老床位")
        #expect(edited != yaml)
        _ = FileManager.default.createFile(atPath: pipeline, contents: Data(edited.utf8))
        #expect(try run(["build", "--pipeline", pipeline, "--out", out, "--quiet", "--chapter", "elderly-care"]).status == 0)
        let dest = temporaryFolder() + "/www"
        let stale = try run(["release", out + "/2019", dest])
        #expect(stale.status == 2)
        #expect(stale.stdout == "")
        #expect(stale.stderr == "yearbook release: \(out)/2019 is stale (a full build would change yearbook.xlsx): nothing was released. "
            + "Run `yearbook build` without --chapter, then release again\n")
        #expect(!FileManager.default.fileExists(atPath: dest))

        // Tampered: a chart changed after the build.
        let edition = try builtEdition()
        let chart = edition + "/chapters/charts/elderly-care-areas-BEDS_PER_1000.svg"
        let original = try #require(contents(chart))
        _ = FileManager.default.createFile(atPath: chart, contents: Data("<svg/>".utf8))
        let tampered = try run(["release", edition, dest])
        #expect(tampered.status == 2)
        #expect(tampered.stderr == "yearbook release: \(edition) does not verify (output chapters/charts/elderly-care-areas-BEDS_PER_1000.svg "
            + "is not what the build wrote): nothing was released. Build the edition again (`yearbook build`), then release again\n")
        #expect(!FileManager.default.fileExists(atPath: dest))
        _ = FileManager.default.createFile(atPath: chart, contents: original)

        // A DEST holding a file no release wrote: refused, the file untouched.
        try FileManager.default.createDirectory(atPath: dest, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: dest + "/notes.txt", contents: Data("the webmaster's notes\n".utf8))
        let foreign = try run(["release", edition, dest])
        #expect(foreign.status == 2)
        #expect(foreign.stderr == "yearbook release: \(dest) holds files an earlier release of this tool did not write (notes.txt): "
            + "nothing was released and they are untouched. Choose a new or empty DEST, or move those files away\n")
        #expect(filesUnder(dest) == ["notes.txt"])
        #expect(contents(dest + "/notes.txt") == Data("the webmaster's notes\n".utf8))
        // The same file beside an earlier release is foreign too.
        try FileManager.default.removeItem(atPath: dest + "/notes.txt")
        #expect(try run(["release", edition, dest]).status == 0)
        _ = FileManager.default.createFile(atPath: dest + "/chapters/notes.txt", contents: Data("mine\n".utf8))
        let beside = try run(["release", edition, dest])
        #expect(beside.status == 2)
        #expect(beside.stderr.contains("did not write (chapters/notes.txt)"))
        #expect(contents(dest + "/chapters/notes.txt") == Data("mine\n".utf8))
        // Many foreign files: three named, the others counted.
        let crowded = temporaryFolder()
        for name in ["a", "b", "c", "d", "e"] { _ = FileManager.default.createFile(atPath: crowded + "/\(name).txt", contents: Data()) }
        let many = try run(["release", edition, crowded])
        #expect(many.status == 2)
        #expect(many.stderr.contains("did not write (a.txt, b.txt, c.txt, and 2 more): nothing was released"))
        #expect(filesUnder(crowded) == ["a.txt", "b.txt", "c.txt", "d.txt", "e.txt"])
        // A DEST inside the edition.
        let inside = try run(["release", edition, edition + "/public"])
        #expect(inside.status == 2)
        #expect(inside.stderr == "yearbook release: \(edition)/public is, or lies inside, or holds the edition \(edition): nothing was released. "
            + "Choose a DEST outside the edition, e.g. a new folder for the web server\n")
    }

    @Test func aSecondReleaseIntoTheSameDestReplacesItWhole() throws {
        // 2019 built after 2018 in one folder draws its trends from it: a release with trend charts.
        let out = temporaryFolder()
        for year in ["2018", "2019"] { #expect(try run(["build", "--year", year, "--out", out, "--quiet"]).status == 0) }
        let parent = temporaryFolder(), dest = parent + "/www"
        #expect(try run(["release", out + "/2019", dest]).status == 0)
        let trends = filesUnder(dest).filter { $0.contains("-trend-") }
        #expect(trends.count == 7)
        // Then the 2018 edition, which has none, into the same DEST: nothing of the 2019 release is left.
        let edition2018 = try builtEdition(year: 2018)
        let second = try run(["release", edition2018, dest])
        #expect(second.status == 0)
        #expect(filesUnder(dest) == filesUnder(edition2018).filter { !$0.hasPrefix("reports/") && $0 != "data/yearbook.sqlite" })
        #expect(filesUnder(dest).filter { $0.contains("-trend-") } == [])
        #expect(contents(dest + "/data/observations.csv") == contents(edition2018 + "/data/observations.csv"))
        #expect(try run(["verify", dest]).status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent).sorted() == [".yearbook-lock", "www"])
    }

    /// A release killed before each of its file-system changes (YEARBOOK_FAULT_AT) leaves DEST the
    /// earlier release or the new one, whole; the next release recovers.
    @Test func aReleaseKilledAtAnyFileSystemCallLeavesDestWhole() throws {
        let edition2018 = try builtEdition(year: 2018), edition2019 = try builtEdition()
        let reference = temporaryFolder()
        #expect(try run(["release", edition2018, reference + "/old"]).status == 0)
        #expect(try run(["release", edition2019, reference + "/new"]).status == 0)
        let old = contents(reference + "/old/manifest.json"), new = contents(reference + "/new/manifest.json")
        #expect(old != new)
        let traced = temporaryFolder()
        _ = shell("cp -a '\(reference)/old' '\(traced)/www'")
        let trace = try run(["release", edition2019, traced + "/www"], environment: ["YEARBOOK_FAULT_TRACE": "1"])
        #expect(trace.status == 0)
        let calls = trace.stderr.split(separator: "\n").filter { $0.hasPrefix("yearbook fault point") }.map(String.init)
        #expect(calls.count > 40)
        let chosen = Self.exhaustive ? Array(1...calls.count) : Self.killPoints(calls)
        #expect(Self.exhaustive || chosen.count >= 10)
        for point in chosen {
            let parent = temporaryFolder(), dest = parent + "/www"
            _ = shell("cp -a '\(reference)/old' '\(dest)'")
            let killed = try run(["release", edition2019, dest], environment: ["YEARBOOK_FAULT_AT": String(point)])
            #expect(killed.status == 137, "point \(point)")
            let manifest = contents(dest + "/manifest.json")
            #expect(manifest == old || manifest == new, "point \(point)")
            #expect(try run(["verify", dest]).status == 0, "point \(point): DEST is not whole")
            #expect(filesUnder(dest) == (manifest == new ? Self.released2019 : filesUnder(reference + "/old")), "point \(point)")
            let next = try run(["release", edition2019, dest])
            #expect(next.status == 0, "point \(point): \(next.stderr)")
            #expect(contents(dest + "/manifest.json") == new)
            #expect(try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.contains(".building-") } == [])
            try? FileManager.default.removeItem(atPath: parent)
        }
    }
}
