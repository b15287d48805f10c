/// Small dense kernels shared by the models and valuators' hot loops.
///
/// Reductions use four independent accumulators so the compiler can keep them in vector
/// registers; the summation order is fixed by the length alone, so the same inputs always give
/// the same bits whatever thread or caller runs them.
enum VectorKernels {
    /// Σ a[j]·b[j] for j in 0..<count.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = 0
        while j + 4 <= count {
            s0 += a[j] * b[j]
            s1 += a[j + 1] * b[j + 1]
            s2 += a[j + 2] * b[j + 2]
            s3 += a[j + 3] * b[j + 3]
            j += 4
        }
        while j < count {
            s0 += a[j] * b[j]
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// Σ (a[j] − b[j])² for j in 0..<count: the squared Euclidean distance, computed from the
    /// differences so equal distances come out bit-for-bit equal.
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var j = 0
        while j + 4 <= count {
            let d0 = a[j] - b[j], d1 = a[j + 1] - b[j + 1]
            let d2 = a[j + 2] - b[j + 2], d3 = a[j + 3] - b[j + 3]
            s0 += d0 * d0
            s1 += d1 * d1
            s2 += d2 * d2
            s3 += d3 * d3
            j += 4
        }
        while j < count {
            let d = a[j] - b[j]
            s0 += d * d
            j += 1
        }
        return (s0 + s1) + (s2 + s3)
    }

    /// y[j] += alpha · x[j] for j in 0..<count.
    @inline(__always)
    static func axpy(_ alpha: Double, _ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ count: Int) {
        for j in 0..<count { y[j] += alpha * x[j] }
    }

    /// Euclidean norm ‖v‖₂.
    static func norm(_ v: [Double]) -> Double {
        var s = 0.0
        for e in v { s += e * e }
        return s.squareRoot()
    }
}
