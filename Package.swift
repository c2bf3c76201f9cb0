// swift-tools-version:6.0
import Foundation
import PackageDescription

// ISA-L's inflate (Debian libisal-dev) is used where the system has it; zlib everywhere else.
// A package manifest cannot ask pkg-config whether a library exists, so it looks for the header.
let hasISAL = ["/usr/include/isa-l/igzip_lib.h", "/usr/local/include/isa-l/igzip_lib.h",
               "/opt/homebrew/include/isa-l/igzip_lib.h"].contains { FileManager.default.fileExists(atPath: $0) }
let isalTargets: [Target] = hasISAL
    ? [.systemLibrary(name: "CIsal", path: "Sources/C/CIsal", pkgConfig: "libisal", providers: [.apt(["libisal-dev"]), .brew(["isa-l"])])] : []

// The stages of the yearly build, each a module of its own:
// Extract -> Normalize -> Reconcile -> Aggregate -> Validate -> Render, driven by Pipeline
// from the checked Definition,
// with the `yearbook` command line a thin layer on top.
let package = Package(
    name: "yearbook",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "yearbook", targets: ["yearbook"]),
        // The readers and exact arithmetic as libraries, for the fuzz targets in Fuzz/.
        .library(name: "YearbookReaders", targets: ["Extract", "Normalize", "YearbookCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.1"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/C/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/C/CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite", path: "Sources/C/CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CXlsxWriter", path: "Sources/C/CXlsxWriter", pkgConfig: "xlsxwriter", providers: [.apt(["libxlsxwriter-dev"])]),
        .target(name: "CSHA256", path: "Sources/C/CSHA256"),
        // CRC-32 of gzip members, with the CPU's carry-less multiply where present (see GzipByteStream).
        .target(name: "CCRC32", path: "Sources/C/CCRC32"),
        // The roster fast path: CSV splitting and field checks fused in one pass (see RowValidator).
        .target(name: "CRosterScan", path: "Sources/C/CRosterScan"),
        // The workbook's deflate level (libxlsxwriter has no option for it; see workbook_zip.c).
        .target(name: "CWorkbookZip", path: "Sources/C/CWorkbookZip", linkerSettings: [.linkedLibrary("dl", .when(platforms: [.linux]))]),
        .target(name: "YearbookCore", dependencies: ["CSHA256"]),
        // The byte loops of extract and normalize run once per byte of input:
        // dynamic exclusivity checks on their buffers cost more than the work.
        .target(name: "Extract", dependencies: ["YearbookCore", "CZlib", "CLibXML2", "CCRC32"] + (hasISAL ? ["CIsal"] : []),
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked", "-cross-module-optimization"])]
                    + (hasISAL ? [.define("YEARBOOK_ISAL")] : [])),
        .target(name: "Normalize", dependencies: ["YearbookCore", "Extract", "CRosterScan"],
                swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked", "-cross-module-optimization"])]),
        .target(name: "Reconcile", dependencies: ["YearbookCore", "Normalize"]),
        .target(name: "Aggregate", dependencies: ["YearbookCore"]),
        .target(name: "Validate", dependencies: ["YearbookCore"]),
        // Which figures are withheld from release as small cells, and the audit that none can be worked out.
        .target(name: "Disclose", dependencies: ["YearbookCore"]),
        // The edition's machine-readable files (the manifest, observations.csv, rankings.csv, the tables
        // as data, their names and JSON form): written and read by the same types.
        .target(name: "EditionFiles", dependencies: ["YearbookCore", "Extract"]),
        .target(name: "Render", dependencies: ["YearbookCore", "Aggregate", "EditionFiles"]),
        // The edition's database (data/yearbook.sqlite): SQLiteConnection is the one home of SQLite's calls.
        .target(name: "Database", dependencies: ["CSQLite", "YearbookCore"]),
        // The Excel workbook of an edition, through libxlsxwriter (XLSX.swift holds its calls).
        .target(name: "Workbook", dependencies: ["YearbookCore", "EditionFiles", "Extract", "Render", "CXlsxWriter", "CWorkbookZip"]),
        // The pipeline definition (pipelines/*.yml) read and checked whole: the only user of Yams.
        .target(name: "Definition", dependencies: ["YearbookCore", "Extract", "Normalize", "Validate", "Render", "Yams"]),
        // What the stages found, and the outputs made from it that are no page: the reports, the
        // database and each figure's lineage.
        .target(name: "Outputs", dependencies: [
            "YearbookCore", "Definition", "EditionFiles", "Extract", "Normalize", "Reconcile", "Aggregate", "Validate", "Disclose", "Render", "Database",
        ]),
        .target(name: "Pipeline", dependencies: [
            "YearbookCore", "Definition", "EditionFiles", "Extract", "Normalize", "Reconcile", "Aggregate", "Validate", "Disclose", "Render", "Outputs",
            "Database", "Workbook",
        ]),
        // What reads editions and inputs back: diff, explain, verify, inspect.
        .target(name: "Readers", dependencies: ["YearbookCore", "EditionFiles", "Extract", "Normalize", "Render", "Database"]),
        .executableTarget(name: "yearbook", dependencies: [
            "Pipeline", "Definition", "EditionFiles", "Readers", "YearbookCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Helpers the test targets share (gzip and GB18030 inputs made with the system's tools).
        .target(name: "YearbookTestSupport", dependencies: ["Definition", "Normalize", "Pipeline", "YearbookCore"], path: "Tests/Support"),
        .testTarget(name: "ExtractTests", dependencies: ["Extract", "YearbookCore", "YearbookTestSupport", "CCRC32"],
                    resources: [.copy("Fixtures")]),
        // Each stage given a few literal rows and expected back exactly (Tests/Fixtures' definition).
        .testTarget(name: "StageTests", dependencies: ["YearbookTestSupport", "Definition", "EditionFiles", "Extract", "Normalize",
                                                       "Reconcile", "Aggregate", "Validate", "Disclose", "Render", "YearbookCore"]),
        // Whole builds: contract rules, hostile input, regeneration, the database, the sample's figures.
        .testTarget(name: "PipelineTests", dependencies: ["Pipeline", "Definition", "EditionFiles", "Outputs", "CSHA256", "YearbookTestSupport", "Normalize", "Reconcile", "Aggregate", "Validate", "Disclose", "Render", "Workbook", "Readers", "YearbookCore", "Extract", "Database"],
                    exclude: ["Contract", "FuzzCases"]),
        // The editions as readers meet them: pages in headless Chromium with axe-core, the workbook read back.
        .testTarget(name: "ReaderTests", dependencies: ["Pipeline", "Definition", "EditionFiles", "YearbookTestSupport", "Normalize", "Render",
                                                        "Workbook", "YearbookCore", "Extract"],
                    exclude: ["Readers"]),
        .testTarget(name: "CommandLineTests", dependencies: ["yearbook"]),
    ] + isalTargets,
    swiftLanguageModes: [.v5]
)
