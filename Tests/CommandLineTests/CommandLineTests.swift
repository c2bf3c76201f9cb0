import Foundation
import Testing

/// The real `yearbook` binary, as statisticians and CI call it.
@Suite struct CommandLineTests {
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var binary: String {
        // The test bundle sits beside the products it was built with.
        let beside = Bundle.main.bundleURL.appendingPathComponent("yearbook").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("yearbook").path
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: Self.repositoryRoot)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryFolder() -> String {
        let path = NSTemporaryDirectory() + "yearbook-cli-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func usageErrorsExitWithTwo() throws {
        let unknownOption = try run(["build", "--no-such-option"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.stderr.contains("--no-such-option"))
        let unknownChapter = try run(["build", "--chapter", "astrology", "--out", temporaryFolder()])
        #expect(unknownChapter.status == 2)
        #expect(unknownChapter.stderr.contains("unknown chapter 'astrology'"))
        let noInput = try run(["build", "--input", "/no/such/folder"])
        #expect(noInput.status == 2)
        #expect(noInput.stderr.contains("no such input folder: /no/such/folder"))
        let noYear = try run(["build", "--year", "1999", "--out", temporaryFolder()])
        #expect(noYear.status == 2)
    }

    @Test func buildsTheSamplesAndReportsTheAccounting() throws {
        let out = temporaryFolder()
        let result = try run(["build", "--out", out])
        #expect(result.status == 0)
        #expect(result.stderr.contains("yearbook 2019: 36 roster files, 132400 rows = 128533 accepted + 3842 inactive + 25 rejected"))
        for file in ["index.html", "index.md", "data/observations.csv", "data/rankings.csv", "reports/rejects.csv",
                     "reports/validation.md", "reports/validation.json", "chapters/elderly-care.html"] {
            #expect(FileManager.default.fileExists(atPath: "\(out)/2019/\(file)"), "\(file)")
        }
    }

    @Test func dataErrorsExitWithOneNamingTheFile() throws {
        let input = temporaryFolder()
        try FileManager.default.copyItem(atPath: Self.repositoryRoot + "/samples/input/areas.csv", toPath: input + "/areas.csv")
        try FileManager.default.createDirectory(atPath: input + "/2019/exports", withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: input + "/2019/exports/430202_dibao.csv.gz", contents: Data([0x1f, 0x8b, 0x08, 0x00]))
        let result = try run(["build", "--input", input, "--out", temporaryFolder(), "--quiet"])
        #expect(result.status == 1)
        #expect(result.stderr == "2019/exports/430202_dibao.csv.gz: error: truncated gzip file: the data ends before the end of the compressed stream\n")
    }

    @Test func inspectTellsWhatFilesHold() throws {
        let result = try run(["inspect", "--json", "samples/input/2019/submissions/430200_2019.xml",
                              "samples/input/2019/exports/430212_dibao.csv.gz"])
        #expect(result.status == 0)
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(reports.count == 2)
        #expect(reports[0]["file"] as? String == "samples/input/2019/submissions/430200_2019.xml")
        #expect(reports[0]["kind"] as? String == "sdmx")
        #expect(reports[0]["form"] as? String == "StructureSpecificData")
        #expect(reports[0]["series"] as? Int == 7)
        #expect(reports[0]["observations"] as? Int == 7)
        #expect(reports[0]["areas"] as? [String] == ["430200"])
        #expect(reports[1]["kind"] as? String == "roster")
        #expect(reports[1]["encoding"] as? String == "GB18030")
        #expect(reports[1]["rows"] as? Int == 3835)
        #expect(reports[1]["accepted"] as? Int == 3752)
        #expect(reports[1]["inactive"] as? Int == 82)
        #expect(reports[1]["rejected"] as? Int == 1)
        let text = try run(["inspect", "samples/input/2019/exports/430212_dibao.csv.gz"])
        #expect(text.stdout.contains("rows: 3835 read = 3752 accepted + 82 inactive + 1 rejected"))
        #expect(text.stdout.contains("月保障金额（元） → monthly_amount"))
    }

    @Test func explainTracesAFigureOfTheCommittedEdition() throws {
        let text = try run(["explain", "output/2019", "株洲市", "城市低保对象"])
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "株洲市 Zhuzhou (430200) · 城市低保对象 (DIBAO_PERSONS_U) · 2019 = 35,348 persons [A, aggregated]")
        #expect(lines.filter { $0.contains("roster 2019/exports/") }.count == 9)
        #expect(lines.contains("   └─ 醴陵市 Liling (430281) = 7,231 persons [A, dibao]"))
        let json = try run(["explain", "output/2019", "430212", "DIBAO_PERSONS_U", "--period", "2018", "--json"])
        #expect(json.status == 0)
        let figure = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])["figure"] as? [String: Any]
        #expect(figure?["value"] as? String == "1379")
        let steps = figure?["steps"] as? [[String: Any]] ?? []
        #expect(steps.map { $0["file"] as? String } == ["2018/exports/430212_dibao.csv.gz"])
        let unknownArea = try run(["explain", "output/2019", "火星市", "DIBAO_PERSONS_U"])
        #expect(unknownArea.status == 2)
        #expect(unknownArea.stderr == "error: unknown area '火星市': neither a code nor a name in the edition's areas\n")
        #expect(try run(["explain", "output/2019", "430200", "NO_SUCH"]).status == 2)
    }

    /// The sqlite3 shell prints the observations table as observations.csv, byte for byte.
    @Test func databaseOpensInTheSQLiteShell() throws {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        shell.arguments = ["sqlite3", "-header", "-csv", Self.repositoryRoot + "/output/2019/data/yearbook.sqlite",
                           "SELECT * FROM observations"]
        let out = Pipe()
        shell.standardOutput = out
        try shell.run()
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0, "needs the sqlite3 shell (apt-get install sqlite3), as .ci/run installs it")
        let csv = try #require(FileManager.default.contents(atPath: Self.repositoryRoot + "/output/2019/data/observations.csv"))
        #expect(String(decoding: printed, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n") == String(decoding: csv, as: UTF8.self))
    }
}
