import WorthEngine

/// What the Dataset screen shows, computed once per file: each feature's range and mean, and
/// each row's position on the plane of the first two principal components of the
/// standardised features (the map of the data).
struct DatasetOverview: Sendable {
    /// One model feature (after encoding): its name, minimum, mean and maximum.
    struct Feature: Sendable {
        var name: String
        var min: Double, mean: Double, max: Double
    }

    let features: [Feature]
    /// (x, y) per dataset row.
    let points: [(Double, Double)]

    /// Projects `dataset`; power iteration with deflation on the d × d covariance (d is small:
    /// the feature count), so it costs O(n·d²) once per file.
    init(dataset: Dataset) {
        let raw = dataset.features
        features = dataset.featureNames.enumerated().map { j, name in
            var lo = Double.infinity, hi = -Double.infinity, sum = 0.0
            for i in 0..<raw.rows {
                let v = raw[i, j]
                lo = Swift.min(lo, v); hi = Swift.max(hi, v); sum += v
            }
            return Feature(name: name, min: lo, mean: raw.rows > 0 ? sum / Double(raw.rows) : .nan, max: hi)
        }
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
