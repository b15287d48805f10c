import WorthEngine

/// Each row's position on the plane of the first two principal components of the
/// standardised features: the Dataset screen's map of the data, computed once per file in the
/// background (`DatasetMapJob`).
struct DatasetMap: Sendable {
    /// (x, y) per dataset row.
    let points: [(Double, Double)]

    /// Projects `dataset` on its first two principal axes (`PrincipalAxes`, found on the rows
    /// `sampleRows` picks); nil when the task is cancelled.
    ///
    /// - Parameter sampleCells: how many cells (rows × features) the axes are found on at
    ///   most, so a wide file's map costs O(rows × features) once, for the projection, plus
    ///   O(sampleCells) per iteration.
    init?(dataset: Dataset, sampleCells: Int = 2_000_000) {
        let x = dataset.features
        let n = x.rows, d = x.columns
        guard n > 0, d > 0 else { points = []; return }
        let standardizer = Standardizer(fitting: x)
        let sample = Self.sampleRows(count: n, features: d, cells: sampleCells)
        guard let found = PrincipalAxes(of: x, rows: sample, standardizer: standardizer, count: 2) else { return nil }
        // Weights on the raw features, axis by axis (zero for a missing second axis):
        // (x − μ)/σ · a = x · (a/σ) − μ · (a/σ).
        var weights = [Double](repeating: 0, count: 2 * d)
        var offsets = [0.0, 0.0]
        for (a, axis) in found.axes.prefix(2).enumerated() {
            for j in 0..<d {
                weights[a * d + j] = axis[j] / standardizer.scales[j]
                offsets[a] += standardizer.means[j] * weights[a * d + j]
            }
        }
        var points = [(Double, Double)]()
        points.reserveCapacity(n)
        let cancelled: Bool = x.storage.withUnsafeBufferPointer { s in
            weights.withUnsafeBufferPointer { w in
                for i in 0..<n {
                    if i % 256 == 0 && Task.isCancelled { return true }
                    var p0 = 0.0, p1 = 0.0
                    for j in 0..<d {
                        let xij = s[i * d + j]
                        p0 += xij * w[j]
                        p1 += xij * w[d + j]
                    }
                    points.append((p0 - offsets[0], p1 - offsets[1]))
                }
                return false
            }
        }
        guard !cancelled else { return nil }
        self.points = points
    }

    /// Evenly spaced rows of `count`, as many as fit in `cells` cells of `features` each but
    /// at least 200 (or all of them).
    static func sampleRows(count n: Int, features d: Int, cells: Int) -> [Int] {
        let m = min(n, max(200, cells / max(1, d)))
        return (0..<m).map { $0 * n / m }
    }
}

/// Computes a file's map off the key loop's thread; the session takes it when it is done and
/// cancels the job when another file is opened.
extension BackgroundJob where News == DatasetMap {
    convenience init(dataset: Dataset) {
        self.init(priority: .utility, computing: { DatasetMap(dataset: dataset) })
    }
}
