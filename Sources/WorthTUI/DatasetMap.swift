import WorthEngine

/// Each row's position on the plane of the first two principal components of the
/// standardised features: the Dataset screen's map of the data, computed once per file.
struct DatasetMap: Sendable {
    /// (x, y) per dataset row.
    let points: [(Double, Double)]

    /// Projects `dataset`; power iteration with deflation on the d × d covariance (d is small:
    /// the feature count), so it costs O(n·d²) once per file.
    init(dataset: Dataset) {
        let x = Standardizer(fitting: dataset.features).apply(dataset.features)
        let n = x.rows, d = x.columns
        guard n > 0, d > 0 else { points = []; return }
        var cov = [Double](repeating: 0, count: d * d)
        x.storage.withUnsafeBufferPointer { s in
            for i in 0..<n {
                for a in 0..<d {
                    let va = s[i * d + a]
                    for b in a..<d { cov[a * d + b] += va * s[i * d + b] }
                }
            }
        }
        for a in 0..<d { for b in a..<d { cov[b * d + a] = cov[a * d + b] } }
        var components: [[Double]] = []
        for c in 0..<min(2, d) {
            var v = (0..<d).map { Double(($0 * 7 + c * 3) % 5 + 1) }
            var lambda = 0.0
            for _ in 0..<100 {
                var w = [Double](repeating: 0, count: d)
                for a in 0..<d { for b in 0..<d { w[a] += cov[a * d + b] * v[b] } }
                let norm = w.reduce(0) { $0 + $1 * $1 }.squareRoot()
                guard norm > 1e-12 else { break }
                lambda = norm
                v = w.map { $0 / norm }
            }
            components.append(v)
            for a in 0..<d { for b in 0..<d { cov[a * d + b] -= lambda * v[a] * v[b] } }
        }
        points = (0..<n).map { i in
            func project(_ v: [Double]) -> Double { (0..<d).reduce(0) { $0 + x[i, $1] * v[$1] } }
            return (project(components[0]), components.count > 1 ? project(components[1]) : 0)
        }
    }
}
