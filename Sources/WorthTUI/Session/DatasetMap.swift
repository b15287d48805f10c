import Synchronization
import WorthEngine

/// Each row's position on the plane of the first two principal components of the
/// standardised features: the Dataset screen's map of the data, computed once per file in the
/// background (`DatasetMapJob`).
struct DatasetMap: Sendable {
    /// Tells maps apart (a view drawn from one is not another's).
    struct ID: Hashable, Sendable {
        private static let next = Atomic<Int>(0)
        private let value = ID.next.add(1, ordering: .relaxed).newValue
    }

    let id = ID()
    /// (x, y) per dataset row.
    let points: [(Double, Double)]
    /// The points' smallest and largest x and y (a span of at least 1e-9 each).
    let bounds: (x0: Double, x1: Double, y0: Double, y1: Double)

    /// Projects `dataset` on its first two principal axes (`PrincipalAxes`, found on the rows
    /// `sampleRows` picks); nil when the task is cancelled.
    ///
    /// - Parameter sampleCells: how many cells (rows × features) the axes are found on at
    ///   most, so a wide file's map costs O(rows × features) once, for the projection, plus
    ///   O(sampleCells) per iteration.
    init?(dataset: Dataset, sampleCells: Int = 2_000_000) {
        // By column, as loaded: a row-major copy of a million rows of 100 features would be 800 MB.
        let x = dataset.columns
        let n = x.rows, d = x.count
        guard n > 0, d > 0 else { points = []; bounds = (0, 1, 0, 1); return }
        let standardizer = Standardizer(fitting: x)
        let sample = Self.sampleRows(count: n, features: d, cells: sampleCells)
        let sampled = x.selecting(rows: sample).matrix
        guard !Task.isCancelled,
              let found = PrincipalAxes(of: sampled, rows: Array(0..<sample.count), standardizer: standardizer, count: 2) else { return nil }
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
        // Column by column (each row's sum in feature order, as row by row would add it).
        var p0 = [Double](repeating: 0, count: n), p1 = p0
        for j in 0..<d {
            if Task.isCancelled { return nil }
            let (w0, w1) = (weights[j], weights[d + j])
            p0.withUnsafeMutableBufferPointer { p0 in
                p1.withUnsafeMutableBufferPointer { p1 in
                    switch x.columns[j] {
                    case .float(let v):
                        v.withUnsafeBufferPointer { v in
                            for i in 0..<n { let xij = Double(v[i]); p0[i] += xij * w0; p1[i] += xij * w1 }
                        }
                    case .double(let v):
                        v.withUnsafeBufferPointer { v in
                            for i in 0..<n { let xij = v[i]; p0[i] += xij * w0; p1[i] += xij * w1 }
                        }
                    }
                }
            }
        }
        let points = (0..<n).map { (p0[$0] - offsets[0], p1[$0] - offsets[1]) }
        self.points = points
        var (x0, x1, y0, y1) = (Double.infinity, -Double.infinity, Double.infinity, -Double.infinity)
        for (x, y) in points {
            (x0, x1, y0, y1) = (min(x0, x), max(x1, x), min(y0, y), max(y1, y))
        }
        bounds = (x0, max(x1, x0 + 1e-9), y0, max(y1, y0 + 1e-9))
    }

    /// The cell of row `i`'s point in a plot of `width` × `height` cells (row-major).
    func cell(of i: Int, width: Int, height: Int) -> Int {
        let b = bounds
        let cx = Int(((points[i].0 - b.x0) / (b.x1 - b.x0) * Double(width - 1)).rounded())
        let cy = Int(((b.y1 - points[i].1) / (b.y1 - b.y0) * Double(height - 1)).rounded())
        return cy * width + cx
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
