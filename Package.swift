// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "worth",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "worth", targets: ["worth"]),
        .library(name: "WorthEngine", targets: ["WorthEngine"]),
    ],
    targets: [
        // The engine: data, models, valuators, evaluation. No terminal code.
        .target(name: "WorthEngine"),
        // The terminal workbench: view models drawn into a character grid (testable without a
        // terminal) and one ncurses backend that shows the grid.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        .target(name: "WorthTUI", dependencies: ["WorthEngine", "CNcurses"]),
        // The command line: argument parsing, the commands, progress on stderr. A library so
        // that its parser and help are unit-tested; `worth` only calls it.
        .target(name: "WorthCLI", dependencies: ["WorthEngine", "WorthTUI"]),
        .executableTarget(name: "worth", dependencies: ["WorthCLI"]),
        .testTarget(name: "WorthEngineTests", dependencies: ["WorthEngine"]),
        .testTarget(name: "WorthTUITests", dependencies: ["WorthTUI", "WorthEngine"]),
        .testTarget(name: "WorthCLITests", dependencies: ["WorthCLI", "WorthEngine"]),
    ]
)
