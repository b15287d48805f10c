import WorthEngine

/// The leading principal axes of a table's standardised columns, by randomized subspace
/// iteration (Halko, Martinsson & Tropp 2011, algorithm 4.4, with a Rayleigh–Ritz step) over
/// some of its rows.
///
/// It only multiplies the rows by a few vectors (X·V and Xᵀ·Y, standardising on the fly), so
/// one iteration costs O(rows × columns × block) time and O(columns × block) memory, where the
/// block is the axes wanted plus a few more: never a columns × columns covariance, which at
/// 10,000 columns took the workbench 71 s. Deterministic: a fixed seed starts the iteration.
struct PrincipalAxes {
    /// Unit axes in the standardised space, the most variance first; `axes[a][j]` is column
    /// `j`'s weight on axis `a`.
    let axes: [[Double]]

    /// The `count` leading axes of `x`'s rows `rows` standardised by `standardizer`; nil when
    /// the task is cancelled (checked between blocks of rows).
    ///
    /// - Parameters:
    ///   - oversampling: extra vectors in the block; they speed up convergence when the
    ///     variances after the `count`th are close to it.
    ///   - tolerance: stop once the wanted variances change by less than this, relatively,
    ///     between iterations (the axes are then good to about its square root, plenty for a map).
    init?(of x: Matrix, rows: [Int], standardizer: Standardizer, count: Int, oversampling: Int = 6,
          tolerance: Double = 1e-10, maxIterations: Int = 30) {
        let d = x.columns
        let k = min(d, count + oversampling)
        guard k > 0, !rows.isEmpty else { axes = []; return }
        let rows = StandardizedRows(x: x, rows: rows, standardizer: standardizer)
        var generator = SeededGenerator(seed: 0x5EED_0F_A8E5)
        var v = Block(rows: d, columns: k, values: (0..<d * k).map { _ in 2 * generator.nextUnit() - 1 })
        v.orthonormalize()
        var ritz: SymmetricEigen
        var previous: [Double]?
        var iteration = 0
        while true {
            guard let y = rows.times(v) else { return nil }
            ritz = SymmetricEigen(y.gram(), size: k)
            let wanted = Array(ritz.values.prefix(count))
            if let previous, zip(wanted, previous).allSatisfy({ abs($0 - $1) <= tolerance * max(abs($0), 1e-300) }) { break }
            if iteration == maxIterations { break }
            iteration += 1
            previous = wanted
            guard var z = rows.transposedTimes(y) else { return nil }
            z.orthonormalize()
            v = z
        }
        // Rayleigh–Ritz: the axes are V times the eigenvectors of (XV)ᵀ(XV).
        axes = (0..<min(count, k)).map { a in
            let w = ritz.vectors[a]
            return (0..<d).map { j in (0..<k).reduce(0) { $0 + v[j, $1] * w[$1] } }
        }
    }
}

/// A `rows` × `columns` block of vectors, row-major: the iteration's V (columns × block) and
/// Y (sampled rows × block).
private struct Block {
    let rows: Int, columns: Int
    var values: [Double]

    subscript(i: Int, c: Int) -> Double { values[i * columns + c] }

    /// Modified Gram–Schmidt on the columns; a column that is (numerically) in the span of the
    /// ones before it becomes zero.
    mutating func orthonormalize() {
        let n = rows, k = columns
        values.withUnsafeMutableBufferPointer { q in
            for c in 0..<k {
                for b in 0..<c {
                    var dot = 0.0
                    for i in 0..<n { dot += q[i * k + b] * q[i * k + c] }
                    for i in 0..<n { q[i * k + c] -= dot * q[i * k + b] }
                }
                var norm = 0.0
                for i in 0..<n { norm += q[i * k + c] * q[i * k + c] }
                norm = norm.squareRoot()
                let scale = norm > 1e-10 ? 1 / norm : 0
                for i in 0..<n { q[i * k + c] *= scale }
            }
        }
    }

    /// The columns' Gram matrix (columns × columns, row-major): BᵀB.
    func gram() -> [Double] {
        let k = columns
        var g = [Double](repeating: 0, count: k * k)
        for i in 0..<rows {
            for a in 0..<k { for b in a..<k { g[a * k + b] += values[i * k + a] * values[i * k + b] } }
        }
        for a in 0..<k { for b in 0..<a { g[a * k + b] = g[b * k + a] } }
        return g
    }
}

/// Some rows of a matrix, standardised column by column as they are read (no copy of them).
private struct StandardizedRows {
    let x: Matrix
    let rows: [Int]
    let standardizer: Standardizer

    var count: Int { rows.count }

    /// How many rows are read between two looks at cancellation.
    private static let rowsPerCheck = 64

    /// X̃ · V for V columns × block: (x − μ)/σ · v = x · (v/σ) − μ · (v/σ). Nil when cancelled.
    func times(_ v: Block) -> Block? {
        let d = x.columns, k = v.columns
        var u = v.values
        var offset = [Double](repeating: 0, count: k)
        for j in 0..<d {
            for c in 0..<k {
                u[j * k + c] /= standardizer.scales[j]
                offset[c] += standardizer.means[j] * u[j * k + c]
            }
        }
        var out = [Double](repeating: 0, count: rows.count * k)
        let cancelled: Bool = x.storage.withUnsafeBufferPointer { s in
            u.withUnsafeBufferPointer { u in
                out.withUnsafeMutableBufferPointer { out in
                    for (r, i) in rows.enumerated() {
                        if r % Self.rowsPerCheck == 0 && Task.isCancelled { return true }
                        let row = i * d
                        for j in 0..<d {
                            let xij = s[row + j]
                            for c in 0..<k { out[r * k + c] += xij * u[j * k + c] }
                        }
                        for c in 0..<k { out[r * k + c] -= offset[c] }
                    }
                    return false
                }
            }
        }
        return cancelled ? nil : Block(rows: rows.count, columns: k, values: out)
    }

    /// X̃ᵀ · Y for Y rows × block: column j is (Σ x_ij y_i − μ_j Σ y_i) / σ_j. Nil when cancelled.
    func transposedTimes(_ y: Block) -> Block? {
        let d = x.columns, k = y.columns
        var t = [Double](repeating: 0, count: d * k)
        var sums = [Double](repeating: 0, count: k)
        let cancelled: Bool = x.storage.withUnsafeBufferPointer { s in
            y.values.withUnsafeBufferPointer { y in
                t.withUnsafeMutableBufferPointer { t in
                    for (r, i) in rows.enumerated() {
                        if r % Self.rowsPerCheck == 0 && Task.isCancelled { return true }
                        let row = i * d, yr = r * k
                        for c in 0..<k { sums[c] += y[yr + c] }
                        for j in 0..<d {
                            let xij = s[row + j]
                            for c in 0..<k { t[j * k + c] += xij * y[yr + c] }
                        }
                    }
                    return false
                }
            }
        }
        guard !cancelled else { return nil }
        for j in 0..<d {
            for c in 0..<k { t[j * k + c] = (t[j * k + c] - standardizer.means[j] * sums[c]) / standardizer.scales[j] }
        }
        return Block(rows: d, columns: k, values: t)
    }
}
