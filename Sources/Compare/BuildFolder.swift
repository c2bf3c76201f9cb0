import Extract
import Foundation
import YearbookCore

/// A build folder (`<out>/<year>`) read back for comparison.
struct BuildFolder {
    struct Cell: Hashable {
        var value: String
        var status: String
        var source: String
    }

    var path: String
    var edition: Int
    /// (area, indicator, period) → cell, from `data/observations.csv`.
    var observations: [ObservationKey: Cell] = [:]
    /// (indicator, area) → (rank, published value), from `data/rankings.csv`.
    var ranks: [String: (rank: Int, value: String, parent: String)] = [:]
    /// chapter → table caption → row label → cells.
    var tables: [String: [String: [String: [String]]]] = [:]
    /// Every file under the folder, relative path → bytes' hash.
    var files: [String: String] = [:]

    static func load(_ path: String) throws -> BuildFolder {
        let observationsPath = path + "/data/observations.csv"
        guard FileManager.default.fileExists(atPath: observationsPath) else {
            throw NotABuild(path: path)
        }
        let table = try CSVTable.read(path: observationsPath, displayName: observationsPath)
        let col = try table.columns(["area_code", "indicator", "period", "value", "status", "source"])
        var folder = BuildFolder(path: path, edition: 0)
        for (_, cells) in table.rows where cells.count >= 6 {
            guard let period = Int(cells[col["period"]!]) else { continue }
            folder.observations[ObservationKey(area: cells[col["area_code"]!], indicator: cells[col["indicator"]!], period: period)] =
                Cell(value: cells[col["value"]!], status: cells[col["status"]!], source: cells[col["source"]!])
        }
        let periods = Set(folder.observations.keys.map(\.period))
        folder.edition = (try? Manifest.edition(path)) ?? Int((path as NSString).lastPathComponent) ?? periods.max() ?? 0
        if FileManager.default.fileExists(atPath: path + "/data/rankings.csv") {
            let rankings = try CSVTable.read(path: path + "/data/rankings.csv")
            let rc = try rankings.columns(["indicator", "parent_code", "area_code", "value", "rank"])
            for (_, cells) in rankings.rows where cells.count >= 6 {
                folder.ranks[cells[rc["indicator"]!] + " " + cells[rc["area_code"]!]] =
                    (Int(cells[rc["rank"]!]) ?? 0, cells[rc["value"]!], cells[rc["parent_code"]!])
            }
        }
        let chapters = path + "/chapters"
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: chapters)) ?? []).sorted() where file.hasSuffix(".md") {
            let text = String(decoding: FileManager.default.contents(atPath: chapters + "/" + file) ?? Data(), as: UTF8.self)
            folder.tables[String(file.dropLast(3))] = MarkdownTables.parse(text)
        }
        for file in (FileManager.default.subpaths(atPath: path) ?? []).sorted() {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path + "/" + file, isDirectory: &isFolder), !isFolder.boolValue,
                  !file.split(separator: "/").contains(where: { $0.hasPrefix(".") }) else { continue }
            folder.files[file] = (try? FileByteStream.digest(path: path + "/" + file)) ?? ""
        }
        return folder
    }
}

/// A folder that is not a yearbook build.
public struct NotABuild: Error, CustomStringConvertible, Equatable {
    public var path: String
    public var description: String { "\(path) is not a yearbook build (no data/observations.csv)" }

    public init(path: String) { self.path = path }
}

enum Manifest {
    /// The edition recorded in a build's manifest.
    static func edition(_ path: String) throws -> Int? {
        guard let data = FileManager.default.contents(atPath: path + "/manifest.json"),
              let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { return nil }
        return object["edition"] as? Int
    }
}

/// The tables of a rendered Markdown chapter: `## caption`, then a pipe table
/// whose first column names the row.
enum MarkdownTables {
    static func parse(_ text: String) -> [String: [String: [String]]] {
        var tables: [String: [String: [String]]] = [:]
        var caption: String?
        var seenHeader = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") {
                caption = String(line.dropFirst(3))
                seenHeader = false
                continue
            }
            guard let current = caption, line.hasPrefix("|") else { continue }
            let cells = splitRow(String(line))
            if !seenHeader {
                seenHeader = true
                continue
            }
            if cells.allSatisfy({ $0.allSatisfy { "-: ".contains($0) } }) { continue }
            guard let label = cells.first else { continue }
            tables[current, default: [:]][label.replacingOccurrences(of: "**", with: "")] =
                Array(cells.dropFirst()).map { $0.replacingOccurrences(of: "**", with: "") }
        }
        return tables
    }

    /// Splits `| a | b \| c |` at pipes that are not escaped.
    static func splitRow(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in line.dropFirst() {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                current.append(character)
                escaped = true
            } else if character == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        return cells
    }
}
