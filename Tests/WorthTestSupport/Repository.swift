import Foundation

/// Files of this repository that tests read, found from this source file whatever folder the
/// test itself is in: the bundled samples, the README.
public enum Repository {
    /// The package's root directory.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The directory of the bundled samples.
    public static let samples = root.appendingPathComponent("Samples")

    /// The path of bundled sample `name` (`penguins_raw.csv`).
    public static func sample(_ name: String) -> String { samples.appendingPathComponent(name).path }

    /// The path of `relative` (`README.md`) under the root.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
}
