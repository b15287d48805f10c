/// Up to `capacity` snapshots of every row's value, thinned by half when full, so a row's
/// trajectory over a long run costs bounded memory (Float: 4 bytes per row per snapshot; fewer
/// snapshots for many rows: at most `cells` values in all, 64 MB).
struct ValueHistory: Sendable {
    static let cells = 16 << 20
    private(set) var capacity = 48
    private(set) var done: [Int] = []
    private(set) var snapshots: [[Float]] = []
    private var stride = 1
    private var seen = 0

    mutating func record(done units: Int, values: [Double]) {
        seen += 1
        capacity = max(4, min(48, Self.cells / max(1, values.count)))
        guard seen % stride == 0 else { return }
        done.append(units)
        snapshots.append(values.map(Float.init))
        if snapshots.count >= capacity {
            snapshots = snapshots.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            done = done.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            stride *= 2
        }
    }

    /// (work done, value) of valued row `i` over the run.
    func trajectory(of i: Int) -> [ConvergencePointValue] {
        zip(done, snapshots).map { ConvergencePointValue(x: Double($0), y: Double($1[i])) }
    }
}
